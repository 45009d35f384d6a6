"""Facet vocabularies shared by the indexer, the engines and the API."""

from __future__ import annotations

LEVELS = ("beginner", "intermediate", "advanced", "all")
LEVEL_LABELS = {
    "beginner": "Beginner",
    "intermediate": "Intermediate",
    "advanced": "Advanced",
    "all": "All levels",
}
# (bucket, lowest minutes, first minute of the next bucket)
DURATION_BUCKETS = (
    ("0-1h", 0, 60),
    ("1-3h", 60, 180),
    ("3-6h", 180, 360),
    ("6-17h", 360, 1020),
    ("17h+", 1020, None),
)
DURATION_LABELS = {
    "0-1h": "0–1 hour",
    "1-3h": "1–3 hours",
    "3-6h": "3–6 hours",
    "6-17h": "6–17 hours",
    "17h+": "17+ hours",
}
FEATURES = ("quizzes", "assignments", "downloads", "articles", "previews")
FEATURE_LABELS = {
    "quizzes": "Quizzes",
    "assignments": "Assignments",
    "downloads": "Downloadable resources",
    "articles": "Articles",
    "previews": "Free previews",
}
RATING_STEPS = (4.5, 4.0, 3.5, 3.0)
# (band, lowest cents, first cent of the next band)
PRICE_BANDS = (
    ("free", 0, 1),
    ("under-20", 1, 2000),
    ("20-50", 2000, 5000),
    ("50-100", 5000, 10000),
    ("100-plus", 10000, None),
)
PRICE_BAND_LABELS = {
    "free": "Free",
    "under-20": "Under $20",
    "20-50": "$20 – $50",
    "50-100": "$50 – $100",
    "100-plus": "$100 and more",
}


def duration_bucket(minutes: int) -> str:
    """The duration facet value of a course length."""
    for bucket, low, high in DURATION_BUCKETS:
        if minutes >= low and (high is None or minutes < high):
            return bucket
    return DURATION_BUCKETS[0][0]


def price_band(cents: int) -> str:
    """The price band facet value of an effective price."""
    for band, low, high in PRICE_BANDS:
        if cents >= low and (high is None or cents < high):
            return band
    return PRICE_BANDS[0][0]


def rating_floor(rating: float) -> float:
    """The rating rounded down to a half star, for "N & up" facets."""
    return int(rating * 2) / 2
