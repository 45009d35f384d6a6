"""Where a course page's reviews stand: their sort, star filter and page, as links carry them
(``?reviews=recent&stars=4&rpage=2``) and as a vote comes back to them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode

from search_service.lib.web import link_number
from search_service.reviews.schemas import ReviewSort

REVIEW_SORTS: tuple[tuple[ReviewSort, str], ...] = (
    ("helpful", "Most helpful"),
    ("recent", "Newest"),
    ("highest", "Highest"),
    ("lowest", "Lowest"),
)


class ReviewView(NamedTuple):
    sort: ReviewSort = "helpful"
    stars: int | None = None
    page: int = 1

    @classmethod
    def read(cls, params: Mapping[str, str]) -> ReviewView:
        """From a link's parameters (anything not ours, or out of range, left out)."""
        wanted = params.get("reviews")
        sort: ReviewSort = next((v for v, _ in REVIEW_SORTS if v == wanted), "helpful")
        number = link_number(params.get("rpage"), 1, 10_000) or 1
        return cls(sort, link_number(params.get("stars"), 1, 5), number)

    @classmethod
    def sent_back(cls, text: str | None) -> ReviewView:
        """From the query string a form carried (``query``'s)."""
        return cls.read(dict(parse_qsl(text or "")))

    def query(self) -> str:
        """As a query string ("" for the first page of the most helpful, every star)."""
        params: list[tuple[str, str]] = [("reviews", self.sort)] if self.sort != "helpful" else []
        params += [("stars", str(self.stars))] if self.stars else []
        params += [("rpage", str(self.page))] if self.page > 1 else []
        return urlencode(params)
