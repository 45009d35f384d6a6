"""The learning pages' SQL: a student's courses and progress, a course's curriculum."""

from __future__ import annotations

from sqlalchemy import text

MY_COURSES = text("""
SELECT c.slug, c.title, c.thumbnail_url, e.progress_percent, e.purchased_at, e.completed_at,
       c.mentor_id,
       trim(u.first_name || ' ' || coalesce(u.last_name, '')) AS mentor_name,
       (c.status = 'published' AND c.deleted_at IS NULL) AS listed,
       l.title AS last_lecture,
       EXISTS (SELECT 1 FROM course_reviews r
               WHERE r.course_id = e.course_id AND r.student_id = e.student_id) AS reviewed
FROM enrollments e
JOIN courses c ON c.id = e.course_id
JOIN users u ON u.id = c.mentor_id
LEFT JOIN lectures l ON l.id = e.last_watched_lecture
WHERE e.student_id = :student
-- The course last worked on (a lecture marked) or bought first, as "recently accessed".
ORDER BY greatest(e.purchased_at, (SELECT max(p.completed_at) FROM lecture_progress p
                                   WHERE p.enrollment_id = e.id)) DESC NULLS LAST, c.title
""")

# The student's enrollment in the course ``slug`` (archived courses stay open to owners).
ENROLLMENT = text("""
SELECT e.id, e.progress_percent, e.last_watched_lecture, e.completed_at,
       c.id AS course_id, c.slug, c.title, c.thumbnail_url, c.mentor_id,
       trim(u.first_name || ' ' || coalesce(u.last_name, '')) AS mentor_name
FROM enrollments e
JOIN courses c ON c.id = e.course_id
JOIN users u ON u.id = c.mentor_id
WHERE e.student_id = :student AND c.slug = :slug
""")

CURRICULUM = text("""
SELECT s.id AS section_id, s.title AS section_title, s.position AS section_position,
       l.id, l.title, l.content_type::text AS content_type, l.duration_minutes, l.video_url,
       l.resource_url,
       EXISTS (SELECT 1 FROM lecture_progress p
               WHERE p.enrollment_id = :enrollment AND p.lecture_id = l.id) AS done
FROM course_sections s JOIN lectures l ON l.section_id = s.id
WHERE s.course_id = :course AND l.status = 'published'
ORDER BY s.position, l.position, l.id
""")

LECTURE_OF_COURSE = text("""
SELECT l.id FROM lectures l JOIN course_sections s ON s.id = l.section_id
WHERE l.id = :lecture AND s.course_id = :course AND l.status = 'published'
""")

COMPLETE = text("""
INSERT INTO lecture_progress (enrollment_id, lecture_id) VALUES (:enrollment, :lecture)
ON CONFLICT DO NOTHING
""")
UNDO = text(
    "DELETE FROM lecture_progress WHERE enrollment_id = :enrollment AND lecture_id = :lecture"
)

# Progress from the completed lectures (under the enrollment's row lock): a percentage, the
# lecture to resume at, and the time the last one was completed.
PROGRESS = text("""
WITH total AS (
    SELECT count(*) AS n FROM lectures l JOIN course_sections s ON s.id = l.section_id
    WHERE s.course_id = :course AND l.status = 'published'
), done AS (
    SELECT count(*) AS n FROM lecture_progress p
    JOIN lectures l ON l.id = p.lecture_id AND l.status = 'published'
    WHERE p.enrollment_id = :enrollment
)
UPDATE enrollments e
SET progress_percent = CASE WHEN total.n = 0 THEN 0
                            ELSE round(100.0 * least(done.n, total.n) / total.n, 2) END,
    last_watched_lecture = :lecture,
    completed_at = CASE WHEN total.n > 0 AND done.n >= total.n
                        THEN coalesce(e.completed_at, now()) ELSE NULL END
FROM total, done
WHERE e.id = :enrollment
RETURNING e.progress_percent, e.completed_at
""")
LOCK_ENROLLMENT = text("SELECT id FROM enrollments WHERE id = :enrollment FOR UPDATE")
