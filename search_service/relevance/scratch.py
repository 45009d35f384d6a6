"""A scratch database and index holding the fixture catalog."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg

from indexer.reindex import reindex
from search_service.catalog.categories import CategoryDirectory
from search_service.catalog.service import CatalogSearch
from search_service.db import migrate
from search_service.db.connection import asyncpg_dsn, make_engine, with_database
from search_service.relevance.fixture import load_catalog, read_catalog
from search_service.search.tantivy import TantivyEngine

SCRATCH_DATABASE = "skillspring_relevance"


@contextlib.asynccontextmanager
async def scratch_catalog(server_url: str) -> AsyncIterator[CatalogSearch]:
    """Load the fixture into a fresh database on ``server_url``'s server and a temporary
    tantivy index; yield the search service over them; drop both afterwards."""
    import asyncio

    admin = await asyncpg.connect(asyncpg_dsn(with_database(server_url, "postgres")))
    await admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DATABASE} WITH (FORCE)")
    await admin.execute(f"CREATE DATABASE {SCRATCH_DATABASE}")
    url = with_database(server_url, SCRATCH_DATABASE)
    db_engine = make_engine(url, pool_size=2)
    try:
        await asyncio.to_thread(migrate.upgrade, url)
        conn = await asyncpg.connect(asyncpg_dsn(url))
        await load_catalog(conn, read_catalog())
        await conn.close()
        with tempfile.TemporaryDirectory(prefix="relevance-") as folder:
            engine = TantivyEngine(Path(folder) / "courses")
            await engine.apply_settings()
            await reindex(asyncpg_dsn(url), engine)
            yield CatalogSearch(engine, CategoryDirectory(db_engine))
            await engine.close()
    finally:
        await db_engine.dispose()
        await admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DATABASE} WITH (FORCE)")
        await admin.close()
