"""Pure pieces of the Meilisearch adapter: settings, filter strings, request bodies, parsing.

Nothing here talks to the network, so every request body and every response parser can be
checked against the official OpenAPI spec and recorded engine responses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import escape

from search_service.search.document import CourseDocument
from search_service.search.engine import FACET_FIELDS
from search_service.search.query import (
    FACET_GROUPS,
    SORT_FIELDS,
    AnyOf,
    Condition,
    IsTrue,
    SearchRequest,
    conditions,
    flatten,
    without,
)
from search_service.search.results import EngineHit, EngineResult, Highlights
from search_service.search.text import synonym_groups

# Highlight markers no catalog text contains (Unicode private use): the engine's _formatted
# text is not HTML-escaped, so we escape it ourselves and only then insert <mark>.
PRE_TAG, POST_TAG = "\ue000", "\ue001"
MAX_TOTAL_HITS = 1_000_000
CROP_WORDS = 30
HIGHLIGHTED = ("title", "subtitle", "description")


def index_settings() -> dict[str, Any]:
    """The index settings (PATCH /indexes/{uid}/settings body)."""
    synonyms: dict[str, list[str]] = {}
    for group in synonym_groups():
        for member in group:
            synonyms.setdefault(member, []).extend(m for m in group if m != member)
    return {
        "searchableAttributes": [
            "title",
            "tags",
            "subtitle",
            "mentor_name",
            "category_names",
            "description",
        ],
        "displayedAttributes": ["*"],
        "filterableAttributes": [
            "level",
            "language_code",
            "category_slugs",
            "is_free",
            "price_band",
            "rating_floor",
            "duration_bucket",
            "features",
            "is_bestseller",
            "effective_price_cents",
            "rating",
        ],
        "sortableAttributes": [
            "review_count",
            "rating",
            "last_updated_at",
            "effective_price_cents",
            "popularity",
        ],
        # `sort` first: a shopper's explicit sort is strict, as on tantivy; without one, ties
        # after the text rules fall to rating, then popularity.
        "rankingRules": [
            "sort",
            "words",
            "typo",
            "proximity",
            "attributeRank",
            "wordPosition",
            "exactness",
            "rating:desc",
            "popularity:desc",
        ],
        "synonyms": {k: list(dict.fromkeys(v)) for k, v in synonyms.items()},
        "typoTolerance": {
            "enabled": True,
            "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9},
            "disableOnNumbers": True,
        },
        "faceting": {"maxValuesPerFacet": 200, "sortFacetValuesBy": {"*": "count"}},
        "pagination": {"maxTotalHits": MAX_TOTAL_HITS},
    }


def quote(value: str) -> str:
    """A filter value as a double-quoted string: backslash and quote escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number(value: float, integer: bool) -> str:
    return str(int(value)) if integer else repr(float(value))


def condition_filter(condition: Condition) -> str:
    """One condition in the filter grammar; every string value is quoted and escaped."""
    if isinstance(condition, AnyOf):
        return f"{condition.field} IN [{', '.join(quote(v) for v in condition.values)}]"
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


def multi_search_queries(index: str, request: SearchRequest) -> list[dict[str, Any]]:
    """Main query plus one facet-only query per selected group (disjunctive facets)."""
    selected = conditions(request)
    main: dict[str, Any] = {
        "indexUid": index,
        "q": request.q,
        "filter": filters(flatten(selected)),
        "page": request.page,
        "hitsPerPage": request.per_page,
        "matchingStrategy": "last",
    }
    if request.sort in SORT_FIELDS:
        field, descending = SORT_FIELDS[request.sort]
        main["sort"] = [f"{field}:{'desc' if descending else 'asc'}"]
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
        unselected = [g for g in FACET_GROUPS if g not in selected]
        main["facets"] = [f for g in unselected for f in FACET_FIELDS[g]]
        for group in selected:
            queries.append(
                {
                    "indexUid": index,
                    "q": request.q,
                    "filter": filters(without(selected, group)),
                    "facets": list(FACET_FIELDS[group]),
                    "limit": 0,
                    "matchingStrategy": "last",
                }
            )
    return queries


def _facet_key(field: str, key: str) -> str:
    if field == "rating_floor":
        return f"{float(key):.1f}"
    return key.lower() if field in ("is_free", "is_bestseller") else key


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
        highlights=Highlights(
            title=_marked(formatted.get("title")),
            subtitle=_marked(formatted.get("subtitle")),
            description=_marked(formatted.get("description")),
        )
        if formatted
        else Highlights(),
    )


def total_of(result: Mapping[str, Any]) -> int:
    """Exact total in page mode (totalHits), estimate in offset mode."""
    return int(result.get("totalHits", result.get("estimatedTotalHits", 0)) or 0)


def facet_counts(results: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """Each field's counts from the query that asked for it (each field is asked once)."""
    facets: dict[str, dict[str, int]] = {}
    for result in results:
        for field, counts in (result.get("facetDistribution") or {}).items():
            facets[field] = {_facet_key(field, str(k)): int(v) for k, v in counts.items()}
    return facets


def merge_results(results: Sequence[Mapping[str, Any]]) -> EngineResult:
    """Hits and total from the main result, each group's counts from its own query."""
    main = results[0]
    facets = facet_counts(results)
    return EngineResult(
        total=total_of(main),
        hits=[parse_hit(hit) for hit in main.get("hits", [])],
        facets=facets,
    )
