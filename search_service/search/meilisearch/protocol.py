"""Pure pieces of the Meilisearch adapter: settings, filter strings, request bodies, parsing.

Nothing here talks to the network, so every request body and every response parser can be
checked against the official OpenAPI spec and recorded engine responses.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import msgspec
import numpy as np
from markupsafe import escape

from search_service.search.document import CourseDocument
from search_service.search.request import (
    MAX_HITS,
    AnyOf,
    Condition,
    IsTrue,
    NoneOf,
    SearchRequest,
    conditions,
    flatten,
    selected_groups,
    without,
)
from search_service.search.results import EngineHit, EngineResult, Highlights
from search_service.search.text import SPELLED, has_cjk, synonym_map
from search_service.search.vocabulary import (
    FACETS,
    FILTERABLE,
    HIGHLIGHTED,
    SEARCHABLE,
    SORT_TIES,
    SORTABLE,
    SORTS,
    facet_key,
    group_counts,
)

# Highlight markers no catalog text contains (Unicode private use): the engine's _formatted
# text is not HTML-escaped, so we escape it ourselves and only then insert <mark>.
PRE_TAG, POST_TAG = "\ue000", "\ue001"
MAX_TOTAL_HITS = 1_000_000
CROP_WORDS = 30
# The index's one embedder: our own vectors (the model of ``semantic/``), never the engine's.
EMBEDDER = "skillspring"


def index_settings(dimensions: int | None = None) -> dict[str, Any]:
    """The index settings (PATCH /indexes/{uid}/settings body), from the vocabulary; with
    ``dimensions``, a user-provided embedder for documents' and queries' vectors."""
    embedders = (
        {EMBEDDER: {"source": "userProvided", "dimensions": dimensions}} if dimensions else {}
    )
    return {
        "embedders": embedders,
        # Most important first: `attributeRank` ranks by this order.
        "searchableAttributes": [field for field, _ in SEARCHABLE],
        "displayedAttributes": ["*"],
        "filterableAttributes": [*FILTERABLE, "id"],  # id: merchandising's restrictions
        "sortableAttributes": [*SORTABLE, "rank_tier"],
        # `sort` first: a shopper's explicit sort is strict, as on tantivy; without one, ties
        # after the text rules fall to rating, then popularity.
        "rankingRules": [
            "sort",
            "words",
            "typo",
            "proximity",
            "attributeRank",
            "rank_tier:desc",
            "wordPosition",
            "exactness",
            "rating_weighted:desc",
            "popularity:desc",
        ],
        "synonyms": _synonyms(),
        # "C++" and "C#" stay one term each (not "c"), and find the courses tagged "cpp" and
        # "csharp" too: tantivy spells them as those words (``text.SPELLED``).
        "dictionary": sorted({*SPELLED, *(symbol.upper() for symbol in SPELLED)}),
        "typoTolerance": {
            "enabled": True,
            "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9},
            "disableOnNumbers": True,
        },
        "faceting": {"maxValuesPerFacet": 200, "sortFacetValuesBy": {"*": "count"}},
        # The catalog's languages: text in Han script is then segmented as Japanese (the one
        # CJK language among them) rather than guessed at as Chinese.
        "localizedAttributes": [{"attributePatterns": ["*"], "locales": list(CATALOG_LOCALES)}],
        "pagination": {"maxTotalHits": MAX_TOTAL_HITS},
    }


def _synonyms() -> dict[str, list[str]]:
    """The synonym groups both ways, and each symbol name with its spelled word."""
    synonyms = {k: list(v) for k, v in synonym_map().items()}
    for symbol, word in SPELLED.items():
        synonyms.setdefault(symbol, []).append(word)
        synonyms.setdefault(word, []).append(symbol)
    return synonyms


# The catalog's course languages as Meilisearch locales (ISO 639-3).
CATALOG_LOCALES = ("eng", "spa", "por", "deu", "fra", "ita", "jpn")


def query_locales(text: str) -> list[str] | None:
    """``locales`` for a query: Japanese segmentation for one written in CJK characters."""
    return ["jpn"] if has_cjk(text) else None


def query_words(request: SearchRequest) -> list[str]:
    """The query's words as levels count them (``relaxation.py``): what is between spaces."""
    return request.q.replace('"', " ").split()


