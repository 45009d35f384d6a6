"""Read what search documents are made of from PostgreSQL, set-based, a batch at a time."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncGenerator, Sequence
from typing import Any

import asyncpg

from search_service.db.lookups import PUBLISHED

POPULARITY_DAYS = 30


# One row per course with everything its document needs: mentor, categories (with their
# parent), tags, review stats, enrollments, recent metrics and lecture features. Every
# aggregate is grouped over the target courses only, so a batch of ids is a few index scans
# and the full stream is a few hash aggregates: one round trip either way, no N+1.
# Built only from constants in this module (no input reaches it).
def _document_rows(target: str, within: str, ctes: str = "") -> str:
    """The document rows of the courses ``target`` selects (a WHERE clause on ``c``), every
    aggregate restricted by ``within`` (a condition on ``{col}``, the table's course id),
    after the extra ``ctes``."""

    def of(column: str) -> str:
        return within.format(col=column)

    return f"""
WITH {ctes}cats AS (
    SELECT cc.course_id,
           array_agg(ARRAY[cat.slug, cat.name, coalesce(p.slug, ''), coalesce(p.name, '')]
                     ORDER BY cat.level DESC, cat.slug) AS categories
    FROM course_categories cc
    JOIN categories cat ON cat.id = cc.category_id
    LEFT JOIN categories p ON p.id = cat.parent_id
    WHERE {of("cc.course_id")}
    GROUP BY cc.course_id
),
tg AS (
    SELECT tm.course_id, array_agg(t.name ORDER BY t.name) AS tags
    FROM course_tag_map tm JOIN course_tags t ON t.id = tm.tag_id
    WHERE {of("tm.course_id")}
    GROUP BY tm.course_id
),
rv AS (
    SELECT course_id, avg(rating)::float8 AS rating_avg, count(*) AS review_count
    FROM course_reviews WHERE {of("course_id")}
    GROUP BY course_id
),
en AS (
    SELECT course_id, count(*) AS enrollment_count
    FROM enrollments WHERE {of("course_id")}
    GROUP BY course_id
),
mt AS (
    SELECT course_id, sum(views) AS recent_views, sum(enrollments) AS recent_enrollments
    FROM course_metrics
    WHERE {of("course_id")} AND date > current_date - {POPULARITY_DAYS}
    GROUP BY course_id
),
ft AS (
    SELECT s.course_id,
           bool_or(l.content_type = 'quiz') AS has_quiz,
           bool_or(l.content_type = 'assignment') AS has_assignment,
           bool_or(l.content_type = 'download') AS has_download,
           bool_or(l.content_type = 'article') AS has_article,
           array_agg(l.video_url) FILTER (WHERE l.is_preview AND l.video_url IS NOT NULL)
               AS preview_urls
    FROM course_sections s JOIN lectures l ON l.section_id = s.id
    WHERE {of("s.course_id")} AND l.status = 'published'
    GROUP BY s.course_id
)
SELECT c.id, c.slug, c.title, c.subtitle, c.description, rtrim(c.language_code) AS language_code,
       c.level::text AS level, c.status::text AS status, c.deleted_at,
       c.list_price_cents, c.sale_price_cents, c.currency, c.total_duration_minutes,
       c.lecture_count, c.is_bestseller, c.last_updated_at, c.thumbnail_url,
       c.mentor_id, u.first_name, u.last_name, m.headline AS mentor_headline,
       CASE WHEN jsonb_typeof(c.meta -> 'objectives') = 'array'
            THEN ARRAY(SELECT jsonb_array_elements_text(c.meta -> 'objectives'))
            ELSE '{{}}'::text[] END AS objectives,
       cats.categories, tg.tags, rv.rating_avg, coalesce(rv.review_count, 0) AS review_count,
       coalesce(en.enrollment_count, 0) AS enrollment_count,
       coalesce(mt.recent_views, 0) AS recent_views,
       coalesce(mt.recent_enrollments, 0) AS recent_enrollments,
       coalesce(ft.has_quiz, false) AS has_quiz,
       coalesce(ft.has_assignment, false) AS has_assignment,
       coalesce(ft.has_download, false) AS has_download,
       coalesce(ft.has_article, false) AS has_article,
       coalesce(ft.preview_urls, '{{}}'::text[]) AS preview_urls
FROM courses c
JOIN mentors m ON m.user_id = c.mentor_id
JOIN users u ON u.id = c.mentor_id
LEFT JOIN cats ON cats.course_id = c.id
LEFT JOIN tg ON tg.course_id = c.id
LEFT JOIN rv ON rv.course_id = c.id
LEFT JOIN en ON en.course_id = c.id
LEFT JOIN mt ON mt.course_id = c.id
LEFT JOIN ft ON ft.course_id = c.id
WHERE {target}
"""  # noqa: S608


# A batch: every lookup is an index scan on the given ids. The full stream: one pass over each
# table, aggregated by hash; both one round trip, no N+1.
BATCH_ROWS = _document_rows("c.id = ANY($1::uuid[])", "{col} = ANY($1::uuid[])")
_PUBLISHED_TARGET = f"target AS (SELECT c.id FROM courses c WHERE {PUBLISHED}),\n"  # noqa: S608
_IN_TARGET = "c.id IN (SELECT id FROM target)"
ALL_PUBLISHED_ROWS = "".join(  # built from this module's constants only
    (
        _document_rows(_IN_TARGET, "{col} IN (SELECT id FROM target)", ctes=_PUBLISHED_TARGET),
        " ORDER BY c.id",
    )
)
COUNT_PUBLISHED = f"SELECT count(*) FROM courses c WHERE {PUBLISHED}"  # noqa: S608


async def rows_for(conn: asyncpg.Connection, course_ids: Sequence[uuid.UUID]) -> list[Any]:
    """Document rows for these courses, whatever their status (the caller decides)."""
    return list(await conn.fetch(BATCH_ROWS, list(course_ids)))


async def stream_published(
    conn: asyncpg.Connection, batch_size: int = 1000
) -> AsyncGenerator[list[Any], None]:
    """Every published course's row, in batches, through a server-side cursor; the next batch
    is already being read while the caller works on this one.

    Must run inside a transaction (the cursor lives in it); use REPEATABLE READ to see one
    consistent snapshot for the whole stream. Nothing else may use ``conn`` meanwhile.
    """
    cursor = await conn.cursor(ALL_PUBLISHED_ROWS)
    pending = asyncio.ensure_future(cursor.fetch(batch_size))
    try:
        while rows := await pending:
            pending = asyncio.ensure_future(cursor.fetch(batch_size))
            yield list(rows)
    finally:
        if not pending.done():
            pending.cancel()
            with contextlib.suppress(BaseException):
                await pending


async def count_published(conn: asyncpg.Connection) -> int:
    """How many courses should be in the index."""
    return int(await conn.fetchval(COUNT_PUBLISHED))
