"""One course with its categories, tags, curriculum and media rows."""

from __future__ import annotations

import bisect
import datetime as dt
import random
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import msgspec

from search_service.seed.batch import Batch
from search_service.seed.people import Id, MentorInfo, new_uuid
from search_service.seed.vocab_text import (
    DESCRIPTION_SENTENCES,
    LECTURE_TITLES,
    OBJECTIVES,
    PREREQUISITES,
    SECTION_TITLES,
    SUBTITLES,
    TITLE_TEMPLATES,
)

LEVELS = ("beginner",) * 4 + ("intermediate",) * 3 + ("advanced",) * 2 + ("all",) * 3
LANGUAGES = ("en",) * 14 + ("es", "de", "fr", "pt", "ja")
PRICES = (1999, 2999, 4999, 4999, 8499, 9999, 9999, 12999, 19999)
# (content type, cumulative probability, min minutes, span minutes)
LECTURE_KINDS = (
    ("video", 0.70, 3, 18),
    ("article", 0.82, 2, 7),
    ("quiz", 0.90, 5, 6),
    ("assignment", 0.95, 10, 21),
    ("download", 1.0, 1, 2),
)
_KIND_THRESHOLDS = [share for _, share, _, _ in LECTURE_KINDS]
MEDIA_URL = "https://media.skillspring.example"
# Demo courses show the image the service bundles, so pages look right without a media host.
THUMBNAIL = "/static/thumbnail.svg"
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """ASCII, lower-case, hyphen-separated; empty for text with no Latin letters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NON_SLUG.sub("-", ascii_text.lower()).strip("-")


@dataclass(slots=True)
class CourseFacts:
    """What the engagement generator needs to know about a course."""

    id: Id
    mentor: MentorInfo
    topic: str
    status: str
    price_cents: int
    quality: float
    created_at: dt.datetime
    first_lecture_ids: list[Id]


@dataclass(slots=True)
class Topic:
    name: str
    tag_ids: list[Id]
    category_id: Id


class SlugRegistry:
    """Hands out unique slugs: ``title``, then ``title-2``, ``title-3``…; and titles no other
    course of the same mentor has."""

    def __init__(self) -> None:
        self._used: dict[str, int] = {}
        self._titles: set[tuple[Id, str]] = set()

    def title(self, mentor: Id, candidates: Sequence[str], start: int) -> str:
        """``candidates[start]``, or the next candidate the mentor has not used, or the first
        with a part number: a mentor never has two courses of one title."""
        ordered = [*candidates[start:], *candidates[:start]]
        chosen = next((t for t in ordered if (mentor, t) not in self._titles), None)
        part = 2
        while chosen is None:
            numbered = f"{ordered[0]}: Part {part}"
            chosen = numbered if (mentor, numbered) not in self._titles else None
            part += 1
        self._titles.add((mentor, chosen))
        return chosen

    def claim(self, title: str, fallback: str) -> str:
        base = (slugify(title) or fallback)[:170].strip("-")
        count = self._used.get(base, 0) + 1
        self._used[base] = count
        return base if count == 1 else f"{base}-{count}"


def _status(roll: float) -> tuple[str, bool]:
    """(status, soft deleted): mostly published, some of every other state."""
    if roll < 0.92:
        return "published", False
    if roll < 0.95:
        return "draft", False
    if roll < 0.97:
        return "submitted", False
    return "archived", roll >= 0.99


def _curriculum(
    rng: random.Random, batch: Batch, course_id: Id, topic: str, level: str
) -> tuple[int, int, list[Id]]:
    """Sections and lectures; returns (total minutes, lecture count, preview lecture ids)."""
    sections = 3 + int(rng.random() * (4 if level == "beginner" else 8))
    # Short workshops to multi-day bootcamps: every duration bucket gets courses.
    stretch = (0.3, 0.6, 1.0, 1.0, 1.5, 2.5, 4.0)[int(rng.random() * 7)]
    total_minutes = total_lectures = 0
    previews: list[Id] = []
    lecture_rows, section_rows = batch.rows["lectures"], batch.rows["course_sections"]
    for position in range(sections):
        section_id = new_uuid(rng)
        section_title = SECTION_TITLES[position % len(SECTION_TITLES)].format(t=topic)
        count = 2 + int(rng.random() * 5)
        minutes = 0
        for lecture_position in range(count):
            roll = rng.random()
            kind, _, low, span = LECTURE_KINDS[bisect.bisect_left(_KIND_THRESHOLDS, roll)]
            duration = max(1, int((low + int(rng.random() * span)) * stretch))
            lecture_id = new_uuid(rng)
            preview = (position == 0 and lecture_position == 0) or roll < 0.03
            if preview:
                previews.append(lecture_id)
            names = LECTURE_TITLES[kind]
            title = f"{section_title}: {names[lecture_position % len(names)]}"[:160]
            video = f"{MEDIA_URL}/v/{lecture_id}.mp4" if kind == "video" else None
            resource = f"{MEDIA_URL}/r/{lecture_id}.zip" if kind == "download" else None
            lecture_rows.append(
                (
                    lecture_id,
                    section_id,
                    title,
                    lecture_position,
                    kind,
                    duration,
                    video,
                    resource,
                    preview,
                    "published",
                )
            )
            minutes += duration
        section_rows.append((section_id, course_id, section_title, position, minutes, count))
        total_minutes += minutes
        total_lectures += count
    return total_minutes, total_lectures, previews


def make_course(
    rng: random.Random,
    batch: Batch,
    slugs: SlugRegistry,
    mentor: MentorInfo,
    topic: Topic,
    now: dt.datetime,
) -> CourseFacts:
    """Append one course's catalog rows to ``batch``."""
    course_id = new_uuid(rng)
    own = mentor.language != "en" and rng.random() < 0.7
    language = mentor.language if own else LANGUAGES[int(rng.random() * len(LANGUAGES))]
    level = LEVELS[int(rng.random() * len(LEVELS))]
    templates = TITLE_TEMPLATES[language][level]
    titles = [template.format(t=topic.name)[:140] for template in templates]
    title = slugs.title(mentor.id, titles, int(rng.random() * len(templates)))
    subtitles = SUBTITLES[language]
    subtitle = subtitles[int(rng.random() * len(subtitles))].format(t=topic.name)[:220]
    picks = rng.sample(DESCRIPTION_SENTENCES, 4)
    description = " ".join(s.format(t=topic.name) for s in picks)
    status, deleted = _status(rng.random())
    free = rng.random() < 0.08
    list_price = 0 if free else PRICES[int(rng.random() * len(PRICES))]
    sale = None
    if not free and rng.random() < 0.4:
        sale = max(999, int(list_price * (0.1 + rng.random() * 0.4)) // 100 * 100 + 99)
        sale = min(sale, list_price)
    created = now - dt.timedelta(days=60 + rng.random() * 1400)
    updated = created + (now - created) * rng.random()
    minutes, lectures, previews = _curriculum(rng, batch, course_id, topic.name, level)
    meta = {
        "objectives": [o.format(t=topic.name) for o in rng.sample(OBJECTIVES, 4)],
        "prerequisites": [p.format(t=topic.name) for p in rng.sample(PREREQUISITES, 2)],
    }
    slug = slugs.claim(title, slugify(topic.name) or "course")
    batch.rows["courses"].append(
        (
            course_id,
            mentor.id,
            title,
            subtitle,
            slug,
            description,
            language,
            level,
            status,
            list_price,
            sale,
            "USD",
            minutes,
            lectures,
            updated,
            f"{MEDIA_URL}/hero/{course_id}.mp4",
            THUMBNAIL,
            False,
            msgspec.json.encode(meta).decode(),
            created,
            updated if deleted else None,
        )
    )
    batch.rows["course_categories"].append((course_id, topic.category_id))
    batch.rows["course_tag_map"].extend((course_id, t) for t in topic.tag_ids)
    batch.rows["media_assets"].append(
        (
            new_uuid(rng),
            course_id,
            "image",
            f"{MEDIA_URL}/thumbs/{course_id}.jpg",
            None,
            40_000 + int(rng.random() * 200_000),
            "ready",
        )
    )
    quality = rng.betavariate(5, 2)
    price = sale if sale is not None else list_price
    return CourseFacts(course_id, mentor, topic.name, status, price, quality, created, previews)
