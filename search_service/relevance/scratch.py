"""A scratch database and index holding the judged fixture catalog."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

from sqlalchemy.ext.asyncio import async_sessionmaker

from indexer.reindex import reindex
from search_service.catalog.categories import CategoryDirectory
from search_service.catalog.service import CatalogSearch
from search_service.db import migrate
from search_service.db.connection import connect, fresh_database, make_engine
from search_service.search.tantivy import TantivyEngine
from search_service.seed.judged import load_catalog, read_catalog

SCRATCH_DATABASE = "skillspring_relevance"


@contextlib.asynccontextmanager
async def scratch_catalog(server_url: str) -> AsyncIterator[CatalogSearch]:
    """Load the fixture into a fresh database on ``server_url``'s server and a temporary
    tantivy index; yield the search service over them; drop both afterwards."""
    import asyncio

    async with fresh_database(server_url, SCRATCH_DATABASE) as url:
        db_engine = make_engine(url, pool_size=2)
        try:
            await asyncio.to_thread(migrate.upgrade, url)
            async with connect(url) as conn:
                await load_catalog(conn, read_catalog())
            with tempfile.TemporaryDirectory(prefix="relevance-") as folder:
                engine = TantivyEngine(Path(folder) / "courses")
                await engine.apply_settings()
                await reindex(url, engine)
                yield CatalogSearch(engine, CategoryDirectory(async_sessionmaker(db_engine)))
                await engine.close()
        finally:
            await db_engine.dispose()
