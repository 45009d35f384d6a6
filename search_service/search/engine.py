"""The search engine port: what the indexer and the service need from any engine."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from search_service.search.document import CourseDocument
from search_service.search.request import SearchRequest
from search_service.search.results import EngineResult


class Rebuild(Protocol):
    """A new index being filled while the live one keeps serving."""

    async def add(self, documents: Sequence[CourseDocument]) -> None:
        """Write a batch into the new index."""

    async def count(self) -> int:
        """Documents the new index holds (after everything added is committed)."""

    async def switch(self) -> None:
        """Make the new index the live one, atomically."""

    async def abort(self) -> None:
        """Throw the new index away; the live one is untouched."""


@runtime_checkable
class SearchEngine(Protocol):
    """One interface, two engines (tantivy embedded, Meilisearch in production)."""

    name: str

    async def apply_settings(self) -> None:
        """Create the live index if missing and apply ranking/filter/facet settings."""

    async def upsert(self, documents: Sequence[CourseDocument]) -> None:
        """Add or replace documents; returns once the engine confirms the write."""

    async def delete(self, ids: Sequence[str]) -> None:
        """Remove documents by id; returns once the engine confirms."""

    async def search(self, request: SearchRequest) -> EngineResult:
        """Hits of the requested page, the exact total, and disjunctive facet counts."""

    async def correct(self, query: str) -> str | None:
        """A respelling of ``query`` whose words exist in the index, or None."""

    async def similar(self, doc_id: str, limit: int) -> list[str]:
        """The ids of the courses nearest in meaning to ``doc_id``, best first (not itself;
        empty when it has no vector)."""

    async def generation(self) -> str | None:
        """A token that changes whenever what searches see changes (a commit, a switch);
        None when the engine cannot tell (nothing is then cached)."""

    async def rebuild(self) -> Rebuild:
        """Start building a new index beside the live one."""

    async def document_count(self) -> int:
        """Documents in the live index."""

    async def health(self) -> None:
        """Raise SearchUnavailable unless the engine answers and the live index exists."""

    async def close(self) -> None:
        """Release connections and files."""
