"""The applied filters as removable chips."""

from __future__ import annotations

from search_service.catalog.categories import CategoryTree
from search_service.catalog.labels import rating_label, value_label
from search_service.catalog.schemas import Applied, Chip
from search_service.catalog.search.query_string import to_params
from search_service.catalog.urls import search_url
from search_service.lib.pricing import price_bound
from search_service.search.request import FILTER_FIELDS, SearchRequest
from search_service.search.vocabulary import FACETS

# Query parameter -> the facet group it filters.
GROUP_OF = {param: group for group, spec in FACETS.items() for param in spec.params}
NOT_CHIPS = ("q", "sort", "literal", "page", "per_page")
PRICE_BOUNDS = ("price_min", "price_max")


def _both_bounds(request: SearchRequest) -> bool:
    return request.price_min is not None and request.price_max is not None


def _label(param: str, value: str, tree: CategoryTree) -> str:
    match param:
        case "category":
            return tree.name(value)
        case "price_min":
            return f"From {price_bound(int(value))}"
        case "price_max":
            return f"Up to {price_bound(int(value))}"
        case "rating_min":
            return rating_label(float(value))
    return value_label(GROUP_OF.get(param, param), value)


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
        if name not in NOT_CHIPS and not (name in PRICE_BOUNDS and _both_bounds(request))
    ]
    if _both_bounds(request):
        # A price range is one filter: one chip, removing both of its bounds.
        low, high = request.price_min or 0, request.price_max or 0
        chips.append(
            Chip(
                param="price_range",
                value=f"{low}-{high}",
                label=f"{price_bound(low)} – {price_bound(high)}",
                remove_url=search_url([p for p in params if p[0] not in PRICE_BOUNDS], path),
            )
        )
    kept = [p for p in params if p[0] in ("q", "sort", "literal", "semantic_ratio")]
    fields = {name: getattr(request, name) for name in FILTER_FIELDS}
    return Applied(**fields, chips=chips, clear_url=search_url(kept, path))
