"""The applied filters as removable chips."""

from __future__ import annotations

from search_service.catalog.categories import CategoryTree
from search_service.catalog.labels import language_label, price_display
from search_service.catalog.params import to_params
from search_service.catalog.schemas import Applied, Chip
from search_service.catalog.urls import search_url
from search_service.search.facets import DURATION_LABELS, FEATURE_LABELS, LEVEL_LABELS
from search_service.search.query import SearchRequest


def _label(param: str, value: str, tree: CategoryTree) -> str:
    match param:
        case "category":
            return tree.name(value)
        case "level":
            return LEVEL_LABELS.get(value, value)
        case "language":
            return language_label(value)
        case "price":
            return "Free" if value == "free" else "Paid"
        case "price_min":
            return f"From {price_display(int(value), 'USD')}"
        case "price_max":
            return f"Up to {price_display(int(value), 'USD')}"
        case "rating_min":
            return f"{float(value):.1f} & up"
        case "duration":
            return DURATION_LABELS.get(value, value)
        case "features":
            return FEATURE_LABELS.get(value, value)
        case "bestseller":
            return "Bestseller" if value == "true" else "Not bestseller"
    return value


def build_applied(
    request: SearchRequest, tree: CategoryTree, path: str, fixed: tuple[str, ...] = ()
) -> Applied:
    """Normalised filters; each chip's URL is the current search without that one value.
    Categories fixed by the page's path are not chips."""
    params = to_params(request, fixed=fixed)
    chips = [
        Chip(
            param=name,
            value=value,
            label=_label(name, value, tree),
            remove_url=search_url([p for p in params if p != (name, value)], path),
        )
        for name, value in params
        if name not in ("q", "sort")
    ]
    kept = [p for p in params if p[0] in ("q", "sort")]
    return Applied(
        q=request.q,
        category=list(request.categories),
        level=list(request.levels),
        language=list(request.languages),
        price=request.price,
        price_min=request.price_min,
        price_max=request.price_max,
        rating_min=request.rating_min,
        duration=list(request.durations),
        features=list(request.features),
        bestseller=request.bestseller,
        sort=request.sort,
        chips=chips,
        clear_url=search_url(kept, path),
    )
