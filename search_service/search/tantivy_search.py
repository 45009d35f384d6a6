"""One search on a tantivy reader: hits with tie-breaks, relaxation, facets, highlights."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
import tantivy
from markupsafe import escape
from rapidfuzz import process
from rapidfuzz.distance import OSA

from search_service.search.document import DOCUMENT_DECODER, CourseDocument
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
from search_service.search.tantivy_query import QueryBuilder
from search_service.search.tantivy_schema import SET_SEPARATOR, VALUE_SETS
from search_service.search.text import WordGroup, fold, plan, words
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
    counted: LRU[bytes, dict[str, dict[str, int]]] = dataclasses.field(
        default_factory=lambda: LRU(0)
    )
    # Decoded stored documents by address: popular courses come back in search after search.
    documents: LRU[tuple[int, int], CourseDocument] = dataclasses.field(
        default_factory=lambda: LRU(0)
    )


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


def _pass(
    reader: Reader,
    builder: QueryBuilder,
    groups: Sequence[WordGroup],
    conds: Sequence[Condition],
    count: Sequence[FacetGroup],
) -> dict[str, dict[str, int]]:
    """One counting pass: the facet groups ``count`` over the documents matching the words
    and conditions. Passes repeat across requests (every category page counts its category
    group over the same documents), so each is made once per generation."""
    key = _KEY.encode((groups, conds, count))
    found = reader.counted.get(key)
    if found is None:
        query = builder.combine(builder.match(groups), conds)
        found = _facet_counts(reader.searcher, query, count)
        reader.counted.put(key, found)
    return found


def _facets(
    reader: Reader, builder: QueryBuilder, groups: Sequence[WordGroup], selected: Conditions
) -> dict[FacetGroup, dict[str, int]]:
    """Disjunctive counts: unselected groups over every condition, each selected group over
    every condition but its own."""
    unselected = [g for g in FACETS if g not in selected]
    counts = dict(_pass(reader, builder, groups, flatten(selected), unselected))
    for group in selected_groups(selected):
        counts.update(_pass(reader, builder, groups, without(selected, group), [group]))
    return group_counts(counts)


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
        ratings = searcher.fast_field_values("rating", addresses)
        popularity = searcher.fast_field_values("popularity", addresses)
        ranked = sorted(
            range(len(hits)),
            key=lambda i: (-round(hits[i][0], 3), -(ratings[i] or 0), -(popularity[i] or 0)),
        )
        hits = [hits[i] for i in ranked]
    return _count(result), hits[:limit]


def _sorted_page(
    reader: Reader, query: tantivy.Query, request: SearchRequest
) -> tuple[int, list[Hit]]:
    field, descending = SORTS.get(request.sort, ("relevance_key", True))
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


def _highlighter(
    reader: Reader, builder: QueryBuilder, groups: Sequence[WordGroup]
) -> Marker | None:
    terms = builder.highlight_terms(groups)
    if not terms:
        return None
    generators = {}
    for field in HIGHLIGHTED:
        clauses = [
            (tantivy.Occur.Should, tantivy.Query.term_query(builder.schema, field, term))
            for term in terms
        ]
        generator = tantivy.SnippetGenerator.create(
            reader.searcher, tantivy.Query.boolean_query(clauses), builder.schema, field
        )
        generator.set_max_num_chars(SNIPPET_CHARS if field == "description" else 400)
        generators[field] = generator
    return Marker(generators, tuple(dict.fromkeys(terms)))


def _mark(generator: tantivy.SnippetGenerator, field: str, text: str) -> str | None:
    html: str = generator.snippet_from_doc(tantivy.Document(**{field: text})).to_html()
    return html.replace("<b>", "<mark>").replace("</b>", "</mark>") or None


def _may_match(text: str, terms: Sequence[str]) -> bool:
    """False when no term occurs in the text even as a substring: nothing to mark there
    (stems are prefixes of the words they come from), so the snippet need not be made."""
    folded = text.lower() if text.isascii() else fold(text)
    return any(term in folded for term in terms)


@dataclass(frozen=True, slots=True)
class Marker:
    """The snippet generators of one query, and the terms they mark."""

    generators: dict[str, tantivy.SnippetGenerator]
    terms: tuple[str, ...]

    def highlights(self, document: Any) -> Highlights:
        marked = {}
        for field in HIGHLIGHTED:
            text = getattr(document, field)
            found = (
                _mark(self.generators[field], field, text) if _may_match(text, self.terms) else None
            )
            # The description is a snippet: only where a word matched. The rest are shown whole.
            if found is None and field != "description":
                found = str(escape(text)) or None
            marked[field] = found
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


def respell(searcher: tantivy.Searcher, query: str) -> str | None:
    """Replace each word the index does not know by its closest known word."""
    out = []
    changed = False
    for word in words(query):
        known = any(searcher.doc_freq(f, word) for f in ("title_prefix", "meta_prefix"))
        if known or len(word) < 3 or word.isdigit():
            out.append(word)
            continue
        replacement = _closest(searcher, word)
        changed |= replacement is not None and replacement != word
        out.append(replacement or word)
    return " ".join(out) if changed else None


def _key(address: tantivy.DocAddress) -> tuple[int, int]:
    return (address.segment_ord, address.doc)


def _known(searcher: tantivy.Searcher) -> Callable[[str, str], bool]:
    def known(field: str, term: str) -> bool:
        return bool(searcher.doc_freq(field, term))

    return known


def _largest_matching(
    reader: Reader,
    builder: QueryBuilder,
    groups: Sequence[WordGroup],
    filters: Sequence[Condition],
    sizes: int,
    above: int,
) -> int:
    """The most leading words (at most ``sizes``) that match more than ``above`` documents,
    or 0. Fewer words match a superset, so a binary search over cheap counts finds it: a long
    query of unknown words costs a few counts, not one ranked search per word dropped."""

    def count(size: int) -> int:
        query = builder.combine(builder.match(groups[:size]), filters)
        return _count(reader.searcher.search(query, 1, count=True))

    if sizes <= 1:
        return sizes
    if count(1) <= above:
        return 0
    low, high = 1, sizes
    while low < high:
        middle = (low + high + 1) // 2
        if count(middle) > above:
            low = middle
        else:
            high = middle - 1
    return low


def _total(
    reader: Reader,
    builder: QueryBuilder,
    groups: Sequence[WordGroup],
    filters: Sequence[Condition],
) -> int:
    """What a search reports as its total, without ranking anything: every word's matches,
    or, when none has them all, those of the most leading words that match."""
    query = builder.combine(builder.match(groups), filters)
    total = _count(reader.searcher.search(query, 1, count=True))
    if total or len(groups) < 2:
        return total
    size = _largest_matching(reader, builder, groups, filters, len(groups) - 1, 0)
    if not size:
        return 0
    query = builder.combine(builder.match(groups[:size]), filters)
    return _count(reader.searcher.search(query, 1, count=True))


def run_search(reader: Reader, builder: QueryBuilder, request: SearchRequest) -> EngineResult:
    """Search like Meilisearch's ``last`` matching strategy: documents with every word first;
    when they do not fill the page, documents matching fewer words follow, dropping words
    from the end of the query. Pages reach ``MAX_HITS`` deep; totals are exact."""
    groups = plan(request.q)
    selected = conditions(request)
    filters = flatten(selected)
    known = _known(reader.searcher)
    used = groups  # the words the total (and the facets) count: fewer when relaxed
    if not request.with_hits:
        total = _total(reader, builder, groups, filters)
        facets = _facets(reader, builder, groups, selected) if request.with_facets else {}
        return EngineResult(total=total, hits=[], facets=facets)
    if not groups or request.sort != "relevance":
        # Sorted by a field: nothing is scored, so the match alone will do.
        total, page = _sorted_page(reader, builder.combine(builder.match(groups), filters), request)
        if groups and total == 0 and len(groups) > 1:
            # An explicit sort is strict; only when nothing matches are words dropped.
            size = _largest_matching(reader, builder, groups, filters, len(groups) - 1, 0)
            if size:
                main = builder.combine(builder.match(groups[:size]), filters)
                total, page = _sorted_page(reader, main, request)
                used = groups[:size]
    else:
        reach = min(request.offset + request.per_page, MAX_HITS)
        limit = reach if request.offset < MAX_HITS else 1  # past the deepest page: count only
        if builder.all_known(groups, known) or _largest_matching(
            reader, builder, groups, filters, len(groups), 0
        ) == len(groups):
            main = builder.combine(builder.text(groups, known), filters)
            total, hits = _ranked(reader, main, limit)
        else:
            # Unknown words score their typo variants field by field, the dearest query there
            # is: it is built only once a count says it matches something.
            total, hits = 0, []
        seen = {_key(address) for _, address in hits}
        size = len(groups) - 1
        while size >= 1 and total < reach:
            # Only word counts that bring more documents are ranked.
            size = _largest_matching(reader, builder, groups, filters, size, total)
            if not size:
                break
            main = builder.combine(builder.text(groups[:size], known), filters)
            total, more = _ranked(reader, main, limit)
            used = groups[:size]
            for score, address in more:
                if _key(address) not in seen:
                    seen.add(_key(address))
                    hits.append((score, address))
            size -= 1
        page = hits[request.offset : reach]
    marker = _highlighter(reader, builder, groups) if request.with_highlights and page else None
    results = [_hit(reader, address, score, marker) for score, address in page]
    facets = _facets(reader, builder, used, selected) if request.with_facets else {}
    return EngineResult(total=total, hits=results, facets=facets)
