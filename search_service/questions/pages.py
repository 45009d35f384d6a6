"""The question form on the course page, and the answer form its mentor (or an admin) sees
under each question."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency

from search_service.db.annotations import DbSession, SignedIn
from search_service.lib.limits import Limiter
from search_service.lib.web import CourseSlug
from search_service.pages.forms import CourseAgain, FormData, PageForm, done, section, submit
from search_service.questions import service
from search_service.questions.schemas import QuestionIn, Text


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
        request: Request[Any, Any, Any],
        slug: CourseSlug,
        db_session: DbSession,
        course_again: NamedDependency[CourseAgain],
        limiter: NamedDependency[Limiter],
        user: SignedIn,
        data: FormData,
    ) -> Response[Any]:
        return await submit(
            data,
            QuestionIn,
            lambda form: service.ask(db_session, limiter, user, slug, form.question),
            course_again(slug, "question"),
            done(section(request, "course_page", "qa", slug=slug), "asked"),
        )

    @post("/answer", name="answer_submit", status_code=303)
    async def answer(
        self,
        request: Request[Any, Any, Any],
        slug: CourseSlug,
        db_session: DbSession,
        course_again: NamedDependency[CourseAgain],
        user: SignedIn,
        data: FormData,
    ) -> Response[Any]:
        return await submit(
            data,
            AnswerForm,
            lambda form: service.answer(db_session, user, form.question_id, form.answer),
            course_again(slug, "answer"),
            done(section(request, "course_page", "qa", slug=slug), "answered"),
        )
