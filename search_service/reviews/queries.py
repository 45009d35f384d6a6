"""The reviews' SQL, parameterised."""

from __future__ import annotations

from sqlalchemy import text

from search_service.db.lookups import PUBLISHED

REVIEW_COLUMNS = """
r.id, r.rating, r.title, r.body, r.is_verified, r.helpful_count, r.would_recommend,
r.created_at, u.first_name, u.last_name
"""

# The most helpful reviews of a course (for its page).
TOP_REVIEWS = text(f"""
SELECT {REVIEW_COLUMNS}
FROM course_reviews r JOIN users u ON u.id = r.student_id
WHERE r.course_id = :course_id
ORDER BY r.helpful_count DESC, r.created_at DESC
LIMIT :limit
""")  # noqa: S608 - constants only

REVIEW_ORDER = {
    "recent": "r.created_at DESC, r.id",
    "helpful": "r.helpful_count DESC, r.created_at DESC, r.id",
    "highest": "r.rating DESC, r.created_at DESC, r.id",
    "lowest": "r.rating ASC, r.created_at DESC, r.id",
}
# A published course's reviews, of one star rating or all: what a page shows and counts.
COURSE_REVIEWS = f"""
FROM course_reviews r
JOIN courses c ON c.id = r.course_id
JOIN users u ON u.id = r.student_id
WHERE c.slug = :slug AND {PUBLISHED} AND (CAST(:rating AS int) IS NULL OR r.rating = :rating)
"""
# A page of them in each order (the order comes from REVIEW_ORDER, never from input).
PAGES = {
    sort: text(f"""
SELECT {REVIEW_COLUMNS}, count(*) OVER () AS total
{COURSE_REVIEWS}
ORDER BY {order}
LIMIT :limit OFFSET :offset
""")
    for sort, order in REVIEW_ORDER.items()
}
# The same reviews counted, for a page past the last (it has no rows to count them on).
COUNT = text(f"SELECT count(*) {COURSE_REVIEWS}")

INSERT = text("""
INSERT INTO course_reviews (course_id, student_id, rating, title, body, would_recommend,
                            is_verified)
VALUES (:course_id, :student_id, :rating, :title, :body, :would_recommend, true)
RETURNING id
""")
ONE = text(f"""
SELECT {REVIEW_COLUMNS}
FROM course_reviews r JOIN users u ON u.id = r.student_id WHERE r.id = :review_id
""")  # noqa: S608 - constants only
# The signed-in student's own review of a course, if any.
MY_REVIEW = text(f"""
SELECT {REVIEW_COLUMNS}
FROM course_reviews r JOIN users u ON u.id = r.student_id
WHERE r.course_id = :course_id AND r.student_id = :student_id
""")  # noqa: S608 - constants only
# The id of the student's review of a published course, by the course's slug.
MINE_ON = text(f"""
SELECT r.id FROM course_reviews r JOIN courses c ON c.id = r.course_id
WHERE c.slug = :slug AND {PUBLISHED} AND r.student_id = :student_id
""")  # noqa: S608 - constants only
# One's own review, on a published course: an archived course takes no writes at all.
MINE = text(f"""
SELECT r.id, c.mentor_id FROM course_reviews r JOIN courses c ON c.id = r.course_id
WHERE r.id = :review_id AND r.student_id = :student_id AND {PUBLISHED}
""")  # noqa: S608 - constants only
# A review someone else may vote on or report: on a published course, with whether the
# caller bought that course.
VOTABLE = text(f"""
SELECT r.id, r.student_id,
       EXISTS (SELECT 1 FROM enrollments e
               WHERE e.course_id = r.course_id AND e.student_id = :student_id) AS enrolled
FROM course_reviews r JOIN courses c ON c.id = r.course_id
WHERE r.id = :review_id AND {PUBLISHED}
""")  # noqa: S608 - constants only
# Counters are recounted after taking the row's lock: concurrent writers then count one after
# the other, each seeing the others' committed rows (READ COMMITTED takes a new snapshot for
# every statement), so no update is lost.
LOCK_REVIEW = text("SELECT 1 FROM course_reviews WHERE id = :review_id FOR UPDATE")
LOCK_MENTOR = text("SELECT 1 FROM mentors WHERE user_id = :mentor_id FOR UPDATE")
UPDATE = text(
    "UPDATE course_reviews SET rating = :rating, title = :title, body = :body, "
    "would_recommend = :would_recommend WHERE id = :review_id"
)
DELETE = text("DELETE FROM course_reviews WHERE id = :review_id RETURNING id")
# The mean rounded once, to the one decimal every page shows (a mean of 4.149 is 4.1, where
# 4.15 would be shown as 4.2), as course ratings are (indexer/documents.py).
MENTOR_TOTALS = text("""
UPDATE mentors m SET total_reviews = s.reviews, average_rating = s.average
FROM (SELECT count(r.id) AS reviews, round(avg(r.rating), 1) AS average
      FROM courses c LEFT JOIN course_reviews r ON r.course_id = c.id
      WHERE c.mentor_id = :mentor_id) s
WHERE m.user_id = :mentor_id
""")
UNVOTE = text(
    "DELETE FROM review_helpful_votes WHERE review_id = :review_id AND student_id = :student_id"
)
VOTE = text("""
INSERT INTO review_helpful_votes (review_id, student_id, vote)
VALUES (:review_id, :student_id, CAST(:vote AS review_vote))
ON CONFLICT (review_id, student_id) DO UPDATE SET vote = excluded.vote
""")
HELPFUL_COUNT = text("""
UPDATE course_reviews SET helpful_count = (
    SELECT count(*) FROM review_helpful_votes WHERE review_id = :review_id AND vote = 'helpful')
WHERE id = :review_id
""")
REPORT = text(
    "INSERT INTO review_reports (review_id, student_id) VALUES (:review_id, "
    ":student_id) ON CONFLICT DO NOTHING"
)
REPORTED_COUNT = text(
    "UPDATE course_reviews SET reported_count = (SELECT count(*) FROM "
    "review_reports WHERE review_id = :review_id) WHERE id = :review_id"
)
