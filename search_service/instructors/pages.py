"""The instructor page, linked from every course page, card and mentor suggestion."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.response import Template

from search_service.db.annotations import DbSession
from search_service.instructors import service
from search_service.lib.web import InstructorSlug, PageNumber
from search_service.pages.paging import page_links
from search_service.search.engine import SearchEngine

PER_PAGE = 12  # courses a page: four rows of three on a wide screen


class InstructorPages(Controller):
    include_in_schema = False

    @get("/instructors/{slug:str}", name="instructor_page")
    async def instructor(
        self,
        db_session: DbSession,
        engine: NamedDependency[SearchEngine],
        slug: InstructorSlug,
        page: PageNumber = 1,
    ) -> Template:
        found = await service.instructor(db_session, engine, slug, page, PER_PAGE)

        def url(n: int) -> str:
            return found.url + (f"?page={n}" if n > 1 else "") + "#courses"

        links = page_links(page, found.total_pages, url)
        first = url(1) if page > found.total_pages else None
        context = {"instructor": found, "page_links": links, "first_page_url": first}
        return Template("instructors/profile.html.jinja2", context=context)
