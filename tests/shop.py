"""Import these fixtures into a test module that writes: its ``api`` and ``indexed_catalog``
become the writable shop catalog's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from search_service.db.connection import asyncpg_dsn


@pytest.fixture(scope="session")
def indexed_catalog(shop_catalog: tuple[str, Path]) -> tuple[str, Path]:
    return shop_catalog


@pytest.fixture(scope="session")
def api(shop_api: Any) -> Any:
    return shop_api


@pytest.fixture
async def db(indexed_catalog: tuple[str, Path]) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(asyncpg_dsn(indexed_catalog[0]))
    yield conn
    await conn.close()
