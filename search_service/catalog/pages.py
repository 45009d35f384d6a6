"""The catalog's pages: home, search and category browsing. Thin: the same parsed request and
service as the API, rendered."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Template

from search_service.catalog.categories import CategoryDirectory
from search_service.catalog.labels import GROUP_LABELS
from search_service.catalog.schemas import CourseCard, Crumb, SearchResponse
from search_service.catalog.search.query_string import to_params
from search_service.catalog.search.service import CatalogSearch, cards_in_order, course_card
from search_service.catalog.urls import (
    CATEGORY_ROOT_PAGE,
    CATEGORY_SUB_PAGE,
    SEARCH_PAGE,
    category_url,
    search_url,
)
from search_service.db.annotations import DbSession, Viewer
from search_service.db.models import User
from search_service.insights.service import PopularSearches
from search_service.lib.errors import NotFound, SearchUnavailable
from search_service.lib.pricing import price_bound
from search_service.lib.web import CategorySlugPath, client_key, looked_at
from search_service.merchandising import service as recommendations
from search_service.merchandising.personal import latest_purchases
from search_service.pages.paging import PageLink, page_links
from search_service.search.request import SearchRequest
from search_service.search.vocabulary import FACETS

SORT_OPTIONS = (
    ("relevance", "Most relevant"),
    ("most_reviewed", "Most reviewed"),
    ("highest_rated", "Highest rated"),
    ("newest", "Newest"),
    ("price_asc", "Price: low to high"),
    ("price_desc", "Price: high to low"),
    ("popular", "Most popular"),
)
TRENDING = 8  # popular searches on the home page
BECAUSE_ROWS = 2  # "Because you bought …" rows for a signed-in student
UNAVAILABLE = "Search is taking a short break. Please try again in a minute."
# (group, kind, legend, query parameter) of every facet, in the vocabulary's order.
FACET_GROUPS = tuple(
    (group, spec.kind, GROUP_LABELS.get(group, group.title()), spec.params[0])
    for group, spec in FACETS.items()
)
# The price range control's steps: the edges of the price bands, in cents.
PRICE_STEPS_CENTS = (0, 1000, 2000, 5000, 10000, 20000)
BESTSELLERS = SearchRequest(
    bestseller=True, sort="popular", per_page=8, with_facets=False, with_highlights=False
)


KEPT = ("literal", "semantic_ratio", "per_page")


def _page_links(
    request: SearchRequest, total_pages: int, path: str, fixed: tuple[str, ...]
) -> list[PageLink]:
    params = to_params(request, fixed=fixed)

    def url(n: int) -> str:
        return search_url([*params, ("page", str(n))] if n > 1 else params, path)

    return page_links(request.page, total_pages, url)


def _price_steps(request: SearchRequest) -> list[tuple[int, str]]:
    """The price range control's choices (cents, label): the bands' edges, and the request's
    own bounds when a link set others."""
    steps = {*PRICE_STEPS_CENTS} | {request.price_min, request.price_max}
    cents = sorted(c for c in steps if c is not None)
    return [(c, price_bound(c)) for c in cents]


def _within(request: SearchRequest, fixed: str, allowed: set[str]) -> SearchRequest:
    """A category page's request: the categories chosen that are in it (a subcategory of a
    root's page), else its own; another category in the query does not replace the path's."""
    chosen = [c for c in request.category if c in allowed]
    return msgspec.structs.replace(request, category=chosen or [fixed])


async def _results_page(
    catalog: CatalogSearch,
    search_request: SearchRequest,
    path: str,
    heading: str,
    fixed: tuple[str, ...] = (),
    crumbs: list[Crumb] | None = None,
    viewer: User | None = None,
    client: str = "",
    looked_at: bool = True,
) -> Template:
    context: dict[str, Any] = {
        "heading": heading,
        "crumbs": crumbs or [],
        "base_path": path,
        "query_text": search_request.q,
        "fixed_category": fixed[0] if fixed else None,
        "sort_options": SORT_OPTIONS,
        "notice": None,
        "result": None,
        "sub_facets": [],
        "facet_groups": FACET_GROUPS,
        "trending": [],  # what the search page offers when nothing is found
        "subjects": [],
        "kept": [],
    }
    try:
        result: SearchResponse = await catalog.search(
            search_request,
            path,
            fixed,
            viewer.id if viewer is not None else None,
            client,
            looked_at,
        )
    except SearchUnavailable:
        context["notice"] = UNAVAILABLE
        return Template("search/results.html.jinja2", context=context, status_code=503)
    if fixed:
        root = next((f for f in result.facets["category"] if f.value == fixed[0]), None)
        context["sub_facets"] = root.children if root else []
    params = to_params(search_request, fixed=fixed)
    context.update(
        result=result,
        first_page_url=search_url(params, path),
        last_page_url=search_url([*params, ("page", str(result.total_pages))], path)
        if result.total_pages > 1
        else search_url(params, path),
        page_links=_page_links(search_request, result.total_pages, path, fixed),
        price_steps=_price_steps(search_request),
        # What the filters form sends along unchanged (it has no control for them).
        kept=[(k, v) for k, v in params if k in KEPT],
    )
    return Template("search/results.html.jinja2", context=context)


class CatalogPages(Controller):
    include_in_schema = False

    @get("/", name="home")
    async def home(
        self,
        db_session: DbSession,
        directory: NamedDependency[CategoryDirectory],
        catalog: NamedDependency[CatalogSearch],
        popular: NamedDependency[PopularSearches],
        viewer: Viewer,
    ) -> Template:
        tree = await directory.tree()
        counts: dict[str, int] = {}
        bestsellers, total = [], 0
        try:
            counts, total = await catalog.category_counts()
            best = await catalog.engine.search(BESTSELLERS)
            bestsellers = [course_card(h) for h in best.hits]
        except SearchUnavailable:
            pass
        categories = [
            {"slug": r, "name": tree.name(r), "count": counts.get(r, 0)} for r in tree.roots
        ]
        trending = [(q, search_url([("q", q)])) for q in await popular.trending(TRENDING)]
        because: list[tuple[str, list[CourseCard]]] = []
        if viewer is not None:
            for course_id, title in await latest_purchases(db_session, viewer.id, BECAUSE_ROWS):
                ids = await recommendations.also_bought(db_session, course_id, viewer.id, 4)
                try:
                    cards = await cards_in_order(catalog.engine, ids)
                except SearchUnavailable:
                    cards = []
                if cards:
                    because.append((title, cards))
        return Template(
            "home/index.html.jinja2",
            context={
                "categories": categories,
                "bestsellers": bestsellers,
                "total": total,
                "trending": trending,
                "because": because,
            },
        )

    @get(SEARCH_PAGE, name="search_page")
    async def search(
        self,
        request: Request[Any, Any, Any],
        catalog: NamedDependency[CatalogSearch],
        search_request: NamedDependency[SearchRequest],
        popular: NamedDependency[PopularSearches],
        viewer: Viewer,
    ) -> Template:
        q = search_request.q
        heading = f"Results for “{q}”" if q else "All courses"
        client = client_key(request)
        page = await _results_page(
            catalog,
            search_request,
            SEARCH_PAGE,
            heading,
            viewer=viewer,
            client=client,
            looked_at=looked_at(request),
        )
        result = page.context.get("result")
        if result is not None and result.total == 0:  # ways out: what others search for
            trending = await popular.trending(TRENDING)
            page.context["trending"] = [(t, search_url([("q", t)])) for t in trending if t != q]
            # and, when no category is near what was typed, every subject there is
            tree = await catalog.categories.tree()
            page.context["subjects"] = [(tree.name(r), category_url(r)) for r in tree.roots]
        return page

    @get(CATEGORY_ROOT_PAGE, name="category_root")
    async def category_root(
        self,
        root: CategorySlugPath,
        catalog: NamedDependency[CatalogSearch],
        directory: NamedDependency[CategoryDirectory],
        search_request: NamedDependency[SearchRequest],
        viewer: Viewer,
    ) -> Template:
        tree = await directory.tree()
        node = tree.nodes.get(root)
        if node is None or node.parent is not None:
            raise NotFound("There is no such category.")
        crumbs = [Crumb(name=node.name, url=category_url(root))]
        search_request = _within(search_request, root, {root, *tree.children.get(root, [])})
        return await _results_page(
            catalog, search_request, category_url(root), node.name, (root,), crumbs, viewer
        )

    @get(CATEGORY_SUB_PAGE, name="category_sub")
    async def category_sub(
        self,
        root: CategorySlugPath,
        sub: CategorySlugPath,
        catalog: NamedDependency[CatalogSearch],
        directory: NamedDependency[CategoryDirectory],
        search_request: NamedDependency[SearchRequest],
        viewer: Viewer,
    ) -> Template:
        tree = await directory.tree()
        node = tree.nodes.get(sub)
        if node is None or node.parent != root:
            raise NotFound("There is no such category.")
        crumbs = [
            Crumb(name=tree.name(root), url=category_url(root)),
            Crumb(name=node.name, url=category_url(root, sub)),
        ]
        search_request = _within(search_request, sub, {sub})
        return await _results_page(
            catalog, search_request, category_url(root, sub), node.name, (sub,), crumbs, viewer
        )
