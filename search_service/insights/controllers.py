"""The insights API: events from frontends, and the admins' report."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_202_ACCEPTED

from search_service.accounts.admins import require_admin
from search_service.db.annotations import DbSession, SignedIn
from search_service.insights import service
from search_service.insights.ids import QueryIds
from search_service.insights.recorder import InsightsRecorder
from search_service.insights.schemas import EventAccepted, EventIn, InsightsOut
from search_service.lib.problems import BODY_REFUSED, problem_responses
from search_service.lib.web import BEARER


class InsightsController(Controller):
    tags = ("insights",)

    @post(
        "/events",
        summary="Record a click or an add to cart on a search result",
        name="api_events",
        status_code=HTTP_202_ACCEPTED,
        responses=problem_responses(400, 404) | BODY_REFUSED,
    )
    async def event(
        self,
        db_session: DbSession,
        query_ids: NamedDependency[QueryIds],
        recorder: NamedDependency[InsightsRecorder],
        data: JSONBody[EventIn],
    ) -> EventAccepted:
        """``query_id`` is the one the search answered with; ``position`` is the hit's place in
        the results (1 is the first hit of page 1). A click and its link visit count once.
        Purchases are recorded by checkout itself."""
        await service.record_event(db_session, query_ids, recorder, data)
        return EventAccepted()

    @get(
        "/admin/search-insights",
        summary="Search insights (admins only)",
        name="api_search_insights",
        responses=problem_responses(400, 401, 403),
        cache_control=CacheControlHeader(no_store=True),
        security=BEARER,
    )
    async def insights(
        self,
        db_session: DbSession,
        recorder: NamedDependency[InsightsRecorder],
        user: SignedIn,
        days: Annotated[
            int,
            QueryParameter(ge=1, le=3650, required=False, description="the last N days, 1–3650"),
        ] = 7,
        limit: Annotated[
            int, QueryParameter(ge=1, le=500, required=False, description="rows per list, 1–500")
        ] = 50,
    ) -> InsightsOut:
        """Searches, zero-result and click-through rates, the top queries with what they
        earned, queries that found nothing or got no click, and where clicks land, over the
        last ``days`` days."""
        require_admin(user)
        await recorder.flush()  # this worker's waiting rows first
        return await service.report(db_session, days, limit)
