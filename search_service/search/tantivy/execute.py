"""One planned search run on a tantivy reader: levels, ranking, meaning, counts, hits.

The levels of ``relaxation.py`` decide which words the results need; a relevance ranking
orders each level's matches by score x business weight (ties by rating, then popularity); an
explicit sort orders the same set by its field. With a query vector (``semantic_ratio`` above
0), the search is hybrid (``docs/relevance.md``, "One meaning"): the nearest courses passing
the filters (cosine at least ``SIMILARITY_FLOOR``, at most ``NEIGHBOURS``) join the lexical
matches; the first ``FUSE_WINDOW`` lexical hits and those neighbours are ordered by a convex
combination of their normalised lexical and semantic scores, the other lexical hits follow in
their order. The total and facet counts count the same set. Pages are cut from one ordering
that does not depend on the page size, so paging loses and repeats nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import tantivy

from search_service.search import relaxation
from search_service.search.document import DOCUMENT_DECODER
from search_service.search.request import MAX_HITS, NoneOf, SearchRequest
from search_service.search.results import EngineHit, EngineResult
from search_service.search.tantivy.highlight import Marker
from search_service.search.tantivy.plan import Pass, QueryBuilder, SearchPlan, ids_query
from search_service.search.tantivy.reader import Reader
from search_service.search.tantivy.schema import KEY, SET_SEPARATOR, VALUE_SETS
from search_service.search.vocabulary import FACETS, SORTS, FacetGroup, group_counts

TIE_BLOCK = 64  # hits of tantivy's order re-ordered together, equal scores by rating
FACET_SIZE = 200
SET_BUCKETS = 100_000  # every set of values a field holds: they are few, and all are needed
# Hybrid search (measured on the tuning split of the judged queries: docs/relevance.md).
NEIGHBOURS = 20  # semantic neighbours a search adds at most
SIMILARITY_FLOOR = 0.10  # the least cosine that makes a course a neighbour
MEANING_CEILING = 0.70  # a cosine counting as a perfect match in meaning
FUSE_WINDOW = 40  # lexical hits ordered together with the neighbours
MATCH_SHARE = 0.5  # beside courses with the words: a neighbour's least share of their closest

Hit = tuple[float, tantivy.DocAddress]


def _count(result: tantivy.SearchResult) -> int:
    # `count` exists at run time (search(count=True)) but is missing from the type stubs.
    return int(result.count)  # type: ignore[attr-defined]


def _facet_counts(
    searcher: tantivy.Searcher, query: tantivy.Query, groups: Sequence[FacetGroup]
) -> dict[str, dict[str, int]]:
    """Counts per value of the groups' fields, in one aggregation (sets of values counted
    through their single-valued twins, then spread over their members)."""
    fields = [f for g in groups for f in FACETS[g].fields]
    if not fields:
        return {}
    request = {
        f: {"terms": {"field": VALUE_SETS[f], "size": SET_BUCKETS}}
        if f in VALUE_SETS
        else {"terms": {"field": f, "size": FACET_SIZE}}
        for f in fields
    }
    raw: dict[str, Any] = searcher.aggregate(query, request)
    counts: dict[str, dict[str, int]] = {}
    for field in fields:
        buckets = raw.get(field, {}).get("buckets", [])
        if field not in VALUE_SETS:
            counts[field] = {str(b["key"]): int(b["doc_count"]) for b in buckets}
            continue
        spread: dict[str, int] = {}
        for bucket in buckets:
            for value in str(bucket["key"]).split(SET_SEPARATOR):
                if value:
                    spread[value] = spread.get(value, 0) + int(bucket["doc_count"])
        counts[field] = dict(sorted(spread.items(), key=lambda kv: -kv[1]))
    return counts


def _ranked(reader: Reader, query: tantivy.Query, limit: int) -> tuple[int, list[Hit]]:
    """The exact total and the best ``limit`` hits by score x business weight, equal scores
    ordered by rating, then popularity within blocks of ``TIE_BLOCK`` hits of tantivy's
    order. The blocks are fixed whatever ``limit`` is, so pages of any size are cut from one
    order (completions score alike, thousands of them: a window past the page re-ordered
    a different set for each page size, and pages repeated and lost hits)."""
    searcher = reader.searcher
    fetch = -(-max(limit, 1) // TIE_BLOCK) * TIE_BLOCK
    result = searcher.search(query, fetch, count=True, weight_by_field="rank_weight")
    hits = result.hits
    if hits:
        addresses = [address for _, address in hits]
        ratings = searcher.fast_field_values("rating_weighted", addresses)
        popularity = searcher.fast_field_values("popularity", addresses)
        order = sorted(
            (index // TIE_BLOCK, -round(score, 3), -(rating or 0), -(popular or 0), index)
            for index, ((score, _), rating, popular) in enumerate(
                zip(hits, ratings, popularity, strict=True)
            )
        )
        hits = [hits[key[-1]] for key in order]
    return _count(result), hits[:limit]


def _sorted_page(
    reader: Reader, query: tantivy.Query, request: SearchRequest
) -> tuple[int, list[Hit]]:
    # relevance_key is the rating's lower bound, then popularity: highest_rated with its tie-break
    # (``SORT_TIES``) in one fast field, as browsing orders by it.
    by_key = request.sort == "highest_rated" or request.sort not in SORTS
    field, descending = ("relevance_key", True) if by_key else SORTS[request.sort]
    order = tantivy.Order.Desc if descending else tantivy.Order.Asc
    limit = min(request.per_page, MAX_HITS - request.offset)
    if limit <= 0:  # past the deepest page: the total only
        return _count(reader.searcher.search(query, 1, count=True)), []
    result = reader.searcher.search(
        query, limit, count=True, order_by_field=field, order=order, offset=request.offset
    )
    return _count(result), [(0.0, address) for _, address in result.hits]


def _key(address: tantivy.DocAddress) -> tuple[int, int]:
    return (address.segment_ord, address.doc)


class Levels:
    """The counts ``relaxation.levels`` needs, each counted once: how many documents match
    the first ``size`` word groups (or are among ``also``), with the search's filters."""

    def __init__(self, reader: Reader, plan: SearchPlan, also: Sequence[str] = ()) -> None:
        self.reader, self.plan, self.also = reader, plan, also
        self.counts: dict[int, int] = {}

    def count(self, size: int) -> int:
        if size not in self.counts:
            query = self.plan.matching(size, also=self.also)
            self.counts[size] = _count(self.reader.searcher.search(query, 1, count=True))
        return self.counts[size]

    def of(self, strict: bool) -> list[tuple[int, int]]:
        """``relaxation.levels`` over these counts: (words kept, total), most words first."""
        if not self.plan.words:
            return [(0, self.count(0))]
        return relaxation.levels(self.count, self.plan.words, strict)


