"""The production engine: Meilisearch through meilisearch-python-sdk's AsyncClient."""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
from collections.abc import Awaitable, Sequence
from typing import Any

import msgspec
from meilisearch_python_sdk import AsyncClient
from meilisearch_python_sdk.errors import (
    MeilisearchApiError,
    MeilisearchCommunicationError,
    MeilisearchError,
    MeilisearchTimeoutError,
)
from meilisearch_python_sdk.models.task import TaskInfo

from search_service.lib.errors import SearchUnavailable
from search_service.search import relaxation
from search_service.search.document import CourseDocument
from search_service.search.meilisearch.protocol import (
    document_payload,
    generation_of,
    index_settings,
    merge_relaxed,
    merge_results,
    multi_search_queries,
    prefix_count_queries,
    query_words,
    relaxed_queries,
    scoped_key_requests,
    similar_body,
    total_of,
)
from search_service.search.request import DEFAULTS, FILTER_FIELDS, MAX_HITS, SearchRequest
from search_service.search.results import EngineResult

TASK_TIMEOUT_MS = 120_000
PRIMARY_KEY = "id"
_ENGINE_ERRORS = (MeilisearchError, MeilisearchCommunicationError, MeilisearchTimeoutError, OSError)


def _failure(exc: BaseException) -> SearchUnavailable:
    if isinstance(exc, MeilisearchApiError):
        return SearchUnavailable(f"meilisearch refused the request ({exc.code}): {exc.message}")
    return SearchUnavailable(f"meilisearch is unreachable: {exc}")


