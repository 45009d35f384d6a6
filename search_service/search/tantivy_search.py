"""One search on a tantivy reader: hits with tie-breaks, relaxation, facets, highlights."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import tantivy
from markupsafe import escape

from search_service.search.document import DOCUMENT_DECODER
from search_service.search.fuzzy import distance
from search_service.search.request import (
    Conditions,
    SearchRequest,
    conditions,
    flatten,
    without,
)
from search_service.search.results import EngineHit, EngineResult, Highlights
from search_service.search.tantivy_query import QueryBuilder
from search_service.search.text import WordGroup, plan, words
from search_service.search.vocabulary import (
    FACETS,
    HIGHLIGHTED,
    SORTS,
    FacetGroup,
    group_counts,
)

TIE_WINDOW = 50  # extra hits read past the page so equal scores can be re-ordered
FACET_SIZE = 200
SNIPPET_CHARS = 180


@dataclass(frozen=True, slots=True)
class Reader:
    """A searcher on one generation, with the file stamp it was opened at."""

    name: str
    index: tantivy.Index
    searcher: tantivy.Searcher
    stamp: tuple[int, int]


def _facet_counts(
    searcher: tantivy.Searcher, query: tantivy.Query, groups: Sequence[FacetGroup]
) -> dict[str, dict[str, int]]:
    fields = [f for g in groups for f in FACETS[g].fields]
    if not fields:
        return {}
    request = {f: {"terms": {"field": f, "size": FACET_SIZE}} for f in fields}
    raw: dict[str, Any] = searcher.aggregate(query, request)
    return {
        field: {str(b["key"]): int(b["doc_count"]) for b in raw.get(field, {}).get("buckets", [])}
        for field in fields
    }


def _facets(
    reader: Reader,
    builder: QueryBuilder,
    text: tantivy.Query | None,
    main: tantivy.Query,
    selected: Conditions,
) -> dict[FacetGroup, dict[str, int]]:
    """Disjunctive counts: unselected groups over the main query, each selected group over
    the query without its own conditions."""
    counts = _facet_counts(reader.searcher, main, [g for g in FACETS if g not in selected])
    for group in selected:
        query = builder.combine(text, without(selected, group))
        counts.update(_facet_counts(reader.searcher, query, [group]))
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
    result = reader.searcher.search(
        query,
        request.per_page,
        count=True,
        order_by_field=field,
        order=order,
        offset=request.offset,
    )
    return _count(result), [(0.0, address) for _, address in result.hits]


def _highlighter(
    reader: Reader, builder: QueryBuilder, groups: Sequence[WordGroup]
) -> dict[str, tantivy.SnippetGenerator] | None:
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
    return generators


def _mark(generator: tantivy.SnippetGenerator, field: str, text: str) -> str | None:
    html: str = generator.snippet_from_doc(tantivy.Document(**{field: text})).to_html()
    return html.replace("<b>", "<mark>").replace("</b>", "</mark>") or None


def _hit(
    reader: Reader,
    address: tantivy.DocAddress,
    score: float,
    generators: dict[str, tantivy.SnippetGenerator] | None,
) -> EngineHit:
    document = DOCUMENT_DECODER.decode(reader.searcher.doc(address)["source"][0])
    if generators is None:
        return EngineHit(document=document, score=score)
    marked = {}
    for field in HIGHLIGHTED:
        text = getattr(document, field)
        # The description is a snippet: only where a word matched. The rest are shown whole.
        plain = None if field == "description" else (str(escape(text)) or None)
        marked[field] = _mark(generators[field], field, text) or plain
    highlights = Highlights(**marked)
    return EngineHit(document=document, highlights=highlights, score=score)


def _closest(searcher: tantivy.Searcher, word: str) -> str | None:
    """The most frequent indexed word within two edits of ``word`` (same first letter)."""
    best: tuple[int, int, str] | None = None
    for field in ("title_prefix", "meta_prefix"):
        for term, count in searcher.terms_with_prefix(field, word[:1], limit=5000):
            edits = distance(word, term, 2)
            if edits <= 2 and (best is None or (edits, -count) < best[:2]):
                best = (edits, -count, term)
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


def run_search(reader: Reader, builder: QueryBuilder, request: SearchRequest) -> EngineResult:
    """Search like Meilisearch's ``last`` matching strategy: documents with every word first;
    when they do not fill the page, documents matching fewer words follow, dropping words
    from the end of the query."""
    groups = plan(request.q)
    selected = conditions(request)
    filters = flatten(selected)
    text = builder.text(groups) if groups else None
    main = builder.combine(text, filters)
    if text is None or request.sort != "relevance":
        total, page = _sorted_page(reader, main, request)
        if text is not None and total == 0 and len(groups) > 1:
            # An explicit sort is strict; only when nothing matches are words dropped.
            for size in range(len(groups) - 1, 0, -1):
                main = builder.combine(builder.text(groups[:size]), filters)
                total, page = _sorted_page(reader, main, request)
                if total:
                    break
    else:
        wanted = request.offset + request.per_page
        total, hits = _ranked(reader, main, wanted)
        seen = {_key(address) for _, address in hits}
        for size in range(len(groups) - 1, 0, -1):
            if len(hits) >= wanted:
                break
            main = builder.combine(builder.text(groups[:size]), filters)
            total, more = _ranked(reader, main, wanted)
            for score, address in more:
                if _key(address) not in seen:
                    seen.add(_key(address))
                    hits.append((score, address))
        page = hits[request.offset : wanted]
    generators = _highlighter(reader, builder, groups) if request.with_highlights else None
    results = [_hit(reader, address, score, generators) for score, address in page]
    facets = _facets(reader, builder, text, main, selected) if request.with_facets else {}
    return EngineResult(total=total, hits=results, facets=facets)
