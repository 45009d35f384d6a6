"""The review API: a course's reviews, and writing, voting on and reporting them."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from search_service.db.annotations import DbSession, SignedIn
from search_service.lib.limits import Limiter
from search_service.lib.problems import BODY_REFUSED, problem_responses
from search_service.lib.web import BEARER, CourseSlug, PageNumber, ReviewId
from search_service.reviews import service
from search_service.reviews.schemas import ReviewIn, ReviewItem, ReviewPage, ReviewSort, VoteIn

ERRORS = problem_responses(400, 401, 403, 404, 409, 429)
StarFilter = Annotated[
    int | None,
    QueryParameter(
        ge=1,
        le=5,
        required=False,
        description="only reviews of N stars, a whole number from 1 to 5",
    ),
]


class ReviewController(Controller):
    tags = ("reviews",)

    @get(
        "/courses/{slug:str}/reviews",
        summary="Reviews of a course",
        name="api_course_reviews",
        responses=problem_responses(400, 404),
    )
    async def list_reviews(
        self,
        db_session: DbSession,
        slug: CourseSlug,
        sort: Annotated[ReviewSort, QueryParameter(required=False)] = "recent",
        rating: StarFilter = None,
        page: PageNumber = 1,
    ) -> ReviewPage:
        return await service.reviews_page(db_session, slug, sort, rating, page)

    @post(
        "/courses/{slug:str}/reviews",
        summary="Review a course you bought",
        name="api_review_create",
        status_code=HTTP_201_CREATED,
        responses=ERRORS | BODY_REFUSED,
        security=BEARER,
    )
    async def create(
        self, db_session: DbSession, user: SignedIn, slug: CourseSlug, data: JSONBody[ReviewIn]
    ) -> ReviewItem:
        """One review per student and course (a second is 409: edit it with PUT)."""
        return await service.create(db_session, user.id, slug, data)

    @put(
        "/reviews/{review_id:uuid}",
        name="api_review_edit",
        responses=ERRORS | BODY_REFUSED,
        security=BEARER,
    )
    async def edit(
        self, db_session: DbSession, user: SignedIn, review_id: ReviewId, data: JSONBody[ReviewIn]
    ) -> ReviewItem:
        return await service.edit(db_session, user.id, review_id, data)

    @delete(
        "/reviews/{review_id:uuid}",
        name="api_review_delete",
        status_code=HTTP_204_NO_CONTENT,
        responses=ERRORS,
        security=BEARER,
    )
    async def remove(self, db_session: DbSession, user: SignedIn, review_id: ReviewId) -> None:
        await service.remove(db_session, user.id, review_id)

    @put(
        "/reviews/{review_id:uuid}/vote",
        name="api_review_vote",
        responses=ERRORS | BODY_REFUSED,
        security=BEARER,
    )
    async def vote(
        self,
        db_session: DbSession,
        limiter: NamedDependency[Limiter],
        user: SignedIn,
        review_id: ReviewId,
        data: JSONBody[VoteIn],
    ) -> ReviewItem:
        """Students who bought the course vote on its reviews (one vote each, changeable)."""
        return await service.vote(db_session, limiter, user.id, review_id, data.vote)

    @delete(
        "/reviews/{review_id:uuid}/vote",
        name="api_review_unvote",
        status_code=HTTP_200_OK,
        responses=ERRORS,
        security=BEARER,
    )
    async def unvote(
        self,
        db_session: DbSession,
        limiter: NamedDependency[Limiter],
        user: SignedIn,
        review_id: ReviewId,
    ) -> ReviewItem:
        """Take your vote back (none given: nothing changes); the review as it now stands."""
        return await service.vote(db_session, limiter, user.id, review_id, None)

    @post(
        "/reviews/{review_id:uuid}/report",
        name="api_review_report",
        status_code=HTTP_200_OK,
        responses=ERRORS | BODY_REFUSED,
        security=BEARER,
    )
    async def report(
        self,
        db_session: DbSession,
        limiter: NamedDependency[Limiter],
        user: SignedIn,
        review_id: ReviewId,
    ) -> dict[str, str]:
        """Students who bought the course report its reviews (one report each)."""
        await service.report(db_session, limiter, user.id, review_id)
        return {"status": "reported"}
