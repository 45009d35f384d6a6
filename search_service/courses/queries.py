"""The course page's SQL: parameterised, set-based (with the top reviews, three round trips)."""

from __future__ import annotations

from sqlalchemy import text

from search_service.db.lookups import PUBLISHED

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

# Where a course sits for "related courses": its subcategory and tags.
RELATION = text(f"""
SELECT c.id,
       (SELECT cat.slug FROM course_categories cc JOIN categories cat ON cat.id = cc.category_id
         WHERE cc.course_id = c.id ORDER BY cat.level DESC LIMIT 1) AS category,
       (SELECT array_agg(t.name ORDER BY t.name) FROM course_tag_map tm
          JOIN course_tags t ON t.id = tm.tag_id WHERE tm.course_id = c.id) AS tags
FROM courses c WHERE c.slug = :slug AND {PUBLISHED}
""")  # noqa: S608 - constants only

# A course's drawn picture: its title and root category (drafts have none).
PICTURE = text("""
SELECT c.title,
       (SELECT coalesce(p.slug, cat.slug) FROM course_categories cc
          JOIN categories cat ON cat.id = cc.category_id
          LEFT JOIN categories p ON p.id = cat.parent_id
         WHERE cc.course_id = c.id ORDER BY cat.level DESC, cat.slug LIMIT 1) AS root
FROM courses c WHERE c.slug = :slug AND c.status IN ('published', 'archived')
""")
