"""HTTP handlers of the course-detail API."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from search_service.catalog.schemas import CourseCard
from search_service.courses import service
from search_service.courses.schemas import AlsoBoughtOut, CourseDetail
from search_service.db.annotations import DbSession, Viewer
from search_service.lib.problems import problem_responses
from search_service.lib.web import CourseSlug
from search_service.search.engine import SearchEngine


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

    @get(
        "/also-bought",
        summary="Students also bought",
        name="api_course_also_bought",
        responses=problem_responses(400, 404, 503),
    )
    async def also_bought(
        self,
        db_session: DbSession,
        engine: NamedDependency[SearchEngine],
        viewer: Viewer,
        slug: CourseSlug,
        limit: Annotated[
            int, QueryParameter(ge=1, le=24, required=False, description="1 to 24 courses")
        ] = service.ALSO_BOUGHT,
    ) -> AlsoBoughtOut:
        """What the students who bought this course also bought, by co-purchase strength
        (co-buyers over the geometric mean of both courses' buyers, so bestsellers bought with
        everything do not top every list); never this course, nor one the signed-in student
        (bearer token) owns. Recomputed by ``skillspring recommendations refresh`` and the
        follower."""
        owner = viewer.id if viewer is not None else None
        courses = await service.also_bought(db_session, engine, slug, owner, limit)
        return AlsoBoughtOut(courses=courses)
