"""One search on a tantivy reader: hits with tie-breaks, relaxation, facets, highlights."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import msgspec
import tantivy
from rapidfuzz import process
from rapidfuzz.distance import OSA

from search_service.search import relaxation
from search_service.search.document import DOCUMENT_DECODER, CourseDocument
from search_service.search.highlight import mark, mark_found
from search_service.search.lru import LRU
from search_service.search.request import (
    MAX_HITS,
    Condition,
    Conditions,
    SearchRequest,
    conditions,
    flatten,
    selected_groups,
    without,
)
from search_service.search.results import EngineHit, EngineResult, Highlights
from search_service.search.tantivy_query import QueryBuilder, long_enough
from search_service.search.tantivy_schema import (
    MATCH_PREFIX,
    MATCH_STEM,
    SET_SEPARATOR,
    VALUE_SETS,
    terms_of,
)
from search_service.search.tantivy_variants import Variants
from search_service.search.text import WordGroup, has_cjk, plan, typo_budget, words
from search_service.search.vocabulary import (
    FACETS,
    HIGHLIGHTED,
    SORTS,
    FacetGroup,
    group_counts,
)

TIE_WINDOW = 50  # extra hits read past the page so equal scores can be re-ordered
FACET_SIZE = 200
RESPELL_CANDIDATES = 5000  # words per field and first letter a respelling is chosen from
SET_BUCKETS = 100_000  # every set of values a field holds: they are few, and all are needed
SNIPPET_CHARS = 180


@dataclass(frozen=True, slots=True)
class Reader:
    """A searcher on one generation, with the file stamp it was opened at, and what was
    already counted and decoded on it (it holds until the next commit or switch makes a new
    reader)."""

    name: str
    index: tantivy.Index
    searcher: tantivy.Searcher
    stamp: tuple[int, ...]
    variants: Variants  # typo variants and completions, in this reader's dictionaries
    counted: LRU[bytes, dict[str, dict[str, int]]] = dataclasses.field(
        default_factory=lambda: LRU(0)
    )
    # Decoded stored documents by address: popular courses come back in search after search.
    documents: LRU[tuple[int, int], CourseDocument] = dataclasses.field(
        default_factory=lambda: LRU(0)
    )
    known: dict[tuple[str, str], bool] = dataclasses.field(default_factory=dict)


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


_KEY = msgspec.msgpack.Encoder()
# Facet counts are tantivy's own work and need nothing of the ranking: a search's are counted
# on this thread while the ranking, stored documents and highlights are made on the caller's
# (tantivy lets go of the GIL while it counts). One thread: a worker runs one search at a time.
_COUNTER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="facet-counts")

# One counting pass: its key in ``Reader.counted``, the query (None when counted already on
# this generation), the groups it counts and their counts once known.
Pass = tuple[bytes, tantivy.Query | None, list[FacetGroup], dict[str, dict[str, int]] | None]


def _passes(
    reader: Reader, builder: QueryBuilder, groups: Sequence[WordGroup], selected: Conditions
) -> list[Pass]:
    """Disjunctive counts: unselected groups over every condition, each selected group over
    every condition but its own. Passes repeat across requests (every category page counts its
    category group over the same documents), so each is counted once per generation."""
    wanted = [(flatten(selected), [g for g in FACETS if g not in selected])]
    wanted += [(without(selected, g), [g]) for g in selected_groups(selected)]
    out: list[Pass] = []
    for conds, count in wanted:
        key = _KEY.encode((groups, conds, count))
        found = reader.counted.get(key)
        query = builder.combine(builder.match(groups), conds) if found is None else None
        out.append((key, query, count, found))
    return out


def _counted(reader: Reader, passes: Sequence[Pass]) -> dict[FacetGroup, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for key, query, count, found in passes:
        if found is None:
            assert query is not None
            found = _facet_counts(reader.searcher, query, count)
            reader.counted.put(key, found)
        counts.update(found)
    return group_counts(counts)


class Counting:
    """A search's facet counts, begun before its ranking for the words it searches; asked
    for fewer words (a relaxed search), they are counted again for those."""

    def __init__(
        self,
        reader: Reader,
        builder: QueryBuilder,
        groups: Sequence[WordGroup],
        selected: Conditions,
    ) -> None:
        self.reader, self.builder, self.selected = reader, builder, selected
        self.groups = list(groups)
        passes = _passes(reader, builder, groups, selected)
        self.pending: Future[dict[FacetGroup, dict[str, int]]] | None = None
        self.done: dict[FacetGroup, dict[str, int]] | None = None
        if all(found is not None for *_, found in passes):
            self.done = _counted(reader, passes)
        else:
            self.pending = _COUNTER.submit(_counted, reader, passes)

    def result(self, groups: Sequence[WordGroup]) -> dict[FacetGroup, dict[str, int]]:
        if list(groups) != self.groups:
            passes = _passes(self.reader, self.builder, groups, self.selected)
            return _counted(self.reader, passes)
        if self.done is None:
            assert self.pending is not None
            self.done = self.pending.result()
        return self.done


def _count(result: tantivy.SearchResult) -> int:
    # `count` exists at run time (search(count=True)) but is missing from the type stubs.
    return int(result.count)  # type: ignore[attr-defined]


Hit = tuple[float, tantivy.DocAddress]


def _ranked(reader: Reader, query: tantivy.Query, limit: int) -> tuple[int, list[Hit]]:
    """The exact total and the best ``limit`` hits by score × business weight, equal scores
    ordered by rating, then popularity."""
    searcher = reader.searcher
    result = searcher.search(query, limit + TIE_WINDOW, count=True, weight_by_field="rank_weight")
    hits = result.hits
    if hits:
        addresses = [address for _, address in hits]
        ratings = searcher.fast_field_values("rating_weighted", addresses)
        popularity = searcher.fast_field_values("popularity", addresses)
        order = sorted(
            (-round(score, 3), -(rating or 0), -(popular or 0), index)
            for index, ((score, _), rating, popular) in enumerate(
                zip(hits, ratings, popularity, strict=True)
            )
        )
        hits = [hits[key[3]] for key in order]
    return _count(result), hits[:limit]


def _sorted_page(
    reader: Reader, query: tantivy.Query, request: SearchRequest
) -> tuple[int, list[Hit]]:
    # relevance_key is the adjusted rating, then popularity: highest_rated with its tie-break
    # (``SORT_TIES``) in one fast field, as browsing orders by it.
    by_key = request.sort == "highest_rated" or request.sort not in SORTS
    field, descending = ("relevance_key", True) if by_key else SORTS[request.sort]
    order = tantivy.Order.Desc if descending else tantivy.Order.Asc
    limit = min(request.per_page, MAX_HITS - request.offset)
    if limit <= 0:  # past the deepest page: the total only
        return _count(reader.searcher.search(query, 1, count=True)), []
    result = reader.searcher.search(
        query,
        limit,
        count=True,
        order_by_field=field,
        order=order,
        offset=request.offset,
    )
    return _count(result), [(0.0, address) for _, address in result.hits]


HIGHLIGHT_VARIANTS = 5  # index words marked for one typo or one unfinished word


VARIANT_CANDIDATES = 1000  # indexed words (sharing the first two letters) a typo is matched to


def _nearest(searcher: tantivy.Searcher, stem: str, budget: int) -> list[str]:
    """The indexed stems nearest ``stem`` within ``budget`` edits, among those sharing its
    first letters."""
    start = stem[:2] if len(stem) >= 5 else stem[:1]
    terms = searcher.terms_with_prefix(MATCH_STEM, start, limit=VARIANT_CANDIDATES)
    found = process.extract(
        stem,
        [t for t, _ in terms],
        scorer=OSA.distance,
        score_cutoff=budget,
        limit=HIGHLIGHT_VARIANTS,
    )
    return [term for term, _, _ in found]


def _variants(reader: Reader, builder: QueryBuilder, groups: Sequence[WordGroup]) -> list[str]:
    """The indexed words a typo or an unfinished last word matched (as the snippets mark
    them): ``pyhton`` marks ``python``, ``kube`` marks ``kubernetes``. A word the index holds
    as typed scores only itself (``QueryBuilder._word``), and marks only itself too."""
    searcher = reader.searcher
    out: list[str] = []
    for group in groups:
        for index, word in enumerate(group.words):
            stem = builder.stemmed(word)
            if stem and searcher.doc_freq(MATCH_STEM, stem):
                continue
            budget = typo_budget(word) if group.typos else 0
            if stem and budget:
                # The very terms the query matched; for a dictionary too large to scan (the
                # query used tantivy's fuzzy query), the nearest among those sharing the start.
                matched = reader.variants.stems.variants(stem, budget)
                out += matched if matched is not None else _nearest(searcher, stem, budget)
            folded = builder.folded(word)
            if group.last and index == len(group.words) - 1 and folded and long_enough(word):
                completions = searcher.terms_with_prefix(
                    MATCH_PREFIX, folded, limit=HIGHLIGHT_VARIANTS
                )
                out += [stem for term, _ in completions for stem in builder.stems(term)]
    return out


def _highlighter(
    reader: Reader, builder: QueryBuilder, groups: Sequence[WordGroup]
) -> Marker | None:
    terms = [*builder.highlight_terms(groups), *_variants(reader, builder, groups)]
    if not terms:
        return None
    return Marker(frozenset(terms))


@functools.lru_cache(maxsize=65_536)
def _word_terms(word: str, code: str) -> tuple[str, ...]:
    """The index terms of one word (or a whole text) of a course in language ``code``:
    words recur across courses and searches, so each is analysed once."""
    return tuple(terms_of(word, code))


@dataclass(frozen=True, slots=True)
class Marker:
    """The terms one query marks. Each field's words that could match (``mark_found``) are
    analysed as their course was indexed, in its own language; CJK text is marked character
    by character. tantivy's snippet generator is not used: it reads a field with one
    analyzer, and builds a document per field per hit."""

    terms: frozenset[str]

    def highlights(self, document: CourseDocument) -> Highlights:
        marked = {}
        code = document.language_code

        def term_of(text: str) -> tuple[str, ...]:
            return _word_terms(text, code)

        for field in HIGHLIGHTED:
            text = getattr(document, field)
            window = SNIPPET_CHARS if field == "description" else None
            # The description is a snippet (None where no word matched); the rest are whole.
            if has_cjk(text):
                marked[field] = mark(text, self.terms, window)
            else:
                marked[field] = mark_found(text, self.terms, term_of, window)
        return Highlights(**marked)


def _hit(
    reader: Reader, address: tantivy.DocAddress, score: float, marker: Marker | None
) -> EngineHit:
    key = (address.segment_ord, address.doc)
    document = reader.documents.get(key)
    if document is None:
        document = DOCUMENT_DECODER.decode(reader.searcher.doc(address)["source"][0])
        reader.documents.put(key, document)
    if marker is None:
        return EngineHit(document=document, score=score)
    return EngineHit(document=document, highlights=marker.highlights(document), score=score)


def _closest(searcher: tantivy.Searcher, word: str) -> str | None:
    """The most frequent indexed word within two edits of ``word`` (same first letter),
    among the most frequent ``RESPELL_CANDIDATES`` words of each field with that letter."""
    best: tuple[int, int, str] | None = None
    for field in ("title_prefix", "meta_prefix"):
        terms = searcher.terms_with_prefix(field, word[:1], limit=RESPELL_CANDIDATES)
        # Ordered by frequency, so the first of the nearest is the most frequent one.
        found = process.extractOne(
            word, [term for term, _ in terms], scorer=OSA.distance, score_cutoff=2
        )
        if found is not None:
            _, edits, index = found
            candidate = (int(edits), -terms[index][1], terms[index][0])
            best = candidate if best is None else min(best, candidate)
    return best[2] if best else None


def respell(reader: Reader, builder: QueryBuilder, query: str) -> str | None:
    """Replace each word the index does not know (in any searched field, stemmed or as
    typed; the last word also as the start of a word) by its closest known word."""
    searcher, holds = reader.searcher, _known(reader)
    tokens = words(query)
    out = []
    changed = False
    for index, word in enumerate(tokens):
        if len(word) < 3 or not word.isascii() or any(ch.isdigit() for ch in word):
            out.append(word)
            continue
        folded = builder.folded(word)
        known = bool(
            any(holds(MATCH_STEM, stem) for stem in builder.stems(word))
            or (folded and holds(MATCH_PREFIX, folded))
            or (
                index == len(tokens) - 1
                and folded
                and searcher.terms_with_prefix(MATCH_PREFIX, folded, limit=1)
            )
        )
        replacement = None if known else _closest(searcher, word)
        changed |= replacement is not None and replacement != word
        out.append(replacement or word)
    return " ".join(out) if changed else None


def _key(address: tantivy.DocAddress) -> tuple[int, int]:
    return (address.segment_ord, address.doc)


KNOWN_KEPT = 100_000  # (field, word) answers a reader keeps at most


def _known(reader: Reader) -> Callable[[str, str], bool]:
    """Whether the reader's index holds a term, asked once per reader: the same words come
    back search after search (measured 14 µs a call under load, 4.6 calls a search, four in
    five already asked)."""
    answers, searcher = reader.known, reader.searcher

    def known(field: str, term: str) -> bool:
        key = (field, term)
        answer = answers.get(key)
        if answer is None:
            if len(answers) >= KNOWN_KEPT:
                answers.clear()
            answer = answers[key] = bool(searcher.doc_freq(field, term))
        return answer

    return known


class Relaxation:
    """The counts ``relaxation.levels`` needs, on one reader: the words kept as a search
    relaxes are the first ones."""

    def __init__(
        self,
        reader: Reader,
        builder: QueryBuilder,
        groups: Sequence[WordGroup],
        filters: Sequence[Condition],
    ) -> None:
        self.reader, self.builder, self.groups, self.filters = reader, builder, groups, filters
        self.counts: dict[int, int] = {}  # words kept -> matches, each counted once

    def count(self, size: int) -> int:
        """How many documents match the first ``size`` word groups."""
        if size not in self.counts:
            query = self.builder.combine(self.builder.match(self.kept(size)), self.filters)
            self.counts[size] = _count(self.reader.searcher.search(query, 1, count=True))
        return self.counts[size]

    def kept(self, size: int) -> list[WordGroup]:
        """The first ``size`` word groups."""
        return list(self.groups[:size])

    def levels(self, strict: bool) -> list[tuple[int, int]]:
        """``relaxation.levels`` over this search's counts."""
        return relaxation.levels(self.count, len(self.groups), strict)


