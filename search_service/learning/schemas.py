"""What the learning pages show."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import msgspec


class LectureItem(msgspec.Struct, kw_only=True):
    id: str
    title: str
    content_type: str
    duration_minutes: int
    url: str | None  # its video or resource, when it has one that can be opened
    done: bool


class SectionItem(msgspec.Struct, kw_only=True):
    title: str
    lectures: list[LectureItem]


class OwnedCourse(msgspec.Struct, kw_only=True):
    """A course the student bought, as "My learning" lists it."""

    slug: str
    title: str
    mentor_name: str
    mentor_url: str  # the instructor's page
    image_url: str
    progress_percent: Decimal
    purchased_at: dt.datetime | None
    completed_at: dt.datetime | None
    last_lecture: str | None  # the title of the lecture last marked
    listed: bool  # still published: its course page can be opened
    reviewed: bool = False  # the student has reviewed it


class Learning(msgspec.Struct, kw_only=True):
    """One owned course as its student works through it."""

    slug: str
    title: str
    mentor_name: str
    mentor_url: str  # the instructor's page
    image_url: str
    progress_percent: Decimal
    completed_at: dt.datetime | None
    resume_at: str | None  # the lecture to continue with
    sections: list[SectionItem]


class ProgressOut(msgspec.Struct, kw_only=True):
    progress_percent: Decimal
    completed_at: dt.datetime | None
    last_watched_lecture: str


class LectureDone(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A lecture marked complete (``done``, the default) or not complete."""

    lecture_id: str
    done: bool = True
