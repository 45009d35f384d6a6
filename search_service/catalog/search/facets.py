"""Engine facet counts → the API's facet groups: labels, selection and zero-count values,
in an order that does not change with the counts.

Every group of the vocabulary is shown by its kind, so a new facet needs only its label.
"""

from __future__ import annotations

from collections.abc import Callable

from search_service.catalog.categories import CategoryTree
from search_service.catalog.labels import rating_label, value_label
from search_service.catalog.schemas import Facets, FacetValue
from search_service.search.request import SearchRequest
from search_service.search.vocabulary import (
    FACETS,
    PRICE_BANDS,
    RATING_STEPS,
    FacetGroup,
    FacetSpec,
)

Counts = dict[str, int]


def _selected(request: SearchRequest, spec: FacetSpec) -> tuple[str, ...]:
    value = getattr(request, spec.params[0])
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    return () if value is None else (str(value).lower(),)


def _value(spec: FacetSpec, value: str, counts: Counts, selected: tuple[str, ...]) -> FacetValue:
    return FacetValue(
        value=value,
        label=value_label(spec.group, value),
        count=counts.get(value, 0),
        selected=value in selected,
        params={spec.params[0]: value},
    )


def _terms(
    spec: FacetSpec, counts: Counts, request: SearchRequest, _: CategoryTree
) -> list[FacetValue]:
    selected = _selected(request, spec)
    # A stable order: the vocabulary's own, else by label; never by count, which would move
    # options under the shopper's pointer as filters change.
    values = spec.values or tuple(
        sorted(set(counts) | set(selected), key=lambda v: (value_label(spec.group, v), v))
    )
    return [_value(spec, v, counts, selected) for v in values]


def _flag(
    spec: FacetSpec, counts: Counts, request: SearchRequest, _: CategoryTree
) -> list[FacetValue]:
    selected = ("true",) if getattr(request, spec.params[0]) is True else ()
    return [_value(spec, "true", counts, selected)]


def _tree(
    spec: FacetSpec, counts: Counts, request: SearchRequest, tree: CategoryTree
) -> list[FacetValue]:
    selected = set(request.category)
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
    return out  # the tree's own order, whatever the counts


def _price(
    spec: FacetSpec, counts: Counts, request: SearchRequest, _: CategoryTree
) -> list[FacetValue]:
    kind = (request.price,) if request.price else ()
    values = [_value(spec, v, counts, kind) for v in ("free", "paid")]
    for band, low, high in PRICE_BANDS[1:]:
        upper = None if high is None else high - 1
        # Both bounds, an open one blank (no bound): the band replaces any range chosen.
        params = {"price_min": str(low), "price_max": str(upper) if upper is not None else ""}
        values.append(
            FacetValue(
                value=f"{low}-{upper if upper is not None else ''}",
                label=value_label("price", band),
                count=counts.get(band, 0),
                selected=(request.price_min, request.price_max) == (low, upper),
                params=params,
            )
        )
    return values


def _rating(
    spec: FacetSpec, counts: Counts, request: SearchRequest, _: CategoryTree
) -> list[FacetValue]:
    floors = {float(k): v for k, v in counts.items()}
    return [
        FacetValue(
            value=f"{step:.1f}",
            label=rating_label(step),
            count=sum(n for floor, n in floors.items() if floor >= step),
            selected=request.rating_min == step,
            params={"rating_min": f"{step:.1f}"},
        )
        for step in RATING_STEPS
    ]


_BUILDERS: dict[
    str, Callable[[FacetSpec, Counts, SearchRequest, CategoryTree], list[FacetValue]]
] = {
    "terms": _terms,
    "flag": _flag,
    "tree": _tree,
    "price": _price,
    "rating": _rating,
}


def build_facets(
    counts: dict[FacetGroup, Counts], request: SearchRequest, tree: CategoryTree
) -> Facets:
    """Every facet group, in the vocabulary's order, selected values always listed."""
    return {
        group: _BUILDERS[spec.kind](spec, counts.get(group, {}), request, tree)
        for group, spec in FACETS.items()
    }
