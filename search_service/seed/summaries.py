"""Denormalised counters recomputed from the rows, set-based, after a bulk load."""

from __future__ import annotations

import asyncpg

MENTOR_TOTALS = """
UPDATE mentors AS m
SET total_reviews = coalesce(r.reviews, 0),
    average_rating = r.average,
    total_students = coalesce(e.students, 0)
FROM mentors AS base
LEFT JOIN (
    SELECT c.mentor_id, count(*) AS reviews, round(avg(cr.rating), 1) AS average
    FROM course_reviews cr JOIN courses c ON c.id = cr.course_id
    GROUP BY c.mentor_id
) AS r ON r.mentor_id = base.user_id
LEFT JOIN (
    SELECT c.mentor_id, count(DISTINCT en.student_id) AS students
    FROM enrollments en JOIN courses c ON c.id = en.course_id
    GROUP BY c.mentor_id
) AS e ON e.mentor_id = base.user_id
WHERE m.user_id = base.user_id
"""

# Bestsellers: the most-enrolled 3% of published courses that are also well rated.
BESTSELLERS = """
UPDATE courses AS c SET is_bestseller = true
FROM (
    SELECT id FROM (
        SELECT c2.id,
               percent_rank() OVER (ORDER BY count(en.id) DESC) AS rank,
               (SELECT avg(rating) FROM course_reviews cr WHERE cr.course_id = c2.id) AS rating
        FROM courses c2 LEFT JOIN enrollments en ON en.course_id = c2.id
        WHERE c2.status = 'published' AND c2.deleted_at IS NULL
        GROUP BY c2.id
    ) ranked
    WHERE rank <= 0.03 AND rating >= 4.0
) AS best
WHERE c.id = best.id
"""


async def refresh_counters(conn: asyncpg.Connection) -> None:
    """Make mentor totals and bestseller flags agree with the rows."""
    await conn.execute(MENTOR_TOTALS)
    await conn.execute(BESTSELLERS)
