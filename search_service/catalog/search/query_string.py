"""The one parser of a search request, for the API, the pages and ``skillspring relevance``.

A query string is decoded into ``SearchRequest`` field by field (its constraints are the
allowed values), the cross-field rules are checked, and the text is normalised. The same Struct
documents the parameters in OpenAPI and turns a request back into links: ``to_params``, and
``build_applied``, the applied filters as chips that each remove one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Request

from search_service.catalog.categories import CategoryTree
from search_service.catalog.labels import rating_label, value_label
from search_service.catalog.schemas import Applied, Chip
from search_service.catalog.urls import search_url
from search_service.lib.decoding import decode_fields, describe, from_multidict, is_repeatable
from search_service.lib.errors import Invalid
from search_service.lib.openapi import operation_with, query_parameters
from search_service.lib.pricing import price_bound
from search_service.lib.web import link_number
from search_service.search.request import (
    DEFAULTS,
    FILTER_FIELDS,
    MAX_CENTS,
    PARAMETERS,
    SearchRequest,
)
from search_service.search.text import typed
from search_service.search.vocabulary import FACETS

_TYPES = {f.name: f.type for f in PARAMETERS}
ALLOWED: dict[str, str] = {f.name: describe(f.type) or "" for f in PARAMETERS}
# Documents the parameters of every handler that takes the `search_request` dependency.
SearchOperation = operation_with(query_parameters(PARAMETERS))


def with_typed_text(query: Mapping[str, list[str]]) -> Mapping[str, list[str]]:
    """The query string with its text normalised before it is measured: runs of spaces (a
    paste) count as one, in the search and in its suggestions alike."""
    return {**query, "q": [typed(text) for text in query["q"]]} if "q" in query else query


def parse_search(query: Mapping[str, list[str]]) -> SearchRequest:
    """A search request from query-string values (every value of each parameter).

    Raises:
        Invalid: naming each parameter that is wrong and what it allows.
    """
    # Only the public parameters: ``ids``, ``exclude_ids`` and ``with_*`` steer the engine
    # from inside (``?ids=`` showed a course a rule hides: a search by ids meets no rule).
    public = {name: values for name, values in query.items() if name in _TYPES}
    decoded = decode_fields(SearchRequest, from_multidict(SearchRequest, with_typed_text(public)))
    if (
        decoded.price_min is not None
        and decoded.price_max is not None
        and decoded.price_min > decoded.price_max
    ):
        raise Invalid("price_min", "price_min is above price_max", ALLOWED["price_min"])
    return decoded


def provide_search_request(request: Request[Any, Any, Any]) -> SearchRequest:
    """The API's ``search_request``: the query string as a search request."""
    return parse_search(request.query_params.dict())


async def provide_page_search_request(request: Request[Any, Any, Any]) -> SearchRequest:
    """The pages' ``search_request``: the API's, except that a price range chosen backwards
    (a minimum above the maximum, easy with the two price menus) is read the right way round
    rather than refused."""
    query = request.query_params.dict()
    low, high = query.get("price_min", [""])[-1], query.get("price_max", [""])[-1]
    low_cents, high_cents = link_number(low, 0, MAX_CENTS), link_number(high, 0, MAX_CENTS)
    if low_cents is not None and high_cents is not None and low_cents > high_cents:
        query = {**query, "price_min": [high], "price_max": [low]}
    return parse_search(query)


def to_params(
    request: SearchRequest, *, page: bool = False, fixed: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    """The request as query parameters (for links that keep the current state): values that
    differ from the defaults, categories fixed by the page's path left out, the page only
    when ``page`` (a link to other results starts on their first page, at the same size)."""
    params: list[tuple[str, str]] = []
    for name, annotation in _TYPES.items():
        if name == "page" and not page:
            continue
        value = getattr(request, name)
        if value == getattr(DEFAULTS, name):
            continue
        if is_repeatable(annotation):
            params += [(name, str(v)) for v in value if not (name == "category" and v in fixed)]
        elif isinstance(value, bool):
            params.append((name, "true" if value else "false"))
        elif isinstance(value, float):
            params.append((name, f"{value:g}"))
        else:
            params.append((name, str(value)))
    return params


# The applied filters as removable chips.
# Query parameter -> the facet group it filters.
GROUP_OF = {param: group for group, spec in FACETS.items() for param in spec.params}
# A chip -> the facet group it filters (a price range is one chip of both bounds).
CHIP_GROUP = {**GROUP_OF, "price_range": "price"}
# How the results are searched and shown, not which: no chip removes them.
NOT_CHIPS = ("q", "sort", "literal", "semantic_ratio", "page", "per_page")
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
    kept = [p for p in params if p[0] in ("q", *NOT_CHIPS)]
    fields = {name: getattr(request, name) for name in FILTER_FIELDS}
    return Applied(**fields, chips=chips, clear_url=search_url(kept, path))
