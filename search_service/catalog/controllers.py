"""HTTP handlers of the catalog API (thin: the parsed request in, the service's answer out)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency

from search_service.catalog.caching import conditional
from search_service.catalog.categories import CategoryDirectory
from search_service.catalog.schemas import (
    CategoryNode,
    CategoryTreeResponse,
    SearchResponse,
    SuggestResponse,
)
from search_service.catalog.search.query_string import SearchOperation, with_typed_text
from search_service.catalog.search.service import CatalogSearch
from search_service.catalog.suggest import Suggester
from search_service.catalog.urls import category_url
from search_service.db.annotations import Viewer
from search_service.lib.decoding import decode_fields, from_multidict
from search_service.lib.openapi import operation_with, query_parameters
from search_service.lib.problems import problem_responses
from search_service.lib.web import client_key, looked_at
from search_service.search.engine import SearchEngine
from search_service.search.request import Query, SearchRequest


class SuggestRequest(msgspec.Struct, kw_only=True, frozen=True):
    q: Query = ""


SuggestOperation = operation_with(query_parameters(msgspec.structs.fields(SuggestRequest)))


class CatalogController(Controller):
    tags = ("catalog",)

    @get(
        "/search",
        summary="Faceted catalog search",
        name="api_search",
        operation_class=SearchOperation,
        responses=problem_responses(400, 503),
    )
    async def search(
        self,
        request: Request[Any, Any, Any],
        search_request: NamedDependency[SearchRequest],
        viewer: Viewer,
        catalog: NamedDependency[CatalogSearch],
        engine: NamedDependency[SearchEngine],
        directory: NamedDependency[CategoryDirectory],
    ) -> Response[SearchResponse]:
        """Search published courses: text, filters (OR within a facet, AND across facets),
        sort and page; facet counts are disjunctive; with ``semantic_ratio`` above 0 (the
        default), courses close in meaning join the matches (docs/relevance.md). With a bearer
        token, hits the student owns say ``owned: true`` and go after the page's others."""
        validator = await conditional(request, engine, (await directory.tree()).version)
        if validator.fresh:
            return validator.not_modified()
        viewer_id = viewer.id if viewer else None
        client = client_key(request)
        return validator.answer(
            await catalog.search(
                search_request, viewer=viewer_id, client=client, looked_at=looked_at(request)
            )
        )

    @get(
        "/suggest",
        summary="As-you-type suggestions",
        name="api_suggest",
        operation_class=SuggestOperation,
        responses=problem_responses(400, 503),
    )
    async def suggest(
        self,
        request: Request[Any, Any, Any],
        suggester: NamedDependency[Suggester],
        engine: NamedDependency[SearchEngine],
        directory: NamedDependency[CategoryDirectory],
    ) -> Response[SuggestResponse]:
        """Up to 8 course titles, categories and mentors for what has been typed so far."""
        query = with_typed_text(request.query_params.dict())
        parsed = decode_fields(SuggestRequest, from_multidict(SuggestRequest, query))
        popular = await suggester.popular.digest() if suggester.popular else ""
        tree = await directory.tree()
        validator = await conditional(request, engine, f"{popular}|{tree.version}")
        if validator.fresh:
            return validator.not_modified()
        return validator.answer(await suggester.suggest(parsed.q))

    @get(
        "/categories",
        summary="Category tree with course counts",
        name="api_categories",
        responses=problem_responses(503),
    )
    async def categories(
        self,
        request: Request[Any, Any, Any],
        directory: NamedDependency[CategoryDirectory],
        catalog: NamedDependency[CatalogSearch],
        engine: NamedDependency[SearchEngine],
    ) -> Response[CategoryTreeResponse]:
        """Every category with the number of published courses in it (roots include their
        subcategories' courses)."""
        tree = await directory.tree()
        validator = await conditional(request, engine, tree.version)
        if validator.fresh:
            return validator.not_modified()
        counts, total = await catalog.category_counts()
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
        return validator.answer(CategoryTreeResponse(categories=nodes, total=total))
