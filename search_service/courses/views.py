"""Course page views: at most one per visitor per course per day, bots not at all, counted in
memory and written in batches to course_metrics.views.

A visitor is a keyed hash of the day and the client address (never the address itself), so a
thousand requests from one client count once, and the hashes are forgotten after a day. Views
feed popularity through sync, where what they can add is capped (``indexer/documents.py``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from search_service.ops.periodic import Periodic

FLUSH_SECONDS = 5.0
FLUSH_VIEWS = 500  # or as soon as this many views are waiting
log = logging.getLogger("skillspring.views")
# Obvious non-people: crawlers, scripts, HTTP libraries, headless browsers (and no agent).
BOTS = re.compile(
    r"bot|crawl|spider|slurp|curl|wget|python|httpx|aiohttp|http-client|okhttp|go-http|java/"
    r"|libwww|headless|scrapy|feed|monitor|preview|phantom",
    re.IGNORECASE,
)
# New visitors of the day count; each new one adds a view to its course's day.
RECORD_VIEWS = text("""
WITH seen AS (
    INSERT INTO course_view_visitors (course_id, day, visitor)
    SELECT v.course_id, v.day, v.visitor
    FROM unnest(CAST(:course_ids AS uuid[]), CAST(:days AS date[]), CAST(:visitors AS bytea[]))
         AS v(course_id, day, visitor)
    JOIN courses c ON c.id = v.course_id
    ON CONFLICT DO NOTHING
    RETURNING course_id, day
)
INSERT INTO course_metrics (course_id, date, views)
SELECT course_id, day, count(*) FROM seen GROUP BY course_id, day
ON CONFLICT (course_id, date) DO UPDATE SET views = course_metrics.views + excluded.views
""")
FORGET_VISITORS = text("DELETE FROM course_view_visitors WHERE day < current_date - 1")

View = tuple[uuid.UUID, dt.date, bytes]


def is_bot(user_agent: str | None) -> bool:
    return not user_agent or BOTS.search(user_agent) is not None


class ViewCounter:
    """One write per flush (every new visitor of every course seen), not one per view."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], batch_size: int = FLUSH_VIEWS
    ) -> None:
        self.sessions = sessions
        self.batch_size = batch_size
        self.pending: set[View] = set()
        self._every = Periodic(
            FLUSH_SECONDS, self.flush, log, "could not write page views; will retry"
        )

    async def record(self, course_id: uuid.UUID, visitor: bytes, day: dt.date) -> None:
        """Count a view (repeats of a visitor are counted once); the request that fills a
        batch writes it."""
        self.pending.add((course_id, day, visitor))
        if len(self.pending) >= self.batch_size:
            try:
                await self.flush()
            except Exception:
                log.exception("could not write page views; will retry")

    async def flush(self) -> int:
        """Write what has been counted; returns how many visits were sent."""
        if not self.pending:
            return 0
        batch, self.pending = self.pending, set()
        views = list(batch)
        try:
            async with self.sessions.begin() as session:
                await session.execute(
                    RECORD_VIEWS,
                    {
                        "course_ids": [v[0] for v in views],
                        "days": [v[1] for v in views],
                        "visitors": [v[2] for v in views],
                    },
                )
        except Exception:
            self.pending |= batch  # keep them for the next flush
            raise
        return len(views)

    async def forget_old_visitors(self) -> None:
        async with self.sessions.begin() as session:
            await session.execute(FORGET_VISITORS)

    def start(self) -> None:
        self._every.start()

    async def stop(self) -> None:
        await self._every.stop()
        with contextlib.suppress(Exception):
            await self.flush()
