"""The port around another engine: every method passes through; a wrapper overrides what it
adds to (caching, timing, merchandising)."""

from __future__ import annotations

from collections.abc import Sequence

from search_service.search.document import CourseDocument
from search_service.search.engine import Rebuild, SearchEngine
from search_service.search.request import SearchRequest
from search_service.search.results import EngineResult


class EngineWrapper:
    def __init__(self, inner: SearchEngine) -> None:
        self.inner = inner
        self.name = inner.name

    async def search(self, request: SearchRequest) -> EngineResult:
        return await self.inner.search(request)

    async def correct(self, query: str) -> str | None:
        return await self.inner.correct(query)

    async def similar(self, doc_id: str, limit: int) -> list[str]:
        return await self.inner.similar(doc_id, limit)

    async def generation(self) -> str | None:
        return await self.inner.generation()

    async def apply_settings(self) -> None:
        await self.inner.apply_settings()

    async def upsert(self, documents: Sequence[CourseDocument]) -> None:
        await self.inner.upsert(documents)

    async def delete(self, ids: Sequence[str]) -> None:
        await self.inner.delete(ids)

    async def rebuild(self) -> Rebuild:
        return await self.inner.rebuild()

    async def document_count(self) -> int:
        return await self.inner.document_count()

    async def health(self) -> None:
        await self.inner.health()

    async def close(self) -> None:
        await self.inner.close()
