"""The document builder is pure: a row in, a search document out."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from indexer.documents import build_document, is_searchable, popularity
from search_service.lib.pricing import discount_percent
from search_service.search.vocabulary import duration_bucket, price_band, rating_floor
from tests.support.documents import row


def test_document_fields() -> None:
    doc = build_document(row())
    assert doc.id == str(uuid.UUID(int=1))
    assert doc.language_code == "en"
    assert doc.mentor_name == "Ana Silva"
    assert (doc.effective_price_cents, doc.discount_percent, doc.is_free) == (2500, 75, False)
    assert doc.price_band == "20-50"
    assert (doc.rating, doc.rating_floor, doc.review_count) == (4.3, 4.0, 12)  # 4.26, as shown
    assert doc.duration_bucket == "3-6h"
    assert doc.features == ["quizzes", "downloads", "previews"]
    # "Free previews" only where the course page offers one: a preview that can play (the
    # demo's media live on a host that does not exist, and every course said it had one).
    dead = build_document(row(preview_urls=["https://media.skillspring.example/a.mp4"]))
    assert dead.features == ["quizzes", "downloads"]
    assert build_document(row(preview_urls=[])).features == ["quizzes", "downloads"]
    assert doc.category_slugs == ["web-development", "development"]
    assert doc.category_names == ["Web Development", "Development"]
    assert doc.popularity == 40 + 3 * 3 + 500 // 50
    assert doc.last_updated_at == int(dt.datetime(2026, 1, 2, tzinfo=dt.UTC).timestamp())


def test_free_course_without_reviews() -> None:
    doc = build_document(
        row(
            list_price_cents=0,
            sale_price_cents=None,
            rating_avg=None,
            review_count=0,
            categories=None,
            tags=None,
        )
    )
    assert (doc.is_free, doc.effective_price_cents, doc.discount_percent) == (True, 0, 0)
    assert (doc.rating, doc.rating_floor, doc.price_band) == (0.0, 0.0, "free")
    assert doc.category_slugs == [] and doc.tags == []


def test_course_in_a_root_category_only() -> None:
    doc = build_document(row(categories=[["business", "Business", "", ""]]))
    assert doc.category_slugs == ["business"] and doc.category_names == ["Business"]


@pytest.mark.parametrize(
    ("status", "deleted", "searchable"),
    [
        ("published", None, True),
        ("draft", None, False),
        ("archived", None, False),
        ("published", dt.datetime(2026, 1, 1, tzinfo=dt.UTC), False),
    ],
)
def test_only_published_undeleted_courses_are_searchable(
    status: str, deleted: dt.datetime | None, searchable: bool
) -> None:
    assert is_searchable(row(status=status, deleted_at=deleted)) is searchable


@pytest.mark.parametrize(
    ("minutes", "bucket"),
    [
        (0, "0-1h"),
        (59, "0-1h"),
        (60, "1-3h"),
        (179, "1-3h"),
        (180, "3-6h"),
        (360, "6-17h"),
        (1019, "6-17h"),
        (1020, "17h+"),
        (9000, "17h+"),
    ],
)
def test_duration_buckets(minutes: int, bucket: str) -> None:
    assert duration_bucket(minutes) == bucket


def test_price_bands_ratings_and_discounts() -> None:
    assert [price_band(c) for c in (0, 1, 1999, 2000, 9999, 10000)] == [
        "free",
        "under-20",
        "under-20",
        "20-50",
        "50-100",
        "100-plus",
    ]
    assert [rating_floor(r) for r in (0.0, 3.49, 3.5, 4.99, 5.0)] == [0.0, 3.0, 3.5, 4.5, 5.0]
    assert discount_percent(0, 0) == 0 and discount_percent(1999, 999) == 50
    assert popularity(0, 0, 49) == 0


def test_a_rating_is_rounded_once_to_the_decimal_shown() -> None:
    """A mean of 3.949 rounded to 3.95 and then shown to one decimal read 4.0 on the card,
    the course page and the instructor page: it is rounded once, and filtered as shown."""
    from search_service.reviews.service import rating_summary

    doc = build_document(row(rating_avg=3.9493, review_count=137))
    assert (doc.rating, doc.rating_floor) == (3.9, 3.5)
    assert rating_summary(137, 3.9493, [47, 52, 38, 0, 0]).average == 3.9
    shown_as_half = build_document(row(rating_avg=4.46, review_count=10))
    assert (shown_as_half.rating, shown_as_half.rating_floor) == (4.5, 4.5)