def run_search(reader: Reader, builder: QueryBuilder, request: SearchRequest) -> EngineResult:
    """Search by the levels of ``relaxation.py``: documents with every word first, then
    those with fewer leading words while too few match; an explicit sort is strict. Pages
    reach ``MAX_HITS`` deep; totals are exact and the same on every page."""
    groups = plan(request.q, literal=request.literal)
    known = _known(reader)
    builder = builder.for_search(request.language, known, reader.variants)
    selected = conditions(request)
    filters = flatten(selected)
    relax = Relaxation(reader, builder, groups, filters)
    words = len(groups)
    counting = Counting(reader, builder, groups, selected) if request.with_facets else None
    page: list[Hit] = []
    used = relax.kept(words)  # the words the total and the facets count
    if not groups and request.with_hits:
        # Browsing: the sort field orders the filtered documents.
        total, page = _sorted_page(reader, builder.combine(None, filters), request)
    elif not request.with_hits:
        levels = relax.levels(request.sort != "relevance") if groups else [(0, relax.count(0))]
        used = relax.kept(levels[-1][0])
        total = levels[-1][1]
    elif request.sort != "relevance":
        # Sorted by a field: nothing is scored, so the match alone will do; its count is the
        # first level's, and a second page is needed only when every word matches nothing.
        total, page = _sorted_page(reader, builder.combine(builder.match(groups), filters), request)
        relax.counts[words] = total
        size = relax.levels(strict=True)[-1][0]
        used = relax.kept(size)
        if size != words:
            total, page = _sorted_page(
                reader, builder.combine(builder.match(used), filters), request
            )
    else:
        reach = min(request.offset + request.per_page, MAX_HITS)
        limit = reach if request.offset < MAX_HITS else 1  # past the deepest page: count only
        ranked: dict[int, tuple[int, list[Hit]]] = {}
        # Unknown words score their typo variants field by field, the dearest query there
        # is: it is built only once a count says it matches something.
        if builder.all_known(groups, known) or relax.count(words):
            main = builder.combine(builder.text(groups, known), filters)
            ranked[words] = _ranked(reader, main, limit)
            relax.counts[words] = ranked[words][0]
        levels = relax.levels(strict=False)
        used = relax.kept(levels[-1][0])
        hits: list[Hit] = []
        seen: set[tuple[int, int]] = set()
        total = 0
        for size, count in levels:
            if count <= total:
                continue  # nothing more to rank (a word that matches nothing at all)
            if size not in ranked:
                main = builder.combine(builder.text(relax.kept(size), known), filters)
                ranked[size] = _ranked(reader, main, limit)
            total, more = ranked[size]
            if not hits:  # the first level's hits are all new
                hits = list(more)
                continue
            if not seen:
                seen = {_key(address) for _, address in hits}
            for score, address in more:
                if _key(address) not in seen:
                    seen.add(_key(address))
                    hits.append((score, address))
        page = hits[request.offset : reach]
    marker = _highlighter(reader, builder, groups) if request.with_highlights and page else None
    results = [_hit(reader, address, score, marker) for score, address in page]
    facets = counting.result(used) if counting is not None else {}
    return EngineResult(total=total, hits=results, facets=facets)
