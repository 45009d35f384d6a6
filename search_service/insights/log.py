"""What catalog search records: one query id per search, handed out and logged in one step."""

from __future__ import annotations

from search_service.insights.ids import QueryIds
from search_service.insights.recorder import InsightsRecorder
from search_service.insights.service import normalise_query
from search_service.search.request import DEFAULTS, FILTER_FIELDS, SearchRequest


class SearchLog:
    def __init__(self, ids: QueryIds, recorder: InsightsRecorder) -> None:
        self.ids = ids
        self.recorder = recorder

    async def searched(self, request: SearchRequest, total: int) -> str:
        """Log a search that found ``total`` courses; returns its query id."""
        stored, token = self.ids.new()
        filtered = any(getattr(request, n) != getattr(DEFAULTS, n) for n in FILTER_FIELDS)
        await self.recorder.search(
            stored, normalise_query(request.q), total, request.page, filtered
        )
        return token
