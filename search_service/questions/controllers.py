"""The Q&A API (bearer token required). Asking lives with the course routes."""

from __future__ import annotations

import uuid

from litestar import Controller, post
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy.ext.asyncio import AsyncSession

from search_service.courses.schemas import AnswerItem
from search_service.db.models import User
from search_service.problems import problem_responses
from search_service.questions import service
from search_service.questions.schemas import AnswerIn

ERRORS = problem_responses(400, 401, 403, 404)


class QuestionController(Controller):
    path = "/api/v1"
    tags = ("questions",)

    @post(
        "/questions/{question_id:uuid}/answers",
        name="api_answer",
        status_code=HTTP_201_CREATED,
        responses=ERRORS,
    )
    async def answer(
        self, db_session: AsyncSession, user: User, question_id: uuid.UUID, data: AnswerIn
    ) -> AnswerItem:
        return await service.answer(db_session, user, question_id, data.answer)

    @post(
        "/answers/{answer_id:uuid}/solution",
        name="api_solution",
        status_code=HTTP_200_OK,
        responses=ERRORS,
    )
    async def solution(
        self, db_session: AsyncSession, user: User, answer_id: uuid.UUID
    ) -> dict[str, str]:
        await service.mark_solution(db_session, user, answer_id)
        return {"status": "resolved"}
