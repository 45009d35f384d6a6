"""The Q&A API: a course's questions, asking, answering and marking a solution."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from search_service.db.annotations import DbSession, SignedIn
from search_service.lib.limits import Limiter
from search_service.lib.problems import BODY_REFUSED, problem_responses
from search_service.lib.web import BEARER, AnswerId, CourseSlug, PageNumber, QuestionId
from search_service.questions import service
from search_service.questions.schemas import (
    AnswerIn,
    AnswerItem,
    QuestionIn,
    QuestionItem,
    QuestionPage,
)

ERRORS = problem_responses(400, 401, 403, 404)
ASK_ERRORS = problem_responses(400, 401, 403, 404, 429)


class QuestionController(Controller):
    tags = ("questions",)

    @get(
        "/courses/{slug:str}/questions",
        summary="Questions and answers",
        name="api_course_questions",
        responses=problem_responses(400, 404),
    )
    async def list_questions(
        self, db_session: DbSession, slug: CourseSlug, page: PageNumber = 1
    ) -> QuestionPage:
        return await service.questions_page(db_session, slug, page)

    @post(
        "/courses/{slug:str}/questions",
        summary="Ask about a course you bought",
        name="api_question_create",
        status_code=HTTP_201_CREATED,
        responses=ASK_ERRORS | BODY_REFUSED,
        security=BEARER,
    )
    async def ask(
        self,
        db_session: DbSession,
        limiter: NamedDependency[Limiter],
        user: SignedIn,
        slug: CourseSlug,
        data: JSONBody[QuestionIn],
    ) -> QuestionItem:
        return await service.ask(db_session, limiter, user, slug, data.question)

    @post(
        "/questions/{question_id:uuid}/answers",
        name="api_answer",
        status_code=HTTP_201_CREATED,
        responses=ERRORS | BODY_REFUSED,
        security=BEARER,
    )
    async def answer(
        self,
        db_session: DbSession,
        user: SignedIn,
        question_id: QuestionId,
        data: JSONBody[AnswerIn],
    ) -> AnswerItem:
        return await service.answer(db_session, user, question_id, data.answer)

    @post(
        "/answers/{answer_id:uuid}/solution",
        name="api_solution",
        status_code=HTTP_200_OK,
        responses=ERRORS | BODY_REFUSED,
        security=BEARER,
    )
    async def solution(
        self, db_session: DbSession, user: SignedIn, answer_id: AnswerId
    ) -> dict[str, str]:
        await service.mark_solution(db_session, user, answer_id)
        return {"status": "resolved"}
