"""``/my-learning``: every course the signed-in student bought, newest first, with progress."""

from __future__ import annotations

from litestar import Controller, get
from litestar.datastructures import CacheControlHeader
from litestar.response import Template
from sqlalchemy import text

from search_service.web import DbSession, SignedIn

MY_COURSES = text("""
SELECT c.slug, c.title, e.progress_percent, e.purchased_at, e.completed_at,
       (c.status = 'published' AND c.deleted_at IS NULL) AS listed
FROM enrollments e JOIN courses c ON c.id = e.course_id
WHERE e.student_id = :student
ORDER BY e.purchased_at DESC NULLS LAST, c.title
""")


class LearningPages(Controller):
    include_in_schema = False
    cache_control = CacheControlHeader(no_store=True)  # personal

    @get("/my-learning", name="my_learning_page")
    async def my_learning(self, db_session: DbSession, user: SignedIn) -> Template:
        rows = (await db_session.execute(MY_COURSES, {"student": user.id})).mappings().all()
        return Template("learning/index.html.jinja2", context={"courses": rows})
