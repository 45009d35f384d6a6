"""The course page. The forms on it (review, helpful vote, question) belong to ``reviews/``
and ``questions/``, and show this page again when they go wrong (``course_page_again``)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.response import Template

from search_service.catalog.labels import language_label
from search_service.catalog.urls import course_url, search_url
from search_service.courses import service
from search_service.courses.schemas import CourseDetail
from search_service.courses.views import ViewCounter, is_bot
from search_service.db.annotations import DbSession
from search_service.db.lookups import Held, held
from search_service.insights.ids import QueryIds
from search_service.insights.recorder import InsightsRecorder
from search_service.lib.errors import SearchUnavailable
from search_service.lib.limits import Limiter
from search_service.lib.web import CourseSlug, client_key, link_number, looked_at
from search_service.pages.forms import BLANK, CourseForm, FormState, Rerender, section
from search_service.questions import service as questions
from search_service.reviews import service as reviews
from search_service.reviews.schemas import ReviewPage, ReviewSort
from search_service.reviews.view import REVIEW_SORTS, ReviewView
from search_service.search.engine import SearchEngine
from search_service.search.request import MAX_HITS

# Lecture kinds listed under "This course includes" (videos are counted as hours).
INCLUDED = (
    ("article", "article", "articles"),
    ("download", "downloadable resource", "downloadable resources"),
    ("quiz", "quiz", "quizzes"),
    ("assignment", "assignment", "assignments"),
)


def _json_ld(course: CourseDetail, url: str) -> str:
    """schema.org Course, safe to embed in a <script> element."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": course.title,
        "description": course.subtitle or course.description[:300],
        "url": url,
        "inLanguage": course.language_code,
        "provider": {"@type": "Organization", "name": "Skillspring"},
        "author": {"@type": "Person", "name": course.mentor.name},
        "offers": {
            "@type": "Offer",
            "category": "Paid" if not course.price.is_free else "Free",
            "price": f"{course.price.effective_cents / 100:.2f}",
            "priceCurrency": course.price.currency,
        },
    }
    if course.rating.count:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": course.rating.average,
            "ratingCount": course.rating.count,
        }
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


async def _course_page(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    engine: SearchEngine,
    slug: str,
    forms: dict[str, FormState] | None = None,
    status: int = 200,
    query_id: str | None = None,
    view: ReviewView | None = None,
) -> Template:
    detail = await service.course_detail(db_session, slug)
    course_id = uuid.UUID(detail.id)
    params = request.query_params
    view = view or ReviewView.read(params)
    review_page = await reviews.reviews_page(db_session, slug, *view)
    question_page = await questions.questions_page(db_session, slug, 1)
    viewer = request.state.get("viewer")
    holds = await held(db_session, viewer.id, course_id) if viewer is not None else Held()
    owned = holds.owned
    mine = await reviews.my_review(db_session, viewer.id, course_id) if owned else None
    forms = dict(forms or {})
    # A review form from a page shown before, refused: a review posted again (another tab
    # posted one since) is shown as the edit of that review, an edit of a review deleted
    # since as a new one; the typed values and what went wrong stay in sight either way.
    if mine is not None and "review" in forms:
        forms["edit"] = forms.pop("review")
    elif mine is None and "edit" in forms:
        forms["review"] = forms.pop("edit")
    try:
        related = await service.related_courses(db_session, engine, slug)
        also_bought = await service.also_bought_for(
            db_session, engine, course_id, viewer.id if viewer is not None else None
        )
    except SearchUnavailable:
        related, also_bought = [], []
    page_url = course_url(slug)
    # The configured public address, never the request's Host header (anyone can send one).
    canonical = request.app.state.settings.server.public_url + page_url
    return Template(
        "course/detail.html.jinja2",
        status_code=status,
        context={
            "course": detail,
            "reviews": review_page,
            "questions": question_page,
            "related": related,
            "also_bought": also_bought,
            "reviews_sort": view.sort,
            "review_sorts": REVIEW_SORTS,
            "review_links": _review_links(page_url, view, review_page),
            "reviews_stars": view.stars,
            # Where the reviews stand (sort, stars, page): a vote comes back to it.
            "review_view": view.query(),
            "language": language_label(detail.language_code),
            "tag_urls": {t: search_url([("q", t)]) for t in detail.tags},
            "canonical": canonical,
            "json_ld": _json_ld(detail, canonical),
            "review_form": forms.get("review", BLANK),
            "question_form": forms.get("question", BLANK),
            "answer_form": forms.get("answer", BLANK),
            "blank_form": BLANK,
            # The course's mentor, or an admin, answers its questions on the page.
            "answers": viewer is not None
            and (str(viewer.id) == detail.mentor.id or viewer.role == "admin"),
            "vote_form": forms.get("vote", BLANK),
            "query_id": query_id,
            "owned": owned,
            "held": holds,
            "my_review": mine,
            "edit_form": forms.get("edit", BLANK),
            "all_sections": params.get("sections") == "all",
            "includes": _includes(detail),
        },
    )