@dataclass
class Ranking:
    """A relevance ranking's hits (best first) and, for each, how many words its level
    kept; its total and the words that total counts."""

    total: int
    size: int
    hits: list[Hit]
    kept: list[int]


def _relevance(reader: Reader, plan: SearchPlan, reach: int, levels: Levels) -> Ranking:
    """Every word's matches first, then (while too few match) fewer words' (``levels``),
    each level ranked to ``reach``."""
    limit = reach if plan.request.offset < MAX_HITS else 1  # past the deepest page: count only
    ranked: dict[int, tuple[int, list[Hit]]] = {}
    # Unknown words score their typo variants field by field, the dearest query there is: it
    # is built only once a count says it matches something.
    if plan.all_known() or levels.count(plan.words):
        ranked[plan.words] = _ranked(reader, plan.scored(plan.words), limit)
        levels.counts[plan.words] = ranked[plan.words][0]
    found = levels.of(strict=False)
    hits: list[Hit] = []
    kept: list[int] = []
    seen: set[tuple[int, int]] = set()
    total = 0
    for size, count in found:
        if count <= total:
            continue  # nothing more to rank (a word that matches nothing at all)
        if size not in ranked:
            ranked[size] = _ranked(reader, plan.scored(size), limit)
        total, more = ranked[size]
        for score, address in more:
            if _key(address) not in seen:
                seen.add(_key(address))
                hits.append((score, address))
                kept.append(size)
    return Ranking(total, found[-1][0], hits, kept)


