"""Q&A use cases: enrolled students ask, the mentor answers, a solution resolves. One
transaction each."""

from __future__ import annotations

import uuid

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from search_service.db.lookups import is_enrolled, published_course
from search_service.db.models import User
from search_service.lib.constraints import public_text
from search_service.lib.errors import Forbidden, NotFound
from search_service.lib.limits import Limit, Limiter
from search_service.lib.people import full_name, public_name
from search_service.questions import queries
from search_service.questions.schemas import AnswerItem, QuestionItem, QuestionPage

TEXT_LEAST = 10  # characters of a question or an answer, once trimmed
TEXT_MOST = 5000  # as the API takes it, once normalised

QUESTIONS_PER_PAGE = 10
# A free course is free to enrol in: without it, one account filled a course's questions (40
# in a second).
QUESTIONS = Limit(
    "questions", 10, 3600, "That is a lot of questions in an hour; please try again later."
)
_ANSWERS = msgspec.json.Decoder(list[AnswerItem])


async def questions_page(session: AsyncSession, slug: str, page: int) -> QuestionPage:
    """A page of questions, newest first, each with its answers (the solution first).

    Raises:
        NotFound: no published course has this slug.
    """
    params = {"slug": slug, "limit": QUESTIONS_PER_PAGE, "offset": (page - 1) * QUESTIONS_PER_PAGE}
    rows = list((await session.execute(queries.PAGE, params)).mappings())
    if not rows:
        await published_course(session, slug)
    items = [
        QuestionItem(
            id=str(r["id"]),
            question=r["question"],
            author=public_name(r["first_name"], r["last_name"]),
            created_at=r["created_at"],
            resolved_at=r["resolved_at"],
            answers=_ANSWERS.decode(msgspec.json.encode(r["answers"])),
        )
        for r in rows
    ]
    return QuestionPage(
        total=int(rows[0]["total"]) if rows else 0,
        page=page,
        per_page=QUESTIONS_PER_PAGE,
        items=items,
    )


async def ask(
    session: AsyncSession, limiter: Limiter, user: User, slug: str, question: str
) -> QuestionItem:
    """Raises NotFound (no such course), Forbidden (not enrolled) or TooManyRequests (more
    than ``QUESTIONS.hits`` questions from this student in an hour, whatever the course)."""
    course = await published_course(session, slug)
    if not await is_enrolled(session, user.id, course.id):
        raise Forbidden("Only students who bought this course can ask about it.")
    text = public_text("question", question, TEXT_LEAST, TEXT_MOST)
    await limiter.hit(QUESTIONS, str(user.id))
    params = {"course_id": course.id, "student_id": user.id, "question": text}
    row = (await session.execute(queries.ASK, params)).mappings().one()
    return QuestionItem(
        id=str(row["id"]),
        question=text,
        author=public_name(user.first_name, user.last_name),
        created_at=row["created_at"],
        resolved_at=None,
        answers=[],
    )


async def answer(
    session: AsyncSession, user: User, question_id: uuid.UUID, text_: str
) -> AnswerItem:
    """The course's mentor answers, or an admin (the answer then says who, as staff)."""
    question = (
        (await session.execute(queries.QUESTION, {"question_id": question_id})).mappings().first()
    )
    if question is None:
        raise NotFound("No such question.")
    if user.id != question["mentor_id"] and user.role != "admin":
        raise Forbidden("Only the course's mentor or an admin can answer.")
    staff = user.id != question["mentor_id"]
    text = public_text("answer", text_, TEXT_LEAST, TEXT_MOST)
    params = {
        "question_id": question_id,
        "mentor_id": question["mentor_id"],
        "answer": text,
        "answered_by": user.id if staff else None,
    }
    row = (await session.execute(queries.ANSWER, params)).mappings().one()
    name = full_name(user.first_name, user.last_name) + (" (Skillspring team)" if staff else "")
    return AnswerItem(
        id=str(row["id"]),
        answer=text,
        mentor_name=name,
        is_marked_solution=False,
        created_at=row["created_at"],
    )


async def mark_solution(session: AsyncSession, user: User, answer_id: uuid.UUID) -> None:
    """The asker or the mentor picks the solution (one per question); the question resolves."""
    row = (await session.execute(queries.ANSWER_ROW, {"answer_id": answer_id})).mappings().first()
    if row is None:
        raise NotFound("No such answer.")
    if user.id not in (row["student_id"], row["mentor_id"]):
        raise Forbidden("Only the asker or the course's mentor can mark a solution.")
    await session.execute(queries.MARK, {"answer_id": answer_id, "question_id": row["question_id"]})
    await session.execute(queries.RESOLVE, {"question_id": row["question_id"]})
