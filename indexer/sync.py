"""Incremental sync: outbox rows → rebuilt documents → engine → rows acknowledged."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field

import asyncpg

from indexer import checkpoint, sink, source
from indexer.documents import build_document, is_searchable
from indexer.embeddings import CourseVectors
from search_service.db.connection import connect
from search_service.search.engine import SearchEngine
from search_service.semantic.embedder import Embedder
from search_service.semantic.models import load_embedder

# Changes applied per transaction. A root category or mentor rename touches thousands of
# courses: they go through in batches this large (one set-based read, one engine commit each),
# at the full reindex's documents per second. Each batch's read scans the lecture table once
# (the course features), so fewer, larger batches are faster (the fan-out benchmark's figures:
# docs/architecture.md). A batch's rows are held in memory.
BATCH = 25_000
POLL_SECONDS = 5.0  # fallback when a notification is missed
MAX_BACKOFF = 30.0
CHANNEL = "search_outbox"
log = logging.getLogger("skillspring.sync")


async def sync_batch(
    conn: asyncpg.Connection,
    engine: SearchEngine,
    limit: int = BATCH,
    embedder: Embedder | None = None,
) -> int:
    """Apply one batch of pending changes in one transaction; returns rows acknowledged.
    Documents carry their vectors (``embeddings.py``), as a reindex's do.

    The outbox rows are deleted in the same transaction, after the engine confirmed the write;
    if anything fails the transaction rolls back and the rows stay pending.
    """
    async with conn.transaction():
        await checkpoint.lock_batch(conn)
        claimed = await checkpoint.claim(conn, limit)
        if not claimed.outbox_ids:
            return 0
        found = await source.rows_for(conn, claimed.course_ids)
        rows = [row for row in found if is_searchable(row)]
        vectors = CourseVectors(embedder or load_embedder())
        documents = await vectors.attach(conn, rows, [build_document(row) for row in rows])
        kept = {d.id for d in documents}
        deleted = [str(cid) for cid in claimed.course_ids if str(cid) not in kept]
        await sink.apply(engine, documents, deleted)
        await checkpoint.acknowledge(conn, claimed)
        return len(claimed.outbox_ids)


async def sync_once(
    conn: asyncpg.Connection, engine: SearchEngine, embedder: Embedder | None = None
) -> int:
    """Drain the outbox; returns rows acknowledged."""
    total = 0
    while processed := await sync_batch(conn, engine, embedder=embedder):
        total += processed
    return total


@dataclass
class Follower:
    """``sync --follow``: drain on every NOTIFY (or every few seconds), retry with backoff."""

    url: str
    engine: SearchEngine
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    poll_seconds: float = POLL_SECONDS
    on_applied: Callable[[int], None] | None = None
    on_error: Callable[[BaseException], None] | None = None
    applied: int = 0
    _last_error: str | None = None

    async def run(self) -> None:
        """Follow until ``stop`` is set; a batch in flight always finishes first."""
        backoff = 1.0
        while not self.stop.is_set():
            try:
                await self._follow()
                backoff = 1.0
            except (OSError, asyncpg.PostgresError, Exception) as exc:
                self._report(exc)
                if self.on_error is not None:
                    self.on_error(exc)
                await self._wait(backoff * (1 + random.random() / 4))
                backoff = min(backoff * 2, MAX_BACKOFF)

    def _report(self, exc: BaseException) -> None:
        message = f"{type(exc).__name__}: {exc}".splitlines()[0]
        if message != self._last_error:  # each distinct failure is logged once
            log.error("sync failed, retrying with backoff: %s", message)
            self._last_error = message

    async def _wait(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stop.wait(), timeout=seconds)

    async def _follow(self) -> None:
        woken = asyncio.Event()
        async with connect(self.url) as conn:
            await conn.add_listener(CHANNEL, lambda *_: woken.set())
            while not self.stop.is_set():
                woken.clear()
                applied = await sync_once(conn, self.engine)
                self.applied += applied
                if applied and self.on_applied is not None:
                    self.on_applied(applied)
                if self._last_error is not None:
                    log.info("sync recovered")
                    self._last_error = None
                waiter = asyncio.create_task(woken.wait())
                stopper = asyncio.create_task(self.stop.wait())
                await asyncio.wait(
                    {waiter, stopper},
                    timeout=self.poll_seconds,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                waiter.cancel()
                stopper.cancel()