def quote(value: str) -> str:
    """A filter value as a double-quoted string: backslash and quote escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number(value: float, integer: bool) -> str:
    return str(int(value)) if integer else repr(float(value))


def condition_filter(condition: Condition) -> str:
    """One condition in the filter grammar; every string value is quoted and escaped."""
    if isinstance(condition, AnyOf):
        return f"{condition.field} IN [{', '.join(quote(v) for v in condition.values)}]"
    if isinstance(condition, NoneOf):
        return f"{condition.field} NOT IN [{', '.join(quote(v) for v in condition.values)}]"
    if isinstance(condition, IsTrue):
        return f"{condition.field} = {'true' if condition.value else 'false'}"
    parts = []
    if condition.low is not None:
        parts.append(f"{condition.field} >= {_number(condition.low, condition.integer)}")
    if condition.high is not None:
        parts.append(f"{condition.field} <= {_number(condition.high, condition.integer)}")
    return " AND ".join(parts) if parts else f"{condition.field} EXISTS"


def filters(conds: Sequence[Condition]) -> list[str]:
    """The array form: every element is ANDed."""
    return [condition_filter(c) for c in conds]


def document_payload(document: CourseDocument) -> dict[str, Any]:
    """A document as the engine stores it: its fields, and its vector under ``_vectors``
    (null: a document without one is left out of semantic search)."""
    fields = msgspec.to_builtins(msgspec.structs.replace(document, vector=b""))
    del fields["vector"]
    vector = np.frombuffer(document.vector, dtype="<f4").tolist() if document.vector else None
    return {**fields, "_vectors": {EMBEDDER: vector}}


def similar_body(doc_id: str, limit: int) -> dict[str, Any]:
    """POST /indexes/{uid}/similar: the courses nearest in meaning to one (ids only)."""
    return {"id": doc_id, "embedder": EMBEDDER, "limit": limit, "attributesToRetrieve": ["id"]}


def query_text(request: SearchRequest) -> str:
    """``q`` as Meilisearch reads it: a literal search quotes each word (a phrase matches
    exactly: no typos, no prefix)."""
    if not request.literal:
        return request.q
    return " ".join(f'"{word}"' for word in request.q.replace('"', " ").split())


def hybrid(request: SearchRequest, ratio: float) -> dict[str, Any]:
    """The hybrid part of a query: the request's vector, meaning counting ``ratio``."""
    vector = np.frombuffer(request.vector, dtype="<f4").tolist()
    return {"hybrid": {"embedder": EMBEDDER, "semanticRatio": ratio}, "vector": vector}


def multi_search_queries(
    index: str, request: SearchRequest, strategy: str = "all", ratio: float | None = None
) -> list[dict[str, Any]]:
    """Main query plus one facet-only query per selected group (disjunctive facets), every
    word required (``all``) unless ``strategy`` says otherwise; hybrid (``hybrid``) with
    ``ratio`` when the request carries a vector and a ratio is given."""
    selected = conditions(request)
    locales = query_locales(request.q)
    meaning = hybrid(request, ratio) if ratio and request.hybrid else {}
    past_deepest = request.offset >= MAX_HITS or not request.with_hits
    main: dict[str, Any] = {
        "indexUid": index,
        "q": query_text(request),
        "filter": filters(flatten(selected)),
        # Past the deepest page (or the total only): no hits, the exact total and the facets
        # all the same.
        "page": 1 if past_deepest else request.page,
        "hitsPerPage": 0 if past_deepest else request.per_page,
        "matchingStrategy": strategy,
        **meaning,
    }
    if locales:
        main["locales"] = locales
    if request.sort in SORTS:
        keys = [
            SORTS[request.sort],
            *([SORT_TIES[request.sort]] if request.sort in SORT_TIES else []),
        ]
        main["sort"] = [f"{field}:{'desc' if descending else 'asc'}" for field, descending in keys]
    if request.with_highlights and request.q.strip():
        main.update(
            attributesToHighlight=list(HIGHLIGHTED),
            attributesToCrop=["description"],
            cropLength=CROP_WORDS,
            highlightPreTag=PRE_TAG,
            highlightPostTag=POST_TAG,
        )
    queries = [main]
    if request.with_facets:
        unselected = [g for g in FACETS if g not in selected]
        main["facets"] = [f for g in unselected for f in FACETS[g].fields]
        for group in selected_groups(selected):
            queries.append(
                {
                    "indexUid": index,
                    "q": query_text(request),
                    "filter": filters(without(selected, group)),
                    "facets": list(FACETS[group].fields),
                    "limit": 0,
                    "matchingStrategy": strategy,
                    **({"locales": locales} if locales else {}),
                    **meaning,
                }
            )
    return queries


