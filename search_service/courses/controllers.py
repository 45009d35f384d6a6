"""HTTP handlers of the course-detail API."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency

from search_service.catalog.schemas import CourseCard
from search_service.courses import service
from search_service.courses.schemas import CourseDetail
from search_service.problems import problem_responses
from search_service.search.engine import SearchEngine
from search_service.web import CourseSlug, DbSession


class CourseController(Controller):
    path = "/courses/{slug:str}"
    tags = ("courses",)

    @get("", summary="Course detail", name="api_course", responses=problem_responses(400, 404))
    async def detail(self, db_session: DbSession, slug: CourseSlug) -> CourseDetail:
        """A published course with its mentor, curriculum, ratings and price; 404 for
        drafts, submitted, archived and deleted courses."""
        return await service.course_detail(db_session, slug)

    @get(
        "/related",
        summary="Related courses",
        name="api_course_related",
        responses=problem_responses(400, 404, 503),
    )
    async def related(
        self, db_session: DbSession, engine: NamedDependency[SearchEngine], slug: CourseSlug
    ) -> list[CourseCard]:
        return await service.related_courses(db_session, engine, slug)
