"""The review API (bearer token required)."""

from __future__ import annotations

import uuid

from litestar import Controller, delete, post, put
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from search_service.courses.schemas import ReviewItem
from search_service.db.models import User
from search_service.problems import problem_responses
from search_service.reviews import service
from search_service.reviews.schemas import ReviewIn, VoteIn

ERRORS = problem_responses(400, 401, 403, 404, 409)


class ReviewController(Controller):
    path = "/api/v1"
    tags = ("reviews",)

    @put("/reviews/{review_id:uuid}", name="api_review_edit", responses=ERRORS)
    async def edit(
        self, db_session: AsyncSession, user: User, review_id: uuid.UUID, data: ReviewIn
    ) -> ReviewItem:
        return await service.edit(db_session, user.id, review_id, data)

    @delete(
        "/reviews/{review_id:uuid}",
        name="api_review_delete",
        status_code=HTTP_204_NO_CONTENT,
        responses=ERRORS,
    )
    async def remove(self, db_session: AsyncSession, user: User, review_id: uuid.UUID) -> None:
        await service.remove(db_session, user.id, review_id)

    @put("/reviews/{review_id:uuid}/vote", name="api_review_vote", responses=ERRORS)
    async def vote(
        self, db_session: AsyncSession, user: User, review_id: uuid.UUID, data: VoteIn
    ) -> ReviewItem:
        return await service.vote(db_session, user.id, review_id, data.vote)

    @post(
        "/reviews/{review_id:uuid}/report",
        name="api_review_report",
        status_code=HTTP_200_OK,
        responses=ERRORS,
    )
    async def report(
        self, db_session: AsyncSession, user: User, review_id: uuid.UUID
    ) -> dict[str, str]:
        await service.report(db_session, user.id, review_id)
        return {"status": "reported"}
