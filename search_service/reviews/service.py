"""Review use cases. Each is one transaction; the course's and the mentor's rating change in it
(the course's through the search outbox, the mentor's totals directly)."""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from search_service.courses.queries import IS_ENROLLED, PUBLISHED_BY_SLUG
from search_service.courses.schemas import ReviewItem
from search_service.courses.service import review_item
from search_service.errors import Conflict, Forbidden, NotFound
from search_service.reviews.schemas import ReviewIn

INSERT = text("""
INSERT INTO course_reviews (course_id, student_id, rating, title, body, would_recommend,
                            is_verified)
VALUES (:course_id, :student_id, :rating, :title, :body, :would_recommend, true)
RETURNING id
""")
SELECT = text("""
SELECT r.id, r.rating, r.title, r.body, r.is_verified, r.helpful_count, r.would_recommend,
       r.created_at, u.first_name, u.last_name
FROM course_reviews r JOIN users u ON u.id = r.student_id WHERE r.id = :review_id
""")
MINE = text(
    "SELECT r.id, c.mentor_id FROM course_reviews r JOIN courses c ON c.id = r.course_id "
    "WHERE r.id = :review_id AND r.student_id = :student_id"
)
ANY_REVIEW = text(
    "SELECT r.id, r.student_id, c.mentor_id FROM course_reviews r "
    "JOIN courses c ON c.id = r.course_id WHERE r.id = :review_id"
)
UPDATE = text(
    "UPDATE course_reviews SET rating = :rating, title = :title, body = :body, "
    "would_recommend = :would_recommend WHERE id = :review_id"
)
DELETE = text("DELETE FROM course_reviews WHERE id = :review_id")
MENTOR_TOTALS = text("""
UPDATE mentors m SET total_reviews = s.reviews, average_rating = s.average
FROM (SELECT count(r.id) AS reviews, round(avg(r.rating), 2) AS average
      FROM courses c LEFT JOIN course_reviews r ON r.course_id = c.id
      WHERE c.mentor_id = :mentor_id) s
WHERE m.user_id = :mentor_id
""")
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


async def _item(session: AsyncSession, review_id: uuid.UUID) -> ReviewItem:
    return review_item((await session.execute(SELECT, {"review_id": review_id})).mappings().one())


def _values(data: ReviewIn) -> dict[str, object]:
    return {
        "rating": data.rating,
        "title": data.title.strip() if data.title else None,
        "body": data.body.strip() if data.body else None,
        "would_recommend": data.would_recommend,
    }


async def create(
    session: AsyncSession, student_id: uuid.UUID, slug: str, data: ReviewIn
) -> ReviewItem:
    """Raises NotFound (no such course), Forbidden (not enrolled), Conflict (already reviewed)."""
    course = (await session.execute(PUBLISHED_BY_SLUG, {"slug": slug})).mappings().first()
    if course is None:
        raise NotFound("No published course at this address.")
    if (
        await session.execute(IS_ENROLLED, {"course_id": course["id"], "student_id": student_id})
    ).first() is None:
        raise Forbidden("Only students who bought this course can review it.")
    try:
        async with session.begin_nested():
            review_id = (
                await session.execute(
                    INSERT, {"course_id": course["id"], "student_id": student_id, **_values(data)}
                )
            ).scalar_one()
    except IntegrityError as exc:
        raise Conflict("You have already reviewed this course; edit your review instead.") from exc
    await session.execute(MENTOR_TOTALS, {"mentor_id": course["mentor_id"]})
    return await _item(session, review_id)


async def _mine(session: AsyncSession, student_id: uuid.UUID, review_id: uuid.UUID) -> uuid.UUID:
    row = (
        (await session.execute(MINE, {"review_id": review_id, "student_id": student_id}))
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound("No such review of yours.")
    mentor: uuid.UUID = row["mentor_id"]
    return mentor


async def edit(
    session: AsyncSession, student_id: uuid.UUID, review_id: uuid.UUID, data: ReviewIn
) -> ReviewItem:
    mentor = await _mine(session, student_id, review_id)
    await session.execute(UPDATE, {"review_id": review_id, **_values(data)})
    await session.execute(MENTOR_TOTALS, {"mentor_id": mentor})
    return await _item(session, review_id)


async def remove(session: AsyncSession, student_id: uuid.UUID, review_id: uuid.UUID) -> None:
    mentor = await _mine(session, student_id, review_id)
    await session.execute(DELETE, {"review_id": review_id})
    await session.execute(MENTOR_TOTALS, {"mentor_id": mentor})


async def _others(
    session: AsyncSession, student_id: uuid.UUID, review_id: uuid.UUID, action: str
) -> None:
    row = (await session.execute(ANY_REVIEW, {"review_id": review_id})).mappings().first()
    if row is None:
        raise NotFound("No such review.")
    if row["student_id"] == student_id:
        raise Forbidden(f"You cannot {action} your own review.")


async def vote(
    session: AsyncSession, student_id: uuid.UUID, review_id: uuid.UUID, value: str
) -> ReviewItem:
    """One vote per student, changeable; helpful_count is recounted from the votes."""
    await _others(session, student_id, review_id, "vote on")
    await session.execute(VOTE, {"review_id": review_id, "student_id": student_id, "vote": value})
    await session.execute(HELPFUL_COUNT, {"review_id": review_id})
    return await _item(session, review_id)


async def report(session: AsyncSession, student_id: uuid.UUID, review_id: uuid.UUID) -> None:
    """One report per student; reported_count is recounted from the reports."""
    await _others(session, student_id, review_id, "report")
    await session.execute(REPORT, {"review_id": review_id, "student_id": student_id})
    await session.execute(REPORTED_COUNT, {"review_id": review_id})
