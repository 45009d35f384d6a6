"""Import these fixtures into a test module that writes: its ``api`` and ``indexed_catalog``
become the writable shop catalog's, and ``browser`` is a fresh client of the site's pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from search_service.db.connection import asyncpg_dsn
from tests.support.apps import in_process_app


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


@pytest.fixture
async def browser(indexed_catalog: tuple[str, Path]) -> AsyncIterator[Any]:
    """A fresh client (its own cookies) on the site; tests check each redirect themselves."""
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(app=in_process_app(*indexed_catalog)) as client:
        client.follow_redirects = False
        yield client
