"""Business signals, the same on both engines: how much a course's quality lifts it among
comparable text matches."""

from __future__ import annotations

import math

from search_service.search.document import CourseDocument

SITE_LANGUAGE = "en"
RANK_BASE = 2.0


def rank_weight(doc: CourseDocument) -> float:
    """Business signals as one weight (tantivy multiplies the text score by log2(2 + weight);
    Meilisearch ranks by ``rank_tier`` right after the text rules that outweigh it).

    Courses in the site's language, popular courses and well-rated courses move up among
    comparable text matches. The multiplier runs from log2(2 + RANK_BASE) to
    log2(9.5 + RANK_BASE), at most about 1.8×: less than the gap between a title match and a
    subtitle match (3.3×) or between an exact word and a typo (3.3×).
    """
    language = 4.0 if doc.language_code.split("-")[0] == SITE_LANGUAGE else 0.0
    popularity = min(3.0, math.log10(1 + doc.popularity)) * 0.5
    rating = max(0.0, doc.rating_weighted - 3.0)
    return RANK_BASE + language + popularity + rating


def rank_tier(doc: CourseDocument) -> int:
    """``rank_weight`` in half steps (0 to 15), for an engine that ranks by buckets."""
    return round((rank_weight(doc) - RANK_BASE) * 2)
