"""Engine facet counts → the API's facet groups, with labels, selection and zero-count values."""

from __future__ import annotations

from search_service.catalog.categories import CategoryTree
from search_service.catalog.labels import language_label
from search_service.catalog.schemas import Facets, FacetValue
from search_service.search.facets import (
    DURATION_BUCKETS,
    DURATION_LABELS,
    FEATURE_LABELS,
    FEATURES,
    LEVEL_LABELS,
    LEVELS,
    PRICE_BAND_LABELS,
    PRICE_BANDS,
    RATING_STEPS,
)
from search_service.search.query import SearchRequest

Counts = dict[str, dict[str, int]]


def _simple(
    counts: dict[str, int],
    values: tuple[str, ...],
    selected: tuple[str, ...],
    param: str,
    labels: dict[str, str],
) -> list[FacetValue]:
    return [
        FacetValue(
            value=v,
            label=labels.get(v, v),
            count=counts.get(v, 0),
            selected=v in selected,
            params={param: v},
        )
        for v in values
    ]


def _languages(counts: dict[str, int], request: SearchRequest) -> list[FacetValue]:
    values = sorted(set(counts) | set(request.languages), key=lambda v: (-counts.get(v, 0), v))
    return _simple(
        counts, tuple(values), request.languages, "language", {v: language_label(v) for v in values}
    )


def _categories(
    counts: dict[str, int], request: SearchRequest, tree: CategoryTree
) -> list[FacetValue]:
    selected = set(request.categories)
    out = []
    for root in tree.roots:
        children = [
            FacetValue(
                value=sub,
                label=tree.name(sub),
                count=counts.get(sub, 0),
                selected=sub in selected,
                params={"category": sub},
            )
            for sub in tree.children.get(root, [])
            if counts.get(sub, 0) or sub in selected
        ]
        if counts.get(root, 0) or root in selected or children:
            out.append(
                FacetValue(
                    value=root,
                    label=tree.name(root),
                    count=counts.get(root, 0),
                    selected=root in selected,
                    params={"category": root},
                    children=children,
                )
            )
    return sorted(out, key=lambda f: (-f.count, f.label))


def _price(counts: Counts, request: SearchRequest) -> list[FacetValue]:
    free = counts.get("is_free", {})
    values = [
        FacetValue(
            value="free",
            label="Free",
            count=free.get("true", 0),
            selected=request.price == "free",
            params={"price": "free"},
        ),
        FacetValue(
            value="paid",
            label="Paid",
            count=free.get("false", 0),
            selected=request.price == "paid",
            params={"price": "paid"},
        ),
    ]
    bands = counts.get("price_band", {})
    for band, low, high in PRICE_BANDS[1:]:
        upper = None if high is None else high - 1
        params = {"price_min": str(low)} | ({"price_max": str(upper)} if upper is not None else {})
        values.append(
            FacetValue(
                value=f"{low}-{upper if upper is not None else ''}",
                label=PRICE_BAND_LABELS[band],
                count=bands.get(band, 0),
                selected=(request.price_min, request.price_max) == (low, upper),
                params=params,
            )
        )
    return values


def _rating(counts: dict[str, int], request: SearchRequest) -> list[FacetValue]:
    floors = {float(k): v for k, v in counts.items()}
    return [
        FacetValue(
            value=f"{step:.1f}",
            label=f"{step:.1f} & up",
            count=sum(n for floor, n in floors.items() if floor >= step),
            selected=request.rating_min == step,
            params={"rating_min": f"{step:.1f}"},
        )
        for step in RATING_STEPS
    ]


def build_facets(counts: Counts, request: SearchRequest, tree: CategoryTree) -> Facets:
    """Every facet group, in a stable order, selected values always listed."""
    best = counts.get("is_bestseller", {})
    return Facets(
        level=_simple(counts.get("level", {}), LEVELS, request.levels, "level", LEVEL_LABELS),
        language=_languages(counts.get("language_code", {}), request),
        category=_categories(counts.get("category_slugs", {}), request, tree),
        price=_price(counts, request),
        rating=_rating(counts.get("rating_floor", {}), request),
        duration=_simple(
            counts.get("duration_bucket", {}),
            tuple(b for b, _, _ in DURATION_BUCKETS),
            request.durations,
            "duration",
            DURATION_LABELS,
        ),
        features=_simple(
            counts.get("features", {}), FEATURES, request.features, "features", FEATURE_LABELS
        ),
        bestseller=[
            FacetValue(
                value="true",
                label="Bestseller",
                count=best.get("true", 0),
                selected=request.bestseller is True,
                params={"bestseller": "true"},
            )
        ],
    )