# -- meaning -----------------------------------------------------------------------------------
def _closest_match(reader: Reader, plan: SearchPlan, size: int) -> float | None:
    """How close in meaning the courses with the words come, whatever the filters (what the
    words mean in this catalog, so every filter measures its neighbours by the same floor):
    the cosine of the closest of the best ``FUSE_WINDOW`` courses with the first ``size``
    word groups (every word, when none is kept); None when no course has them."""
    assert plan.vector is not None and reader.vectors is not None
    searcher = reader.searcher
    anywhere = plan.scored(size or plan.words, filtered=False)
    hits = searcher.search(anywhere, FUSE_WINDOW, count=False).hits
    if not hits:
        return None
    keys = searcher.fast_field_values(KEY, [address for _, address in hits])
    return max(reader.vectors.similarities(plan.vector, [int(k or 0) for k in keys]))


def _neighbours(reader: Reader, plan: SearchPlan, size: int) -> list[tuple[str, float]]:
    """The courses nearest in meaning that pass the filters: at least ``SIMILARITY_FLOOR``
    close and, when some courses have the words, at least ``MATCH_SHARE`` of the closest of
    them, whatever the filters (``_closest_match``): "python" with a filter that leaves one
    Python course, or none, is not padded with Dog Training. Counted and ranked searches
    find the same."""
    vectors = reader.vectors
    if plan.vector is None or vectors is None:
        return []
    floor = SIMILARITY_FLOOR
    closest = _closest_match(reader, plan, size) if plan.words else None
    if closest is not None:
        floor = max(floor, MATCH_SHARE * closest)
    return vectors.nearest(plan.vector, vectors.mask(plan.filters), NEIGHBOURS, floor)


def _addresses(reader: Reader, plan: SearchPlan, ids: Sequence[str]) -> list[tantivy.DocAddress]:
    """The neighbours' documents (those the index holds and the filters pass)."""
    if not ids:
        return []
    query = plan.builder.combine(ids_query(plan.builder.schema, ids), plan.filters)
    return [address for _, address in reader.searcher.search(query, len(ids), count=False).hits]


def _fused(
    reader: Reader, plan: SearchPlan, ranking: Ranking, neighbours: list[tuple[str, float]]
) -> list[Hit]:
    """The lexical hits and the neighbours in one order (see the module's docstring); each
    hit's score is its fused score (lexical hits past the window keep theirs)."""
    assert plan.vector is not None and reader.vectors is not None
    window = ranking.hits[:FUSE_WINDOW]
    others = _addresses(reader, plan, [doc_id for doc_id, _ in neighbours])
    searcher = reader.searcher
    pool = [address for _, address in window] + others
    keys = searcher.fast_field_values(KEY, pool)
    cosines = reader.vectors.similarities(plan.vector, [int(k or 0) for k in keys])
    lexical: dict[tuple[int, int], float] = {}
    tops: dict[int, float] = {}
    for (score, _), size in zip(window, ranking.kept, strict=False):
        tops.setdefault(size, score or 1.0)
    for (score, address), size in zip(window, ranking.kept, strict=False):
        lexical[_key(address)] = (size / plan.words) * score / (tops[size] or 1.0)
    ratio = relaxation.effective_ratio(
        plan.ratio, ranking.size, plan.words, ranking.total, plan.request.meant_words
    )
    span = MEANING_CEILING - SIMILARITY_FLOOR
    scored: dict[tuple[int, int], tuple[float, tantivy.DocAddress]] = {}
    for address, cosine in zip(pool, cosines, strict=True):
        meaning = min(1.0, max(0.0, (cosine - SIMILARITY_FLOOR) / span))
        fused = (1 - ratio) * lexical.get(_key(address), 0.0) + ratio * meaning
        scored.setdefault(_key(address), (fused, address))
    order = sorted(scored.values(), key=lambda pair: (-pair[0], _key(pair[1])))
    tail = [hit for hit in ranking.hits[FUSE_WINDOW:] if _key(hit[1]) not in scored]
    return [*order, *tail]


