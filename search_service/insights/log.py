"""What catalog search records: one query id per search, handed out and logged in one step,
with what keeps the insights honest: the client (a keyed hash of its address, per day),
whether the search may count towards popular searches, and the courses its page showed."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence

from search_service.insights.ids import QueryIds
from search_service.insights.recorder import InsightsRecorder
from search_service.insights.service import normalise_query
from search_service.search.request import DEFAULTS, FILTER_FIELDS, SearchRequest

# Text no shopper types as a search and nobody should see suggested: addresses, domains,
# markup, script and data URLs, e-mail addresses.
_NOT_A_SEARCH = re.compile(
    r"(://|www\.|[a-z0-9-]+\.(com|net|org|io|info|biz|xyz|ru|cn|top|site|online|shop|club"
    r"|example|app|dev|co|me|ly|link|click)\b|[<>\"'`{}\\]|javascript:|data:|vbscript:"
    r"|&#|%3c|%3e|@)",
    re.IGNORECASE,
)
# A dot between two letters is how every address is written ("graphic.design", "data.ai"),
# whatever its ending: such text is searched, never suggested to others ("node.js" too).
_DOTTED = re.compile(r"[^\W\d_][.\u3002\uff0e\uff61][^\W\d_]")
MAX_POPULAR_WORDS = 8


def suggestable(query: str) -> bool:
    """Whether a query's text may be shown to others as a popular search."""
    words = query.split()
    return (
        0 < len(words) <= MAX_POPULAR_WORDS
        and not _NOT_A_SEARCH.search(query)
        and not _DOTTED.search(query)
    )


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
        popular = total > 0 and every_word and suggestable(query)
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
