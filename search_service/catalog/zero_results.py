"""Zero results are never a dead end: ways out, best first."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence

import msgspec

from search_service.catalog.categories import CategoryTree
from search_service.catalog.schemas import Suggestion
from search_service.catalog.search.query_string import CHIP_GROUP, build_applied, to_params
from search_service.catalog.urls import SEARCH_PAGE, category_url, search_url
from search_service.search.engine import SearchEngine
from search_service.search.request import (
    SearchRequest,
    clear_group,
    filtered_groups,
    unfiltered,
)
from search_service.search.results import EngineHit
from search_service.search.text import matches_word, typo_budget, words
from search_service.search.vocabulary import FacetGroup


async def _count(engine: SearchEngine, request: SearchRequest) -> int:
    probe = msgspec.structs.replace(
        request, page=1, per_page=1, with_facets=False, with_highlights=False, with_hits=False
    )
    return (await engine.search(probe)).total


def _in_place(request: SearchRequest, fixed: tuple[str, ...]) -> SearchRequest:
    """``request`` with the page's own categories (a category page's path) kept: a way out of
    a category page is counted in that category, as its link opens it."""
    if not fixed or request.category:
        return request
    return msgspec.structs.replace(request, category=list(fixed))


async def _least_selective_filter(
    engine: SearchEngine,
    request: SearchRequest,
    tree: CategoryTree,
    path: str,
    fixed: tuple[str, ...],
) -> Suggestion | None:
    # The page's own category is no filter to remove.
    own = fixed and list(request.category) == list(fixed)
    applied = [g for g in filtered_groups(request) if not (own and g == "category")]
    if not applied:
        return None
    relaxed = [_in_place(clear_group(request, g), fixed) for g in applied]
    totals = await asyncio.gather(*(_count(engine, r) for r in relaxed))
    best = max(range(len(applied)), key=lambda i: totals[i])
    if totals[best] == 0:
        return await _without_filters(engine, request, applied, path, fixed)
    removed = [
        c.label
        for c in build_applied(request, tree, path, fixed).chips
        if CHIP_GROUP.get(c.param) == applied[best]
    ]
    return Suggestion(
        kind="remove_filter",
        label=f"Remove {', '.join(removed)}",
        url=search_url(to_params(relaxed[best], fixed=fixed), path),
        total=totals[best],
    )


async def _without_filters(
    engine: SearchEngine,
    request: SearchRequest,
    applied: Sequence[FacetGroup],
    path: str,
    fixed: tuple[str, ...],
) -> Suggestion | None:
    """Filters that leave nothing together though none does alone: the words without any."""
    if len(applied) < 2:
        return None
    bare = _in_place(unfiltered(request), fixed)
    total = await _count(engine, bare)
    if total == 0:
        return None
    url = search_url(to_params(bare, fixed=fixed), path)
    return Suggestion(kind="remove_filter", label="Remove all filters", url=url, total=total)


async def _respelling(
    engine: SearchEngine, request: SearchRequest, path: str, fixed: tuple[str, ...]
) -> Suggestion | None:
    if not request.q:
        return None
    corrected = await engine.correct(request.q)
    if not corrected:
        return None
    respelt = msgspec.structs.replace(request, q=corrected)
    total = await _count(engine, respelt)
    if total == 0:
        return None
    return Suggestion(
        kind="spelling",
        label=f"Search for “{corrected}”",
        url=search_url(to_params(respelt, fixed=fixed), path),
        total=total,
    )


def nearest_categories(query: str, tree: CategoryTree, limit: int = 2) -> list[str]:
    """Category slugs whose name has a word the query's words start or nearly spell."""
    query_words = [w for w in words(query) if len(w) >= 3]
    scored = []
    budgets = [(q, typo_budget(q)) for q in query_words]
    for slug, node in tree.nodes.items():
        matched = sum(any(matches_word(q, w, b) for w in node.words) for q, b in budgets)
        if matched:
            scored.append((matched, slug))
    # Most query words matched first; then subcategories, the more precise destination.
    scored.sort(key=lambda m: (-m[0], tree.nodes[m[1]].parent is None, tree.nodes[m[1]].name))
    return [slug for _, slug in scored[:limit]]


def _category(slug: str, tree: CategoryTree) -> Suggestion:
    node = tree.nodes[slug]
    url = category_url(node.parent, slug) if node.parent else category_url(slug)
    return Suggestion(kind="category", label=f"Browse {node.name}", url=url)


async def zero_result_suggestions(
    engine: SearchEngine,
    request: SearchRequest,
    tree: CategoryTree,
    path: str,
    fixed: tuple[str, ...] = (),
) -> list[Suggestion]:
    """Remove the least selective filter, respell the query, or go to a nearby category
    (``fixed``: the categories a category page's path fixes, which stay)."""
    found = await asyncio.gather(
        _least_selective_filter(engine, request, tree, path, fixed),
        _respelling(engine, request, path, fixed),
    )
    out = [s for s in found if s is not None]
    out += [_category(slug, tree) for slug in nearest_categories(request.q, tree)]
    out.append(
        Suggestion(kind="browse", label="Browse all courses", url=search_url([], SEARCH_PAGE))
    )
    return out


def with_categories_of(
    suggestions: list[Suggestion], closest: Sequence[EngineHit], tree: CategoryTree, limit: int = 2
) -> list[Suggestion]:
    """When no category's name is near the words, the categories of the courses closest in
    meaning are (the most frequent first), before "Browse all courses"."""
    if any(s.kind == "category" for s in suggestions) or not closest:
        return suggestions
    counted = Counter(
        slug
        for hit in closest
        for slug in hit.document.category_slugs
        if slug in tree.nodes and tree.nodes[slug].parent is not None
    )
    near = [_category(slug, tree) for slug, _ in counted.most_common(limit)]
    browse = [s for s in suggestions if s.kind == "browse"]
    return [s for s in suggestions if s.kind != "browse"] + near + browse
