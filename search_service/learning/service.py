"""Learning an owned course: its curriculum with what is done, and progress that follows it."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from search_service.catalog.pictures import picture_url
from search_service.catalog.urls import instructor_url
from search_service.learning import queries
from search_service.learning.schemas import (
    Learning,
    LectureItem,
    OwnedCourse,
    ProgressOut,
    SectionItem,
)
from search_service.lib.errors import Invalid, NotFound
from search_service.lib.safe_urls import is_playable

NOT_OWNED = "You do not own this course: buy it to start learning."


async def my_courses(session: AsyncSession, student: uuid.UUID) -> list[OwnedCourse]:
    """Every course the student bought, the latest bought first."""
    rows = (await session.execute(queries.MY_COURSES, {"student": student})).mappings()
    return [
        OwnedCourse(
            slug=row["slug"],
            title=row["title"],
            mentor_name=row["mentor_name"],
            mentor_url=instructor_url(str(row["mentor_id"]), row["mentor_name"]),
            image_url=picture_url(row["slug"], row["thumbnail_url"]),
            progress_percent=row["progress_percent"] or Decimal("0.00"),  # as stored: "0.00"
            purchased_at=row["purchased_at"],
            completed_at=row["completed_at"],
            last_lecture=row["last_lecture"],
            listed=bool(row["listed"]),
            reviewed=bool(row["reviewed"]),
        )
        for row in rows
    ]


async def _enrollment(session: AsyncSession, student: uuid.UUID, slug: str) -> Any:
    row = (
        (await session.execute(queries.ENROLLMENT, {"student": student, "slug": slug}))
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(NOT_OWNED)
    return row


def _playable(url: str | None) -> str | None:
    return url if url and is_playable(url) else None


async def learning(session: AsyncSession, student: uuid.UUID, slug: str) -> Learning:
    """The course ``slug`` as its owner learns it.

    Raises:
        NotFound: no such course, or the student does not own it.
    """
    enrollment = await _enrollment(session, student, slug)
    params = {"enrollment": enrollment["id"], "course": enrollment["course_id"]}
    rows = (await session.execute(queries.CURRICULUM, params)).mappings().all()
    sections: dict[uuid.UUID, SectionItem] = {}
    for row in rows:
        section = sections.setdefault(
            row["section_id"], SectionItem(title=row["section_title"], lectures=[])
        )
        section.lectures.append(
            LectureItem(
                id=str(row["id"]),
                title=row["title"],
                content_type=row["content_type"],
                duration_minutes=int(row["duration_minutes"] or 0),
                url=_playable(row["video_url"]) or _playable(row["resource_url"]),
                done=bool(row["done"]),
            )
        )
    lectures = [lecture for s in sections.values() for lecture in s.lectures]
    last = enrollment["last_watched_lecture"]
    return Learning(
        slug=enrollment["slug"],
        title=enrollment["title"],
        mentor_name=enrollment["mentor_name"],
        mentor_url=instructor_url(str(enrollment["mentor_id"]), enrollment["mentor_name"]),
        image_url=picture_url(enrollment["slug"], enrollment["thumbnail_url"]),
        progress_percent=enrollment["progress_percent"],
        completed_at=enrollment["completed_at"],
        resume_at=resume_at(lectures, str(last) if last else None),
        sections=list(sections.values()),
    )


def resume_at(lectures: list[LectureItem], last: str | None) -> str | None:
    """Where "Continue" leads: the first lecture not done from the last one watched on (round
    to the start), the first not done when none was watched, the last watched when all are
    done."""
    ids = [lecture.id for lecture in lectures]
    start = ids.index(last) if last in ids else 0
    for lecture in lectures[start:] + lectures[:start]:
        if not lecture.done:
            return lecture.id
    return last or (ids[0] if ids else None)


async def mark(
    session: AsyncSession, student: uuid.UUID, slug: str, lecture_id: uuid.UUID, done: bool
) -> ProgressOut:
    """Mark a lecture of an owned course complete (or not): its progress, the lecture to
    resume at and, once every lecture is done, the completion time follow.

    Raises:
        NotFound: the student does not own the course. Invalid: no such lecture in it.
    """
    enrollment = await _enrollment(session, student, slug)
    ids = {"enrollment": enrollment["id"], "lecture": lecture_id}
    found = await session.execute(
        queries.LECTURE_OF_COURSE, {"lecture": lecture_id, "course": enrollment["course_id"]}
    )
    if found.first() is None:
        raise Invalid("lecture_id", "This course has no such lecture.")
    await session.execute(queries.LOCK_ENROLLMENT, ids)
    await session.execute(queries.COMPLETE if done else queries.UNDO, ids)
    progress = (
        (await session.execute(queries.PROGRESS, {**ids, "course": enrollment["course_id"]}))
        .mappings()
        .one()
    )
    return ProgressOut(
        progress_percent=progress["progress_percent"],
        completed_at=progress["completed_at"],
        last_watched_lecture=str(lecture_id),
    )
