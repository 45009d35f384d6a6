"""The HTML pages. Thin: parse, call the same services as the API, render."""

from __future__ import annotations

import json
import uuid
from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from search_service.catalog.categories import CategoryDirectory
from search_service.catalog.labels import language_label
from search_service.catalog.params import request_from_query, to_params
from search_service.catalog.schemas import FacetValue, SearchResponse
from search_service.catalog.service import CatalogSearch, course_card
from search_service.catalog.urls import (
    CATEGORY_ROOT_PAGE,
    CATEGORY_SUB_PAGE,
    COURSE_PAGE,
    SEARCH_PAGE,
    category_url,
    course_url,
    search_url,
)
from search_service.courses import service as courses
from search_service.courses.schemas import CourseDetail, Crumb
from search_service.errors import NotFound, SearchUnavailable
from search_service.ops.metrics import ENGINE_ERRORS
from search_service.pages.views import ViewCounter
from search_service.search.engine import SearchEngine
from search_service.search.query import SearchRequest

SORT_OPTIONS = (
    ("relevance", "Most relevant"),
    ("most_reviewed", "Most reviewed"),
    ("highest_rated", "Highest rated"),
    ("newest", "Newest"),
    ("price_asc", "Price: low to high"),
    ("price_desc", "Price: high to low"),
    ("popular", "Most popular"),
)
REVIEW_SORTS = (
    ("helpful", "Most helpful"),
    ("recent", "Newest"),
    ("highest", "Highest"),
    ("lowest", "Lowest"),
)
UNAVAILABLE = "Search is taking a short break. Please try again in a minute."


def _page_links(
    request: SearchRequest, total_pages: int, path: str, fixed: tuple[str, ...]
) -> list[tuple[str, str | None, bool]]:
    if total_pages <= 1:
        return []
    params = to_params(request, fixed=fixed)

    def url(n: int) -> str:
        return search_url([*params, ("page", str(n))] if n > 1 else params, path)

    current = request.page
    nearby = range(max(1, current - 2), min(total_pages, current + 2) + 1)
    window = sorted({1, total_pages, *nearby})
    links: list[tuple[str, str | None, bool]] = []
    if current > 1:
        links.append(("Previous", url(current - 1), False))
    previous = 0
    for n in window:
        if n - previous > 1:
            links.append(("…", None, False))
        links.append((str(n), url(n), n == current))
        previous = n
    if current < total_pages:
        links.append(("Next", url(current + 1), False))
    return links


def _band_urls(
    request: SearchRequest, bands: list[FacetValue], path: str, fixed: tuple[str, ...]
) -> list[str]:
    base = [p for p in to_params(request, fixed=fixed) if p[0] not in ("price_min", "price_max")]
    return [
        search_url(base if band.selected else [*base, *band.params.items()], path) for band in bands
    ]


async def _search_page(
    request: Request[Any, Any, Any],
    catalog: CatalogSearch,
    path: str,
    heading: str,
    fixed: tuple[str, ...] = (),
    crumbs: list[Crumb] | None = None,
    sub_facets: list[FacetValue] | None = None,
) -> Template:
    search_request = request_from_query(request.query_params.dict(), fixed)
    context: dict[str, Any] = {
        "heading": heading,
        "crumbs": crumbs or [],
        "base_path": path,
        "query_text": search_request.q,
        "fixed_category": fixed[0] if fixed else None,
        "sort_options": SORT_OPTIONS,
        "notice": None,
        "result": None,
    }
    try:
        result: SearchResponse = await catalog.search(search_request, path, fixed)
    except SearchUnavailable:
        ENGINE_ERRORS.inc()
        context["notice"] = UNAVAILABLE
        return Template("search/results.html.jinja2", context=context, status_code=503)
    if fixed:
        root = next((f for f in result.facets.category if f.value == fixed[0]), None)
        sub_facets = root.children if root else []
    context.update(
        result=result,
        sub_facets=sub_facets or [],
        page_links=_page_links(search_request, result.total_pages, path, fixed),
        band_urls=_band_urls(search_request, result.facets.price[2:], path, fixed),
    )
    return Template("search/results.html.jinja2", context=context)


