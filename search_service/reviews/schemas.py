"""Request shapes of the review API (responses reuse the course-detail ReviewItem)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

Rating = Annotated[int, msgspec.Meta(ge=1, le=5)]
Title = Annotated[str, msgspec.Meta(max_length=140)]
Body = Annotated[str, msgspec.Meta(min_length=20, max_length=5000)]


class ReviewIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    rating: Rating
    title: Title | None = None
    body: Body | None = None
    would_recommend: bool | None = None


class VoteIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    vote: Literal["helpful", "not_helpful"]
