"""Searches and clicks, kept in memory and written in batches off the request path.

A search costs the request one tuple appended to a list; every second (or as soon as
``FLUSH_ROWS`` are waiting) one ``COPY`` writes the searches and one ``INSERT … SELECT`` the
clicks (a click and its beacon count once; a click on a course deleted meanwhile is dropped).
A click on a search another worker holds unwritten waits here, for up to ``UNWRITTEN_SECONDS``,
until that search's row is written; the insert checks it against what the search showed.
Adds to cart and purchases are not buffered: they are written by the cart's own transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
import uuid

import asyncpg
import sqlalchemy.exc
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from search_service.insights import queries
from search_service.ops.periodic import Periodic

FLUSH_SECONDS = 1.0
FLUSH_ROWS = 1000
MAX_WAITING = 100_000  # with the database away for long, the oldest rows are given up
# A search another worker has not written yet: its clicks wait this long for its row (two of
# its flushes, and some), then are given up.
UNWRITTEN_SECONDS = 5.0
log = logging.getLogger("skillspring.insights")

# id, searched_at, query, total, page, filtered, client, popular, shown, shown_from
Search = tuple[uuid.UUID, dt.datetime, str, int, int, bool, bytes, bool, list[uuid.UUID], int]
Click = tuple[uuid.UUID, uuid.UUID, int | None]


class InsightsRecorder:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], enabled: bool = True) -> None:
        self.sessions = sessions
        self.enabled = enabled
        self.searches: list[Search] = []
        self.clicks: list[Click] = []
        self.unwritten: list[tuple[Click, float]] = []  # with when they are given up
        self._every = Periodic(
            FLUSH_SECONDS, self.flush, log, "could not write search insights; will retry"
        )
        self._lock = asyncio.Lock()

    async def search(self, search: Search) -> None:
        if not self.enabled:
            return
        self.searches.append(search)
        await self._maybe_flush()

    def waiting(self, query_id: uuid.UUID) -> Search | None:
        """A search of this worker's not written yet (its row is not in the database)."""
        return next((s for s in reversed(self.searches) if s[0] == query_id), None)

    async def click(
        self,
        query_id: uuid.UUID,
        course_id: uuid.UUID,
        position: int | None,
        *,
        unwritten: bool = False,
    ) -> None:
        """A click to write (``unwritten``: on a search no row holds yet, see the module)."""
        if not self.enabled:
            return
        if unwritten:
            if len(self.unwritten) < MAX_WAITING:
                deadline = time.monotonic() + UNWRITTEN_SECONDS
                self.unwritten.append(((query_id, course_id, position), deadline))
            return
        self.clicks.append((query_id, course_id, position))
        await self._maybe_flush()

    async def _written(self, session: AsyncSession) -> list[Click]:
        """The clicks waiting for a search whose row is written now; the others wait on
        until their time is up."""
        if not self.unwritten:
            return []
        waiting = self.unwritten  # clicks taken meanwhile join it; kept if the look-up fails
        ids = list({click[0] for click, _ in waiting})
        found = await session.execute(queries.WRITTEN, {"query_ids": ids})
        written = {row[0] for row in found}
        now = time.monotonic()
        self.unwritten = [(c, t) for c, t in waiting if c[0] not in written and t > now]
        return [click for click, _ in waiting if click[0] in written]

    async def _maybe_flush(self) -> None:
        if len(self.searches) + len(self.clicks) >= FLUSH_ROWS:
            try:
                await self.flush()
            except Exception:
                log.exception("could not write search insights; will retry")

    async def flush(self) -> int:
        """Write what is waiting; returns how many rows were sent."""
        async with self._lock:
            searches, self.searches = self.searches, []
            clicks, self.clicks = self.clicks, []
            if not searches and not clicks and not self.unwritten:
                return 0
            try:
                async with self.sessions.begin() as session:
                    clicks += await self._written(session)
                    if searches:
                        connection = await session.connection()
                        raw = await connection.get_raw_connection()
                        await raw.driver_connection.copy_records_to_table(  # type: ignore[union-attr]
                            "search_queries", records=searches, columns=queries.SEARCH_COLUMNS
                        )
                    if clicks:
                        await session.execute(
                            queries.RECORD_CLICKS,
                            {
                                "query_ids": [c[0] for c in clicks],
                                "course_ids": [c[1] for c in clicks],
                                "positions": [c[2] for c in clicks],
                            },
                        )
            except (asyncpg.DataError, sqlalchemy.exc.DataError) as refused:
                # Rows PostgreSQL refuses (text it cannot hold) would be refused at every
                # retry and hold back everything after them: they are dropped, once, said.
                log.error(
                    "dropped %d search rows and %d clicks that PostgreSQL refused: %s",
                    len(searches),
                    len(clicks),
                    str(refused).splitlines()[0] if str(refused) else type(refused).__name__,
                )
                return 0
            except Exception:
                self.searches[:0] = searches  # kept for the next flush
                self.clicks[:0] = clicks
                del self.searches[:-MAX_WAITING]
                del self.clicks[:-MAX_WAITING]
                raise
            return len(searches) + len(clicks)

    def start(self) -> None:
        if self.enabled:
            self._every.start()

    async def stop(self) -> None:
        await self._every.stop()
        with contextlib.suppress(Exception):
            await self.flush()
