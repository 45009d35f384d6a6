"""Response shapes of the course-detail API."""

from __future__ import annotations

import datetime as dt

import msgspec

from search_service.catalog.schemas import Price


class MentorCard(msgspec.Struct, kw_only=True):
    id: str
    name: str
    avatar_url: str | None
    headline: str
    average_rating: float | None
    total_reviews: int
    total_students: int
    course_count: int


class Crumb(msgspec.Struct, kw_only=True):
    name: str
    url: str


class LectureItem(msgspec.Struct, kw_only=True):
    title: str
    content_type: str
    duration_minutes: int
    is_preview: bool
    video_url: str | None  # only for free-preview lectures


class SectionItem(msgspec.Struct, kw_only=True):
    title: str
    position: int
    lecture_count: int
    duration_minutes: int
    lectures: list[LectureItem]


class StarBar(msgspec.Struct, kw_only=True):
    stars: int
    count: int
    percent: int


class RatingSummary(msgspec.Struct, kw_only=True):
    average: float
    count: int
    distribution: list[StarBar]  # 5 stars first


class ReviewItem(msgspec.Struct, kw_only=True):
    id: str
    rating: int
    title: str | None
    body: str | None
    author: str
    is_verified: bool
    helpful_count: int
    would_recommend: bool | None
    created_at: dt.datetime


class CourseDetail(msgspec.Struct, kw_only=True):
    id: str
    slug: str
    url: str
    title: str
    subtitle: str
    description: str
    language_code: str
    level: str
    is_bestseller: bool
    last_updated_at: dt.datetime | None
    thumbnail_url: str | None
    hero_video_url: str | None
    lecture_count: int
    duration_minutes: int
    mentor: MentorCard
    breadcrumb: list[Crumb]
    tags: list[str]
    objectives: list[str]
    prerequisites: list[str]
    curriculum: list[SectionItem]
    rating: RatingSummary
    top_reviews: list[ReviewItem]
    price: Price


class ReviewPage(msgspec.Struct, kw_only=True):
    total: int
    page: int
    per_page: int
    items: list[ReviewItem]


class AnswerItem(msgspec.Struct, kw_only=True):
    id: str
    answer: str
    mentor_name: str
    is_marked_solution: bool
    created_at: dt.datetime


class QuestionItem(msgspec.Struct, kw_only=True):
    id: str
    question: str
    author: str
    created_at: dt.datetime
    resolved_at: dt.datetime | None
    answers: list[AnswerItem]  # the solution first


class QuestionPage(msgspec.Struct, kw_only=True):
    total: int
    page: int
    per_page: int
    items: list[QuestionItem]
