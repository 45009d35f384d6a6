"""The course-detail API: content, visibility, query budget, reviews, questions, related."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import asyncpg
import pytest
from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin
from sqlalchemy import event

from search_service.db.connection import asyncpg_dsn
from tests.support.catalogs import Catalog

Client = Any


@contextlib.contextmanager
def count_queries(api: Client) -> Iterator[list[str]]:
    statements: list[str] = []
    # Ask the plugin: its app-state key gets a suffix when a process builds several apps.
    engine = api.app.plugins.get(SQLAlchemyPlugin).config[0].get_engine().sync_engine

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
async def course(shop: Catalog) -> dict[str, Any]:
    """A published course with reviews, questions and a subcategory."""
    conn = await asyncpg.connect(asyncpg_dsn(shop.url))
    row = await conn.fetchrow(
        "SELECT c.id, c.slug, c.lecture_count, c.total_duration_minutes FROM courses c "
        "WHERE c.status = 'published' AND c.deleted_at IS NULL "
        "AND (SELECT count(*) FROM course_reviews r WHERE r.course_id = c.id) >= 4 "
        "AND EXISTS (SELECT 1 FROM course_questions q WHERE q.course_id = c.id) "
        "ORDER BY c.id LIMIT 1"
    )
    reviews = await conn.fetch("SELECT rating FROM course_reviews WHERE course_id = $1", row["id"])
    hidden = await conn.fetch(
        "SELECT DISTINCT ON (status, deleted_at IS NULL) slug FROM courses "
        "WHERE status <> 'published' OR deleted_at IS NOT NULL"
    )
    await conn.close()
    return {
        **dict(row),
        "ratings": [r["rating"] for r in reviews],
        "hidden": [h["slug"] for h in hidden],
    }


async def test_detail_has_everything_in_three_queries(api: Client, course: dict[str, Any]) -> None:
    with count_queries(api) as statements:
        response = await api.get(f"/api/v1/courses/{course['slug']}")
    assert response.status_code == 200, response.text
    assert len(statements) <= 3, statements
    body = response.json()
    assert body["slug"] == course["slug"] and body["url"] == f"/courses/{course['slug']}"
    assert body["lecture_count"] == course["lecture_count"]
    assert sum(s["lecture_count"] for s in body["curriculum"]) == course["lecture_count"]
    assert (
        sum(s["duration_minutes"] for s in body["curriculum"]) == (course["total_duration_minutes"])
    )
    positions = [s["position"] for s in body["curriculum"]]
    assert positions == sorted(positions)
    for section in body["curriculum"]:
        for lecture in section["lectures"]:
            # Previews are offered only where their media can be played: the demo
            # catalog's media host (media.skillspring.example) cannot serve anything.
            assert lecture["video_url"] is None
    rating = body["rating"]
    assert rating["count"] == len(course["ratings"])
    assert [b["stars"] for b in rating["distribution"]] == [5, 4, 3, 2, 1]
    assert [b["count"] for b in rating["distribution"]] == [
        course["ratings"].count(s) for s in (5, 4, 3, 2, 1)
    ]
    assert rating["average"] == round(sum(course["ratings"]) / len(course["ratings"]), 1)
    assert len(body["top_reviews"]) == 3
    helpful = [r["helpful_count"] for r in body["top_reviews"]]
    assert helpful == sorted(helpful, reverse=True)
    assert [c["url"].count("/") for c in body["breadcrumb"]] == [2, 3]
    mentor = body["mentor"]
    assert mentor["name"] and mentor["course_count"] >= 1
    assert body["objectives"] and body["prerequisites"]
    price = body["price"]
    assert price["effective_cents"] <= price["list_cents"]


async def test_hidden_courses_are_404(api: Client, course: dict[str, Any]) -> None:
    assert len(course["hidden"]) >= 3  # draft, submitted, archived and/or deleted
    for slug in course["hidden"]:
        for suffix in ("", "/reviews", "/questions", "/related"):
            response = await api.get(f"/api/v1/courses/{slug}{suffix}")
            assert response.status_code == 404, (slug, suffix)
            assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    ("sort", "key", "descending"),
    [
        ("highest", "rating", True),
        ("lowest", "rating", False),
        ("recent", "created_at", True),
        ("helpful", "helpful_count", True),
    ],
)
async def test_reviews_sorted(
    api: Client, course: dict[str, Any], sort: str, key: str, descending: bool
) -> None:
    body = (await api.get(f"/api/v1/courses/{course['slug']}/reviews?sort={sort}")).json()
    values = [r[key] for r in body["items"]]
    assert values == sorted(values, reverse=descending)
    assert body["total"] == len(course["ratings"])


async def test_reviews_by_rating_and_page(api: Client, course: dict[str, Any]) -> None:
    stars = course["ratings"][0]
    body = (await api.get(f"/api/v1/courses/{course['slug']}/reviews?rating={stars}")).json()
    assert body["total"] == course["ratings"].count(stars)
    assert {r["rating"] for r in body["items"]} == {stars}
    beyond = (await api.get(f"/api/v1/courses/{course['slug']}/reviews?page=99")).json()
    assert beyond["items"] == [] and beyond["total"] == len(course["ratings"])  # still said


async def test_questions_have_answers_solution_first(api: Client, course: dict[str, Any]) -> None:
    body = (await api.get(f"/api/v1/courses/{course['slug']}/questions")).json()
    assert body["total"] >= 1
    for question in body["items"]:
        flags = [a["is_marked_solution"] for a in question["answers"]]
        assert flags == sorted(flags, reverse=True)


async def test_related_courses(api: Client, course: dict[str, Any]) -> None:
    response = await api.get(f"/api/v1/courses/{course['slug']}/related")
    assert response.status_code == 200
    related = response.json()
    assert 1 <= len(related) <= 8
    assert course["slug"] not in {c["slug"] for c in related}
    assert len({c["slug"] for c in related}) == len(related)


@pytest.mark.parametrize(
    ("path", "param", "allowed"),
    [
        ("/api/v1/courses/Bad%20Slug", "slug", "lower-case letters, digits and hyphens"),
        ("/api/v1/courses/x/reviews?sort=best", "sort", "recent, helpful, highest or lowest"),
        ("/api/v1/courses/x/reviews?rating=6", "rating", "only reviews of N stars"),
        ("/api/v1/courses/x/reviews?page=0", "page", "a whole number from 1 to 10,000"),
        ("/api/v1/courses/x/questions?page=abc", "page", "a whole number from 1 to 10,000"),
    ],
)
async def test_bad_input_is_400_naming_what_this_endpoint_allows(
    api: Client, path: str, param: str, allowed: str
) -> None:
    response = await api.get(path)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["detail"].startswith(f"Invalid value for {param}: ")
    assert allowed in body["detail"]
    assert [p["name"] for p in body["invalid_params"]] == [param]
    assert allowed in body["invalid_params"][0]["allowed"]
    # Not another endpoint's vocabulary (the catalog's sort keys, say).
    assert "most_reviewed" not in response.text
