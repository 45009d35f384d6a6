"""Users, mentors and students for the demo catalog."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from search_service.seed.vocab_text import FIRST_NAMES, HEADLINES, LAST_NAMES, OCCUPATIONS

USER_COLUMNS = (
    "id",
    "email",
    "password_hash",
    "role",
    "status",
    "first_name",
    "last_name",
    "avatar_url",
    "bio",
    "timezone",
    "created_at",
    "last_login_at",
)
MENTOR_COLUMNS = (
    "user_id",
    "headline",
    "about",
    "experience_years",
    "languages",
    "average_rating",
    "total_reviews",
    "total_students",
)
STUDENT_COLUMNS = ("user_id", "occupation", "goals", "preferred_categories", "resume_url")
TIMEZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "America/Sao_Paulo")


_VERSION_4 = (~(0xC000 << 48) & ~(0xF000 << 64), (0x8000 << 48) | (4 << 76))
# Ids are kept as their text: asyncpg writes text uuids as fast as uuid objects, and text
# crosses from the builder process to the loader many times faster.
Id = str


def new_uuid(rng: random.Random) -> Id:
    """A version-4 UUID drawn from ``rng`` (deterministic for a seed), as text: what
    ``str(uuid.UUID(int=..., version=4))`` gives, without building the object (a seed draws
    millions of them)."""
    keep, mark = _VERSION_4
    h = "%032x" % ((rng.getrandbits(128) & keep) | mark)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass(slots=True)
class MentorInfo:
    id: Id
    name: str
    topic: str
    language: str


def _user_row(
    rng: random.Random,
    user_id: Id,
    email: str,
    role: str,
    first: str,
    last: str,
    now: dt.datetime,
) -> tuple[object, ...]:
    created = now - dt.timedelta(days=30 + rng.random() * 1500)
    status = "active" if rng.random() > 0.02 else rng.choice(("pending", "suspended"))
    return (
        user_id,
        email,
        None,
        role,
        status,
        first,
        last,
        "/static/avatar.svg",
        None,
        TIMEZONES[int(rng.random() * len(TIMEZONES))],
        created,
        None,
    )


def make_mentors(
    rng: random.Random, count: int, topics: list[str], now: dt.datetime
) -> tuple[list[MentorInfo], list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Mentor users and mentor rows; counters are filled in after the engagement rows."""
    infos: list[MentorInfo] = []
    users: list[tuple[object, ...]] = []
    mentors: list[tuple[object, ...]] = []
    languages = ("en",) * 16 + ("es", "de", "fr", "pt", "ja")
    for index in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        user_id = new_uuid(rng)
        topic = topics[int(rng.random() * len(topics))]
        language = languages[int(rng.random() * len(languages))]
        years = 3 + int(rng.random() * 20)
        email = f"mentor{index}@mentors.skillspring.example"
        users.append(_user_row(rng, user_id, email, "mentor", first, last, now))
        headline = rng.choice(HEADLINES).format(topic=topic, years=years)[:180]
        about = f"{first} has worked with {topic} for {years} years and loves teaching it."
        spoken = ["en"] if language == "en" else [language, "en"]
        mentors.append((user_id, headline, about, years, spoken, None, 0, 0))
        infos.append(MentorInfo(user_id, f"{first} {last}", topic, language))
    return infos, users, mentors


def make_students(
    rng: random.Random, count: int, now: dt.datetime
) -> tuple[list[Id], list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Student users and student rows."""
    ids: list[Id] = []
    users: list[tuple[object, ...]] = []
    students: list[tuple[object, ...]] = []
    first_names, last_names = FIRST_NAMES, LAST_NAMES
    for index in range(count):
        user_id = new_uuid(rng)
        first = first_names[int(rng.random() * len(first_names))]
        last = last_names[int(rng.random() * len(last_names))]
        email = f"student{index}@students.skillspring.example"
        users.append(_user_row(rng, user_id, email, "student", first, last, now))
        occupation = OCCUPATIONS[int(rng.random() * len(OCCUPATIONS))]
        students.append((user_id, occupation, None, None, None))
        ids.append(user_id)
    return ids, users, students
