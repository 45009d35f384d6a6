"""Shapes of the review API: what comes in, what goes out."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec

from search_service.lib.constraints import LINE_CHARACTERS, TEXT_CHARACTERS

Rating = Annotated[int, msgspec.Meta(ge=1, le=5, description="a whole number of stars, 1 to 5")]
Title = Annotated[
    str,
    msgspec.Meta(
        max_length=140,
        pattern=LINE_CHARACTERS,
        description="text of at most 140 characters, on one line, without < or >",
    ),
]
Body = Annotated[
    str,
    msgspec.Meta(
        min_length=20,
        max_length=5000,
        pattern=TEXT_CHARACTERS,
        description="text of 20 to 5,000 characters",
    ),
]
ReviewSort = Literal["recent", "helpful", "highest", "lowest"]


class ReviewIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    rating: Rating
    title: Title | None = None
    body: Body | None = None
    would_recommend: bool | None = None


class VoteIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    vote: Literal["helpful", "not_helpful"]


class ReviewItem(msgspec.Struct, kw_only=True):
    id: str
    rating: int
    title: str | None
    body: str | None
    author: str
    is_verified: bool
    helpful_count: int
    would_recommend: bool | None
    created_at: dt.datetime


class ReviewPage(msgspec.Struct, kw_only=True):
    total: int
    page: int
    per_page: int
    items: list[ReviewItem]


class StarBar(msgspec.Struct, kw_only=True):
    stars: int
    count: int
    percent: int


class RatingSummary(msgspec.Struct, kw_only=True):
    average: float
    count: int
    distribution: list[StarBar]  # 5 stars first
