"""The instructors API."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency

from search_service.db.annotations import DbSession
from search_service.instructors import service
from search_service.instructors.schemas import InstructorOut
from search_service.lib.problems import problem_responses
from search_service.lib.web import InstructorSlug
from search_service.search.engine import SearchEngine


class InstructorController(Controller):
    path = "/instructors"
    tags = ("catalog",)

    @get("/{slug:str}", name="api_instructor", responses=problem_responses(404, 503))
    async def instructor(
        self, db_session: DbSession, engine: NamedDependency[SearchEngine], slug: InstructorSlug
    ) -> InstructorOut:
        """An instructor: headline, about, rating, students and their published courses."""
        return await service.instructor(db_session, engine, slug)
