"""Answers that stay the same until the index changes, kept per index generation.

``CachedEngine`` wraps the port: before every search it asks the engine for its generation (a
token that changes with every commit or switch) and drops everything it kept when the token
moved, so a cached answer is never older than what the engine would say. It keeps:

- whole answers of text-less requests (browse and category pages: the same for every shopper),
  for their first pages;
- facet counts per (words, filters, meaning): the next page of the same search needs only
  its hits, and so does another explicit sort (a relevance order may count courses near in
  meaning that an explicit sort leaves out: docs/relevance.md#hybrid-semantic-search).

Both are bounded least-recently-used maps (``SKILLSPRING_SEARCH_CACHE_ENTRIES`` entries each;
0 turns caching off).
"""

from __future__ import annotations

import msgspec

from search_service.lib.lru import LRU
from search_service.search.engine import SearchEngine
from search_service.search.request import FILTER_FIELDS, SearchRequest
from search_service.search.results import EngineResult
from search_service.search.text import words
from search_service.search.vocabulary import FacetGroup
from search_service.search.wrappers.base import EngineWrapper

CACHED_PAGES = 3  # browse and category pages kept whole: the first few


_KEY = msgspec.msgpack.Encoder()


def facet_key(request: SearchRequest) -> bytes:
    """What facet counts depend on: the words, the set of filter values and the meaning, and,
    with a meaning, whether the order is relevance (an explicit sort is strict: it counts
    neighbours only when no course has the words). Not the page, which explicit sort, or how
    often a value was repeated."""
    values: list[object] = [words(request.q)]
    for name in FILTER_FIELDS:
        if name in ("q", "sort"):
            continue
        value = getattr(request, name)
        values.append(sorted(set(value)) if isinstance(value, list) else value)
    values.append(sorted(request.ids))
    values.append(sorted(request.exclude_ids))
    values.append(request.vector)  # a hybrid search counts its semantic neighbours too
    values.append(request.meant_words)
    values.append(bool(request.vector) and request.sort == "relevance")
    return _KEY.encode(values)


def _whole(request: SearchRequest) -> bool:
    return not words(request.q) and request.page <= CACHED_PAGES


class CachedEngine(EngineWrapper):
    """The port, remembering answers until the engine's generation moves."""

    def __init__(self, inner: SearchEngine, entries: int) -> None:
        super().__init__(inner)
        self.entries = entries
        self._generation: str | None = None
        self._answers: LRU[bytes, EngineResult] = LRU(entries)
        self._facets: LRU[bytes, dict[FacetGroup, dict[str, int]]] = LRU(entries)

    async def _current(self) -> str | None:
        generation = await self.inner.generation()
        if generation != self._generation:
            self._answers.clear()
            self._facets.clear()
            self._generation = generation
        return generation

    async def search(self, request: SearchRequest) -> EngineResult:
        if self.entries <= 0:
            return await self.inner.search(request)
        generation = await self._current()
        if generation is None:
            return await self.inner.search(request)
        whole = _KEY.encode(request) if _whole(request) else None
        if whole is not None and (answer := self._answers.get(whole)) is not None:
            return answer
        key = facet_key(request) if request.with_facets else None
        counted = self._facets.get(key) if key is not None else None
        if counted is not None:
            bare = await self.inner.search(msgspec.structs.replace(request, with_facets=False))
            result = msgspec.structs.replace(bare, facets=counted)
        else:
            result = await self.inner.search(request)
        # Kept only if no other request saw the generation move meanwhile.
        if self._generation == generation:
            if key is not None and counted is None:
                self._facets.put(key, result.facets)
            if whole is not None:
                self._answers.put(whole, result)
        return result
