"""Full reindex with zero downtime: build a new index from one snapshot, check it, switch."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass

import asyncpg

from indexer import checkpoint, source
from indexer.documents import build_document
from indexer.embeddings import CourseVectors, forget_other_models
from indexer.sync import sync_once
from search_service.db.connection import connect
from search_service.lib.errors import UsageError
from search_service.search.document import CourseDocument
from search_service.search.engine import Rebuild, SearchEngine
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


async def _pipeline(
    batches: AsyncGenerator[list[asyncpg.Record], None],
    writer: asyncpg.Connection,
    rebuild: Rebuild,
    vectors: CourseVectors,
    progress: Progress | None,
) -> None:
    """Each batch read, made into documents, given its vectors and added to the new index,
    one batch's vectors computed (on a thread) while the batch before it is added and the
    batch after it is read and made: on a cold vector cache the model and the index share
    the cores instead of taking turns; the new vectors are written on a connection of their
    own meanwhile (``CourseVectors.flush`` waits for the last). One ``attach`` at a time: it
    reads the vector cache on ``writer``."""
    embedding: asyncio.Task[list[CourseDocument]] | None = None
    try:
        # Closed on the way out, failed or not: the stream stops reading ahead on the
        # reader's connection before its transaction is rolled back.
        async with contextlib.aclosing(batches) as reading:
            async for rows in reading:
                documents = [build_document(row) for row in rows]
                ready = await embedding if embedding is not None else None
                embedding = asyncio.create_task(vectors.attach(writer, rows, documents))
                if ready is not None:
                    await _add(rebuild, ready, progress)
        if embedding is not None:
            ready, embedding = await embedding, None
            await _add(rebuild, ready, progress)
        await vectors.flush()
    finally:
        if embedding is not None and not embedding.done():
            embedding.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await embedding


async def _add(
    rebuild: Rebuild, documents: list[CourseDocument], progress: Progress | None
) -> None:
    await rebuild.add(documents)
    if progress is not None:
        progress(len(documents))


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
            await _pipeline(
                source.stream_published(reader, BATCH), writer, rebuild, vectors, progress
            )
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
    async with connect(url) as reader, connect(url) as writer, connect(url) as keeper:
        if not await writer.fetchval("SELECT pg_try_advisory_lock($1)", checkpoint.REINDEX_LOCK):
            raise ReindexError("another reindex is running")
        await checkpoint.mark_reindex_started(writer)
        vectors = CourseVectors(embedder or load_embedder(), keep_on=keeper)
        try:
            documents = await _build(reader, writer, engine, vectors, progress, on_total)
        except BaseException:
            await vectors.abandon()
            await checkpoint.abandon_reindex(writer)
            raise
        caught_up = await sync_once(writer, engine, vectors.embedder)
        await forget_other_models(writer, vectors.embedder.name)
    seconds = time.perf_counter() - started
    return ReindexReport(documents, seconds, caught_up, vectors.counts.embedded)
