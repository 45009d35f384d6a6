"""The course page's SQL: parameterised, set-based, three round trips at most."""

from __future__ import annotations

from sqlalchemy import text

PUBLISHED = "c.status = 'published' AND c.deleted_at IS NULL"

# 1: the course with its mentor card, categories, tags and rating summary.
COURSE = text(f"""
SELECT c.id, c.slug, c.title, c.subtitle, c.description, rtrim(c.language_code) AS language_code,
       c.level::text AS level, c.is_bestseller, c.last_updated_at, c.thumbnail_url,
       c.hero_video_url, c.lecture_count, c.total_duration_minutes, c.list_price_cents,
       c.sale_price_cents, c.currency, c.meta,
       m.user_id AS mentor_id, u.first_name, u.last_name, u.avatar_url, m.headline,
       m.average_rating, m.total_reviews, m.total_students,
       (SELECT count(*) FROM courses mc WHERE mc.mentor_id = c.mentor_id
          AND mc.status = 'published' AND mc.deleted_at IS NULL) AS mentor_courses,
       (SELECT array_agg(ARRAY[cat.slug, cat.name, coalesce(p.slug, ''), coalesce(p.name, '')]
                         ORDER BY cat.level DESC, cat.slug)
          FROM course_categories cc JOIN categories cat ON cat.id = cc.category_id
          LEFT JOIN categories p ON p.id = cat.parent_id
         WHERE cc.course_id = c.id) AS categories,
       (SELECT array_agg(t.name ORDER BY t.name) FROM course_tag_map tm
          JOIN course_tags t ON t.id = tm.tag_id WHERE tm.course_id = c.id) AS tags,
       rs.review_count, rs.rating_avg, rs.distribution
FROM courses c
JOIN mentors m ON m.user_id = c.mentor_id
JOIN users u ON u.id = c.mentor_id
LEFT JOIN LATERAL (
    SELECT count(*) AS review_count, avg(rating)::float8 AS rating_avg,
           ARRAY[count(*) FILTER (WHERE rating = 5), count(*) FILTER (WHERE rating = 4),
                 count(*) FILTER (WHERE rating = 3), count(*) FILTER (WHERE rating = 2),
                 count(*) FILTER (WHERE rating = 1)] AS distribution
    FROM course_reviews WHERE course_id = c.id
) rs ON true
WHERE c.slug = :slug AND {PUBLISHED}
""")  # noqa: S608 - constants only; the slug is a bound parameter

# 2: sections in order, each with its published lectures in order.
CURRICULUM = text("""
SELECT s.id AS section_id, s.title AS section_title, s.position AS section_position,
       s.lecture_count, s.total_duration_minutes, l.title, l.content_type::text AS content_type,
       l.duration_minutes, l.is_preview, l.video_url
FROM course_sections s
LEFT JOIN lectures l ON l.section_id = s.id AND l.status = 'published'
WHERE s.course_id = :course_id
ORDER BY s.position, l.position
""")

REVIEW_COLUMNS = """
r.id, r.rating, r.title, r.body, r.is_verified, r.helpful_count, r.would_recommend,
r.created_at, u.first_name, u.last_name
"""

# 3: the most helpful reviews.
TOP_REVIEWS = text(f"""
SELECT {REVIEW_COLUMNS}
FROM course_reviews r JOIN users u ON u.id = r.student_id
WHERE r.course_id = :course_id
ORDER BY r.helpful_count DESC, r.created_at DESC
LIMIT 3
""")  # noqa: S608 - constants only

REVIEW_ORDER = {
    "recent": "r.created_at DESC, r.id",
    "helpful": "r.helpful_count DESC, r.created_at DESC, r.id",
    "highest": "r.rating DESC, r.created_at DESC, r.id",
    "lowest": "r.rating ASC, r.created_at DESC, r.id",
}


def reviews_page(sort: str) -> str:
    """A page of a published course's reviews; ``sort`` is one of REVIEW_ORDER's keys."""
    return f"""
SELECT {REVIEW_COLUMNS}, count(*) OVER () AS total
FROM course_reviews r
JOIN courses c ON c.id = r.course_id
JOIN users u ON u.id = r.student_id
WHERE c.slug = :slug AND {PUBLISHED} AND (CAST(:rating AS int) IS NULL OR r.rating = :rating)
ORDER BY {REVIEW_ORDER[sort]}
LIMIT :limit OFFSET :offset
"""  # noqa: S608 - the order comes from REVIEW_ORDER, never from input


QUESTIONS_PAGE = text(f"""
SELECT q.id, q.question, q.created_at, q.resolved_at, u.first_name, u.last_name,
       count(*) OVER () AS total,
       coalesce((
         SELECT json_agg(json_build_object(
                  'id', a.id, 'answer', a.answer, 'is_marked_solution', a.is_marked_solution,
                  'created_at', a.created_at,
                  'mentor_name', concat_ws(' ', mu.first_name, mu.last_name))
                ORDER BY a.is_marked_solution DESC, a.created_at)
         FROM course_answers a JOIN users mu ON mu.id = a.mentor_id
         WHERE a.question_id = q.id), '[]') AS answers
FROM course_questions q
JOIN courses c ON c.id = q.course_id
JOIN users u ON u.id = q.student_id
WHERE c.slug = :slug AND {PUBLISHED}
ORDER BY q.created_at DESC, q.id
LIMIT :limit OFFSET :offset
""")  # noqa: S608 - constants only

RECORD_VIEWS = text("""
INSERT INTO course_metrics (course_id, date, views)
SELECT v.course_id, current_date, v.views
FROM unnest(CAST(:course_ids AS uuid[]), CAST(:views AS int[])) AS v(course_id, views)
JOIN courses c ON c.id = v.course_id
ON CONFLICT (course_id, date) DO UPDATE SET views = course_metrics.views + excluded.views
""")

# For writes about a course (reviews, questions): the published course and its mentor.
PUBLISHED_BY_SLUG = text(
    f"SELECT c.id, c.mentor_id FROM courses c WHERE c.slug = :slug AND {PUBLISHED}"  # noqa: S608
)
IS_ENROLLED = text(
    "SELECT 1 FROM enrollments WHERE course_id = :course_id AND student_id = :student_id"
)
