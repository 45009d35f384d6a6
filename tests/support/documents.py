"""A source row as ``indexer/source.py`` reads it, for document tests."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from search_service.search.document import CourseDocument


def row(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": uuid.UUID(int=1),
        "slug": "react-for-beginners",
        "title": "React for Beginners",
        "subtitle": "Learn React",
        "description": "All of React.",
        "language_code": "en   ",
        "level": "beginner",
        "status": "published",
        "deleted_at": None,
        "list_price_cents": 10000,
        "sale_price_cents": 2500,
        "currency": "USD",
        "total_duration_minutes": 200,
        "lecture_count": 30,
        "is_bestseller": True,
        "last_updated_at": dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
        "thumbnail_url": "t.jpg",
        "mentor_id": uuid.UUID(int=2),
        "first_name": "Ana",
        "last_name": "Silva",
        "mentor_headline": "React trainer",
        "categories": [["web-development", "Web Development", "development", "Development"]],
        "tags": ["javascript", "react"],
        "rating_avg": 4.26,
        "review_count": 12,
        "enrollment_count": 40,  # feeds popularity
        "recent_views": 500,
        "recent_enrollments": 3,
        "has_quiz": True,
        "has_assignment": False,
        "has_download": True,
        "has_article": False,
        "preview_urls": ["https://media.skillspring.io/react-preview.mp4"],
    }
    base.update(overrides)
    return base


def titled(n: int, title: str, **overrides: Any) -> CourseDocument:
    """The ``n``-th of a test's own courses: ``title`` and nothing else to match (no subtitle,
    description or tags)."""
    from indexer.documents import build_document

    fields = {"id": uuid.UUID(int=100 + n), "slug": f"course-{n}", "title": title}
    return build_document(row(**fields, subtitle="", description="", tags=[], **overrides))
