"""Build the configured engine (the only place that chooses between them)."""

from __future__ import annotations

from search_service.search.engine import SearchEngine
from search_service.semantic.models import load_embedder
from search_service.settings import Settings


def make_engine(settings: Settings) -> SearchEngine:
    """The engine SKILLSPRING_SEARCH_ENGINE names."""
    if settings.search.engine == "meilisearch":
        from search_service.search.meilisearch.engine import MeilisearchEngine

        return MeilisearchEngine(
            url=settings.search.meili_url,
            api_key=settings.search.api_key(),
            index_name=settings.search.index_name,
            dimensions=load_embedder().dimensions,
        )
    from search_service.search.tantivy.engine import TantivyEngine

    return TantivyEngine(
        settings.tantivy_dir / settings.search.index_name,
        documents_kept=settings.search.cache_entries,
        model=load_embedder().name,
    )
