"""Public URL paths, defined once: the API returns them and the pages are routed at them."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from urllib.parse import quote, urlencode

SEARCH_PAGE = "/search"
COURSE_PAGE = "/courses/{slug:str}"
CATEGORY_ROOT_PAGE = "/categories/{root:str}"
CATEGORY_SUB_PAGE = "/categories/{root:str}/{sub:str}"


@functools.lru_cache(maxsize=65_536)  # every search shows twenty, and courses recur
def course_url(slug: str) -> str:
    return f"/courses/{quote(slug)}"


def category_url(root: str, sub: str | None = None) -> str:
    return f"/categories/{quote(root)}" + (f"/{quote(sub)}" if sub else "")


def search_url(params: Iterable[tuple[str, str]], path: str = SEARCH_PAGE) -> str:
    query = urlencode(list(params))
    return f"{path}?{query}" if query else path
