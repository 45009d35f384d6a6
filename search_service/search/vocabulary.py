"""The search vocabulary, declared once.

Which document fields are searched (and how much each weighs), shown with highlights, filtered,
counted as facets and sorted on; the value types of every filter and sort. Both engine adapters
derive their schema or settings from here, the request parser derives its types from here, and
nothing outside ``search/`` names a document field. A new facet is a ``FacetSpec`` here (with
its request field in ``request.py``) and a label where it is shown.
"""

from __future__ import annotations

import math
from typing import Literal, get_args

import msgspec

Level = Literal["beginner", "intermediate", "advanced", "all"]
Duration = Literal["0-1h", "1-3h", "3-6h", "6-17h", "17h+"]
Feature = Literal["quizzes", "assignments", "downloads", "articles", "previews"]
PriceKind = Literal["free", "paid"]
PriceBand = Literal["free", "under-20", "20-50", "50-100", "100-plus"]
SortKey = Literal[
    "relevance", "most_reviewed", "highest_rated", "newest", "price_asc", "price_desc", "popular"
]
# In the order shoppers see them.
FacetGroup = Literal[
    "category", "rating", "level", "language", "duration", "price", "features", "bestseller"
]
FacetKind = Literal["terms", "tree", "price", "rating", "flag"]

LEVELS: tuple[Level, ...] = get_args(Level)
DURATIONS: tuple[Duration, ...] = get_args(Duration)
FEATURES: tuple[Feature, ...] = get_args(Feature)
SORT_KEYS: tuple[SortKey, ...] = get_args(SortKey)
FACET_GROUPS: tuple[FacetGroup, ...] = get_args(FacetGroup)

# Searchable document fields, most important first, with their weights (tantivy boosts them;
# Meilisearch ranks by this order through `attributeRank`).
SEARCHABLE: tuple[tuple[str, float], ...] = (
    ("title", 10.0),
    ("tags", 5.0),
    ("subtitle", 3.0),
    ("mentor_name", 3.0),
    ("category_names", 3.0),
    ("description", 1.0),
)
HIGHLIGHTED: tuple[str, ...] = ("title", "subtitle", "description")
# Sort key -> (document field, descending); relevance is the engine's own order.
SORTS: dict[SortKey, tuple[str, bool]] = {
    "most_reviewed": ("review_count", True),
    "highest_rated": ("rating_lower_bound", True),  # ``rating_lower_bound``
    "newest": ("last_updated_at", True),
    "price_asc": ("effective_price_cents", False),
    "price_desc": ("effective_price_cents", True),
    "popular": ("popularity", True),
}
# Equal values of a sort field are ordered by these (field, descending), on both engines.
SORT_TIES: dict[SortKey, tuple[str, bool]] = {"highest_rated": ("popularity", True)}


class FacetSpec(msgspec.Struct, frozen=True):
    """One facet group: the request fields that filter it and the document fields it counts.

    ``kind`` says how its values are shown: fixed ``terms`` (``values``) or the values found,
    the category ``tree``, ``price`` (free/paid and price bands), ``rating`` ("N & up") or a
    boolean ``flag``.
    """

    group: FacetGroup
    params: tuple[str, ...]
    fields: tuple[str, ...]
    kind: FacetKind = "terms"
    values: tuple[str, ...] = ()


FACETS: dict[FacetGroup, FacetSpec] = {
    spec.group: spec
    for spec in (
        FacetSpec("category", ("category",), ("category_slugs",), kind="tree"),
        FacetSpec("rating", ("rating_min",), ("rating_floor",), kind="rating"),
        FacetSpec("level", ("level",), ("level",), values=LEVELS),
        FacetSpec("language", ("language",), ("language_code",)),
        FacetSpec("duration", ("duration",), ("duration_bucket",), values=DURATIONS),
        # Free and paid are counted from the bands: "free" is a band, paid is every other one.
        FacetSpec("price", ("price", "price_min", "price_max"), ("price_band",), kind="price"),
        FacetSpec("features", ("features",), ("features",), values=FEATURES),
        FacetSpec("bestseller", ("bestseller",), ("is_bestseller",), kind="flag"),
    )
}
FACET_FIELDS: tuple[str, ...] = tuple(f for spec in FACETS.values() for f in spec.fields)
# Exact-value fields that only filter (``price=free|paid``), never counted on their own.
FLAG_FIELDS: tuple[str, ...] = ("is_free",)
# Numeric document fields that range filters use.
RANGE_FIELDS: tuple[str, ...] = ("effective_price_cents", "rating")
FILTERABLE: tuple[str, ...] = (*FACET_FIELDS, *FLAG_FIELDS, *RANGE_FIELDS)
SORTABLE: tuple[str, ...] = tuple(dict.fromkeys(field for field, _ in SORTS.values()))
BOOLEAN_FIELDS: tuple[str, ...] = ("is_free", "is_bestseller")

