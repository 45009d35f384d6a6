"""Full reindex with zero downtime: build a new index from one snapshot, check it, switch."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import asyncpg

from indexer import checkpoint, source
from indexer.documents import build_document
from indexer.embeddings import CourseVectors, forget_other_models
from indexer.sync import sync_once
from search_service.db.connection import connect
from search_service.lib.errors import UsageError
from search_service.search.engine import SearchEngine
from search_service.semantic.embedder import Embedder
from search_service.semantic.models import load_embedder

BATCH = 2000
Progress = Callable[[int], None]


class ReindexError(UsageError):
    """The reindex could not finish; the live index is untouched."""


@dataclass(frozen=True, slots=True)
class ReindexReport:
    documents: int
    seconds: float
    caught_up: int
    embedded: int = 0  # vectors computed (the rest came from course_embeddings)

    @property
    def per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


async def _build(
    reader: asyncpg.Connection,
    writer: asyncpg.Connection,
    engine: SearchEngine,
    vectors: CourseVectors,
    progress: Progress | None,
    on_total: Callable[[int], None] | None,
) -> int:
    rebuild = await engine.rebuild()
    try:
        async with reader.transaction(isolation="repeatable_read", readonly=True):
            snapshot = await reader.fetchval("SELECT pg_current_snapshot()::text")
            await checkpoint.record_snapshot(writer, snapshot)
            expected = await source.count_published(reader)
            if on_total is not None:
                on_total(expected)
            written = 0
            async for rows in source.stream_published(reader, BATCH):
                documents = [build_document(row) for row in rows]
                await rebuild.add(await vectors.attach(writer, rows, documents))
                written += len(rows)
                if progress is not None:
                    progress(len(rows))
        indexed = await rebuild.count()
        if indexed != expected:
            raise ReindexError(
                f"new index holds {indexed:,} documents but {expected:,} courses are published;"
                " not switching"
            )
        async with writer.transaction():
            await checkpoint.lock_batch(writer)
            await rebuild.switch()
            await checkpoint.finish_reindex(writer)
        return indexed
    except BaseException:
        await rebuild.abort()
        raise


async def reindex(
    url: str,
    engine: SearchEngine,
    progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
    embedder: Embedder | None = None,
) -> ReindexReport:
    """Rebuild the whole index; searches keep using the old one until the switch. Every
    document carries its vector from ``embedder`` (the packaged model by default).

    Raises:
        ReindexError: another reindex runs, or the new index's count is wrong.
    """
    started = time.perf_counter()
    async with connect(url) as reader, connect(url) as writer:
        if not await writer.fetchval("SELECT pg_try_advisory_lock($1)", checkpoint.REINDEX_LOCK):
            raise ReindexError("another reindex is running")
        await checkpoint.mark_reindex_started(writer)
        vectors = CourseVectors(embedder or load_embedder())
        try:
            documents = await _build(reader, writer, engine, vectors, progress, on_total)
        except BaseException:
            await checkpoint.abandon_reindex(writer)
            raise
        caught_up = await sync_once(writer, engine, vectors.embedder)
        await forget_other_models(writer, vectors.embedder.name)
    seconds = time.perf_counter() - started
    return ReindexReport(documents, seconds, caught_up, vectors.counts.embedded)
