"""Response shapes of the catalog API (one msgspec Struct per direction)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from search_service.search.request import MAX_HITS, SearchFilters
from search_service.search.vocabulary import FacetGroup


class Crumb(msgspec.Struct, kw_only=True):
    """One step of a breadcrumb."""

    name: str
    url: str


class MentorRef(msgspec.Struct, kw_only=True):
    name: str
    headline: str
    url: Annotated[str, Meta(description="the instructor's page")] = ""


class Price(msgspec.Struct, kw_only=True, frozen=True):
    list_cents: int
    sale_cents: int | None
    effective_cents: int
    currency: str
    discount_percent: int
    is_free: bool
    display: str
    list_display: str


class Highlights(msgspec.Struct, kw_only=True):
    """HTML snippets; matched words are wrapped in ``<mark>``, everything else is escaped."""

    title: str | None = None
    subtitle: str | None = None
    description: str | None = None


class CourseCard(msgspec.Struct, kw_only=True):
    id: str
    slug: str
    url: str
    title: str
    subtitle: str
    thumbnail_url: str | None
    image_url: Annotated[
        str, Meta(description="its picture: its own image, or one drawn from its category")
    ] = ""
    mentor: MentorRef
    level: str
    language_code: str
    price: Price
    rating: Annotated[float, Meta(description="the mean of its reviews' stars")]
    rating_lower_bound: Annotated[
        float,
        Meta(
            description="what the mean rating is at least, with 95 % confidence given the "
            "number of reviews (the Wilson interval's lower end); highest_rated sorts by it, "
            "0 without reviews"
        ),
    ] = 0.0
    review_count: int
    duration_minutes: int
    lecture_count: int
    is_bestseller: bool
    highlights: Highlights
    owned: Annotated[
        bool, Meta(description="the signed-in student (bearer token or session) owns it")
    ] = False


class FacetValue(msgspec.Struct, kw_only=True):
    """One value of a facet; ``params`` are the query parameters that select it."""

    value: str
    label: str
    count: int
    selected: bool
    params: dict[str, str] = {}
    children: list[FacetValue] = []


# Facet group -> its values. Disjunctive counts: each group counts as if its own selection
# were cleared.
Facets = dict[FacetGroup, list[FacetValue]]


class Chip(msgspec.Struct, kw_only=True):
    """An applied filter a client can show and remove (``remove_url`` drops it)."""

    param: str
    value: str
    label: str
    remove_url: str


class Applied(SearchFilters, kw_only=True, frozen=True):
    """The normalised request as the search understood it (the request's own filter fields,
    so a new filter shows up here by itself), its chips and the URL that clears them."""

    chips: list[Chip]
    clear_url: str


class Interpretation(msgspec.Struct, kw_only=True):
    """What the search made of the words typed (see README, "How ranking works")."""

    query: Annotated[
        str,
        Meta(
            description="the words searched for: typed filters, stop words and filler taken "
            "out, and words that match nothing dropped"
        ),
    ]
    spelling: Annotated[
        str | None,
        Meta(
            description="the query as the catalog spells it, when a word is not in the "
            "catalog (typo tolerance finds its courses): 'Showing results for …'"
        ),
    ] = None
    literal_url: Annotated[
        str | None,
        Meta(description="searches exactly what was typed, when the search changed it"),
    ] = None
    auto_filters: Annotated[
        list[Chip],
        Meta(
            description="filters read from the text (free, beginner, in spanish, under $20); "
            "each is also among applied.chips, and its remove_url undoes it"
        ),
    ] = []
    ignored_words: Annotated[
        list[str],
        Meta(
            description="stop words and filler that were not searched for, or the whole text "
            "when it has no letter or digit to search for (then query is empty)"
        ),
    ] = []
    dropped_words: Annotated[
        list[str], Meta(description="words that matched no course and were left out")
    ] = []
    relaxed_words: Annotated[
        list[str],
        Meta(
            description="words some results do not have: too few courses have every word, "
            "so courses with the first words only follow those with all of them"
        ),
    ] = []
    by_meaning: Annotated[
        bool,
        Meta(
            description="no course has the words searched: the results are the courses "
            "closest in meaning (hybrid search, semantic_ratio above 0)"
        ),
    ] = False


class Suggestion(msgspec.Struct, kw_only=True):
    """Somewhere to go when nothing matched."""

    kind: str  # remove_filter | spelling | category | browse
    label: str
    url: str
    total: int | None = None


class SearchResponse(msgspec.Struct, kw_only=True):
    query: str
    query_id: Annotated[
        str,
        Meta(
            description="this search's id: send it with events (POST /api/v1/events) and "
            "with cart adds, so clicks, adds and purchases are attributed to it"
        ),
    ] = ""
    total: Annotated[int, Meta(description="every matching course, counted exactly")]
    page: int
    per_page: int
    total_pages: Annotated[
        int,
        Meta(
            description=f"pages that can be fetched: the first {MAX_HITS:,} hits (max_hits) are "
            "paged, so at most max_hits ÷ per_page; later pages come back empty"
        ),
    ]
    max_hits: Annotated[int, Meta(description="how deep pages reach")] = MAX_HITS
    took_ms: float
    hits: list[CourseCard]
    facets: Facets
    applied: Applied
    interpreted: Interpretation
    suggestions: list[Suggestion] = []
    instructor: Annotated[
        MentorRef | None,
        Meta(description="when the words name an instructor: them, to show first"),
    ] = None
    closest: Annotated[
        list[CourseCard],
        Meta(
            description="when nothing matched: the courses closest in meaning to what was "
            "typed, whatever the filters (empty when none is close enough)"
        ),
    ] = []


class SuggestItem(msgspec.Struct, kw_only=True):
    # query (a popular past search) | completion (from the catalog's titles and tags) |
    # category | course | mentor
    type: str
    label: str
    url: str


class SuggestResponse(msgspec.Struct, kw_only=True):
    query: str
    items: list[SuggestItem]


class CategoryNode(msgspec.Struct, kw_only=True):
    slug: str
    name: str
    url: str
    count: int
    children: list[CategoryNode] = []


class CategoryTreeResponse(msgspec.Struct, kw_only=True):
    categories: list[CategoryNode]
    total: int
