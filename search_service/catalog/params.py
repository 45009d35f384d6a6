"""Query parameters of the search endpoints: what is allowed, and the normalised request."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal, get_args

from search_service.errors import Invalid
from search_service.search.query import SORT_KEYS, SearchRequest

Level = Literal["beginner", "intermediate", "advanced", "all"]
Duration = Literal["0-1h", "1-3h", "3-6h", "6-17h", "17h+"]
Feature = Literal["quizzes", "assignments", "downloads", "articles", "previews"]
PriceKind = Literal["free", "paid"]
Sort = Literal[
    "relevance", "most_reviewed", "highest_rated", "newest", "price_asc", "price_desc", "popular"
]
MAX_QUERY = 200
MAX_PER_PAGE = 100
MAX_PAGE = 10_000  # × MAX_PER_PAGE = 1,000,000: as far as Meilisearch's maxTotalHits goes
MAX_VALUES = 50  # values of one repeatable parameter
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
LANGUAGE_PATTERN = r"^[a-z]{2}(-[A-Za-z]{2})?$"
SLUG = re.compile(SLUG_PATTERN)
LANGUAGE = re.compile(LANGUAGE_PATTERN)

ALLOWED: dict[str, str] = {
    "q": f"text of at most {MAX_QUERY} characters",
    "category": "category slugs (lower-case letters, digits and hyphens), repeatable",
    "level": "beginner, intermediate, advanced or all, repeatable",
    "language": "language codes such as en or pt-BR, repeatable",
    "price": "free or paid",
    "price_min": "a whole number of cents, 0 or more, not above price_max",
    "price_max": "a whole number of cents, 0 or more, not below price_min",
    "rating_min": "a number from 0 to 5",
    "duration": "0-1h, 1-3h, 3-6h, 6-17h or 17h+, repeatable",
    "features": "quizzes, assignments, downloads, articles or previews, repeatable",
    "bestseller": "true or false",
    "sort": ", ".join(SORT_KEYS),
    "page": f"a whole number from 1 to {MAX_PAGE:,}",
    "per_page": f"a whole number from 1 to {MAX_PER_PAGE}",
}
SINGLE_VALUED = (
    "q",
    "price",
    "price_min",
    "price_max",
    "rating_min",
    "bestseller",
    "sort",
    "page",
    "per_page",
)


def check_single_valued(query: Mapping[str, list[str]]) -> None:
    """A parameter that takes one value, given twice, is an error rather than a guess."""
    for name in SINGLE_VALUED:
        if len(query.get(name, [])) > 1:
            raise Invalid(name, f"{name} may be given only once", ALLOWED[name])


def _unique(values: list[str] | None, name: str) -> tuple[str, ...]:
    out = tuple(dict.fromkeys(v.strip() for v in values or [] if v.strip()))
    if len(out) > MAX_VALUES:
        raise Invalid(name, f"at most {MAX_VALUES} values of {name}", ALLOWED[name])
    return out


def build_request(
    *,
    q: str = "",
    category: list[str] | None = None,
    level: list[str] | None = None,
    language: list[str] | None = None,
    price: str | None = None,
    price_min: int | None = None,
    price_max: int | None = None,
    rating_min: float | None = None,
    duration: list[str] | None = None,
    features: list[str] | None = None,
    bestseller: bool | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 20,
    with_facets: bool = True,
) -> SearchRequest:
    """Cross-parameter checks and normalisation (types and ranges are checked by Litestar).

    Raises:
        Invalid: naming the parameter and what it allows.
    """
    categories = _unique(category, "category")
    for slug in categories:
        if not SLUG.match(slug) or len(slug) > 80:
            raise Invalid("category", f"{slug[:40]!r} is not a category slug", ALLOWED["category"])
    languages = _unique(language, "language")
    for code in languages:
        if not LANGUAGE.match(code):
            raise Invalid("language", f"{code[:20]!r} is not a language code", ALLOWED["language"])
    if price_min is not None and price_max is not None and price_min > price_max:
        raise Invalid("price_min", "price_min is above price_max", ALLOWED["price_min"])
    return SearchRequest(
        q=" ".join(q.split())[:MAX_QUERY],
        categories=categories,
        levels=_unique(level, "level"),
        languages=languages,
        price=price,  # type: ignore[arg-type]
        price_min=price_min,
        price_max=price_max,
        rating_min=rating_min,
        durations=_unique(duration, "duration"),
        features=_unique(features, "features"),
        bestseller=bestseller,
        sort=sort,  # type: ignore[arg-type]
        page=page,
        per_page=per_page,
        with_facets=with_facets,
    )


def to_params(
    request: SearchRequest, *, page: bool = False, fixed: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    """The request as query parameters (for links that keep the current state); categories
    fixed by the page's path are left out."""
    params: list[tuple[str, str]] = []
    if request.q:
        params.append(("q", request.q))
    params += [("category", v) for v in request.categories if v not in fixed]
    params += [("level", v) for v in request.levels]
    params += [("language", v) for v in request.languages]
    if request.price:
        params.append(("price", request.price))
    if request.price_min is not None:
        params.append(("price_min", str(request.price_min)))
    if request.price_max is not None:
        params.append(("price_max", str(request.price_max)))
    if request.rating_min is not None:
        params.append(("rating_min", f"{request.rating_min:g}"))
    params += [("duration", v) for v in request.durations]
    params += [("features", v) for v in request.features]
    if request.bestseller is not None:
        params.append(("bestseller", "true" if request.bestseller else "false"))
    if request.sort != "relevance":
        params.append(("sort", request.sort))
    if page and request.page != 1:
        params.append(("page", str(request.page)))
    if page and request.per_page != 20:
        params.append(("per_page", str(request.per_page)))
    return params


