"""The review forms on the course page: write, edit and delete one's review, vote on others'."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency

from search_service.db.annotations import DbSession, SignedIn
from search_service.lib.limits import Limiter
from search_service.lib.web import CourseSlug
from search_service.pages.forms import (
    CourseAgain,
    FormData,
    NoFields,
    PageForm,
    done,
    section,
    submit,
)
from search_service.reviews import service
from search_service.reviews.schemas import ReviewIn


class VoteForm(PageForm):
    page_fields = frozenset({"review_id", "vote"})  # a hidden id, the button pressed
    review_id: uuid.UUID
    vote: Literal["helpful", "not_helpful"]


class ReviewPages(Controller):
    include_in_schema = False
    path = "/courses/{slug:str}"

    @post("/review", name="review_submit", status_code=303)
    async def review(
        self,
        request: Request[Any, Any, Any],
        slug: CourseSlug,
        db_session: DbSession,
        course_again: NamedDependency[CourseAgain],
        user: SignedIn,
        data: FormData,
    ) -> Response[Any]:
        return await submit(
            data,
            ReviewIn,
            lambda form: service.create(db_session, user.id, slug, form),
            course_again(slug, "review"),
            done(section(request, "course_page", "ratings", slug=slug), "reviewed"),
        )

    @post("/review/edit", name="review_edit", status_code=303)
    async def edit_review(
        self,
        request: Request[Any, Any, Any],
        slug: CourseSlug,
        db_session: DbSession,
        course_again: NamedDependency[CourseAgain],
        user: SignedIn,
        data: FormData,
    ) -> Response[Any]:
        async def edit(form: ReviewIn) -> object:
            mine = await service.mine_on(db_session, user.id, slug)
            return await service.edit(db_session, user.id, mine, form)

        return await submit(
            data,
            ReviewIn,
            edit,
            course_again(slug, "edit"),
            done(section(request, "course_page", "ratings", slug=slug), "review-saved"),
        )

    @post("/review/delete", name="review_delete", status_code=303)
    async def delete_review(
        self,
        request: Request[Any, Any, Any],
        slug: CourseSlug,
        db_session: DbSession,
        course_again: NamedDependency[CourseAgain],
        user: SignedIn,
        data: FormData,
    ) -> Response[Any]:
        async def remove(_: NoFields) -> None:
            await service.remove(
                db_session, user.id, await service.mine_on(db_session, user.id, slug)
            )

        return await submit(
            data,
            NoFields,
            remove,
            course_again(slug, "edit"),
            done(section(request, "course_page", "ratings", slug=slug), "review-deleted"),
        )

    @post("/vote", name="vote_submit", status_code=303)
    async def vote(
        self,
        request: Request[Any, Any, Any],
        slug: CourseSlug,
        db_session: DbSession,
        course_again: NamedDependency[CourseAgain],
        limiter: NamedDependency[Limiter],
        user: SignedIn,
        data: FormData,
    ) -> Response[Any]:
        return await submit(
            data,
            VoteForm,
            lambda form: service.vote(db_session, limiter, user.id, form.review_id, form.vote),
            course_again(slug, "vote"),
            section(request, "course_page", "ratings", slug=slug),
        )
