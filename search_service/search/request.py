"""The typed search request, and its filters as engine-neutral conditions per facet group.

``SearchRequest``'s public fields are the search API's query parameters, with their
constraints: the one parser (``catalog/params.py``) decodes a query string into it and the
OpenAPI document is generated from it. Both engines translate the same conditions, so filter
semantics are written once: OR inside a facet group, AND across groups, and for disjunctive
facet counts each group is counted with every condition but its own.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from search_service.search.vocabulary import (
    FACETS,
    Duration,
    FacetGroup,
    Feature,
    Level,
    PriceKind,
    SortKey,
)

MAX_QUERY = 200
MAX_PER_PAGE = 100
MAX_PAGE = 10_000
# The deepest hit a page reaches (Meilisearch's default maxTotalHits): pages past it come back
# empty, totals stay exact. Ranking 1,000 hits costs a little more than ranking 20; ranking
# a million would cost a hundred typical searches.
MAX_HITS = 1000
MAX_VALUES = 50  # values of one repeatable parameter
MAX_CENTS = 10**9
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
LANGUAGE_PATTERN = r"^[a-z]{2}(-[A-Za-z]{2})?$"


# Control characters in it are read as spaces (``text.typed``).
Query = Annotated[
    str, Meta(max_length=MAX_QUERY, description=f"text of at most {MAX_QUERY} characters")
]
CategorySlug = Annotated[str, Meta(pattern=SLUG_PATTERN, max_length=80)]
LanguageCode = Annotated[str, Meta(pattern=LANGUAGE_PATTERN, max_length=5)]
Categories = Annotated[
    list[CategorySlug],
    Meta(
        max_length=MAX_VALUES,
        description="category slugs (lower-case letters, digits and hyphens), repeatable; "
        "a root category includes its subcategories",
    ),
]
Levels = Annotated[
    list[Level],
    Meta(max_length=MAX_VALUES, description="beginner, intermediate, advanced or all, repeatable"),
]
Languages = Annotated[
    list[LanguageCode],
    Meta(max_length=MAX_VALUES, description="language codes such as en or pt-BR, repeatable"),
]
Durations = Annotated[
    list[Duration],
    Meta(max_length=MAX_VALUES, description="0-1h, 1-3h, 3-6h, 6-17h or 17h+, repeatable"),
]
Features = Annotated[
    list[Feature],
    Meta(
        max_length=MAX_VALUES,
        description="quizzes, assignments, downloads, articles or previews, repeatable",
    ),
]
Price = Annotated[PriceKind, Meta(description="free or paid")]
PriceMin = Annotated[
    int,
    Meta(ge=0, le=MAX_CENTS, description="a whole number of cents, 0 or more, not above price_max"),
]
PriceMax = Annotated[
    int,
    Meta(ge=0, le=MAX_CENTS, description="a whole number of cents, 0 or more, not below price_min"),
]
RatingMin = Annotated[float, Meta(ge=0, le=5, description="a number from 0 to 5")]
Bestseller = Annotated[bool, Meta(description="true or false")]
Sort = Annotated[
    SortKey,
    Meta(
        description="relevance, most_reviewed, highest_rated, newest, price_asc, price_desc "
        "or popular"
    ),
]
LiteralSearch = Annotated[
    bool,
    Meta(
        description="true: search exactly the words typed: no typed filters, stop words or "
        "filler taken out, no respelling and no typo tolerance"
    ),
]
PageNumber = Annotated[
    int,
    Meta(
        ge=1,
        le=MAX_PAGE,
        description=f"a whole number from 1 to {MAX_PAGE:,}; pages reach the first "
        f"{MAX_HITS:,} hits, later ones come back empty (the total stays exact)",
    ),
]
SemanticRatio = Annotated[
    float,
    Meta(
        ge=0,
        le=1,
        description="a number from 0 to 1: how much the meaning of the query counts against "
        "its words (0: the words alone, as lexical search; 1: meaning alone); default "
        "SKILLSPRING_SEMANTIC_RATIO",
    ),
]
PerPage = Annotated[
    int, Meta(ge=1, le=MAX_PER_PAGE, description=f"a whole number from 1 to {MAX_PER_PAGE}")
]


class SearchFilters(msgspec.Struct, kw_only=True, frozen=True):
    """What is searched for: text, filters and order (each a query parameter of its name).

    Repeatable filters are lists (Litestar documents constrained lists correctly); treat them
    as read-only, like the rest of this frozen Struct.
    """

    q: Query = ""
    category: Categories = []
    level: Levels = []
    language: Languages = []
    price: Price | None = None
    price_min: PriceMin | None = None
    price_max: PriceMax | None = None
    rating_min: RatingMin | None = None
    duration: Durations = []
    features: Features = []
    bestseller: Bestseller | None = None
    sort: Sort = "relevance"
    literal: LiteralSearch = False
    # None: the service's default (SKILLSPRING_SEMANTIC_RATIO); engines see a number.
    semantic_ratio: SemanticRatio | None = None


class SearchRequest(SearchFilters, kw_only=True, frozen=True):
    """A validated search: what is searched for, and which page of it.

    Every field before ``with_facets`` is a query parameter of the same name.
    """

    page: PageNumber = 1
    per_page: PerPage = 20
    # Not query parameters: what the caller needs back.
    with_facets: bool = True
    with_highlights: bool = True
    with_hits: bool = True  # False: the total only (as the same search would report it)
    # Only these course ids (merchandising and recommendations above the port); empty: all.
    ids: tuple[str, ...] = ()
    # Never these course ids (merchandising: hidden, and pinned ones shown apart).
    exclude_ids: tuple[str, ...] = ()
    # The query's meaning (``semantic/``): float32 bytes of ``q``'s vector, set above the port
    # when ``semantic_ratio`` is above 0; empty: lexical search.
    vector: bytes = b""
    # How many words (function words aside) the text of ``vector`` has: more than ``q``
    # when words that carry meaning were left out of the words searched ("get a job in
    # tech" searches "tech"); meaning then counts for them (``relaxation.effective_ratio``).
    meant_words: int = 0

    @property
    def hybrid(self) -> bool:
        """Whether meaning counts in this search (a ratio above 0 and a query vector)."""
        return bool(self.vector) and bool(self.semantic_ratio)

    @property
    def offset(self) -> int:
        """Index of the first hit of the page."""
        return (self.page - 1) * self.per_page


INTERNAL_FIELDS = (
    "with_facets",
    "with_highlights",
    "with_hits",
    "ids",
    "exclude_ids",
    "vector",
    "meant_words",
)
FILTER_FIELDS: tuple[str, ...] = tuple(f.name for f in msgspec.structs.fields(SearchFilters))
PARAMETERS: tuple[msgspec.structs.FieldInfo, ...] = tuple(
    f for f in msgspec.structs.fields(SearchRequest) if f.name not in INTERNAL_FIELDS
)
DEFAULTS = SearchRequest()


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


class NoneOf(msgspec.Struct, frozen=True):
    """The field holds none of the values."""

    field: str
    values: tuple[str, ...]


class IsTrue(msgspec.Struct, frozen=True):
    """A boolean field equals ``value``."""

    field: str
    value: bool


Condition = AnyOf | NoneOf | Range | IsTrue
# Not a facet group: conditions every count and every hit obey (a request's ``ids``).
SCOPE: Literal["scope"] = "scope"
Conditions = dict[FacetGroup | Literal["scope"], list[Condition]]


def _group_conditions(request: SearchRequest, group: FacetGroup) -> list[Condition]:
    spec = FACETS[group]
    if spec.kind in ("terms", "tree"):
        values = getattr(request, spec.params[0])
        return [AnyOf(spec.fields[0], tuple(values))] if values else []
    if spec.kind == "flag":
        flag = getattr(request, spec.params[0])
        return [] if flag is None else [IsTrue(spec.fields[0], flag)]
    if spec.kind == "rating":
        low = request.rating_min
        return [Range("rating", low, None, integer=False)] if low else []
    price: list[Condition] = []
    if request.price is not None:
        price.append(IsTrue("is_free", request.price == "free"))
    if request.price_min is not None or request.price_max is not None:
        price.append(Range("effective_price_cents", request.price_min, request.price_max))
    return price


def conditions(request: SearchRequest) -> Conditions:
    """The request's filters, grouped by the facet group each one narrows (and, under
    ``SCOPE``, the ids it is restricted to or keeps out)."""
    groups: Conditions = {}
    for group in FACETS:
        found = _group_conditions(request, group)
        if found:
            groups[group] = found
    scope: list[Condition] = []
    if request.ids:
        scope.append(AnyOf("id", request.ids))
    if request.exclude_ids:
        scope.append(NoneOf("id", request.exclude_ids))
    if scope:
        groups[SCOPE] = scope
    return groups


def selected_groups(groups: Conditions) -> list[FacetGroup]:
    """The facet groups that carry conditions (each counted without its own)."""
    return [g for g in groups if g != SCOPE]


def without(groups: Conditions, group: FacetGroup) -> list[Condition]:
    """Every condition except those of ``group`` (for that group's disjunctive counts)."""
    return [c for name, conds in groups.items() if name != group for c in conds]


def flatten(groups: Conditions) -> list[Condition]:
    """Every condition of every group."""
    return [c for conds in groups.values() for c in conds]


def clear_group(request: SearchRequest, group: FacetGroup) -> SearchRequest:
    """The request without the filters of one facet group."""
    cleared = {name: getattr(DEFAULTS, name) for name in FACETS[group].params}
    return msgspec.structs.replace(request, **cleared)


def filtered_groups(request: SearchRequest) -> list[FacetGroup]:
    """The facet groups this request filters on."""
    return [
        g
        for g in FACETS
        if any(getattr(request, p) != getattr(DEFAULTS, p) for p in FACETS[g].params)
    ]


def unfiltered(request: SearchRequest) -> SearchRequest:
    """The request without any of its filters (its words, sort and page kept)."""
    cleared = {name: getattr(DEFAULTS, name) for g in FACETS for name in FACETS[g].params}
    return msgspec.structs.replace(request, **cleared)
