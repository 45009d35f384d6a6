"""Pure: a course row from ``source`` in, a search document out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from search_service.search.document import CourseDocument
from search_service.search.facets import duration_bucket, price_band, rating_floor

# source column -> feature facet value
FEATURE_COLUMNS = (
    ("has_quiz", "quizzes"),
    ("has_assignment", "assignments"),
    ("has_download", "downloads"),
    ("has_article", "articles"),
    ("has_preview", "previews"),
)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def is_searchable(row: Mapping[str, Any]) -> bool:
    """Only published, non-deleted courses are in the index."""
    return bool(row["status"] == "published" and row["deleted_at"] is None)


def effective_price_cents(list_cents: int, sale_cents: int | None) -> int:
    """What a shopper pays: the sale price when there is one."""
    return list_cents if sale_cents is None else min(sale_cents, list_cents)


def discount_percent(list_cents: int, effective_cents: int) -> int:
    """Whole percent off the list price (0 when there is no sale)."""
    if list_cents <= 0 or effective_cents >= list_cents:
        return 0
    return round(100 * (list_cents - effective_cents) / list_cents)


def popularity(enrollments: int, recent_enrollments: int, recent_views: int) -> int:
    """All-time enrollments, plus recent momentum: buying counts more than looking."""
    return int(enrollments + 3 * recent_enrollments + recent_views // 50)


def _features(row: Mapping[str, Any]) -> list[str]:
    return [feature for column, feature in FEATURE_COLUMNS if row[column]]


def _categories(rows: list[list[str]] | None) -> dict[str, Any]:
    """Subcategory and root from ``[slug, name, parent_slug, parent_name]`` rows, deepest first."""
    slugs: list[str] = []
    names: list[str] = []
    sub = root = None
    for slug, name, parent_slug, parent_name in rows or []:
        if parent_slug:
            sub = sub or (slug, name)
            root = root or (parent_slug, parent_name)
            pairs = [(slug, name), (parent_slug, parent_name)]
        else:
            root = root or (slug, name)
            pairs = [(slug, name)]
        for pair_slug, pair_name in pairs:
            if pair_slug not in slugs:
                slugs.append(pair_slug)
                names.append(pair_name)
    return {
        "category_slugs": slugs,
        "category_names": names,
        "subcategory_slug": sub[0] if sub else None,
        "subcategory_name": sub[1] if sub else None,
        "root_category_slug": root[0] if root else None,
        "root_category_name": root[1] if root else None,
    }


def build_document(row: Mapping[str, Any]) -> CourseDocument:
    """The search document of one course row."""
    list_cents = int(row["list_price_cents"])
    effective = effective_price_cents(list_cents, row["sale_price_cents"])
    rating = round(float(row["rating_avg"] or 0.0), 2)
    minutes = int(row["total_duration_minutes"])
    updated = row["last_updated_at"] or _EPOCH
    mentor_name = " ".join(p for p in (row["first_name"], row["last_name"]) if p)
    mentor_rating = row["mentor_rating"]
    return CourseDocument(
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
        mentor_rating=float(mentor_rating) if mentor_rating is not None else None,
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
        review_count=int(row["review_count"]),
        enrollment_count=int(row["enrollment_count"]),
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
        **_categories(row["categories"]),
    )
