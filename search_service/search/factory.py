"""Build the configured engine (the only place that chooses between them)."""

from __future__ import annotations

from search_service.search.engine import SearchEngine
from search_service.settings import Settings


def make_engine(settings: Settings) -> SearchEngine:
    """The engine SKILLSPRING_SEARCH_ENGINE names."""
    if settings.search.engine == "meilisearch":
        from search_service.search.meilisearch import MeilisearchEngine

        return MeilisearchEngine(
            url=settings.search.meili_url,
            api_key=settings.search.api_key(),
            index_name=settings.search.index_name,
        )
    from search_service.search.tantivy import TantivyEngine

    return TantivyEngine(
        settings.tantivy_dir / settings.search.index_name,
        counted_entries=settings.search.cache_entries,
    )
