"""Request and response shapes of the merchandising rules API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from msgspec import Meta

from search_service.lib.constraints import LINE_CHARACTERS
from search_service.search.request import SLUG_PATTERN

Slug = Annotated[str, Meta(pattern=SLUG_PATTERN, max_length=120, description="a course slug")]
RuleQuery = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=200,
        pattern=LINE_CHARACTERS,
        description=(
            "a query of 1 to 200 characters, matched after folding (no control or invisible "
            "characters)"
        ),
    ),
]
When = Annotated[
    dt.datetime,
    Meta(tz=True, description="an ISO 8601 time with its offset, e.g. 2026-12-24T00:00:00Z"),
]
CategorySlug = Annotated[
    str, Meta(pattern=SLUG_PATTERN, max_length=80, description="a category slug")
]


class RuleIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A rule for one query or one category (exactly one of the two)."""

    query: RuleQuery | None = None
    category: CategorySlug | None = None
    pin: Annotated[
        list[Slug], Meta(max_length=20, description="up to 20 course slugs, shown first in order")
    ] = []
    hide: Annotated[
        list[Slug], Meta(max_length=100, description="up to 100 course slugs, never shown")
    ] = []
    starts_at: When | None = None
    ends_at: When | None = None


class RuleCreated(msgspec.Struct, kw_only=True):
    id: str


class RuleOut(msgspec.Struct, kw_only=True):
    id: str
    query: str | None
    category: str | None
    pin: list[str]
    hide: list[str]
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    created_at: dt.datetime
    active: bool


class RulesOut(msgspec.Struct, kw_only=True):
    """One page of the rules, newest first."""

    rules: list[RuleOut]
    total: int
    page: int = 1
    per_page: int = 50
