"""The instructors API."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from search_service.db.annotations import DbSession
from search_service.instructors import service
from search_service.instructors.schemas import InstructorOut
from search_service.lib.problems import problem_responses
from search_service.lib.web import InstructorSlug, PageNumber
from search_service.search.engine import SearchEngine

PerPage = Annotated[
    int,
    QueryParameter(
        ge=1, le=service.PER_PAGE, required=False, description="courses a page, 1 to 48"
    ),
]


class InstructorController(Controller):
    path = "/instructors"
    tags = ("catalog",)

    @get("/{slug:str}", name="api_instructor", responses=problem_responses(400, 404, 503))
    async def instructor(
        self,
        db_session: DbSession,
        engine: NamedDependency[SearchEngine],
        slug: InstructorSlug,
        page: PageNumber = 1,
        per_page: PerPage = service.PER_PAGE,
    ) -> InstructorOut:
        """An instructor: headline, about, rating, students and a page of their published
        courses (``course_count`` in all, ``total_pages`` pages)."""
        return await service.instructor(db_session, engine, slug, page, per_page)
