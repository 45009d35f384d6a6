"""Course page views, counted in memory and written in batches to course_metrics.views."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections import Counter

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

FLUSH_SECONDS = 5.0
FLUSH_VIEWS = 500  # or as soon as this many views are waiting
log = logging.getLogger("skillspring.views")
RECORD_VIEWS = text("""
INSERT INTO course_metrics (course_id, date, views)
SELECT v.course_id, current_date, v.views
FROM unnest(CAST(:course_ids AS uuid[]), CAST(:views AS int[])) AS v(course_id, views)
JOIN courses c ON c.id = v.course_id
ON CONFLICT (course_id, date) DO UPDATE SET views = course_metrics.views + excluded.views
""")


class ViewCounter:
    """One write per flush (an upsert of every course seen), not one per view."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], batch_size: int = FLUSH_VIEWS
    ) -> None:
        self.sessions = sessions
        self.batch_size = batch_size
        self.pending: Counter[uuid.UUID] = Counter()
        self._task: asyncio.Task[None] | None = None

    async def record(self, course_id: uuid.UUID) -> None:
        """Count a view; the request that fills a batch writes it."""
        self.pending[course_id] += 1
        if self.pending.total() >= self.batch_size:
            try:
                await self.flush()
            except Exception:
                log.exception("could not write page views; will retry")

    async def flush(self) -> int:
        """Write what has been counted; returns how many views were written."""
        if not self.pending:
            return 0
        batch, self.pending = self.pending, Counter()
        ids, counts = list(batch), [batch[i] for i in batch]
        try:
            async with self.sessions.begin() as session:
                await session.execute(RECORD_VIEWS, {"course_ids": ids, "views": counts})
        except Exception:
            self.pending.update(batch)  # keep them for the next flush
            raise
        return sum(counts)

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(FLUSH_SECONDS)  # a schedule, not synchronisation
            try:
                await self.flush()
            except Exception:
                log.exception("could not write page views; will retry")

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        with contextlib.suppress(Exception):
            await self.flush()