# -- hits --------------------------------------------------------------------------------------
def _hit(
    reader: Reader, address: tantivy.DocAddress, score: float, marker: Marker | None
) -> EngineHit:
    key = _key(address)
    document = reader.documents.get(key)
    if document is None:
        document = DOCUMENT_DECODER.decode(reader.searcher.doc(address)["source"][0])
        reader.documents.put(key, document)
    if marker is None:
        return EngineHit(document=document, score=score)
    return EngineHit(document=document, highlights=marker.highlights(document), score=score)


def _field_counts(
    reader: Reader, plan: SearchPlan, size: int, also: Sequence[str]
) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    passes: list[Pass] = plan.passes()
    for conds, groups in passes:
        query = plan.matching(size, conds, also)
        counts.update(_facet_counts(reader.searcher, query, groups))
    return counts


def _added(
    counts: dict[str, dict[str, int]], more: dict[str, dict[str, int]]
) -> dict[str, dict[str, int]]:
    """``counts`` with ``more`` added value by value (values ordered by count, as counted)."""
    out = dict(counts)
    for field, values in more.items():
        merged = dict(out.get(field, {}))
        for value, count in values.items():
            merged[value] = merged.get(value, 0) + count
        out[field] = dict(sorted(merged.items(), key=lambda kv: -kv[1]))
    return out


# Facet counts are tantivy's own work and need nothing of the ranking: a search's are counted
# on this thread while its ranking, stored documents and highlights are made on the caller's
# (tantivy lets go of the GIL while it counts; the trial in docs/performance.md measured it).
# One thread: a worker runs one search at a time.
_COUNTER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="facet-counts")


class Counting:
    """A search's facet counts, begun before its ranking for every word; asked for fewer
    words (a relaxed search), they are counted again for those. Neighbours found after the
    ranking (``add``) are counted on their own and added: they pass every filter, so each
    counting pass counts them alike."""

    def __init__(self, reader: Reader, plan: SearchPlan, size: int, also: Sequence[str]) -> None:
        self.reader, self.plan, self.size, self.also = reader, plan, size, also
        self.extra: tantivy.Query | None = None
        self.pending: Future[dict[str, dict[str, int]]] = _COUNTER.submit(
            _field_counts, reader, plan, size, also
        )

    def add(self, also: Sequence[str], lacking: tantivy.Query) -> None:
        """Count the neighbours ``also`` too; ``lacking``: those of them without the words
        counted (the others are counted already)."""
        self.also, self.extra = also, lacking

    def result(self, size: int) -> dict[FacetGroup, dict[str, int]]:
        if size != self.size:
            self.pending.cancel()
            return group_counts(_field_counts(self.reader, self.plan, size, self.also))
        counts = self.pending.result()
        if self.extra is not None:
            groups = [g for _, pass_groups in self.plan.passes() for g in pass_groups]
            counts = _added(counts, _facet_counts(self.reader.searcher, self.extra, groups))
        return group_counts(counts)


def _adds_meaning(reader: Reader, plan: SearchPlan, every_word: int) -> bool:
    """Whether meaning adds courses: the words searched leave out words the meaning holds,
    or too few courses have every word (``every_word`` pass the filters) — too few in the
    catalog, not only among those the filters leave, when the filters leave some: a filter
    narrows what the words find. "photoshop" for beginners is the 7 beginners' Photoshop
    courses its facet counted, not 20 padded with Lightroom; "cooking" in Spanish, which no
    Spanish course has as a word, still finds "cocina" by meaning."""
    if plan.vector is None:
        return False
    if relaxation.meant(plan.words, plan.request.meant_words) > plan.words:
        return True
    if every_word >= relaxation.FILL:
        return False
    if not plan.filters or not every_word:
        return True
    anywhere = reader.searcher.search(plan.matching(plan.words, conds=[]), 1, count=True)
    return _count(anywhere) < relaxation.FILL


