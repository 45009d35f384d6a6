"""What an engine answers: hits, exact total, raw facet counts."""

from __future__ import annotations

import msgspec

from search_service.search.document import CourseDocument
from search_service.search.vocabulary import FacetGroup


class Highlights(msgspec.Struct, kw_only=True, frozen=True):
    """HTML-safe snippets with matched words in ``<mark>``."""

    title: str | None = None
    subtitle: str | None = None
    description: str | None = None


class EngineHit(msgspec.Struct, kw_only=True, frozen=True):
    """One result: the stored document and its highlights."""

    document: CourseDocument
    highlights: Highlights = Highlights()
    score: float = 0.0


class EngineResult(msgspec.Struct, kw_only=True, frozen=True):
    """Hits of the page, the exact total and disjunctive counts per facet group (value ->
    count; the price group counts ``free``, ``paid`` and the paid price bands). Frozen: a
    cached answer is handed to every request that asks for it (``wrappers/cache.py``)."""

    total: int
    hits: list[EngineHit]
    facets: dict[FacetGroup, dict[str, int]] = {}
    pinned: int = 0  # the page's first hits that a merchandising rule placed there
    # How many of the query's word groups the results needed (relaxation drops words from the
    # end while too few courses have them all), of how many; None: a search without words.
    kept_words: int | None = None
    words: int | None = None
    # Of ``total``, how many match the kept words (the rest are semantic neighbours only).
    matched: int | None = None
    # How many semantic neighbours the search found (some may match the words too).
    neighbours: int = 0
