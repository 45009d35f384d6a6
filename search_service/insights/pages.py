"""The search insights dashboard for admins: charts per day and sortable tables."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency
from litestar.response import Template
from msgspec import Meta

from search_service.accounts.admins import require_admin
from search_service.db.annotations import DbSession, SignedIn
from search_service.insights import charts, service
from search_service.insights.recorder import InsightsRecorder
from search_service.insights.service import PopularSearches
from search_service.lib.constraints import TEXT_CHARACTERS
from search_service.lib.errors import Invalid
from search_service.lib.web import link_number
from search_service.pages.forms import FormData, FormState, PageForm, submit

DEFAULT_DAYS = 7
MAX_DAYS = 3650
COLUMNS = (
    ("query", "Query"),
    ("searches", "Searches"),
    ("clients", "Clients"),
    ("clicks", "Clicks"),
    ("ctr", "CTR"),
    ("add_to_carts", "Added to cart"),
    ("purchases", "Purchases"),
    ("revenue_cents", "Revenue"),
)
SORTABLE = {key for key, _ in COLUMNS}


def _days(raw: str | None) -> tuple[int, str | None]:
    raw = raw.strip() if raw is not None else None  # " 30 ", as a pasted number comes
    if raw is None or raw == "":
        return DEFAULT_DAYS, None
    days = link_number(raw, 1, MAX_DAYS)
    if days is not None:
        return days, None
    return DEFAULT_DAYS, f"Days must be a whole number from 1 to {MAX_DAYS:,}."


class HideForm(PageForm):
    page_fields = frozenset({"query", "hidden"})  # the row's query, the button's action
    query: Annotated[str, Meta(min_length=1, max_length=200, pattern=TEXT_CHARACTERS)]
    hidden: bool = True


class InsightsPages(Controller):
    include_in_schema = False
    cache_control = CacheControlHeader(no_store=True)

    @get("/admin/search-insights", name="search_insights_page")
    async def dashboard(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        recorder: NamedDependency[InsightsRecorder],
        user: SignedIn,
    ) -> Template:
        require_admin(user)
        params = request.query_params
        typed_days = params.get("days")
        days, error = _days(typed_days)
        sort = params.get("sort") or "clients"
        sort = sort if sort in SORTABLE else "clients"
        descending = params.get("order") != "asc"
        await recorder.flush()
        report = await service.report(db_session, days, limit=100, sort=sort, descending=descending)
        labels = [d.day for d in report.daily]

        def sort_url(key: str) -> str:
            order = "asc" if key == sort and descending else "desc"
            return "?" + urlencode({"days": days, "sort": key, "order": order})

        return Template(
            "admin/insights.html.jinja2",
            status_code=400 if error else 200,
            context={
                "report": report,
                "days": days,
                "typed_days": typed_days if error else str(days),
                "days_error": error,
                "columns": COLUMNS,
                "sort": sort,
                "descending": descending,
                "sort_url": sort_url,
                "top": report.top_queries,
                "hidden": await service.hidden_queries(db_session),
                "searches_chart": charts.bars(
                    "Searches per day", labels, [d.searches for d in report.daily]
                ),
                "rates_chart": charts.lines(
                    "Zero-result rate and click-through rate per day",
                    labels,
                    [
                        ("zero-result rate", [d.zero_result_rate for d in report.daily]),
                        ("click-through rate", [d.click_through_rate for d in report.daily]),
                    ],
                ),
            },
        )

    @post("/admin/search-insights/hide", name="hide_query", status_code=303)
    async def hide(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        popular: NamedDependency[PopularSearches],
        user: SignedIn,
        data: FormData,
    ) -> Response[Any]:
        """Keep a query out of trending searches and suggestions (``hidden=false``: let it
        back in)."""
        require_admin(user)

        async def hide(form: HideForm) -> None:
            await service.hide_query(db_session, form.query, form.hidden)
            popular.forget()

        async def again(state: FormState, status: int) -> Template:
            raise Invalid("query", state.message or "Invalid query.")

        return await submit(
            data, HideForm, hide, again, request.app.route_reverse("search_insights_page")
        )
