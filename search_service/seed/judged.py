"""Load the hand-written relevance catalog (tests/relevance/catalog.tsv) into PostgreSQL.

Ratings and popularity are given per course; the loader writes review rows whose average is
that rating and a metrics row that gives that popularity, so the indexer computes them as it
does for any catalog.
"""

from __future__ import annotations

import csv
import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import asyncpg

from search_service.seed.courses import slugify
from search_service.seed.vocab_categories import CATEGORY_TREE

FIXTURE_DIR = Path(__file__).resolve().parents[2] / "tests" / "relevance"
NAMESPACE = uuid.UUID("5e1ec7ed-0000-4000-8000-000000000000")


def _id(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}:{key}")


def read_catalog(path: Path = FIXTURE_DIR / "catalog.tsv") -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def review_ratings(average: float, count: int) -> list[int]:
    """``count`` whole-star ratings whose mean is ``average`` (to the nearest review)."""
    low = max(1, min(4, int(average)))
    high_count = round((average - low) * count)
    return [low + 1] * high_count + [low] * (count - high_count)


async def load_catalog(conn: asyncpg.Connection, rows: list[dict[str, str]]) -> int:
    """Write the fixture into an empty, migrated database; returns courses written."""
    now = dt.datetime.now(dt.UTC)
    categories: list[tuple[Any, ...]] = []
    for root, subs in CATEGORY_TREE.items():
        categories.append((_id("cat", slugify(root)), None, root, slugify(root), 0))
        for sub in subs:
            categories.append(
                (_id("cat", slugify(sub)), _id("cat", slugify(root)), sub, slugify(sub), 1)
            )
    await conn.copy_records_to_table(
        "categories", records=categories, columns=("id", "parent_id", "name", "slug", "level")
    )
    mentors = sorted({r["mentor"] for r in rows})
    users = [
        (
            _id("mentor", m),
            f"{slugify(m)}@mentors.test",
            "mentor",
            m.split()[0],
            " ".join(m.split()[1:]),
        )
        for m in mentors
    ]
    reviewers = max(int(r["reviews"]) for r in rows)
    users += [
        (_id("student", str(i)), f"student{i}@students.test", "student", "Student", str(i))
        for i in range(reviewers)
    ]
    await conn.copy_records_to_table(
        "users", records=users, columns=("id", "email", "role", "first_name", "last_name")
    )
    await conn.copy_records_to_table(
        "mentors", records=[(_id("mentor", m),) for m in mentors], columns=("user_id",)
    )
    await conn.copy_records_to_table(
        "students",
        records=[(_id("student", str(i)),) for i in range(reviewers)],
        columns=("user_id",),
    )
    tags = sorted({t for r in rows for t in r["tags"].split(";") if t})
    await conn.copy_records_to_table(
        "course_tags", records=[(_id("tag", t), t) for t in tags], columns=("id", "name")
    )
    courses, links, tag_links, reviews, metrics = [], [], [], [], []
    for r in rows:
        course = _id("course", r["slug"])
        courses.append(
            (
                course,
                _id("mentor", r["mentor"]),
                r["title"],
                r["subtitle"],
                r["slug"],
                r["description"],
                r["language"],
                r["level"],
                "published",
                int(r["price_cents"]),
                "USD",
                now,
            )
        )
        links.append((course, _id("cat", r["category"])))
        tag_links += [(course, _id("tag", t)) for t in r["tags"].split(";") if t]
        for i, stars in enumerate(review_ratings(float(r["rating"]), int(r["reviews"]))):
            reviews.append((course, _id("student", str(i)), stars, True))
        # Popularity is enrollments plus 3 × recent ones: one metrics row carries it.
        metrics.append((course, now.date(), 0, int(r["enrollments"]) // 3))
    await conn.copy_records_to_table(
        "courses",
        records=courses,
        columns=(
            "id",
            "mentor_id",
            "title",
            "subtitle",
            "slug",
            "description",
            "language_code",
            "level",
            "status",
            "list_price_cents",
            "currency",
            "last_updated_at",
        ),
    )
    await conn.copy_records_to_table(
        "course_categories", records=links, columns=("course_id", "category_id")
    )
    await conn.copy_records_to_table(
        "course_tag_map", records=tag_links, columns=("course_id", "tag_id")
    )
    await conn.copy_records_to_table(
        "course_reviews",
        records=reviews,
        columns=("course_id", "student_id", "rating", "is_verified"),
    )
    await conn.copy_records_to_table(
        "course_metrics", records=metrics, columns=("course_id", "date", "views", "enrollments")
    )
    return len(courses)
