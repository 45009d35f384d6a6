"""Instructor pages: who teaches, how they are rated, what they teach."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from search_service.catalog.search.service import cards_in_order
from search_service.catalog.urls import instructor_slug, instructor_url
from search_service.instructors import queries
from search_service.instructors.schemas import InstructorOut
from search_service.lib.errors import NotFound
from search_service.lib.people import full_name
from search_service.search.engine import SearchEngine

PER_PAGE = 48  # the API's most courses a page (and its default)
NO_SUCH = "There is no instructor at this address."


async def instructor(
    session: AsyncSession, engine: SearchEngine, slug: str, page: int = 1, per_page: int = PER_PAGE
) -> InstructorOut:
    """The instructor at ``slug`` (``catalog.urls.instructor_slug``) with page ``page`` of
    their courses, ``per_page`` a page (bestsellers first, then by their students, as the
    most popular first).

    Raises:
        NotFound: no mentor has this address.
    """
    prefix = slug.rsplit("-", 1)[-1]
    if len(prefix) < 12 or not all(ch in "0123456789abcdef" for ch in prefix):
        raise NotFound(NO_SUCH)
    rows = (await session.execute(queries.MENTOR, {"prefix": prefix})).mappings().all()
    row = next(
        (
            r
            for r in rows
            if instructor_slug(str(r["id"]), full_name(r["first_name"], r["last_name"])) == slug
        ),
        None,
    )
    if row is None:
        raise NotFound(NO_SUCH)
    mentor = row["id"]
    name = full_name(row["first_name"], row["last_name"])
    ids = [
        r[0]
        for r in await session.execute(
            queries.COURSE_IDS,
            {"mentor": mentor, "limit": per_page, "offset": (page - 1) * per_page},
        )
    ]
    count = (await session.execute(queries.COURSE_COUNT, {"mentor": mentor})).scalar_one()
    rating = row["average_rating"]
    return InstructorOut(
        id=str(mentor),
        slug=slug,
        url=instructor_url(str(mentor), name),
        name=name,
        headline=row["headline"] or "",
        about=row["about"] or "",
        experience_years=row["experience_years"],
        rating=float(rating) if rating is not None and row["total_reviews"] else None,
        reviews=int(row["total_reviews"] or 0),
        students=int(row["total_students"] or 0),
        course_count=int(count),
        page=page,
        per_page=per_page,
        total_pages=max(1, -(-int(count) // per_page)),
        courses=await cards_in_order(engine, ids),
    )
