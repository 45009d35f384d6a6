"""Q&A use cases, one transaction each."""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from search_service.courses.queries import IS_ENROLLED, PUBLISHED_BY_SLUG
from search_service.courses.schemas import AnswerItem, QuestionItem
from search_service.db.models import User
from search_service.errors import Forbidden, NotFound

ASK = text(
    "INSERT INTO course_questions (course_id, student_id, question) "
    "VALUES (:course_id, :student_id, :question) RETURNING id, created_at"
)
QUESTION = text(
    "SELECT q.id, q.student_id, c.mentor_id FROM course_questions q "
    "JOIN courses c ON c.id = q.course_id WHERE q.id = :question_id"
)
ANSWER = text(
    "INSERT INTO course_answers (question_id, mentor_id, answer) "
    "VALUES (:question_id, :mentor_id, :answer) RETURNING id, created_at"
)
ANSWER_ROW = text(
    "SELECT a.id, a.question_id, q.student_id, c.mentor_id FROM course_answers a "
    "JOIN course_questions q ON q.id = a.question_id "
    "JOIN courses c ON c.id = q.course_id WHERE a.id = :answer_id"
)
MARK = text(
    "UPDATE course_answers SET is_marked_solution = (id = :answer_id) "
    "WHERE question_id = :question_id"
)
RESOLVE = text(
    "UPDATE course_questions SET resolved_at = coalesce(resolved_at, now()) WHERE id = :question_id"
)
NAME = text("SELECT concat_ws(' ', first_name, last_name) FROM users WHERE id = :user_id")


async def ask(session: AsyncSession, user: User, slug: str, question: str) -> QuestionItem:
    """Raises NotFound (no such course) or Forbidden (not enrolled)."""
    course = (await session.execute(PUBLISHED_BY_SLUG, {"slug": slug})).mappings().first()
    if course is None:
        raise NotFound("No published course at this address.")
    if (
        await session.execute(IS_ENROLLED, {"course_id": course["id"], "student_id": user.id})
    ).first() is None:
        raise Forbidden("Only students who bought this course can ask about it.")
    row = (
        (
            await session.execute(
                ASK,
                {"course_id": course["id"], "student_id": user.id, "question": question.strip()},
            )
        )
        .mappings()
        .one()
    )
    author = (
        " ".join(
            p for p in (user.first_name, f"{user.last_name[0]}." if user.last_name else None) if p
        )
        or "A student"
    )
    return QuestionItem(
        id=str(row["id"]),
        question=question.strip(),
        author=author,
        created_at=row["created_at"],
        resolved_at=None,
        answers=[],
    )


async def answer(
    session: AsyncSession, user: User, question_id: uuid.UUID, text_: str
) -> AnswerItem:
    """The course's mentor (or an admin, answering as the course's mentor) answers."""
    question = (await session.execute(QUESTION, {"question_id": question_id})).mappings().first()
    if question is None:
        raise NotFound("No such question.")
    if user.id != question["mentor_id"] and user.role != "admin":
        raise Forbidden("Only the course's mentor or an admin can answer.")
    row = (
        (
            await session.execute(
                ANSWER,
                {
                    "question_id": question_id,
                    "mentor_id": question["mentor_id"],
                    "answer": text_.strip(),
                },
            )
        )
        .mappings()
        .one()
    )
    name = (await session.execute(NAME, {"user_id": question["mentor_id"]})).scalar_one()
    return AnswerItem(
        id=str(row["id"]),
        answer=text_.strip(),
        mentor_name=name,
        is_marked_solution=False,
        created_at=row["created_at"],
    )


async def mark_solution(session: AsyncSession, user: User, answer_id: uuid.UUID) -> None:
    """The asker or the mentor picks the solution (one per question); the question resolves."""
    row = (await session.execute(ANSWER_ROW, {"answer_id": answer_id})).mappings().first()
    if row is None:
        raise NotFound("No such answer.")
    if user.id not in (row["student_id"], row["mentor_id"]):
        raise Forbidden("Only the asker or the course's mentor can mark a solution.")
    await session.execute(MARK, {"answer_id": answer_id, "question_id": row["question_id"]})
    await session.execute(RESOLVE, {"question_id": row["question_id"]})
