"""The instructor page, linked from every course page, card and mentor suggestion."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.response import Template

from search_service.db.annotations import DbSession
from search_service.instructors import service
from search_service.lib.web import InstructorSlug
from search_service.search.engine import SearchEngine


class InstructorPages(Controller):
    include_in_schema = False

    @get("/instructors/{slug:str}", name="instructor_page")
    async def instructor(
        self, db_session: DbSession, engine: NamedDependency[SearchEngine], slug: InstructorSlug
    ) -> Template:
        found = await service.instructor(db_session, engine, slug)
        return Template("instructors/profile.html.jinja2", context={"instructor": found})
