"""HTTP handlers of the catalog API (thin: parse, call the service, return)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import Parameter

from search_service.catalog.categories import CategoryDirectory
from search_service.catalog.params import (
    ALLOWED,
    LANGUAGE_PATTERN,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_QUERY,
    SLUG_PATTERN,
    Duration,
    Feature,
    Level,
    PriceKind,
    Sort,
    build_request,
    check_single_valued,
)
from search_service.catalog.schemas import (
    CategoryNode,
    CategoryTreeResponse,
    SearchResponse,
    SuggestResponse,
)
from search_service.catalog.service import CatalogSearch
from search_service.catalog.suggest import Suggester
from search_service.catalog.urls import category_url
from search_service.problems import problem_responses
from search_service.search.engine import SearchEngine
from search_service.search.query import SearchRequest


def _doc(name: str, **schema: Any) -> Any:
    return Parameter(
        description=f"Allowed: {ALLOWED[name]}.", required=False, schema_extra=schema or None
    )


def _repeated(pattern: str) -> dict[str, Any]:
    """Schema of a repeatable string parameter whose values match ``pattern``."""
    item = {"type": "string", "pattern": pattern, "maxLength": 80}
    return {"oneOf": [{"type": "array", "items": item}, {"type": "null"}]}


# Litestar leaves out bounds equal to 0 (it tests them for truth), so they are restated.
NON_NEGATIVE = {"minimum": 0}


class CatalogController(Controller):
    path = "/api/v1"
    tags = ("catalog",)

    @get(
        "/search",
        summary="Faceted catalog search",
        name="api_search",
        responses=problem_responses(400, 503),
    )
    async def search(
        self,
        request: Request[Any, Any, Any],
        catalog: NamedDependency[CatalogSearch],
        q: Annotated[str, Parameter(max_length=MAX_QUERY, description=ALLOWED["q"])] = "",
        category: Annotated[list[str] | None, _doc("category", **_repeated(SLUG_PATTERN))] = None,
        level: Annotated[list[Level] | None, _doc("level")] = None,
        language: Annotated[
            list[str] | None, _doc("language", **_repeated(LANGUAGE_PATTERN))
        ] = None,
        price: Annotated[PriceKind | None, _doc("price")] = None,
        price_min: Annotated[
            int | None, Parameter(ge=0, le=10**9, required=False, schema_extra=NON_NEGATIVE)
        ] = None,
        price_max: Annotated[
            int | None, Parameter(ge=0, le=10**9, required=False, schema_extra=NON_NEGATIVE)
        ] = None,
        rating_min: Annotated[
            float | None, Parameter(ge=0, le=5, required=False, schema_extra=NON_NEGATIVE)
        ] = None,
        duration: Annotated[list[Duration] | None, _doc("duration")] = None,
        features: Annotated[list[Feature] | None, _doc("features")] = None,
        bestseller: Annotated[bool | None, _doc("bestseller")] = None,
        sort: Annotated[Sort, _doc("sort")] = "relevance",
        page: Annotated[int, Parameter(ge=1, le=MAX_PAGE, required=False)] = 1,
        per_page: Annotated[int, Parameter(ge=1, le=MAX_PER_PAGE, required=False)] = 20,
    ) -> SearchResponse:
        """Search published courses: text, filters (OR within a facet, AND across facets),
        sort and page; facet counts are disjunctive."""
        check_single_valued(request.query_params.dict())
        search_request = build_request(
            q=q,
            category=category,
            level=list(level or []),
            language=language,
            price=price,
            price_min=price_min,
            price_max=price_max,
            rating_min=rating_min,
            duration=list(duration or []),
            features=list(features or []),
            bestseller=bestseller,
            sort=sort,
            page=page,
            per_page=per_page,
        )
        return await catalog.search(search_request)

    @get(
        "/suggest",
        summary="As-you-type suggestions",
        name="api_suggest",
        responses=problem_responses(400, 503),
    )
    async def suggest(
        self,
        request: Request[Any, Any, Any],
        suggester: NamedDependency[Suggester],
        q: Annotated[str, Parameter(max_length=MAX_QUERY, description=ALLOWED["q"])] = "",
    ) -> SuggestResponse:
        """Up to 8 course titles, categories and mentors for what has been typed so far."""
        check_single_valued(request.query_params.dict())
        return await suggester.suggest(q)

    @get(
        "/categories",
        summary="Category tree with course counts",
        name="api_categories",
        responses=problem_responses(503),
    )
    async def categories(
        self,
        directory: NamedDependency[CategoryDirectory],
        engine: NamedDependency[SearchEngine],
    ) -> CategoryTreeResponse:
        """Every category with the number of published courses in it (roots include their
        subcategories' courses)."""
        tree = await directory.tree()
        result = await engine.search(SearchRequest(per_page=1, with_highlights=False))
        counts = result.facets.get("category_slugs", {})
        nodes = [
            CategoryNode(
                slug=root,
                name=tree.name(root),
                url=category_url(root),
                count=counts.get(root, 0),
                children=[
                    CategoryNode(
                        slug=sub,
                        name=tree.name(sub),
                        url=category_url(root, sub),
                        count=counts.get(sub, 0),
                    )
                    for sub in tree.children.get(root, [])
                ],
            )
            for root in tree.roots
        ]
        return CategoryTreeResponse(categories=nodes, total=result.total)
