"""Request and response shapes of the insights API."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from search_service.insights.ids import ID_LENGTH
from search_service.search.request import MAX_HITS

QueryIdText = Annotated[
    str,
    Meta(
        min_length=ID_LENGTH,
        max_length=ID_LENGTH,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="the query_id a search answered with",
    ),
]
Position = Annotated[
    int, Meta(ge=1, le=MAX_HITS, description=f"the hit's place in the results, 1 to {MAX_HITS}")
]


class EventIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What a shopper did with a search result (purchases are recorded by checkout)."""

    type: Annotated[
        Literal["click"],
        Meta(description="click (adds to cart and purchases are recorded by the cart itself)"),
    ]
    query_id: QueryIdText
    course_id: uuid.UUID
    position: Position


class EventAccepted(msgspec.Struct, kw_only=True):
    accepted: bool = True


class Revenue(msgspec.Struct, kw_only=True):
    currency: Annotated[str, Meta(description="ISO 4217 code, e.g. USD")]
    cents: int
    display: Annotated[str, Meta(description="as the shop shows prices, e.g. $84.97")]


class QueryFigures(msgspec.Struct, kw_only=True):
    query: str
    searches: int
    clients: Annotated[
        int,
        Meta(
            description="different clients that searched it (an address, counted per day): "
            "top queries are ordered by it, then by searches"
        ),
    ]
    clicks: int
    ctr: Annotated[float, Meta(description="share of these searches with at least one click")]
    add_to_carts: int
    purchases: int
    revenue_cents: Annotated[
        int | None,
        Meta(
            description="what the purchases paid, in cents, when all were in one currency "
            "(that of `revenue`; 0 without purchases); null when in several: cents of "
            "different currencies do not add up"
        ),
    ]
    revenue: Annotated[
        list[Revenue], Meta(description="what the purchases paid, per currency, most first")
    ]


class QueryCount(msgspec.Struct, kw_only=True):
    query: str
    searches: int
    clients: Annotated[int, Meta(description="different clients (an address, per day)")]


class PositionClicks(msgspec.Struct, kw_only=True):
    position: int
    clicks: int


class DayFigures(msgspec.Struct, kw_only=True):
    day: str
    searches: int
    zero_result_rate: float
    click_through_rate: float


class InsightsOut(msgspec.Struct, kw_only=True):
    days: int
    searches: Annotated[int, Meta(description="search requests (every page) in the window")]
    zero_result_rate: Annotated[float, Meta(description="share of searches that found nothing")]
    click_through_rate: Annotated[
        float, Meta(description="share of searches with at least one click")
    ]
    clicks: int
    top_queries: list[QueryFigures]
    zero_result_queries: list[QueryCount]
    no_click_queries: list[QueryCount]
    click_positions: list[PositionClicks]
    daily: list[DayFigures]
