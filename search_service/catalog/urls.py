"""Public URL paths, defined once: the API returns them and the pages are routed at them."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import quote, urlencode

SEARCH_PAGE = "/search"
COURSE_PAGE = "/courses/{slug:str}"
CATEGORY_ROOT_PAGE = "/categories/{root:str}"
CATEGORY_SUB_PAGE = "/categories/{root:str}/{sub:str}"
INSTRUCTOR_PAGE = "/instructors/{slug:str}"
_NON_SLUG = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=65_536)  # every search shows twenty, and courses recur
def course_url(slug: str) -> str:
    return f"/courses/{quote(slug)}"


def category_url(root: str, sub: str | None = None) -> str:
    return f"/categories/{quote(root)}" + (f"/{quote(sub)}" if sub else "")


def search_url(params: Iterable[tuple[str, str]], path: str = SEARCH_PAGE) -> str:
    query = urlencode(list(params))
    return f"{path}?{query}" if query else path


@functools.lru_cache(maxsize=16_384)
def instructor_slug(mentor_id: str, name: str) -> str:
    """A mentor's address: their name, then the start of their id (names repeat)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = _NON_SLUG.sub("-", ascii_name.lower()).strip("-")
    return (
        f"{words}-{mentor_id.replace('-', '')[:12]}" if words else mentor_id.replace("-", "")[:12]
    )


def instructor_url(mentor_id: str, name: str) -> str:
    return f"/instructors/{instructor_slug(mentor_id, name)}"