def _review_links(page_url: str, view: ReviewView, page: ReviewPage) -> dict[str, Any]:
    """Links of the reviews block: each sort and star filter, and the pages around this one."""

    def url(sort: ReviewSort = view.sort, stars: int | None = view.stars, number: int = 1) -> str:
        query = ReviewView(sort, stars, number).query()
        return f"{page_url}?{query}#ratings" if query else f"{page_url}#ratings"

    last = max(1, -(-page.total // page.per_page))
    past = page.total > 0 and page.page > last  # a link kept from before, or typed
    return {
        "sorts": {value: url(sort=value) for value, _ in REVIEW_SORTS},
        "stars": {n: url(stars=None if n == view.stars else n) for n in range(1, 6)},
        "all_stars": url(stars=None),
        "past_last": url(number=last) if past else None,
        "previous": url(number=min(page.page - 1, last)) if page.page > 1 else None,
        "next": url(number=page.page + 1) if page.page < last else None,
        "first": page.total and (page.page - 1) * page.per_page + 1,
        "last": min(page.page * page.per_page, page.total),
    }


def _includes(course: CourseDetail) -> list[str]:
    """What the course includes, counted from its curriculum."""
    kinds: dict[str, int] = {}
    video = 0  # minutes of video: the course's duration counts its articles and quizzes too
    for part in course.curriculum:
        for lecture in part.lectures:
            kinds[lecture.content_type] = kinds.get(lecture.content_type, 0) + 1
            if lecture.content_type == "video":
                video += lecture.duration_minutes
    out = []
    if video:
        hours = video / 60
        out.append(
            f"{hours:.1f} hours on-demand video"
            if hours >= 1
            else f"{video} minutes on-demand video"
        )
    out.append(f"{course.lecture_count} lecture{'' if course.lecture_count == 1 else 's'}")
    for kind, one, many in INCLUDED:
        n = kinds.get(kind, 0)
        if n:
            out.append(f"{n} {one if n == 1 else many}")
    out.append("Full lifetime access")
    return out


def provide_course_form(
    request: Request[Any, Any, Any],
    slug: CourseSlug,
    db_session: DbSession,
    engine: NamedDependency[SearchEngine],
) -> CourseForm:
    """The reviews' and questions' forms on the course page at ``slug``: shown again there
    with what went wrong, or on to a part of it."""

    def again(form: str, query: str) -> Rerender:
        async def rerender(state: FormState, status: int) -> Template:
            view = ReviewView.sent_back(query) if query else None  # the reviews as they stood
            return await _course_page(
                request, db_session, engine, slug, {form: state}, status, view=view
            )

        return rerender

    def part_url(part: str, query: str = "") -> str:
        url = section(request, "course_page", part, slug=slug)
        return url.replace("#", f"?{query}#", 1) if query else url

    return CourseForm(slug, again, part_url)


class CoursePages(Controller):
    include_in_schema = False
    path = "/courses/{slug:str}"

    @get("", name="course_page")
    async def course(
        self,
        request: Request[Any, Any, Any],
        slug: CourseSlug,
        db_session: DbSession,
        engine: NamedDependency[SearchEngine],
        views: NamedDependency[ViewCounter],
        limiter: NamedDependency[Limiter],
        query_ids: NamedDependency[QueryIds],
        recorder: NamedDependency[InsightsRecorder],
    ) -> Template:
        # Arrived from a search result: ``qid`` attributes an add to cart to that search, and
        # ``pos`` (present when no script sent a beacon) records the click.
        token = request.query_params.get("qid")
        searched = query_ids.check(token) if token else None
        page = await _course_page(
            request, db_session, engine, slug, query_id=token if searched else None
        )
        # What another site makes its visitors' browsers load unseen (an image, a frame) is
        # neither a click nor a view.
        if not looked_at(request):
            return page
        if searched is not None:
            position = link_number(request.query_params.get("pos"), 1, MAX_HITS)
            if position is not None:
                course_id = uuid.UUID(page.context["course"].id)
                await recorder.click(searched, course_id, position)
        if not is_bot(request.headers.get("user-agent")):
            day = dt.datetime.now(dt.UTC).date()
            visitor = limiter.subject("course-view", f"{day}|{client_key(request)}")
            await views.record(uuid.UUID(page.context["course"].id), visitor, day)
        return page

    @get("/picture.svg", name="course_picture")
    async def picture(self, slug: CourseSlug, db_session: DbSession) -> Response[str]:
        """The course's drawn picture: the same for the same title and category, so browsers
        and CDNs keep it for a day."""
        return Response(
            await service.course_picture(db_session, slug),
            media_type="image/svg+xml",
            headers={"Cache-Control": "public, max-age=86400"},
        )
