"""HTTP handlers of the course-detail API."""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED
from sqlalchemy.ext.asyncio import AsyncSession

from search_service.catalog.schemas import CourseCard
from search_service.courses import service
from search_service.courses.schemas import (
    CourseDetail,
    QuestionItem,
    QuestionPage,
    ReviewItem,
    ReviewPage,
)
from search_service.db.models import User
from search_service.problems import problem_responses
from search_service.questions import service as questions
from search_service.questions.schemas import QuestionIn
from search_service.reviews import service as reviews
from search_service.reviews.schemas import ReviewIn
from search_service.search.engine import SearchEngine

ReviewSort = Literal["recent", "helpful", "highest", "lowest"]
Slug = Annotated[str, Parameter(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=180)]
Page = Annotated[int, Parameter(ge=1, le=10_000, required=False)]


class CourseController(Controller):
    path = "/api/v1/courses/{slug:str}"
    tags = ("courses",)

    @get("", summary="Course detail", name="api_course", responses=problem_responses(400, 404))
    async def detail(self, db_session: AsyncSession, slug: Slug) -> CourseDetail:
        """A published course with its mentor, curriculum, ratings and price; 404 for
        drafts, submitted, archived and deleted courses."""
        return await service.course_detail(db_session, slug)

    @get(
        "/reviews",
        summary="Reviews of a course",
        name="api_course_reviews",
        responses=problem_responses(400, 404),
    )
    async def reviews(
        self,
        db_session: AsyncSession,
        slug: Slug,
        sort: ReviewSort = "recent",
        rating: Annotated[int | None, Parameter(ge=1, le=5, required=False)] = None,
        page: Page = 1,
    ) -> ReviewPage:
        return await service.course_reviews(db_session, slug, sort, rating, page)

    @post(
        "/reviews",
        summary="Review a course you bought",
        name="api_review_create",
        status_code=HTTP_201_CREATED,
        responses=problem_responses(400, 401, 403, 404, 409),
    )
    async def create_review(
        self, db_session: AsyncSession, user: User, slug: Slug, data: ReviewIn
    ) -> ReviewItem:
        """One review per student and course (a second is 409: edit it with PUT)."""
        return await reviews.create(db_session, user.id, slug, data)

    @get(
        "/questions",
        summary="Questions and answers",
        name="api_course_questions",
        responses=problem_responses(400, 404),
    )
    async def questions(self, db_session: AsyncSession, slug: Slug, page: Page = 1) -> QuestionPage:
        return await service.course_questions(db_session, slug, page)

    @post(
        "/questions",
        summary="Ask about a course you bought",
        name="api_question_create",
        status_code=HTTP_201_CREATED,
        responses=problem_responses(400, 401, 403, 404),
    )
    async def ask(
        self, db_session: AsyncSession, user: User, slug: Slug, data: QuestionIn
    ) -> QuestionItem:
        return await questions.ask(db_session, user, slug, data.question)

    @get(
        "/related",
        summary="Related courses",
        name="api_course_related",
        responses=problem_responses(400, 404, 503),
    )
    async def related(
        self, db_session: AsyncSession, engine: NamedDependency[SearchEngine], slug: Slug
    ) -> list[CourseCard]:
        return await service.related_courses(db_session, engine, slug)
