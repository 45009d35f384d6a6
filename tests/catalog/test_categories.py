"""The category tree kept in memory (``catalog/categories.py``)."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from search_service.catalog.categories import CategoryDirectory
from search_service.db.connection import make_engine
from tests.support.catalogs import Catalog


async def test_requests_arriving_while_the_tree_is_read_share_one_read(shop: Catalog) -> None:
    """Read again every 5 seconds, the tree was read by every request that came while a read
    was under way, each on a pooled connection of its own."""
    engine = make_engine(shop.url, pool_size=2)
    made = async_sessionmaker(engine)
    reads = 0

    def counted() -> Any:
        nonlocal reads
        reads += 1
        return made()

    directory = CategoryDirectory(counted)  # type: ignore[arg-type]
    try:
        trees = await asyncio.gather(*(directory.tree() for _ in range(20)))
        assert reads == 1 and all(t is trees[0] for t in trees)
        directory.forget()
        await asyncio.gather(*(directory.tree() for _ in range(20)))
        assert reads == 2
    finally:
        await engine.dispose()
