"""The instructors' SQL."""

from __future__ import annotations

from sqlalchemy import text

from search_service.db.lookups import PUBLISHED

# A mentor by the id's first hex digits (the end of their address); the name is checked after.
MENTOR = text("""
SELECT u.id, u.first_name, u.last_name, u.avatar_url, m.headline, m.about,
       m.experience_years, m.average_rating, m.total_reviews, m.total_students
FROM mentors m JOIN users u ON u.id = m.user_id
WHERE replace(u.id::text, '-', '') LIKE :prefix || '%'
""")
COURSE_IDS = text(f"""
SELECT c.id::text FROM courses c
WHERE c.mentor_id = :mentor AND {PUBLISHED}
ORDER BY c.is_bestseller DESC,
         (SELECT count(*) FROM enrollments e WHERE e.course_id = c.id) DESC,
         c.last_updated_at DESC NULLS LAST, c.id
LIMIT :limit OFFSET :offset
""")  # noqa: S608 - constants only
COURSE_COUNT = text(f"SELECT count(*) FROM courses c WHERE c.mentor_id = :mentor AND {PUBLISHED}")  # noqa: S608