def prefix_count_queries(index: str, request: SearchRequest) -> list[dict[str, Any]]:
    """Exact totals (page mode, no hits) of the query's first 1 … n-1 words, every one
    required, with the request's filters: the counts ``relaxation.levels`` needs."""
    words = query_words(request)
    out = []
    for size in range(1, len(words)):
        prefix = msgspec.structs.replace(request, q=" ".join(words[:size]))
        query: dict[str, Any] = {
            "indexUid": index,
            "q": query_text(prefix),
            "filter": filters(flatten(conditions(request))),
            "page": 1,
            "hitsPerPage": 0,
            "matchingStrategy": "all",
        }
        if locales := query_locales(prefix.q):
            query["locales"] = locales
        out.append(query)
    return out


def relaxed_queries(index: str, request: SearchRequest, size: int) -> list[dict[str, Any]]:
    """A search relaxed to its first ``size`` words: hits ranked by the ``last`` strategy over
    every word (its buckets, all the words and then fewer from the end, are the levels, in
    order), the total and facets counted over the first ``size`` words."""
    words = query_words(request)
    ranked = multi_search_queries(
        index, msgspec.structs.replace(request, with_facets=False), "last"
    )
    prefix = msgspec.structs.replace(request, q=" ".join(words[:size]), with_hits=False)
    return [ranked[0], *multi_search_queries(index, prefix, "all")]


def merge_relaxed(results: Sequence[Mapping[str, Any]], total: int, offset: int) -> EngineResult:
    """``relaxed_queries``' answers: the ranked hits up to the level's ``total`` (the ranking
    goes on to fewer words), the total and facets from the counting queries."""
    reachable = min(MAX_HITS, total) - offset
    counted = merge_results(results[1:])
    return EngineResult(
        total=total,
        hits=[parse_hit(hit) for hit in results[0].get("hits", [])[: max(0, reachable)]],
        facets=counted.facets,
    )


def _marked(text: Any) -> str | None:
    if not isinstance(text, str) or not text:
        return None
    return str(escape(text)).replace(PRE_TAG, "<mark>").replace(POST_TAG, "</mark>")


def parse_hit(raw: Mapping[str, Any]) -> EngineHit:
    """A hit of ours: the document fields plus ``_formatted``."""
    fields = {k: v for k, v in raw.items() if not k.startswith("_")}
    document = CourseDocument(**fields)
    formatted = raw.get("_formatted") or {}
    return EngineHit(
        document=document,
        highlights=Highlights(**{field: _marked(formatted.get(field)) for field in HIGHLIGHTED}),
    )


def total_of(result: Mapping[str, Any]) -> int:
    """Exact total in page mode (totalHits), estimate in offset mode."""
    return int(result.get("totalHits", result.get("estimatedTotalHits", 0)) or 0)


def facet_counts(results: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """Each field's counts from the query that asked for it (each field is asked once)."""
    facets: dict[str, dict[str, int]] = {}
    for result in results:
        for field, counts in (result.get("facetDistribution") or {}).items():
            facets[field] = {facet_key(field, k): int(v) for k, v in counts.items()}
    return facets


def merge_results(results: Sequence[Mapping[str, Any]], reachable: int = MAX_HITS) -> EngineResult:
    """Hits and total from the main result, each group's counts from its own query; hits
    past the deepest one pages reach (``reachable`` of this page) are dropped."""
    main = results[0]
    total = total_of(main)
    semantic = int(main.get("semanticHitCount") or 0)
    return EngineResult(
        total=total,
        hits=[parse_hit(hit) for hit in main.get("hits", [])[: max(0, reachable)]],
        facets=group_counts(facet_counts(results)),
        matched=max(0, total - semantic),
        neighbours=semantic,
    )


def generation_of(index: Mapping[str, Any]) -> str:
    """An index's generation from GET /indexes/{uid}: its creation and last-update stamps."""
    return f"{index['createdAt']}|{index['updatedAt']}"


# What each service may do: the web tier only searches (and reads its index's update stamp);
# the indexer writes documents and settings, builds and swaps rebuild twins (``<index>_…``),
# and follows its tasks.
KEY_ACTIONS = {
    "search": ["search", "indexes.get"],
    "indexer": ["search", "documents.*", "indexes.*", "settings.*", "tasks.*", "stats.*"],
}


def key_uid(index: str, role: str) -> str:
    """A fixed uuid v4 per index and role, so keys are found again on every deploy."""
    digest = hashlib.sha256(f"skillspring:{index}:{role}".encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def scoped_key_requests(index: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """role -> (uid, POST /keys body) for the scoped keys of ``index``."""
    return {
        role: (
            key_uid(index, role),
            {
                "uid": key_uid(index, role),
                "name": f"skillspring {role} ({index})",
                "description": f"Skillspring's {role} key, created by `skillspring search keys`",
                "actions": actions,
                "indexes": [index, f"{index}_*"] if role == "indexer" else [index],
                "expiresAt": None,
            },
        )
        for role, actions in KEY_ACTIONS.items()
    }
