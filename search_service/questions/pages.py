"""The question form on the course page."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency

from search_service.courses.pages import course_page_again, course_section
from search_service.lib.web import CourseSlug, DbSession, SignedIn
from search_service.pages.forms import FormData, submit
from search_service.questions import service
from search_service.questions.schemas import QuestionIn
from search_service.search.engine import SearchEngine


class QuestionPages(Controller):
    include_in_schema = False
    path = "/courses/{slug:str}"

    @post("/question", name="question_submit", status_code=303)
    async def question(
        self,
        request: Request[Any, Any, Any],
        slug: CourseSlug,
        db_session: DbSession,
        engine: NamedDependency[SearchEngine],
        user: SignedIn,
        data: FormData,
    ) -> Response[Any]:
        return await submit(
            data,
            QuestionIn,
            lambda form: service.ask(db_session, user, slug, form.question),
            course_page_again(request, db_session, engine, slug, "question"),
            course_section(request, slug, "qa"),
        )
