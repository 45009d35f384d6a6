"""Business signals, the same on both engines: how much a course's quality lifts it among
comparable text matches."""

from __future__ import annotations

import math

from search_service.search.document import CourseDocument

SITE_LANGUAGE = "en"
LANGUAGE_LIFT = 1.3  # a course in the site's language
POPULARITY_LIFT = 0.5  # at 10,000 enrolments and more
RATING_FLOOR, RATING_TOP = 3.0, 5.0  # confidence-adjusted ratings between them scale up


def multiplier(doc: CourseDocument) -> float:
    """How much the business signals multiply a course's text score: from 0.5 (an unrated,
    unknown course in another language) to 3.9 (a 5.0 course, in English, with 10,000
    enrolments). Comparable matches are re-ordered by it; a title match still beats a
    subtitle match of a far better course only within that range. The rating is the
    confidence-adjusted one (``vocabulary.weighted_rating``): a 5.0 from two reviews weighs
    like 4.1, a 4.8 from a thousand like 4.8."""
    rating = min(1.0, max(0.0, (doc.rating_weighted - RATING_FLOOR) / (RATING_TOP - RATING_FLOOR)))
    popularity = min(1.0, math.log10(1 + doc.popularity) / 4)
    language = LANGUAGE_LIFT if doc.language_code.split("-")[0] == SITE_LANGUAGE else 1.0
    return (0.5 + rating) * (1 + POPULARITY_LIFT * popularity) * language


def rank_weight(doc: CourseDocument) -> float:
    """``multiplier`` as tantivy's ``weight_by_field`` value (it multiplies by
    log2(2 + value))."""
    return float(2 ** multiplier(doc) - 2)


def rank_tier(doc: CourseDocument) -> int:
    """``multiplier`` in steps of a quarter (2 to 16), for an engine that ranks by buckets
    (Meilisearch's ``rank_tier:desc`` rule)."""
    return round(multiplier(doc) * 4)
