"""Catalog search: one engine call, then cards, facets, chips and (if needed) suggestions."""

from __future__ import annotations

import asyncio
import functools
import time
import uuid
from collections.abc import Sequence

import msgspec

from search_service.catalog.applied import build_applied
from search_service.catalog.categories import CategoryDirectory
from search_service.catalog.diversity import PREFIX, diversify
from search_service.catalog.facet_view import build_facets
from search_service.catalog.params import to_params
from search_service.catalog.schemas import (
    Chip,
    CourseCard,
    Highlights,
    Interpretation,
    MentorRef,
    Price,
    SearchResponse,
)
from search_service.catalog.suggestions import zero_result_suggestions
from search_service.catalog.understanding import Understanding, only_filler, understand
from search_service.catalog.urls import SEARCH_PAGE, course_url, search_url
from search_service.insights.log import SearchLog
from search_service.merchandising.personal import Personaliser
from search_service.pricing import discount_percent, effective_price_cents, price_display
from search_service.search.engine import SearchEngine
from search_service.search.request import MAX_HITS, SearchRequest
from search_service.search.results import EngineHit, EngineResult


def _typed(chip: Chip, typed: dict[str, list[str]]) -> bool:
    if chip.param == "price_range":
        return "price_max" in typed
    return chip.value in typed.get(chip.param, ())


def literal_url(request: SearchRequest, path: str, fixed: tuple[str, ...]) -> str:
    """The same search, of exactly the words typed."""
    literal = msgspec.structs.replace(request, literal=True, page=1)
    return search_url(to_params(literal, fixed=fixed), path)