_CHOICES: dict[str, tuple[str, ...]] = {
    "level": get_args(Level),
    "duration": get_args(Duration),
    "features": get_args(Feature),
    "price": get_args(PriceKind),
    "sort": get_args(Sort),
}


def _one(query: Mapping[str, list[str]], name: str) -> str | None:
    values = query.get(name) or []
    return values[0] if values and values[0] != "" else None


def _number(query: Mapping[str, list[str]], name: str, kind: type, low: float, high: float) -> Any:
    raw = _one(query, name)
    if raw is None:
        return None
    try:
        value = kind(raw)
    except ValueError:
        raise Invalid(name, f"{raw[:20]!r} is not a number", ALLOWED[name]) from None
    if not low <= value <= high:
        raise Invalid(name, f"{raw[:20]} is out of range", ALLOWED[name])
    return value


def request_from_query(
    query: Mapping[str, list[str]], fixed_categories: tuple[str, ...] = ()
) -> SearchRequest:
    """A search request from a page's query string (the API gets its types from Litestar).

    Raises:
        Invalid: naming the parameter and what it allows.
    """
    check_single_valued(query)
    for name, allowed in _CHOICES.items():
        for value in query.get(name, []):
            if value and value not in allowed:
                raise Invalid(name, f"{value[:40]!r} is not allowed", ALLOWED[name])
    q = _one(query, "q") or ""
    if len(q) > MAX_QUERY:
        raise Invalid("q", f"the query is longer than {MAX_QUERY} characters", ALLOWED["q"])
    bestseller = _one(query, "bestseller")
    if bestseller not in (None, "true", "false"):
        raise Invalid(
            "bestseller", f"{bestseller[:20]!r} is not true or false", ALLOWED["bestseller"]
        )
    return build_request(
        q=q,
        # On a category page the path fixes the category; chosen subcategories narrow it.
        category=query.get("category") or list(fixed_categories),
        level=query.get("level"),
        language=query.get("language"),
        price=_one(query, "price"),
        price_min=_number(query, "price_min", int, 0, 10**9),
        price_max=_number(query, "price_max", int, 0, 10**9),
        rating_min=_number(query, "rating_min", float, 0, 5),
        duration=query.get("duration"),
        features=query.get("features"),
        bestseller=None if bestseller is None else bestseller == "true",
        sort=_one(query, "sort") or "relevance",
        page=_number(query, "page", int, 1, MAX_PAGE) or 1,
        per_page=_number(query, "per_page", int, 1, MAX_PER_PAGE) or 20,
    )
