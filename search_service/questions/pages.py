"""The question form on the course page, and the answer form its mentor (or an admin) sees
under each question."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Response, post
from litestar.di import NamedDependency

from search_service.db.annotations import DbSession, SignedIn
from search_service.lib.limits import Limiter
from search_service.pages.forms import CourseForm, FormData, PageForm
from search_service.questions import service
from search_service.questions.schemas import QuestionIn, Text

OnPage = NamedDependency[CourseForm]


class AnswerForm(PageForm):
    page_fields = frozenset({"question_id"})  # a hidden id
    question_id: uuid.UUID
    answer: Text


class QuestionPages(Controller):
    include_in_schema = False
    path = "/courses/{slug:str}"

    @post("/question", name="question_submit", status_code=303)
    async def question(
        self,
        db_session: DbSession,
        course_form: OnPage,
        limiter: NamedDependency[Limiter],
        user: SignedIn,
        data: FormData,
    ) -> Response[Any]:
        async def ask(form: QuestionIn) -> object:
            return await service.ask(db_session, limiter, user, course_form.slug, form.question)

        return await course_form.submit(
            data, QuestionIn, ask, shown_as="question", part="qa", said="asked"
        )

    @post("/answer", name="answer_submit", status_code=303)
    async def answer(
        self, db_session: DbSession, course_form: OnPage, user: SignedIn, data: FormData
    ) -> Response[Any]:
        async def reply(form: AnswerForm) -> object:
            return await service.answer(db_session, user, form.question_id, form.answer)

        return await course_form.submit(
            data, AnswerForm, reply, shown_as="answer", part="qa", said="answered"
        )
