"""A scratch database and index holding the judged fixture catalog."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

from sqlalchemy.ext.asyncio import async_sessionmaker

from indexer.reindex import reindex
from search_service.catalog.categories import CategoryDirectory
from search_service.catalog.search.service import CatalogSearch, Meaning
from search_service.db import migrate
from search_service.db.connection import connect, fresh_database, make_engine
from search_service.search.tantivy.engine import TantivyEngine
from search_service.seed.judged import load_catalog, read_catalog
from search_service.semantic.models import load_embedder
from search_service.settings import SearchSettings

DEFAULT_RATIO = SearchSettings().semantic_ratio

SCRATCH_DATABASE = "skillspring_relevance"


@contextlib.asynccontextmanager
async def scratch_catalog(
    server_url: str, semantic_ratio: float = DEFAULT_RATIO
) -> AsyncIterator[CatalogSearch]:
    """Load the fixture into a fresh database on ``server_url``'s server and a temporary
    tantivy index; yield the search service over them (meaning counting ``semantic_ratio``
    by default); drop both afterwards."""
    import asyncio

    async with fresh_database(server_url, SCRATCH_DATABASE) as url:
        db_engine = make_engine(url, pool_size=2)
        try:
            await asyncio.to_thread(migrate.upgrade, url)
            async with connect(url) as conn:
                await load_catalog(conn, read_catalog())
            with tempfile.TemporaryDirectory(prefix="relevance-") as folder:
                embedder = load_embedder()
                engine = TantivyEngine(Path(folder) / "courses", model=embedder.name)
                await engine.apply_settings()
                await reindex(url, engine, embedder=embedder)
                directory = CategoryDirectory(async_sessionmaker(db_engine))
                meaning = Meaning(embedder, semantic_ratio)
                yield CatalogSearch(engine, directory, meaning=meaning)
                await engine.close()
        finally:
            await db_engine.dispose()
