"""Review use cases. Each write is one transaction; the course's and the mentor's rating change
in it (the course's through the search outbox, the mentor's totals directly)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from search_service.db.lookups import is_enrolled, published_course
from search_service.lib.constraints import optional_public_text, public_text
from search_service.lib.errors import Conflict, Forbidden, NotFound
from search_service.lib.limits import Limit, Limiter
from search_service.lib.people import public_name
from search_service.reviews import queries
from search_service.reviews.schemas import (
    RatingSummary,
    ReviewIn,
    ReviewItem,
    ReviewPage,
    ReviewSort,
    StarBar,
)

BODY_LEAST = 20  # characters of a review's body, once trimmed (as the API documents)
TITLE_MOST, BODY_MOST = 140, 5000  # as stored (the title's column), as typed

REVIEWS_PER_PAGE = 10
TOP_REVIEWS = 3


def review_item(row: Mapping[Any, Any]) -> ReviewItem:
    return ReviewItem(
        id=str(row["id"]),
        rating=row["rating"],
        title=row["title"],
        body=row["body"],
        author=public_name(row["first_name"], row["last_name"]),
        is_verified=row["is_verified"],
        helpful_count=row["helpful_count"],
        would_recommend=row["would_recommend"],
        created_at=row["created_at"],
    )


def rating_summary(count: int, average: float | None, stars: Sequence[int] | None) -> RatingSummary:
    """The rating block: the mean, to the one decimal shown (rounded once, as the search
    document's), and the five-bar distribution (5 stars first)."""
    counts = [int(n) for n in stars or [0] * 5]
    bars = [
        StarBar(stars=5 - i, count=n, percent=p)
        for i, (n, p) in enumerate(zip(counts, _percents(counts), strict=True))
    ]
    return RatingSummary(average=round(float(average or 0), 1), count=count, distribution=bars)


def _percents(counts: Sequence[int]) -> list[int]:
    """Whole percentages of ``counts`` that add up to 100 (the largest remainders get the
    points rounding down leaves), all 0 when there is nothing to count."""
    total = sum(counts)
    if not total:
        return [0] * len(counts)
    exact = [100 * n / total for n in counts]
    shares = [int(e) for e in exact]
    by_remainder = sorted(range(len(counts)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in by_remainder[: 100 - sum(shares)]:
        shares[i] += 1
    return shares


async def top_reviews(session: AsyncSession, course_id: uuid.UUID) -> list[ReviewItem]:
    """The most helpful reviews of a course."""
    rows = await session.execute(
        queries.TOP_REVIEWS, {"course_id": course_id, "limit": TOP_REVIEWS}
    )
    return [review_item(r) for r in rows.mappings()]


async def reviews_page(
    session: AsyncSession, slug: str, sort: ReviewSort, rating: int | None, page: int
) -> ReviewPage:
    """A page of a published course's reviews, sorted and optionally of one star rating.

    Raises:
        NotFound: no published course has this slug.
    """
    params = {
        "slug": slug,
        "rating": rating,
        "limit": REVIEWS_PER_PAGE,
        "offset": (page - 1) * REVIEWS_PER_PAGE,
    }
    rows = list((await session.execute(queries.PAGES[sort], params)).mappings())
    total = int(rows[0]["total"]) if rows else 0
    if not rows:
        await published_course(session, slug)
        if page > 1:  # past the last page: how many there are, to say where the last is
            total = int((await session.execute(queries.COUNT, params)).scalar_one())
    return ReviewPage(
        total=total,
        page=page,
        per_page=REVIEWS_PER_PAGE,
        items=[review_item(r) for r in rows],
    )


async def my_review(
    session: AsyncSession, student_id: uuid.UUID, course_id: uuid.UUID
) -> ReviewItem | None:
    """The student's own review of the course, or None."""
    row = (
        (
            await session.execute(
                queries.MY_REVIEW, {"course_id": course_id, "student_id": student_id}
            )
        )
        .mappings()
        .first()
    )
    return None if row is None else review_item(row)


async def mine_on(session: AsyncSession, student_id: uuid.UUID, slug: str) -> uuid.UUID:
    """The id of the student's review of the published course ``slug`` (for the page's edit
    and delete forms, which name the course, not the review).

    Raises:
        NotFound: no such course, or no review of it by this student.
    """
    params = {"slug": slug, "student_id": student_id}
    review_id: uuid.UUID | None = (await session.execute(queries.MINE_ON, params)).scalar()
    if review_id is None:
        raise NotFound("You have not reviewed this course.")
    return review_id


async def _item(session: AsyncSession, review_id: uuid.UUID) -> ReviewItem:
    return review_item(
        (await session.execute(queries.ONE, {"review_id": review_id})).mappings().one()
    )


def _values(data: ReviewIn) -> dict[str, object]:
    """The review's columns, its texts under the rule for text others read.

    Raises:
        Invalid: a title or body that is blank, invisible, too short once trimmed, or holds
            direction overrides.
    """
    return {
        "rating": data.rating,
        "title": optional_public_text("title", data.title, most=TITLE_MOST),
        "body": public_text("body", data.body, BODY_LEAST, BODY_MOST)
        if data.body is not None
        else None,
        "would_recommend": data.would_recommend,
    }


async def create(
    session: AsyncSession, student_id: uuid.UUID, slug: str, data: ReviewIn
) -> ReviewItem:
    """Raises NotFound (no such course), Forbidden (not enrolled), Conflict (already reviewed)."""
    course = await published_course(session, slug)
    if not await is_enrolled(session, student_id, course.id):
        raise Forbidden("Only students who bought this course can review it.")
    try:
        async with session.begin_nested():
            review_id = (
                await session.execute(
                    queries.INSERT,
                    {"course_id": course.id, "student_id": student_id, **_values(data)},
                )
            ).scalar_one()
    except IntegrityError as exc:
        raise Conflict("You have already reviewed this course; edit your review instead.") from exc
    await _recount_mentor(session, course.mentor_id)
    return await _item(session, review_id)


async def _recount_mentor(session: AsyncSession, mentor_id: uuid.UUID) -> None:
    """The mentor's review totals, exact under concurrent writes (row lock, then recount)."""
    await session.execute(queries.LOCK_MENTOR, {"mentor_id": mentor_id})
    await session.execute(queries.MENTOR_TOTALS, {"mentor_id": mentor_id})


async def _mine(session: AsyncSession, student_id: uuid.UUID, review_id: uuid.UUID) -> uuid.UUID:
    row = (
        (await session.execute(queries.MINE, {"review_id": review_id, "student_id": student_id}))
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
    await session.execute(queries.UPDATE, {"review_id": review_id, **_values(data)})
    await _recount_mentor(session, mentor)
    return await _item(session, review_id)


async def remove(session: AsyncSession, student_id: uuid.UUID, review_id: uuid.UUID) -> None:
    mentor = await _mine(session, student_id, review_id)
    # Deleted by a request sent at the same time, after the check: that one answers 204.
    if (await session.execute(queries.DELETE, {"review_id": review_id})).first() is None:
        raise NotFound("No such review of yours.")
    await _recount_mentor(session, mentor)


VOTES = Limit("review-votes", 100, 3600, "That is a lot of votes; try again in a while.")
REPORTS = Limit("review-reports", 20, 24 * 3600, "That is a lot of reports; try again tomorrow.")


async def _judge(
    session: AsyncSession,
    limiter: Limiter,
    limit: Limit,
    student_id: uuid.UUID,
    review_id: uuid.UUID,
    action: str,
) -> None:
    """Only students who bought the course may judge its reviews (not their own), so many."""
    row = (
        (await session.execute(queries.VOTABLE, {"review_id": review_id, "student_id": student_id}))
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound("No such review.")
    if row["student_id"] == student_id:
        raise Forbidden(f"You cannot {action} your own review.")
    if not row["enrolled"]:
        raise Forbidden(f"Only students who bought this course can {action} its reviews.")
    await limiter.hit(limit, str(student_id))


async def vote(
    session: AsyncSession,
    limiter: Limiter,
    student_id: uuid.UUID,
    review_id: uuid.UUID,
    value: str | None,
) -> ReviewItem:
    """One vote per student, changeable, or taken back (``value`` None; none given: nothing
    changes); helpful_count is exact however many vote at once."""
    await _judge(session, limiter, VOTES, student_id, review_id, "vote on")
    await session.execute(queries.LOCK_REVIEW, {"review_id": review_id})
    params = {"review_id": review_id, "student_id": student_id}
    if value is None:
        await session.execute(queries.UNVOTE, params)
    else:
        await session.execute(queries.VOTE, {**params, "vote": value})
    await session.execute(queries.HELPFUL_COUNT, {"review_id": review_id})
    return await _item(session, review_id)


async def report(
    session: AsyncSession, limiter: Limiter, student_id: uuid.UUID, review_id: uuid.UUID
) -> None:
    """One report per student; reported_count is exact however many report at once."""
    await _judge(session, limiter, REPORTS, student_id, review_id, "report")
    await session.execute(queries.LOCK_REVIEW, {"review_id": review_id})
    await session.execute(queries.REPORT, {"review_id": review_id, "student_id": student_id})
    await session.execute(queries.REPORTED_COUNT, {"review_id": review_id})
