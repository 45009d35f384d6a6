"""Rows for several tables, gathered before one COPY per table."""

from __future__ import annotations

from collections.abc import Sequence

Row = tuple[object, ...]

# Columns per table, in load order (parents before children).
COLUMNS: dict[str, tuple[str, ...]] = {
    "courses": (
        "id",
        "mentor_id",
        "title",
        "subtitle",
        "slug",
        "description",
        "language_code",
        "level",
        "status",
        "list_price_cents",
        "sale_price_cents",
        "currency",
        "total_duration_minutes",
        "lecture_count",
        "last_updated_at",
        "hero_video_url",
        "thumbnail_url",
        "is_bestseller",
        "meta",
        "created_at",
        "deleted_at",
    ),
    "course_categories": ("course_id", "category_id"),
    "course_tag_map": ("course_id", "tag_id"),
    "course_sections": (
        "id",
        "course_id",
        "title",
        "position",
        "total_duration_minutes",
        "lecture_count",
    ),
    "lectures": (
        "id",
        "section_id",
        "title",
        "position",
        "content_type",
        "duration_minutes",
        "video_url",
        "resource_url",
        "is_preview",
        "status",
    ),
    "media_assets": (
        "id",
        "owner_id",
        "file_type",
        "url",
        "duration_seconds",
        "size_bytes",
        "transcoding_status",
    ),
    "enrollments": (
        "id",
        "course_id",
        "student_id",
        "purchase_price_cents",
        "currency",
        "purchased_at",
        "progress_percent",
        "completed_at",
    ),
    "course_reviews": (
        "id",
        "course_id",
        "student_id",
        "rating",
        "title",
        "body",
        "would_recommend",
        "created_at",
        "updated_at",
        "is_verified",
        "helpful_count",
        "reported_count",
    ),
    "review_helpful_votes": ("review_id", "student_id", "vote"),
    "course_questions": ("id", "course_id", "student_id", "question", "created_at", "resolved_at"),
    "course_answers": (
        "id",
        "question_id",
        "mentor_id",
        "answer",
        "created_at",
        "is_marked_solution",
    ),
    "course_metrics": (
        "course_id",
        "date",
        "views",
        "enrollments",
        "completions",
        "revenue_cents",
    ),
}


class Batch:
    """Rows gathered per table for one COPY each."""

    def __init__(self) -> None:
        self.rows: dict[str, list[Row]] = {table: [] for table in COLUMNS}

    def tables(self) -> Sequence[tuple[str, tuple[str, ...], list[Row]]]:
        """(table, columns, rows) in load order, skipping empty tables."""
        return [(t, COLUMNS[t], rows) for t, rows in self.rows.items() if rows]

    def __len__(self) -> int:
        return sum(len(rows) for rows in self.rows.values())
