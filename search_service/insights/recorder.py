"""Searches and clicks, kept in memory and written in batches off the request path.

A search costs the request one tuple appended to a list; every second (or as soon as
``FLUSH_ROWS`` are waiting) one ``COPY`` writes the searches and one ``INSERT … SELECT`` the
clicks (a click and its beacon count once; a click on a course deleted meanwhile is dropped).
Adds to cart and purchases are not buffered: they are written by the cart's own transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import uuid

import asyncpg
import sqlalchemy.exc
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from search_service.insights import queries
from search_service.ops.periodic import Periodic

FLUSH_SECONDS = 1.0
FLUSH_ROWS = 1000
MAX_WAITING = 100_000  # with the database away for long, the oldest rows are given up
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

    async def click(self, query_id: uuid.UUID, course_id: uuid.UUID, position: int | None) -> None:
        if not self.enabled:
            return
        self.clicks.append((query_id, course_id, position))
        await self._maybe_flush()

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
            if not searches and not clicks:
                return 0
            try:
                async with self.sessions.begin() as session:
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
