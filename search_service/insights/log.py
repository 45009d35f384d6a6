"""What catalog search records: one query id per search, handed out and logged in one step,
with what keeps the insights honest: the client (a keyed hash of its address, per 30 days),
whether the search may count towards popular searches, and the courses its page showed."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence

from search_service.insights.ids import QueryIds
from search_service.insights.recorder import InsightsRecorder
from search_service.insights.service import normalise_query, suggestable
from search_service.search.request import SearchRequest, filtered_groups

# A client's searches logged a minute, at most (each worker counts its own): a script's flood
# is answered but not kept (100 shown ids a search: 1.3 kB a row, 30 GB a day at 273 a second).
LOGGED_PER_CLIENT_MINUTE = 60


class SearchLog:
    def __init__(
        self,
        ids: QueryIds,
        recorder: InsightsRecorder,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ids = ids
        self.recorder = recorder
        self.clock = clock
        self._minute = -1
        self._counted: Counter[str] = Counter()  # this minute's logged searches per client

    def _over(self, client: str) -> bool:
        """Whether ``client`` has had its searches of this minute logged already."""
        minute = int(self.clock() // 60)
        if minute != self._minute:
            self._minute, self._counted = minute, Counter()
        self._counted[client] += 1
        return self._counted[client] > LOGGED_PER_CLIENT_MINUTE

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
        if client and self._over(client):
            return token  # answered, not logged: a click on it is dropped with it
        filtered = bool(filtered_groups(request))  # narrowed by a facet's filter
        query = normalise_query(request.q)
        # A search of no client never counts towards them.
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
