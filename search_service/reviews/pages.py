"""The review forms on the course page: write, edit and delete one's review, vote on others'."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from litestar import Controller, Response, post
from litestar.di import NamedDependency

from search_service.db.annotations import DbSession, SignedIn
from search_service.lib.limits import Limiter
from search_service.pages.forms import CourseForm, FormData, NoFields, PageForm, form_values
from search_service.reviews import service
from search_service.reviews.schemas import ReviewIn
from search_service.reviews.view import ReviewView

OnPage = NamedDependency[CourseForm]


class VoteForm(PageForm):
    # A hidden id, the button pressed, where the reviews stood (a page of them, sorted).
    page_fields = frozenset({"review_id", "vote", "view"})
    review_id: uuid.UUID
    vote: Literal["helpful", "not_helpful"]
    view: str | None = None


class ReviewPages(Controller):
    include_in_schema = False
    path = "/courses/{slug:str}"

    @post("/review", name="review_submit", status_code=303)
    async def review(
        self, db_session: DbSession, course_form: OnPage, user: SignedIn, data: FormData
    ) -> Response[Any]:
        async def write(form: ReviewIn) -> object:
            return await service.create(db_session, user.id, course_form.slug, form)

        return await course_form.submit(
            data, ReviewIn, write, shown_as="review", part="ratings", said="reviewed"
        )

    @post("/review/edit", name="review_edit", status_code=303)
    async def edit_review(
        self, db_session: DbSession, course_form: OnPage, user: SignedIn, data: FormData
    ) -> Response[Any]:
        async def edit(form: ReviewIn) -> object:
            mine = await service.mine_on(db_session, user.id, course_form.slug)
            return await service.edit(db_session, user.id, mine, form)

        return await course_form.submit(
            data, ReviewIn, edit, shown_as="edit", part="ratings", said="review-saved"
        )

    @post("/review/delete", name="review_delete", status_code=303)
    async def delete_review(
        self, db_session: DbSession, course_form: OnPage, user: SignedIn, data: FormData
    ) -> Response[Any]:
        async def remove(_: NoFields) -> None:
            mine = await service.mine_on(db_session, user.id, course_form.slug)
            await service.remove(db_session, user.id, mine)

        return await course_form.submit(
            data, NoFields, remove, shown_as="edit", part="ratings", said="review-deleted"
        )

    @post("/vote", name="vote_submit", status_code=303)
    async def vote(
        self,
        db_session: DbSession,
        course_form: OnPage,
        limiter: NamedDependency[Limiter],
        user: SignedIn,
        data: FormData,
    ) -> Response[Any]:
        async def judge(form: VoteForm) -> object:
            return await service.vote(db_session, limiter, user.id, form.review_id, form.vote)

        # Back to the reviews as they stood: the same page of them, sort and star filter.
        view = ReviewView.sent_back(form_values(data).get("view")).query()
        return await course_form.submit(
            data, VoteForm, judge, shown_as="vote", part="ratings", query=view
        )
