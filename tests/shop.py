"""Import these fixtures into a test module that writes: its ``api`` and ``indexed_catalog``
become the writable shop catalog's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session")
def indexed_catalog(shop_catalog: tuple[str, Path]) -> tuple[str, Path]:
    return shop_catalog


@pytest.fixture(scope="session")
def api(shop_api: Any) -> Any:
    return shop_api
