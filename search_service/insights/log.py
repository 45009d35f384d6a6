"""What catalog search records: one query id per search, handed out and logged in one step,
with what keeps the insights honest: the client (a keyed hash of its address, per 30 days),
whether the search may count towards popular searches, and the courses its page showed."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from search_service.insights.ids import QueryIds
from search_service.insights.recorder import InsightsRecorder
from search_service.insights.service import normalise_query, suggestable
from search_service.search.request import DEFAULTS, FILTER_FIELDS, SearchRequest


class SearchLog:
    def __init__(self, ids: QueryIds, recorder: InsightsRecorder) -> None:
        self.ids = ids
        self.recorder = recorder

    async def searched(
        self,
        request: SearchRequest,
        total: int,
        *,
        every_word: bool = False,
        shown: Sequence[str] = (),
        client: str = "",
    ) -> str:
        """Log a search that found ``total`` courses (``every_word``: with all of its words),
        its page showing ``shown``, asked by ``client`` (an address); returns its query id."""
        stored, token = self.ids.new()
        filtered = any(getattr(request, n) != getattr(DEFAULTS, n) for n in FILTER_FIELDS)
        query = normalise_query(request.q)
        # A search of no client (unlooked-at, or not a shopper's) never counts towards them.
        popular = bool(client) and total > 0 and every_word and suggestable(query)
        await self.recorder.search(
            (
                stored,
                dt.datetime.now(dt.UTC),
                query,
                total,
                request.page,
                filtered,
                self.ids.client(client) if client else b"",
                popular,
                [uuid.UUID(i) for i in shown],
                request.offset + 1,
            )
        )
        return token
