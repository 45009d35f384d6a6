"""Catalog search: one engine call, then cards, facets, chips and (if needed) suggestions."""

from __future__ import annotations

import asyncio
import functools
import re
import time
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import msgspec

from search_service.catalog.categories import CategoryDirectory
from search_service.catalog.pictures import picture_url
from search_service.catalog.schemas import (
    Chip,
    CourseCard,
    Highlights,
    Interpretation,
    MentorRef,
    Price,
    SearchResponse,
)
from search_service.catalog.search.diversity import PREFIX, diversify
from search_service.catalog.search.facets import build_facets
from search_service.catalog.search.query_string import build_applied, to_params
from search_service.catalog.search.understanding import (
    STOP_WORDS,
    Understanding,
    only_filler,
    understand,
)
from search_service.catalog.urls import SEARCH_PAGE, course_url, instructor_url, search_url
from search_service.catalog.zero_results import with_categories_of, zero_result_suggestions
from search_service.insights.log import SearchLog
from search_service.lib.pricing import discount_percent, effective_price_cents, price_display
from search_service.merchandising.personal import Personaliser
from search_service.search.engine import SearchEngine
from search_service.search.request import MAX_HITS, SearchRequest, unfiltered
from search_service.search.results import EngineHit, EngineResult
from search_service.search.text import plan, words
from search_service.semantic.embedder import Embedder, pack


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
        image_url=picture_url(doc.slug, doc.thumbnail_url),
        mentor=MentorRef(
            name=doc.mentor_name,
            headline=doc.mentor_headline,
            url=instructor_url(doc.mentor_id, doc.mentor_name),
        ),
        level=doc.level,
        language_code=doc.language_code,
        price=price(doc.list_price_cents, doc.sale_price_cents, doc.currency),
        rating=doc.rating,
        rating_lower_bound=doc.rating_lower_bound,
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


@dataclass(frozen=True, slots=True)
class Meaning:
    """What a query means: its vector from the model, and how much it counts by default
    (SKILLSPRING_SEMANTIC_RATIO). Above the port, so both engines compare the same vector."""

    embedder: Embedder
    ratio: float

    def of(self, request: SearchRequest, text: str) -> SearchRequest:
        """``request`` with its ratio settled and, when meaning counts, the vector of
        ``text`` (what was typed, typed filters taken out). A literal search is lexical."""
        ratio = self.ratio if request.semantic_ratio is None else request.semantic_ratio
        if request.literal:
            ratio = 0.0
        # Words the model does not know ("qwxzvbnmk", "pyhton") give a vector of noise: a
        # text without one word it knows (function words aside) is searched by its words only.
        content = [w for w in words(text) if w not in STOP_WORDS]
        meant = ratio and any(self.embedder.knows(w) for w in content)
        # Meaning does not depend on case or on how an accent is encoded ("COOKING BASICS"
        # read as sales and bread, "diseño" typed as n + U+0303 as a language course).
        said = unicodedata.normalize("NFC", text).lower()
        vector = pack(self.embedder.embed([said])[0]) if meant else b""
        # Counted as the engines count the words searched: a synonym phrase is one.
        groups = len(plan(" ".join(content))) if meant else 0
        return msgspec.structs.replace(
            request, semantic_ratio=ratio, vector=vector, meant_words=groups
        )


CLOSEST = 4  # courses shown on a page that found nothing
# Punctuation that joins words without being part of one ("title:python", "ui/ux"): both
# engines search the words on each side, so recovery tries each on its own. Symbols of names
# (c++, c#, .net), hyphens and apostrophes stay inside their word.
_BETWEEN_WORDS = re.compile(r"[^\w\s+#.'’-]+")


def named_instructor(query: str, hits: Sequence[EngineHit]) -> MentorRef | None:
    """The instructor a query names (every word of it is in their name), among the mentors
    of the first hits: shown above the courses."""
    asked = set(words(query))
    if not asked or all(len(w) < 3 for w in asked):
        return None
    for hit in hits[:10]:
        doc = hit.document
        if asked <= set(words(doc.mentor_name)):
            url = instructor_url(doc.mentor_id, doc.mentor_name)
            return MentorRef(name=doc.mentor_name, headline=doc.mentor_headline, url=url)
    return None


def _every_word_matched(result: EngineResult) -> bool:
    return bool(result.matched) and result.kept_words == result.words


async def every_word_as_typed(engine: SearchEngine, text: str) -> bool:
    """Whether some course holds every word of ``text`` as typed, under the filters typed
    in it ("python in spanish": a Spanish course with "python"): no typo, no stop word left
    out, no respelling (a literal search of the words matches with all of them)."""
    explicit = understand(SearchRequest(q=text)).explicit
    if not explicit.q.strip():
        return False
    # Counted strictly (as an explicit sort is): every word when any course has them all.
    literal = msgspec.structs.replace(
        explicit, literal=True, sort="newest", with_hits=False, with_facets=False
    )
    return _every_word_matched(await engine.search(literal))