# (bucket, lowest minutes, first minute of the next bucket)
DURATION_BUCKETS: tuple[tuple[Duration, int, int | None], ...] = (
    ("0-1h", 0, 60),
    ("1-3h", 60, 180),
    ("3-6h", 180, 360),
    ("6-17h", 360, 1020),
    ("17h+", 1020, None),
)
# (band, lowest cents, first cent of the next band)
PRICE_BANDS: tuple[tuple[PriceBand, int, int | None], ...] = (
    ("free", 0, 1),
    ("under-20", 1, 2000),
    ("20-50", 2000, 5000),
    ("50-100", 5000, 10000),
    ("100-plus", 10000, None),
)
RATING_STEPS: tuple[float, ...] = (4.5, 4.0, 3.5, 3.0)


def duration_bucket(minutes: int) -> Duration:
    """The duration facet value of a course length."""
    for bucket, low, high in DURATION_BUCKETS:
        if minutes >= low and (high is None or minutes < high):
            return bucket
    return DURATION_BUCKETS[0][0]


def price_band(cents: int) -> PriceBand:
    """The price band facet value of an effective price."""
    for band, low, high in PRICE_BANDS:
        if cents >= low and (high is None or cents < high):
            return band
    return PRICE_BANDS[0][0]


# The confidence-adjusted rating: a Bayesian average that starts every course at the prior
# mean, as if it had PRIOR_REVIEWS reviews of that, and moves it towards its own mean as
# reviews come in. 4.0 sits between the demo catalog's mean (about 3.7) and the judged
# catalog's (4.6); 20 reviews is about the median course's tenth.
PRIOR_MEAN = 4.0
PRIOR_REVIEWS = 20


def weighted_rating(rating: float, reviews: int) -> float:
    """``rating`` (a mean of ``reviews`` ratings) shrunk towards PRIOR_MEAN; 0 unrated."""
    if reviews <= 0:
        return 0.0
    return round((PRIOR_MEAN * PRIOR_REVIEWS + rating * reviews) / (PRIOR_REVIEWS + reviews), 2)


# "Highest rated" orders by what the rating is at least, with 95 % confidence: the lower end
# of the Wilson interval of the stars above one (a mean of 1 to 5 stars is a share of 0 to 1).
# One 1-star review is at the bottom; one 5-star review (1.83) is below a 4.7 from 700 (4.62).
CONFIDENCE_Z = 1.96


def rating_lower_bound(rating: float, reviews: int) -> float:
    """The least the true mean rating is likely to be (1 to 5; 0 unrated)."""
    if reviews <= 0:
        return 0.0
    share = min(1.0, max(0.0, (rating - 1) / 4))
    z2 = CONFIDENCE_Z**2
    centre = share + z2 / (2 * reviews)
    spread = CONFIDENCE_Z * math.sqrt(share * (1 - share) / reviews + z2 / (4 * reviews**2))
    return round(1 + 4 * max(0.0, (centre - spread) / (1 + z2 / reviews)), 3)


def rating_floor(rating: float) -> float:
    """The rating rounded down to a half star, for "N & up" facets."""
    return int(rating * 2) / 2


def facet_key(field: str, value: object) -> str:
    """How a facet value is spelt in counts and keyword fields, whichever engine counted it."""
    if isinstance(value, bool) or field in BOOLEAN_FIELDS:
        return str(value).lower()
    if field == "rating_floor":
        return f"{float(str(value)):.1f}"
    return str(value)


def group_counts(by_field: dict[str, dict[str, int]]) -> dict[FacetGroup, dict[str, int]]:
    """An engine's raw counts per document field as counts per facet group.

    The price group is ``free`` and ``paid`` (the sum of the paid bands), then the paid bands.
    """
    out: dict[FacetGroup, dict[str, int]] = {}
    for group, spec in FACETS.items():
        if not any(f in by_field for f in spec.fields):
            continue
        if spec.kind == "price":
            bands = by_field.get("price_band", {})
            paid = {k: v for k, v in bands.items() if k != "free"}
            counts = {"free": bands.get("free", 0), "paid": sum(paid.values()), **paid}
        else:
            counts = dict(by_field.get(spec.fields[0], {}))
        out[group] = counts
    return out
