"""Pure: a course row from ``source`` in, a search document out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import msgspec

from search_service.lib.pricing import discount_percent, effective_price_cents
from search_service.lib.safe_urls import is_playable
from search_service.search.document import CourseDocument
from search_service.search.signals import rank_tier
from search_service.search.vocabulary import (
    duration_bucket,
    price_band,
    rating_floor,
    rating_lower_bound,
    weighted_rating,
)

# source column -> feature facet value
FEATURE_COLUMNS = (
    ("has_quiz", "quizzes"),
    ("has_assignment", "assignments"),
    ("has_download", "downloads"),
    ("has_article", "articles"),
)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def is_searchable(row: Mapping[str, Any]) -> bool:
    """Only published, non-deleted courses are in the index."""
    return bool(row["status"] == "published" and row["deleted_at"] is None)


# What page views can add to popularity at most (1,000 distinct visitors in 30 days): looking
# is a weak signal and the cheapest to fake, so it can lift a course only so far.
VIEW_POPULARITY_CAP = 20


def popularity(enrollments: int, recent_enrollments: int, recent_views: int) -> int:
    """All-time enrollments, plus recent momentum: buying counts more than looking, and
    looking counts only up to a cap."""
    return int(enrollments + 3 * recent_enrollments + min(recent_views // 50, VIEW_POPULARITY_CAP))


def _features(row: Mapping[str, Any]) -> list[str]:
    features = [feature for column, feature in FEATURE_COLUMNS if row[column]]
    # "Free previews" only where the course page offers one: a preview whose media can play
    # (the demo catalog's all live on a host that does not exist).
    if any(is_playable(url) for url in row["preview_urls"] or ()):
        features.append("previews")
    return features


def _categories(rows: list[list[str]] | None) -> tuple[list[str], list[str]]:
    """Slugs and names of the course's categories and their parents, from
    ``[slug, name, parent_slug, parent_name]`` rows, deepest first, each once."""
    slugs: list[str] = []
    names: list[str] = []
    for slug, name, parent_slug, parent_name in rows or []:
        for pair_slug, pair_name in ((slug, name), (parent_slug, parent_name)):
            if pair_slug and pair_slug not in slugs:
                slugs.append(pair_slug)
                names.append(pair_name)
    return slugs, names


def build_document(row: Mapping[str, Any]) -> CourseDocument:
    """The search document of one course row."""
    list_cents = int(row["list_price_cents"])
    effective = effective_price_cents(list_cents, row["sale_price_cents"])
    exact = float(row["rating_avg"] or 0.0)
    # Shown to one decimal, and filtered as shown ("4.5 & up"): rounded once, from the mean
    # (3.949 rounded to 3.95 first was shown as 4.0). Ranking uses the mean itself.
    rating = round(exact, 1)
    minutes = int(row["total_duration_minutes"])
    updated = row["last_updated_at"] or _EPOCH
    mentor_name = " ".join(p for p in (row["first_name"], row["last_name"]) if p)
    category_slugs, category_names = _categories(row["categories"])
    document = CourseDocument(
        id=str(row["id"]),
        slug=row["slug"],
        title=row["title"],
        subtitle=row["subtitle"] or "",
        description=row["description"] or "",
        language_code=row["language_code"].strip(),
        level=row["level"],
        mentor_id=str(row["mentor_id"]),
        mentor_name=mentor_name,
        mentor_headline=row["mentor_headline"] or "",
        tags=list(row["tags"] or []),
        list_price_cents=list_cents,
        sale_price_cents=row["sale_price_cents"],
        effective_price_cents=effective,
        currency=row["currency"],
        is_free=effective == 0,
        discount_percent=discount_percent(list_cents, effective),
        price_band=price_band(effective),
        rating=rating,
        rating_floor=rating_floor(rating),
        rating_weighted=weighted_rating(exact, int(row["review_count"])),
        rating_lower_bound=rating_lower_bound(exact, int(row["review_count"])),
        review_count=int(row["review_count"]),
        popularity=popularity(
            int(row["enrollment_count"]), int(row["recent_enrollments"]), int(row["recent_views"])
        ),
        total_duration_minutes=minutes,
        duration_bucket=duration_bucket(minutes),
        lecture_count=int(row["lecture_count"]),
        features=_features(row),
        is_bestseller=bool(row["is_bestseller"]),
        last_updated_at=int(updated.timestamp()),
        thumbnail_url=row["thumbnail_url"],
        category_slugs=category_slugs,
        category_names=category_names,
    )
    return msgspec.structs.replace(document, rank_tier=rank_tier(document))
