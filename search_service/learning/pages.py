"""``/my-learning`` (every course the student bought, with progress) and a course's learning
page (its curriculum; marking a lecture complete moves the course's progress)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import CacheControlHeader
from litestar.response import Redirect, Template

from search_service.db.annotations import DbSession, SignedIn
from search_service.db.lookups import published_course
from search_service.learning import service
from search_service.lib.errors import NotFound
from search_service.lib.web import CourseSlug
from search_service.pages.forms import FormData, FormState, PageForm, done, submit


class CompleteForm(PageForm):
    page_fields = frozenset({"lecture_id", "done"})
    lecture_id: uuid.UUID
    done: bool = True


class LearningPages(Controller):
    include_in_schema = False
    cache_control = CacheControlHeader(no_store=True)  # personal

    @get("/my-learning", name="my_learning_page")
    async def my_learning(self, db_session: DbSession, user: SignedIn) -> Template:
        courses = await service.my_courses(db_session, user.id)
        return Template("learning/index.html.jinja2", context={"courses": courses})

    @get("/learn/{slug:str}", name="learn_page")
    async def learn(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        user: SignedIn,
        slug: CourseSlug,
    ) -> Template | Redirect:
        """The course's lectures, what is done, and where to continue (owners only: a course
        on sale that is not the student's leads to its page, to buy it)."""
        try:
            course = await service.learning(db_session, user.id, slug)
        except NotFound:
            await published_course(db_session, slug)  # no such course: the 404 stands
            page = request.app.route_reverse("course_page", slug=slug)
            return Redirect(done(page, "not-owned"), status_code=303)
        return Template("learning/course.html.jinja2", context={"course": course, "error": None})

    @post("/learn/{slug:str}/complete", name="lecture_complete", status_code=303)
    async def complete(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        user: SignedIn,
        slug: CourseSlug,
        data: FormData,
    ) -> Response[Any]:
        async def again(state: FormState, status: int) -> Template:
            course = await service.learning(db_session, user.id, slug)
            return Template(
                "learning/course.html.jinja2",
                status_code=status,
                context={"course": course, "error": state.message or "Please try again."},
            )

        def back(form_lecture: str) -> str:
            page = request.app.route_reverse("learn_page", slug=slug)
            return f"{page}#lecture-{form_lecture}"

        return await submit(
            data,
            CompleteForm,
            lambda form: service.mark(db_session, user.id, slug, form.lecture_id, form.done),
            again,
            lambda progress: back(progress.last_watched_lecture),
        )
