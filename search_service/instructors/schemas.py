"""An instructor as shoppers see them."""

from __future__ import annotations

import msgspec

from search_service.catalog.schemas import CourseCard


class InstructorOut(msgspec.Struct, kw_only=True):
    id: str
    slug: str
    url: str
    name: str
    headline: str
    about: str
    experience_years: int | None
    rating: float | None
    reviews: int
    students: int
    course_count: int
    page: int  # which page of their courses ``courses`` is
    per_page: int
    total_pages: int
    courses: list[CourseCard]
