"""Course detail use cases: one course page's data, its reviews, questions, related courses."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import msgspec
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from indexer.documents import discount_percent, effective_price_cents
from search_service.catalog.labels import price_display
from search_service.catalog.schemas import CourseCard, Price
from search_service.catalog.service import course_card
from search_service.catalog.urls import category_url, course_url
from search_service.courses import queries
from search_service.courses.schemas import (
    AnswerItem,
    CourseDetail,
    Crumb,
    LectureItem,
    MentorCard,
    QuestionItem,
    QuestionPage,
    RatingSummary,
    ReviewItem,
    ReviewPage,
    SectionItem,
    StarBar,
)
from search_service.errors import NotFound
from search_service.search.engine import SearchEngine
from search_service.search.query import SearchRequest

REVIEWS_PER_PAGE = 10
QUESTIONS_PER_PAGE = 10
RELATED = 8


def _author(first: str | None, last: str | None) -> str:
    """First name and last initial: enough to be human, not enough to be exposing."""
    return " ".join(p for p in (first, f"{last[0]}." if last else None) if p) or "A student"


def review_item(row: Mapping[Any, Any]) -> ReviewItem:
    return ReviewItem(
        id=str(row["id"]),
        rating=row["rating"],
        title=row["title"],
        body=row["body"],
        author=_author(row["first_name"], row["last_name"]),
        is_verified=row["is_verified"],
        helpful_count=row["helpful_count"],
        would_recommend=row["would_recommend"],
        created_at=row["created_at"],
    )


def _price(row: Mapping[Any, Any]) -> Price:
    effective = effective_price_cents(row["list_price_cents"], row["sale_price_cents"])
    return Price(
        list_cents=row["list_price_cents"],
        sale_cents=row["sale_price_cents"],
        effective_cents=effective,
        currency=row["currency"],
        discount_percent=discount_percent(row["list_price_cents"], effective),
        is_free=effective == 0,
        display=price_display(effective, row["currency"]),
        list_display=price_display(row["list_price_cents"], row["currency"]),
    )


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


def _rating(row: Mapping[Any, Any]) -> RatingSummary:
    count = int(row["review_count"] or 0)
    bars = [
        StarBar(stars=5 - i, count=int(n), percent=round(100 * int(n) / count) if count else 0)
        for i, n in enumerate(row["distribution"] or [0] * 5)
    ]
    return RatingSummary(
        average=round(float(row["rating_avg"] or 0), 2), count=count, distribution=bars
    )


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
                    video_url=row["video_url"] if row["is_preview"] else None,
                )
            )
    return list(sections.values())


async def course_detail(session: AsyncSession, slug: str) -> CourseDetail:
    """Everything the course page needs, in three queries.

    Raises:
        NotFound: no published, non-deleted course has this slug.
    """
    row = (await session.execute(queries.COURSE, {"slug": slug})).mappings().first()
    if row is None:
        raise NotFound(f"No published course at {course_url(slug)}.")
    curriculum = (await session.execute(queries.CURRICULUM, {"course_id": row["id"]})).mappings()
    reviews = (await session.execute(queries.TOP_REVIEWS, {"course_id": row["id"]})).mappings()
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
        hero_video_url=row["hero_video_url"],
        lecture_count=row["lecture_count"],
        duration_minutes=row["total_duration_minutes"],
        mentor=MentorCard(
            id=str(row["mentor_id"]),
            name=" ".join(p for p in (row["first_name"], row["last_name"]) if p),
            avatar_url=row["avatar_url"],
            headline=row["headline"] or "",
            average_rating=float(row["average_rating"]) if row["average_rating"] else None,
            total_reviews=row["total_reviews"],
            total_students=row["total_students"],
            course_count=row["mentor_courses"],
        ),
        breadcrumb=_breadcrumb(row["categories"]),
        tags=list(row["tags"] or []),
        objectives=[str(o) for o in meta.get("objectives", [])],
        prerequisites=[str(p) for p in meta.get("prerequisites", [])],
        curriculum=_curriculum(list(curriculum)),
        rating=_rating(row),
        top_reviews=[review_item(r) for r in reviews],
        price=_price(row),
    )


async def _require_course(session: AsyncSession, slug: str) -> None:
    if (await session.execute(queries.PUBLISHED_BY_SLUG, {"slug": slug})).first() is None:
        raise NotFound(f"No published course at {course_url(slug)}.")


async def course_reviews(
    session: AsyncSession, slug: str, sort: str, rating: int | None, page: int
) -> ReviewPage:
    """A page of reviews, sorted and optionally of one star rating."""
    params = {
        "slug": slug,
        "rating": rating,
        "limit": REVIEWS_PER_PAGE,
        "offset": (page - 1) * REVIEWS_PER_PAGE,
    }
    rows = list((await session.execute(text(queries.reviews_page(sort)), params)).mappings())
    if not rows:
        await _require_course(session, slug)
    return ReviewPage(
        total=int(rows[0]["total"]) if rows else 0,
        page=page,
        per_page=REVIEWS_PER_PAGE,
        items=[review_item(r) for r in rows],
    )


async def course_questions(session: AsyncSession, slug: str, page: int) -> QuestionPage:
    """A page of questions, newest first, each with its answers (the solution first)."""
    params = {"slug": slug, "limit": QUESTIONS_PER_PAGE, "offset": (page - 1) * QUESTIONS_PER_PAGE}
    rows = list((await session.execute(queries.QUESTIONS_PAGE, params)).mappings())
    if not rows:
        await _require_course(session, slug)
    answers = msgspec.json.Decoder(list[AnswerItem])
    items = [
        QuestionItem(
            id=str(r["id"]),
            question=r["question"],
            author=_author(r["first_name"], r["last_name"]),
            created_at=r["created_at"],
            resolved_at=r["resolved_at"],
            answers=answers.decode(msgspec.json.encode(r["answers"])),
        )
        for r in rows
    ]
    return QuestionPage(
        total=int(rows[0]["total"]) if rows else 0,
        page=page,
        per_page=QUESTIONS_PER_PAGE,
        items=items,
    )


RELATION = text(f"""
SELECT c.id,
       (SELECT cat.slug FROM course_categories cc JOIN categories cat ON cat.id = cc.category_id
         WHERE cc.course_id = c.id ORDER BY cat.level DESC LIMIT 1) AS category,
       (SELECT array_agg(t.name ORDER BY t.name) FROM course_tag_map tm
          JOIN course_tags t ON t.id = tm.tag_id WHERE tm.course_id = c.id) AS tags
FROM courses c WHERE c.slug = :slug AND {queries.PUBLISHED}
""")  # noqa: S608 - constants only


async def related_courses(
    session: AsyncSession, engine: SearchEngine, slug: str
) -> list[CourseCard]:
    """Up to 8 published courses sharing the subcategory (most popular first), then tags."""
    row = (await session.execute(RELATION, {"slug": slug})).mappings().first()
    if row is None:
        raise NotFound(f"No published course at {course_url(slug)}.")
    requests = []
    if row["category"]:
        requests.append(
            SearchRequest(
                categories=(row["category"],),
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
    cards: dict[str, CourseCard] = {}
    for request in requests:
        for hit in (await engine.search(request)).hits:
            if hit.document.slug != slug and len(cards) < RELATED:
                cards.setdefault(hit.document.id, course_card(hit))
        if len(cards) >= RELATED:
            break
    return list(cards.values())