class MeilisearchEngine:
    """The search port over one Meilisearch index (and its rebuild twin during a reindex)."""

    name = "meilisearch"

    def __init__(
        self, url: str, api_key: str | None, index_name: str, dimensions: int | None = None
    ) -> None:
        self.client = AsyncClient(url, api_key, timeout=10)
        self.index_name = index_name
        self.dimensions = dimensions  # the embedder's (None: no semantic search)

    async def _call(self, awaitable: Awaitable[Any]) -> Any:
        try:
            return await awaitable
        except _ENGINE_ERRORS as exc:
            raise _failure(exc) from exc

    async def _confirm(self, task: Awaitable[TaskInfo]) -> None:
        """Wait for an asynchronous write; failed or canceled tasks are errors."""
        info = await self._call(task)
        result = await self._call(
            self.client.wait_for_task(info.task_uid, timeout_in_ms=TASK_TIMEOUT_MS)
        )
        if result.status != "succeeded":
            error = result.error or {}
            raise SearchUnavailable(
                f"meilisearch task {info.task_uid} {result.status}: "
                f"{error.get('code', '')} {error.get('message', '')}".strip()
            )

    async def _ensure_index(self, uid: str) -> None:
        try:
            await self.client.get_index(uid)
            return
        except MeilisearchApiError as exc:
            if exc.code != "index_not_found":
                raise _failure(exc) from exc
        except _ENGINE_ERRORS as exc:
            raise _failure(exc) from exc

        async def create() -> TaskInfo:
            body = {"uid": uid, "primaryKey": PRIMARY_KEY}
            return TaskInfo(**await self._raw("post", "indexes", body))

        await self._confirm(create())

    async def _raw(self, method: str, path: str, body: Any) -> Any:
        """A request whose body we build ourselves (validated against the OpenAPI spec in
        tests): the SDK's models lag the engine's settings and add nulls to multi-search."""
        http = self.client._http_requests
        try:
            response = await getattr(http, method)(path, body=body)
        except _ENGINE_ERRORS as exc:
            raise _failure(exc) from exc
        return response.json()

    async def _settings(self, uid: str) -> None:
        async def patch() -> TaskInfo:
            return TaskInfo(
                **await self._raw(
                    "patch", f"indexes/{uid}/settings", index_settings(self.dimensions)
                )
            )

        await self._confirm(patch())

    async def apply_settings(self) -> None:
        await self._ensure_index(self.index_name)
        await self._settings(self.index_name)

    async def _add(self, uid: str, documents: Sequence[CourseDocument]) -> None:
        payload = [document_payload(d) for d in documents]
        await self._confirm(self.client.index(uid).add_documents(payload, primary_key=PRIMARY_KEY))

    async def upsert(self, documents: Sequence[CourseDocument]) -> None:
        if documents:
            await self._add(self.index_name, documents)

    async def delete(self, ids: Sequence[str]) -> None:
        if ids:
            await self._confirm(self.client.index(self.index_name).delete_documents(list(ids)))

    async def _multi(self, queries: list[dict[str, Any]]) -> list[Any]:
        response = await self._raw("post", "multi-search", {"queries": queries})
        return list(response["results"])

    async def search(self, request: SearchRequest) -> EngineResult:
        """The levels of ``relaxation.py``, as tantivy searches them: every word required
        first (one round trip); when too few courses have them all, the counts of fewer
        words (a second), then the relaxed page (a third). A hybrid search then asks for the
        page again with the engine's hybrid search, meaning counting as much as
        ``relaxation.effective_ratio`` says for the words that matched."""
        index = self.index_name
        lexical = msgspec.structs.replace(request, vector=b"")
        result, size, matched = await self._lexical(lexical)
        words = len(query_words(request))
        # Meaning counts, as on tantivy, when it can add courses: too few have every word
        # (too few in the catalog, when the filters leave some: a filter narrows what the
        # words find), words were dropped, or the words searched leave out words the meaning
        # holds.
        adds = size < words or matched < relaxation.FILL
        if request.hybrid and size == words and 0 < matched < relaxation.FILL:
            cleared = {name: getattr(DEFAULTS, name) for name in FILTER_FIELDS}
            if any(getattr(request, name) != value for name, value in cleared.items()):
                anywhere = msgspec.structs.replace(lexical, with_facets=False, **cleared)
                adds = (await self._lexical(anywhere))[2] < relaxation.FILL
        if (
            request.hybrid
            and words
            and (adds or relaxation.meant(words, request.meant_words) > words)
        ):
            ratio = relaxation.effective_ratio(
                float(request.semantic_ratio or 0), size, words, matched, request.meant_words
            )
            strategy = "all" if size == words else "last"
            queries = multi_search_queries(index, request, strategy, ratio)
            result = merge_results(await self._multi(queries), MAX_HITS - request.offset)
        return msgspec.structs.replace(
            result,
            kept_words=size if words else None,
            words=words or None,
            matched=result.matched if request.hybrid else result.total,
        )

    async def _lexical(self, request: SearchRequest) -> tuple[EngineResult, int, int]:
        """The lexical search, the words its levels kept and how many courses match them."""
        index = self.index_name
        results = await self._multi(multi_search_queries(index, request))
        words = len(query_words(request))
        strict = request.sort != "relevance"
        every = total_of(results[0])
        if words < 2 or every >= (1 if strict else relaxation.FILL):
            return merge_results(results, MAX_HITS - request.offset), words, every
        counts = {words: every}
        for size, result in enumerate(await self._multi(prefix_count_queries(index, request)), 1):
            counts[size] = total_of(result)
        size, total = relaxation.levels(counts.__getitem__, words, strict)[-1]
        if size == words:
            return merge_results(results, MAX_HITS - request.offset), size, total
        if strict:
            prefix = msgspec.structs.replace(request, q=" ".join(query_words(request)[:size]))
            answer = await self._multi(multi_search_queries(index, prefix))
            return merge_results(answer, MAX_HITS - request.offset), size, total
        relaxed = await self._multi(relaxed_queries(index, request, size))
        return merge_relaxed(relaxed, total, request.offset), size, total

    async def generation(self) -> str | None:
        # Meilisearch stamps an index's updatedAt in the same write as every document,
        # deletion or settings change, and a swap brings the twin's own stamps.
        http = self.client._http_requests
        try:
            response = await http.get(f"indexes/{self.index_name}")
        except _ENGINE_ERRORS as exc:
            raise _failure(exc) from exc
        return generation_of(response.json())

    async def similar(self, doc_id: str, limit: int) -> list[str]:
        body = similar_body(doc_id, limit)
        response = await self._raw("post", f"indexes/{self.index_name}/similar", body)
        return [str(hit["id"]) for hit in response.get("hits", [])]

    async def correct(self, query: str) -> str | None:
        # Meilisearch exposes no term dictionary; its typo tolerance already absorbs up to
        # two edits per word, so there is no separate respelling here.
        return None

    async def rebuild(self) -> MeilisearchRebuild:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S")
        uid = f"{self.index_name}_{stamp}_{secrets.token_hex(3)}"
        await self._ensure_index(uid)
        await self._settings(uid)
        return MeilisearchRebuild(self, uid)

    async def _count(self, uid: str) -> int:
        stats = await self._call(self.client.index(uid).get_stats())
        return int(stats.number_of_documents)

    async def document_count(self) -> int:
        return await self._count(self.index_name)

    async def health(self) -> None:
        await self._call(self.client.health())
        await self._call(self.client.get_index(self.index_name))

    async def close(self) -> None:
        await self.client.aclose()

    async def scoped_keys(self) -> dict[str, str]:
        """The web tier's search-only key and the indexer's key for this index (and its
        rebuild twins), created on first use; this client must hold the master key.

        Returns ``{"search": key, "indexer": key}``. Each key has a fixed uid, so a second
        deploy finds the same keys.
        """
        keys = {}
        for role, (uid, body) in scoped_key_requests(self.index_name).items():
            http = self.client._http_requests
            try:
                response = await http.get(f"keys/{uid}")
            except MeilisearchApiError as exc:
                if exc.code != "api_key_not_found":
                    raise _failure(exc) from exc
                response = await self._call(http.post("keys", body=body))
            except _ENGINE_ERRORS as exc:
                raise _failure(exc) from exc
            keys[role] = str(response.json()["key"])
        return keys


class MeilisearchRebuild:
    """A new index filled beside the live one, then swapped in and the old one deleted."""

    def __init__(self, engine: MeilisearchEngine, uid: str) -> None:
        self.engine = engine
        self.uid = uid

    async def add(self, documents: Sequence[CourseDocument]) -> None:
        await self.engine._add(self.uid, documents)

    async def count(self) -> int:
        return await self.engine._count(self.uid)

    async def switch(self) -> None:
        engine = self.engine
        await engine._confirm(engine.client.swap_indexes([(engine.index_name, self.uid)]))
        # After the swap the twin holds the old documents.
        await engine._confirm(engine.client.index(self.uid).delete())

    async def abort(self) -> None:
        # Best effort: the live index is untouched either way.
        with contextlib.suppress(SearchUnavailable):
            await self.engine._confirm(self.engine.client.index(self.uid).delete())
