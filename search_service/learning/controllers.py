"""The learning API: an owned course's curriculum and progress."""

from __future__ import annotations

import uuid

from litestar import Controller, get, post
from litestar.datastructures import CacheControlHeader
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK

from search_service.db.annotations import DbSession, SignedIn
from search_service.learning import service
from search_service.learning.schemas import Learning, LectureDone, OwnedCourse, ProgressOut
from search_service.lib.errors import Invalid
from search_service.lib.problems import BODY_REFUSED, problem_responses
from search_service.lib.web import BEARER, CourseSlug


class LearningController(Controller):
    path = "/learning"
    tags = ("learning",)
    cache_control = CacheControlHeader(no_store=True)

    @get("", name="api_my_learning", responses=problem_responses(401), security=BEARER)
    async def mine(self, db_session: DbSession, user: SignedIn) -> list[OwnedCourse]:
        """Every course you bought ("My learning"), the latest first, with your progress."""
        return await service.my_courses(db_session, user.id)

    @get(
        "/{slug:str}",
        name="api_learning",
        responses=problem_responses(400, 401, 404),
        security=BEARER,
    )
    async def course(self, db_session: DbSession, user: SignedIn, slug: CourseSlug) -> Learning:
        """An owned course's lectures, which are done, and the one to continue with."""
        return await service.learning(db_session, user.id, slug)

    @post(
        "/{slug:str}/progress",
        name="api_learning_progress",
        status_code=HTTP_200_OK,
        responses=problem_responses(400, 401, 404) | BODY_REFUSED,
        security=BEARER,
    )
    async def progress(
        self, db_session: DbSession, user: SignedIn, slug: CourseSlug, data: JSONBody[LectureDone]
    ) -> ProgressOut:
        """Mark a lecture complete (``done: false``: not complete). The course's
        ``progress_percent``, ``last_watched_lecture`` and, once every lecture is done,
        ``completed_at`` follow."""
        try:
            lecture = uuid.UUID(data.lecture_id)
        except ValueError:
            raise Invalid("lecture_id", "lecture_id must be a lecture's id (a UUID).") from None
        return await service.mark(db_session, user.id, slug, lecture, data.done)
