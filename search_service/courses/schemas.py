"""Response shapes of the course-detail API."""

from __future__ import annotations

import datetime as dt

import msgspec

from search_service.catalog.schemas import CourseCard, Crumb, Price
from search_service.reviews.schemas import RatingSummary, ReviewItem


class MentorCard(msgspec.Struct, kw_only=True):
    id: str
    name: str
    url: str  # the instructor's page
    avatar_url: str | None
    headline: str
    average_rating: float | None
    total_reviews: int
    total_students: int
    course_count: int


class LectureItem(msgspec.Struct, kw_only=True):
    title: str
    content_type: str
    duration_minutes: int
    is_preview: bool
    video_url: str | None  # only for free-preview lectures whose media can be played


class SectionItem(msgspec.Struct, kw_only=True):
    title: str
    position: int
    lecture_count: int
    duration_minutes: int
    lectures: list[LectureItem]


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
    image_url: str  # its own picture, or one drawn from its category
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


class AlsoBoughtOut(msgspec.Struct, kw_only=True):
    """Courses the students who bought this one also bought, strongest co-purchase first."""

    courses: list[CourseCard]
