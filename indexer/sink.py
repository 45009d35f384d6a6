"""Engine writes for the indexer: upserts and deletes that return only once confirmed."""

from __future__ import annotations

from collections.abc import Sequence

from search_service.search.document import CourseDocument
from search_service.search.engine import SearchEngine


async def apply(
    engine: SearchEngine, documents: Sequence[CourseDocument], deleted_ids: Sequence[str]
) -> None:
    """Write documents and deletions; raises if the engine does not confirm both."""
    if documents:
        await engine.upsert(documents)
    if deleted_ids:
        await engine.delete(deleted_ids)
