"""Course detail use cases: one course page's data and its related courses."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from search_service.catalog.pictures import avatar_url, drawn, picture_url
from search_service.catalog.schemas import CourseCard, Crumb
from search_service.catalog.search.service import cards_in_order, course_card, price
from search_service.catalog.urls import category_url, course_url, instructor_url
from search_service.courses import queries
from search_service.courses.schemas import (
    CourseDetail,
    LectureItem,
    MentorCard,
    SectionItem,
)
from search_service.lib.errors import NotFound
from search_service.lib.people import full_name
from search_service.lib.safe_urls import is_playable
from search_service.merchandising import service as recommendations
from search_service.reviews.service import rating_summary, top_reviews
from search_service.search.engine import SearchEngine
from search_service.search.request import SearchRequest

RELATED = 8


def _breadcrumb(categories: Sequence[Sequence[str]] | None) -> list[Crumb]:
    if not categories:
        return []
    slug, name, parent_slug, parent_name = categories[0]
    if parent_slug:
        return [
            Crumb(name=parent_name, url=category_url(parent_slug)),
            Crumb(name=name, url=category_url(parent_slug, slug)),
        ]
    return [Crumb(name=name, url=category_url(slug))]


def _curriculum(rows: Sequence[Mapping[Any, Any]]) -> list[SectionItem]:
    sections: dict[uuid.UUID, SectionItem] = {}
    for row in rows:
        section = sections.get(row["section_id"])
        if section is None:
            section = sections[row["section_id"]] = SectionItem(
                title=row["section_title"],
                position=row["section_position"],
                lecture_count=row["lecture_count"],
                duration_minutes=row["total_duration_minutes"],
                lectures=[],
            )
        if row["title"] is not None:
            section.lectures.append(
                LectureItem(
                    title=row["title"],
                    content_type=row["content_type"],
                    duration_minutes=row["duration_minutes"],
                    is_preview=row["is_preview"],
                    video_url=row["video_url"]
                    if row["is_preview"] and is_playable(row["video_url"])
                    else None,
                )
            )
    return list(sections.values())


def _mentor(row: Mapping[Any, Any]) -> MentorCard:
    name = full_name(row["first_name"], row["last_name"])
    return MentorCard(
        id=str(row["mentor_id"]),
        name=name,
        url=instructor_url(str(row["mentor_id"]), name),
        avatar_url=avatar_url(row["avatar_url"]),
        headline=row["headline"] or "",
        average_rating=float(row["average_rating"]) if row["average_rating"] else None,
        total_reviews=row["total_reviews"],
        total_students=row["total_students"],
        course_count=row["mentor_courses"],
    )


async def course_detail(session: AsyncSession, slug: str) -> CourseDetail:
    """Everything the course page needs, in three queries.

    Raises:
        NotFound: no published, non-deleted course has this slug.
    """
    row = (await session.execute(queries.COURSE, {"slug": slug})).mappings().first()
    if row is None:
        raise NotFound(f"No published course at {course_url(slug)}.")
    curriculum = (await session.execute(queries.CURRICULUM, {"course_id": row["id"]})).mappings()
    meta = row["meta"] or {}
    return CourseDetail(
        id=str(row["id"]),
        slug=row["slug"],
        url=course_url(row["slug"]),
        title=row["title"],
        subtitle=row["subtitle"] or "",
        description=row["description"] or "",
        language_code=row["language_code"],
        level=row["level"],
        is_bestseller=row["is_bestseller"],
        last_updated_at=row["last_updated_at"],
        thumbnail_url=row["thumbnail_url"],
        image_url=picture_url(row["slug"], row["thumbnail_url"]),
        hero_video_url=row["hero_video_url"],
        lecture_count=row["lecture_count"],
        duration_minutes=row["total_duration_minutes"],
        mentor=_mentor(row),
        breadcrumb=_breadcrumb(row["categories"]),
        tags=list(row["tags"] or []),
        objectives=[str(o) for o in meta.get("objectives", [])],
        prerequisites=[str(p) for p in meta.get("prerequisites", [])],
        curriculum=_curriculum(list(curriculum)),
        rating=rating_summary(
            int(row["review_count"] or 0), row["rating_avg"], row["distribution"]
        ),
        top_reviews=await top_reviews(session, row["id"]),
        price=price(row["list_price_cents"], row["sale_price_cents"], row["currency"]),
    )


async def related_courses(
    session: AsyncSession, engine: SearchEngine, slug: str
) -> list[CourseCard]:
    """Up to 8 published courses: the nearest in meaning (the engine's vectors), then, to fill
    the row, those sharing the subcategory (most popular first), then its tags."""
    row = (await session.execute(queries.RELATION, {"slug": slug})).mappings().first()
    if row is None:
        raise NotFound(f"No published course at {course_url(slug)}.")
    cards: dict[str, CourseCard] = {
        card.id: card
        for card in await cards_in_order(engine, await engine.similar(str(row["id"]), RELATED))
    }
    requests = []
    if row["category"]:
        requests.append(
            SearchRequest(
                category=[row["category"]],
                sort="popular",
                per_page=RELATED + 1,
                with_facets=False,
                with_highlights=False,
            )
        )
    for tag in (row["tags"] or [])[:2]:
        requests.append(
            SearchRequest(q=tag, per_page=RELATED + 1, with_facets=False, with_highlights=False)
        )
    for request in requests if len(cards) < RELATED else []:
        for hit in (await engine.search(request)).hits:
            if hit.document.slug != slug and len(cards) < RELATED:
                cards.setdefault(hit.document.id, course_card(hit))
        if len(cards) >= RELATED:
            break
    return list(cards.values())


ALSO_BOUGHT = 8


async def also_bought(
    session: AsyncSession,
    engine: SearchEngine,
    slug: str,
    viewer: uuid.UUID | None,
    limit: int = ALSO_BOUGHT,
) -> list[CourseCard]:
    """Students also bought: by co-purchase strength, published, never this course or one the
    viewer owns.

    Raises:
        NotFound: no published course has this slug.
    """
    row = (await session.execute(queries.RELATION, {"slug": slug})).mappings().first()
    if row is None:
        raise NotFound(f"No published course at {course_url(slug)}.")
    return await also_bought_for(session, engine, row["id"], viewer, limit)


async def also_bought_for(
    session: AsyncSession,
    engine: SearchEngine,
    course_id: uuid.UUID,
    viewer: uuid.UUID | None,
    limit: int = ALSO_BOUGHT,
) -> list[CourseCard]:
    """``also_bought`` for a course already found (the course page has it)."""
    ids = await recommendations.also_bought(session, course_id, viewer, limit)
    return await cards_in_order(engine, ids)


async def course_picture(session: AsyncSession, slug: str) -> str:
    """The drawn picture (SVG) of the course at ``slug``, published or archived (receipts and
    My learning show archived courses too).

    Raises:
        NotFound: no such course (or only a draft).
    """
    row = (await session.execute(queries.PICTURE, {"slug": slug})).mappings().first()
    if row is None:
        raise NotFound("There is no picture at this address.")
    return drawn(row["title"], row["root"])