def last_page(per_page: int) -> int:
    """The deepest page of ``per_page`` hits that pages reach (see ``MAX_HITS``)."""
    return max(1, -(-MAX_HITS // per_page))


@functools.lru_cache(maxsize=16_384)  # prices repeat across courses; a Price is frozen
def price(list_cents: int, sale_cents: int | None, currency: str) -> Price:
    """The price box of a course: what it costs, what it cost, and how to show both."""
    effective = effective_price_cents(list_cents, sale_cents)
    return Price(
        list_cents=list_cents,
        sale_cents=sale_cents,
        effective_cents=effective,
        currency=currency,
        discount_percent=discount_percent(list_cents, effective),
        is_free=effective == 0,
        display=price_display(effective, currency),
        list_display=price_display(list_cents, currency),
    )


def course_card(hit: EngineHit) -> CourseCard:
    """A search hit as the API shows it."""
    doc = hit.document
    return CourseCard(
        id=doc.id,
        slug=doc.slug,
        url=course_url(doc.slug),
        title=doc.title,
        subtitle=doc.subtitle,
        thumbnail_url=doc.thumbnail_url,
        mentor=MentorRef(name=doc.mentor_name, headline=doc.mentor_headline),
        level=doc.level,
        language_code=doc.language_code,
        price=price(doc.list_price_cents, doc.sale_price_cents, doc.currency),
        rating=doc.rating,
        rating_weighted=doc.rating_weighted,
        review_count=doc.review_count,
        duration_minutes=doc.total_duration_minutes,
        lecture_count=doc.lecture_count,
        is_bestseller=doc.is_bestseller,
        highlights=Highlights(
            title=hit.highlights.title,
            subtitle=hit.highlights.subtitle,
            description=hit.highlights.description,
        ),
    )


async def cards_in_order(engine: SearchEngine, ids: Sequence[str]) -> list[CourseCard]:
    """The published courses among ``ids`` as cards, in the order given."""
    if not ids:
        return []
    result = await engine.search(
        SearchRequest(ids=tuple(ids), per_page=len(ids), with_facets=False, with_highlights=False)
    )
    found = {hit.document.id: course_card(hit) for hit in result.hits}
    return [found[i] for i in ids if i in found]


class CatalogSearch:
    """The search use case, over the configured engine and the category tree."""

    def __init__(
        self,
        engine: SearchEngine,
        categories: CategoryDirectory,
        log: SearchLog | None = None,
        personaliser: Personaliser | None = None,
    ) -> None:
        self.engine = engine
        self.categories = categories
        self.log = log  # None: searches are not shoppers' (the relevance runner)
        self.personaliser = personaliser

    async def _for_viewer(
        self, cards: list[CourseCard], viewer: uuid.UUID | None, request: SearchRequest, pinned: int
    ) -> list[CourseCard]:
        if viewer is None or self.personaliser is None or not cards:
            return cards
        ids = [c.id for c in cards]
        profile = await self.personaliser.profile(viewer, ids)
        marked = [
            msgspec.structs.replace(c, owned=True) if c.id in profile.owned else c for c in cards
        ]
        order = self.personaliser.order(ids, profile, pinned, lift=request.sort == "relevance")
        return [marked[i] for i in order]

    async def _without_unmatched(self, request: SearchRequest) -> tuple[SearchRequest, list[str]]:
        """The request without the words that match no course on their own (with its
        filters), so a sentence that matches nothing as a whole recovers with its subject."""
        typed = request.q.split()
        if len(typed) < 2:
            return request, []
        alone = await asyncio.gather(
            *(
                self.engine.search(
                    msgspec.structs.replace(request, q=word, with_hits=False, with_facets=False)
                )
                for word in typed
            )
        )
        totals = [result.total for result in alone]
        kept = [word for word, total in zip(typed, totals, strict=True) if total]
        if not kept or len(kept) == len(typed):
            return request, []
        dropped = [word for word, total in zip(typed, totals, strict=True) if not total]
        return msgspec.structs.replace(request, q=" ".join(kept)), dropped

    async def _ranked(self, request: SearchRequest) -> EngineResult:
        """The engine's page, with the top of a relevance ranking diversified
        (``diversity.py``): a page within the diversified prefix is cut from the prefix,
        so every page size shows the same order and paging loses or repeats nothing."""
        if request.sort != "relevance" or not request.with_hits or request.offset >= PREFIX:
            return await self.engine.search(request)
        reach = request.offset + request.per_page
        wide = msgspec.structs.replace(request, page=1, per_page=max(PREFIX, reach))
        result = await self.engine.search(wide)
        hits = diversify(result.hits[:PREFIX], request.q, result.pinned) + result.hits[PREFIX:]
        result.hits = hits[request.offset : reach]
        result.pinned = max(0, result.pinned - request.offset)
        return result

    async def _run(
        self, request: SearchRequest
    ) -> tuple[Understanding, SearchRequest, EngineResult, Interpretation]:
        """Understand, respell, search, and recover from nothing found."""
        understood = understand(request)
        searched = understood.searched
        # A respelling is said, and searched only when what was typed finds nothing: typo
        # tolerance already finds its courses, ranked by how well they match what was typed.
        spelling = (
            await self.engine.correct(searched.q) if searched.q and not request.literal else None
        )
        if spelling and only_filler(spelling):
            spelling = None  # "free" → "from" says nothing
        result = await self._ranked(searched)
        if result.total == 0 and spelling:
            # Beyond what typo tolerance reaches ("adbe"): the respelling is searched.
            respelled = msgspec.structs.replace(searched, q=spelling)
            found = await self._ranked(respelled)
            if found.total:
                searched, result = respelled, found
        dropped: list[str] = []
        if result.total == 0 and not request.literal:
            relaxed, dropped = await self._without_unmatched(searched)
            if dropped:
                searched = relaxed
                result = await self._ranked(searched)
        return (
            understood,
            searched,
            result,
            Interpretation(
                query=searched.q,
                spelling=spelling,
                ignored_words=understood.ignored,
                dropped_words=dropped,
            ),
        )

    async def search(
        self,
        request: SearchRequest,
        path: str = SEARCH_PAGE,
        fixed: tuple[str, ...] = (),
        viewer: uuid.UUID | None = None,
    ) -> SearchResponse:
        started = time.perf_counter()
        understood, searched, result, interpreted = await self._run(request)
        tree = await self.categories.tree()
        explicit = understood.explicit
        suggestions = (
            await zero_result_suggestions(self.engine, explicit, tree, path)
            if result.total == 0
            else []
        )
        query_id = await self.log.searched(request, result.total) if self.log else ""
        applied = build_applied(explicit, tree, path, fixed)
        interpreted.auto_filters = [c for c in applied.chips if _typed(c, understood.auto)]
        if searched.q != request.q or interpreted.auto_filters or interpreted.spelling:
            interpreted.literal_url = literal_url(request, path, fixed)
        return SearchResponse(
            query=request.q,
            query_id=query_id,
            total=result.total,
            page=request.page,
            per_page=request.per_page,
            total_pages=min(-(-result.total // request.per_page), last_page(request.per_page)),
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            hits=await self._for_viewer(
                [course_card(hit) for hit in result.hits], viewer, request, result.pinned
            ),
            facets=build_facets(result.facets, explicit, tree),
            applied=applied,
            interpreted=interpreted,
            suggestions=suggestions,
        )

    async def category_counts(self) -> tuple[dict[str, int], int]:
        """Published courses per category slug (a root counts its subcategories' courses),
        and the number of published courses."""
        result = await self.engine.search(SearchRequest(per_page=1, with_highlights=False))
        return result.facets.get("category", {}), result.total
