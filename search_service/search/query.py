"""The typed search request, and its filters as engine-neutral conditions per facet group.

Both engines translate the same conditions, so filter semantics are written once: OR inside a
facet group, AND across groups, and for disjunctive facet counts each group is counted with
every condition but its own.
"""

from __future__ import annotations

from typing import Literal

import msgspec

SortKey = Literal[
    "relevance", "most_reviewed", "highest_rated", "newest", "price_asc", "price_desc", "popular"
]
SORT_KEYS: tuple[str, ...] = (
    "relevance",
    "most_reviewed",
    "highest_rated",
    "newest",
    "price_asc",
    "price_desc",
    "popular",
)
# Sort key -> (document field, descending).
SORT_FIELDS: dict[str, tuple[str, bool]] = {
    "most_reviewed": ("review_count", True),
    "highest_rated": ("rating", True),
    "newest": ("last_updated_at", True),
    "price_asc": ("effective_price_cents", False),
    "price_desc": ("effective_price_cents", True),
    "popular": ("popularity", True),
}
FacetGroup = Literal[
    "level", "language", "category", "price", "rating", "duration", "features", "bestseller"
]
FACET_GROUPS: tuple[FacetGroup, ...] = (
    "level",
    "language",
    "category",
    "price",
    "rating",
    "duration",
    "features",
    "bestseller",
)


class SearchRequest(msgspec.Struct, kw_only=True, frozen=True):
    """A validated search: text, filters, sort and page."""

    q: str = ""
    categories: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    price: Literal["free", "paid"] | None = None
    price_min: int | None = None
    price_max: int | None = None
    rating_min: float | None = None
    durations: tuple[str, ...] = ()
    features: tuple[str, ...] = ()
    bestseller: bool | None = None
    sort: SortKey = "relevance"
    page: int = 1
    per_page: int = 20
    with_facets: bool = True
    with_highlights: bool = True

    @property
    def offset(self) -> int:
        """Index of the first hit of the page."""
        return (self.page - 1) * self.per_page


class AnyOf(msgspec.Struct, frozen=True):
    """The field holds one of the values (a multi-valued field: any element)."""

    field: str
    values: tuple[str, ...]


class Range(msgspec.Struct, frozen=True):
    """low <= field <= high, either bound optional."""

    field: str
    low: float | None = None
    high: float | None = None
    integer: bool = True


class IsTrue(msgspec.Struct, frozen=True):
    """A boolean field equals ``value``."""

    field: str
    value: bool


Condition = AnyOf | Range | IsTrue


def conditions(request: SearchRequest) -> dict[FacetGroup, list[Condition]]:
    """The request's filters, grouped by the facet group each one narrows."""
    groups: dict[FacetGroup, list[Condition]] = {}
    if request.levels:
        groups["level"] = [AnyOf("level", request.levels)]
    if request.languages:
        groups["language"] = [AnyOf("language_code", request.languages)]
    if request.categories:
        groups["category"] = [AnyOf("category_slugs", request.categories)]
    price: list[Condition] = []
    if request.price is not None:
        price.append(IsTrue("is_free", request.price == "free"))
    if request.price_min is not None or request.price_max is not None:
        price.append(Range("effective_price_cents", request.price_min, request.price_max))
    if price:
        groups["price"] = price
    if request.rating_min is not None and request.rating_min > 0:
        groups["rating"] = [Range("rating", request.rating_min, None, integer=False)]
    if request.durations:
        groups["duration"] = [AnyOf("duration_bucket", request.durations)]
    if request.features:
        groups["features"] = [AnyOf("features", request.features)]
    if request.bestseller is not None:
        groups["bestseller"] = [IsTrue("is_bestseller", request.bestseller)]
    return groups


def without(groups: dict[FacetGroup, list[Condition]], group: FacetGroup) -> list[Condition]:
    """Every condition except those of ``group`` (for that group's disjunctive counts)."""
    return [c for name, conds in groups.items() if name != group for c in conds]


def flatten(groups: dict[FacetGroup, list[Condition]]) -> list[Condition]:
    """Every condition of every group."""
    return [c for conds in groups.values() for c in conds]