def run_search(reader: Reader, builder: QueryBuilder, request: SearchRequest) -> EngineResult:
    """Plan ``request`` on ``reader`` and run it: the page's hits, the exact total, the
    disjunctive facet counts, and which words the results needed."""
    plan = SearchPlan(reader, builder, request)
    levels = Levels(reader, plan)
    ranked = bool(plan.words) and request.with_hits and request.sort == "relevance"
    neighbours: list[tuple[str, float]] = []
    strict = request.sort != "relevance"
    # A ranked search learns how many courses have every word from its ranking; the others
    # count them first. An explicit sort is strict: meaning only when no course has the words.
    if not ranked and plan.words and plan.vector is not None:
        if strict:
            adds = levels.of(strict)[-1][1] == 0
        else:
            adds = _adds_meaning(reader, plan, levels.count(plan.words))
        if adds:
            neighbours = _neighbours(reader, plan, levels.of(strict)[-1][0])
    also = [doc_id for doc_id, _ in neighbours]
    counting = Counting(reader, plan, plan.words, also) if request.with_facets else None
    page: list[Hit] = []
    matched: int | None = None
    if not plan.words:
        # Browsing: the sort field orders the filtered documents.
        size = 0
        total, page = (
            _sorted_page(reader, plan.browse(), request)
            if request.with_hits
            else (levels.count(0), [])
        )
    elif not ranked:
        # Counted, or sorted by a field: nothing is scored. An explicit sort is strict: every
        # word, or only when nothing has them all, the most leading words that match anything.
        size, matched = levels.of(strict)[-1]
        total = Levels(reader, plan, also).count(size) if also else matched
        if request.with_hits:
            total, page = _sorted_page(reader, plan.matching(size, also=also), request)
    else:
        reach = min(request.offset + request.per_page, MAX_HITS)
        wide = max(reach, FUSE_WINDOW) if plan.vector is not None else reach
        ranking = _relevance(reader, plan, wide, levels)
        size, matched = ranking.size, ranking.total
        # Fewer words kept than typed: fewer than FILL courses have them all.
        every_word = ranking.total if size == plan.words else 0
        if _adds_meaning(reader, plan, every_word):
            neighbours = _neighbours(reader, plan, ranking.size)
            also = [doc_id for doc_id, _ in neighbours]
        total = ranking.total
        if neighbours:  # the total and the facets count the neighbours without the words too
            lacking = plan.lacking(size, also)
            total += _count(reader.searcher.search(lacking, 1, count=True))
            if counting is not None:
                counting.add(also, lacking)
        # Meaning orders the page when it adds courses; when every course found has every
        # word, the lexical order stands (docs/relevance.md: what it costs and gains).
        hits = _fused(reader, plan, ranking, neighbours) if neighbours else ranking.hits
        page = hits[request.offset : reach]
    marker = Marker(frozenset(plan.highlight_terms())) if request.with_highlights and page else None
    return EngineResult(
        total=total,
        hits=[_hit(reader, address, score, marker) for score, address in page],
        facets=counting.result(size) if counting is not None else {},
        kept_words=size if plan.words else None,
        words=plan.words or None,
        matched=total if matched is None else matched,
        neighbours=len(neighbours),
    )


def similar(reader: Reader, doc_id: str, limit: int) -> list[str]:
    """The courses nearest in meaning to ``doc_id`` (cosine at least the floor), best first."""
    vectors = reader.vectors
    vector = vectors.vector(doc_id) if vectors is not None else None
    if vectors is None or vector is None:
        return []
    mask = vectors.mask([NoneOf("id", (doc_id,))])
    return [found for found, _ in vectors.nearest(vector, mask, limit, SIMILARITY_FLOOR)]