def searched_words(text: str) -> str:
    """The words ``text`` is searched for, typed filters and filler read out ("python in
    spanish": "python"): what merchandising rules are matched with."""
    return understand(SearchRequest(q=text)).searched.q


def _relaxed_words(request: SearchRequest, result: EngineResult) -> list[str]:
    """The words some results do not have: relaxation kept only the first word groups."""
    if result.kept_words is None or not result.words or result.kept_words >= result.words:
        return []
    if not result.matched:
        return []
    groups = plan(request.q, literal=request.literal)
    return [word for group in groups[result.kept_words :] for word in group.words]


class CatalogSearch:
    """The search use case, over the configured engine and the category tree."""

    def __init__(
        self,
        engine: SearchEngine,
        categories: CategoryDirectory,
        log: SearchLog | None = None,
        personaliser: Personaliser | None = None,
        meaning: Meaning | None = None,
    ) -> None:
        self.engine = engine
        self.categories = categories
        self.log = log  # None: searches are not shoppers' (the relevance runner)
        self.personaliser = personaliser
        self.meaning = meaning  # None: lexical search only

    def _meant(self, request: SearchRequest, text: str) -> SearchRequest:
        if self.meaning is None:
            ratio = 0.0 if request.semantic_ratio is None else request.semantic_ratio
            return msgspec.structs.replace(request, semantic_ratio=ratio)
        return self.meaning.of(request, text)

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
        # An owned course the query names (every word of its title, function words aside,
        # typed): searching the title of a course bought is going back to it.
        asked = set(words(request.q))
        titles = {c.id: set(words(c.title)) - STOP_WORDS for c in cards if c.id in profile.owned}
        named = frozenset(i for i, title in titles.items() if asked and title and title <= asked)
        lift = request.sort == "relevance"
        order = self.personaliser.order(ids, profile, pinned, lift=lift, named=named)
        return [marked[i] for i in order]

    async def _without_unmatched(self, request: SearchRequest) -> tuple[SearchRequest, list[str]]:
        """The request without the words that match no course on their own, so a sentence
        that matches nothing as a whole recovers with its subject. A word is tried in the
        whole catalog: one that only the filters rule out stays ("machine learning" over 17
        hours finds nothing, and the way out is to remove that filter, not the word)."""
        typed = [
            part for token in request.q.split() for part in _BETWEEN_WORDS.split(token) if part
        ]
        if len(typed) < 2:
            return request, []
        bare = unfiltered(request)
        alone = await asyncio.gather(
            *(
                self.engine.search(
                    msgspec.structs.replace(
                        bare, q=word, with_hits=False, with_facets=False, vector=b""
                    )
                )
                for word in typed
            )
        )
        totals = [result.matched or 0 for result in alone]
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
        return msgspec.structs.replace(
            result,
            hits=hits[request.offset : reach],
            pinned=max(0, result.pinned - request.offset),
        )

    async def _spelling(
        self, searched: SearchRequest, result: EngineResult
    ) -> tuple[str | None, bool]:
        """A respelling of the words searched (of a word the index does not hold), offered
        only when it finds better matches than the words typed: every word of it matches,
        and the typed words matched fewer courses, or not all of them; and whether it finds
        more courses than typo tolerance did."""
        if not searched.q or searched.literal:
            return None, False
        spelling = await self.engine.correct(searched.q)
        if not spelling or only_filler(spelling):  # "free" → "from" says nothing
            return None, False
        # Counted strictly (as an explicit sort is): every word when any course has them all.
        probe = msgspec.structs.replace(
            searched, q=spelling, vector=b"", with_hits=False, with_facets=False, sort="newest"
        )
        found = await self.engine.search(probe)
        if not _every_word_matched(found):
            return None, False
        # As many courses with every word as typo tolerance found, or more: the respelling
        # says what was searched ("Showing results for python").
        more = (found.matched or 0) > (result.matched or 0)
        better = not _every_word_matched(result) or more or found.matched == result.matched
        return (spelling, more) if better else (None, False)

    async def _run(
        self, request: SearchRequest
    ) -> tuple[Understanding, SearchRequest, EngineResult, Interpretation]:
        """Understand, search (by words and meaning), respell, recover from nothing found."""
        understood = understand(request)
        # The meaning is that of what was typed (filters taken out, filler kept: "make a
        # website"); the words searched are the subject alone ("website").
        searched = self._meant(understood.searched, understood.explicit.q)
        result = await self._ranked(searched)
        spelling, more = await self._spelling(searched, result)
        if spelling and not result.matched:
            # Beyond what typo tolerance reaches ("adbe"): the respelling is searched.
            respelled = self._meant(msgspec.structs.replace(searched, q=spelling), spelling)
            found = await self._ranked(respelled)
            if found.total:
                searched, result = respelled, found
        elif spelling and more:
            # Typo tolerance found some of the respelling's courses ("gitar": 6 of the 16
            # with "guitar"): what "Showing results for guitar" says is searched, with the
            # meaning of what was typed.
            respelled = msgspec.structs.replace(searched, q=spelling)
            searched, result = respelled, await self._ranked(respelled)
        dropped: list[str] = []
        if not result.matched and not request.literal:
            # No course has the words: those that match nothing on their own are dropped
            # (the rest still searched by words, and by meaning as typed).
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
                relaxed_words=_relaxed_words(searched, result),
                by_meaning=bool(result.neighbours) and result.matched == 0,
            ),
        )

    async def search(
        self,
        request: SearchRequest,
        path: str = SEARCH_PAGE,
        fixed: tuple[str, ...] = (),
        viewer: uuid.UUID | None = None,
        client: str = "",
        looked_at: bool = True,
    ) -> SearchResponse:
        """The response to a shopper's search (``client``: their address, for the insights'
        count of different clients; logged only when the answer is ``looked_at``; ``viewer``:
        the signed-in student, for their page)."""
        started = time.perf_counter()
        understood, searched, result, interpreted = await self._run(request)
        result = await self._free_and_paid(searched, result)
        tree = await self.categories.tree()
        explicit = understood.explicit
        suggestions, closest = [], []
        if result.total == 0:
            suggestions = await zero_result_suggestions(self.engine, explicit, tree, path, fixed)
            near = await self._closest(explicit)
            closest = [course_card(hit) for hit in near]
            suggestions = with_categories_of(suggestions, near, tree)
        query_id = ""
        # An answer nobody looks at (a HEAD, a load another site sends unseen) is no
        # shopper's search: not logged, not counted towards popular searches.
        if self.log is not None and looked_at:
            query_id = await self.log.searched(
                request,
                result.total,
                # All of what was typed: not a respelling, nor what is left once the words
                # that matched nothing were dropped ("buy cheap pills" found "cheap").
                every_word=_every_word_matched(result)
                and not interpreted.spelling
                and not interpreted.dropped_words,
                shown=[hit.document.id for hit in result.hits],
                client=client,
            )
        applied = msgspec.structs.replace(
            build_applied(explicit, tree, path, fixed), semantic_ratio=searched.semantic_ratio
        )
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
            closest=closest,
            instructor=named_instructor(searched.q, result.hits) if request.page == 1 else None,
        )

    async def _free_and_paid(self, searched: SearchRequest, result: EngineResult) -> EngineResult:
        """With a price range chosen, Free and Paid counted within it: what their links find.
        An engine counts each facet group without the group's own filters, and the range is
        one of the price group's, as its bands need (a band's link replaces the range). With
        Free chosen, the bands count 0: what their links (Free kept) find."""
        ranged = searched.price_min is not None or searched.price_max is not None
        if not searched.with_facets or not (ranged or searched.price == "free"):
            return result
        counts = dict(result.facets.get("price", {}))
        if searched.price == "free":
            # and the reverse: every band is of paid courses, and its link keeps Free.
            counts.update({value: 0 for value in counts if value not in ("free", "paid")})
        for value in ("free", "paid") if ranged else ():
            if searched.price == value:
                counts[value] = result.total
                continue
            within = msgspec.structs.replace(
                searched, price=value, page=1, with_hits=False, with_facets=False
            )
            counts[value] = (await self.engine.search(within)).total
        return msgspec.structs.replace(result, facets={**result.facets, "price": counts})

    async def _closest(self, request: SearchRequest) -> list[EngineHit]:
        """When nothing matched: the courses closest in meaning to what was typed, whatever
        the filters (none, when nothing is close enough)."""
        if self.meaning is None or not request.q.strip() or request.literal:
            return []
        wanted = SearchRequest(q=request.q, semantic_ratio=1.0, per_page=CLOSEST, with_facets=False)
        found = await self.engine.search(self.meaning.of(wanted, request.q))
        return list(found.hits)

    async def category_counts(self) -> tuple[dict[str, int], int]:
        """Published courses per category slug (a root counts its subcategories' courses),
        and the number of published courses."""
        result = await self.engine.search(SearchRequest(per_page=1, with_highlights=False))
        return result.facets.get("category", {}), result.total