class PagesController(Controller):
    include_in_schema = False

    @get("/", name="home")
    async def home(
        self, directory: NamedDependency[CategoryDirectory], engine: NamedDependency[SearchEngine]
    ) -> Template:
        tree = await directory.tree()
        categories, bestsellers, total = [], [], 0
        try:
            counts = await engine.search(SearchRequest(per_page=1, with_highlights=False))
            total = counts.total
            slugs = counts.facets.get("category_slugs", {})
            categories = [
                {"slug": r, "name": tree.name(r), "count": slugs.get(r, 0)} for r in tree.roots
            ]
            best = await engine.search(
                SearchRequest(
                    bestseller=True,
                    sort="popular",
                    per_page=8,
                    with_facets=False,
                    with_highlights=False,
                )
            )
            bestsellers = [course_card(h) for h in best.hits]
        except SearchUnavailable:
            categories = [{"slug": r, "name": tree.name(r), "count": 0} for r in tree.roots]
        return Template(
            "home/index.html.jinja2",
            context={"categories": categories, "bestsellers": bestsellers, "total": total},
        )

    @get(SEARCH_PAGE, name="search_page")
    async def search(
        self, request: Request[Any, Any, Any], catalog: NamedDependency[CatalogSearch]
    ) -> Template:
        q = request.query_params.get("q", "")
        heading = f"Results for “{q}”" if q else "All courses"
        return await _search_page(request, catalog, SEARCH_PAGE, heading)

    @get(CATEGORY_ROOT_PAGE, name="category_root")
    async def category_root(
        self,
        request: Request[Any, Any, Any],
        root: str,
        catalog: NamedDependency[CatalogSearch],
        directory: NamedDependency[CategoryDirectory],
    ) -> Template:
        tree = await directory.tree()
        node = tree.nodes.get(root)
        if node is None or node.parent is not None:
            raise NotFound("There is no such category.")
        return await _search_page(
            request,
            catalog,
            category_url(root),
            node.name,
            (root,),
            [Crumb(name=node.name, url=category_url(root))],
        )

    @get(CATEGORY_SUB_PAGE, name="category_sub")
    async def category_sub(
        self,
        request: Request[Any, Any, Any],
        root: str,
        sub: str,
        catalog: NamedDependency[CatalogSearch],
        directory: NamedDependency[CategoryDirectory],
    ) -> Template:
        tree = await directory.tree()
        node = tree.nodes.get(sub)
        if node is None or node.parent != root:
            raise NotFound("There is no such category.")
        crumbs = [
            Crumb(name=tree.name(root), url=category_url(root)),
            Crumb(name=node.name, url=category_url(root, sub)),
        ]
        return await _search_page(
            request, catalog, category_url(root, sub), node.name, (sub,), crumbs
        )

    @get(COURSE_PAGE, name="course_page")
    async def course(
        self,
        request: Request[Any, Any, Any],
        slug: str,
        db_session: AsyncSession,
        engine: NamedDependency[SearchEngine],
        views: NamedDependency[ViewCounter],
    ) -> Template:
        detail = await courses.course_detail(db_session, slug)
        await views.record(uuid.UUID(detail.id))
        sort = request.query_params.get("reviews", "helpful")
        sort = sort if sort in dict(REVIEW_SORTS) else "helpful"
        reviews = await courses.course_reviews(db_session, slug, sort, None, 1)
        questions = await courses.course_questions(db_session, slug, 1)
        try:
            related = await courses.related_courses(db_session, engine, slug)
        except SearchUnavailable:
            related = []
        page_url = course_url(slug)
        return Template(
            "course/detail.html.jinja2",
            context={
                "course": detail,
                "reviews": reviews,
                "questions": questions,
                "related": related,
                "reviews_sort": sort,
                "review_sorts": REVIEW_SORTS,
                "review_sort_urls": {v: f"{page_url}?reviews={v}#ratings" for v, _ in REVIEW_SORTS},
                "reviews_more_url": None,
                "language": language_label(detail.language_code),
                "tag_urls": {t: search_url([("q", t)]) for t in detail.tags},
                "canonical": str(request.base_url).rstrip("/") + page_url,
                "json_ld": _json_ld(detail, str(request.base_url).rstrip("/") + page_url),
            },
        )


def _json_ld(course: CourseDetail, url: str) -> str:
    """schema.org Course, safe to embed in a <script> element."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": course.title,
        "description": course.subtitle or course.description[:300],
        "url": url,
        "inLanguage": course.language_code,
        "provider": {"@type": "Organization", "name": "Skillspring"},
        "author": {"@type": "Person", "name": course.mentor.name},
        "offers": {
            "@type": "Offer",
            "category": "Paid" if not course.price.is_free else "Free",
            "price": f"{course.price.effective_cents / 100:.2f}",
            "priceCurrency": course.price.currency,
        },
    }
    if course.rating.count:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": course.rating.average,
            "ratingCount": course.rating.count,
        }
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
