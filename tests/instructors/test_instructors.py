"""Instructor pages: linked from course pages, cards and suggestions; searching a mentor's
name shows the instructor first."""

from __future__ import annotations

import re
import uuid
from typing import Any

import asyncpg
import pytest

from search_service.instructors.pages import PER_PAGE
from tests.support.shoppers import auth, student

Client = Any


async def _a_mentor(db: asyncpg.Connection) -> asyncpg.Record:
    return await db.fetchrow(
        "SELECT u.id, u.first_name, u.last_name, count(*) AS courses FROM courses c "
        "JOIN users u ON u.id = c.mentor_id WHERE c.status = 'published' "
        "AND c.deleted_at IS NULL GROUP BY u.id ORDER BY count(*) DESC, u.id LIMIT 1"
    )


async def test_a_course_page_links_its_instructor_whose_page_lists_their_courses(
    browser: Client, db: asyncpg.Connection
) -> None:
    mentor = await _a_mentor(db)
    slug = await db.fetchval(
        "SELECT slug FROM courses WHERE mentor_id = $1 AND status = 'published' LIMIT 1",
        mentor["id"],
    )
    course = (await browser.get(f"/courses/{slug}")).text
    link = re.search(r'Created by <a href="(/instructors/[^"]+)"', course)
    assert link, "the course page links its instructor"
    page = await browser.get(link.group(1))
    assert page.status_code == 200
    name = f"{mentor['first_name']} {mentor['last_name']}"
    assert f">{name}</h1>" in page.text
    assert page.text.count('class="course-card"') == min(mentor["courses"], PER_PAGE)
    api = (await browser.get("/api/v1" + link.group(1))).json()
    assert api["name"] == name and api["course_count"] == mentor["courses"]
    assert len(api["courses"]) == mentor["courses"], "the API's page holds up to 48"


async def test_an_instructor_s_courses_come_in_pages(
    browser: Client, db: asyncpg.Connection
) -> None:
    """Twelve courses a page, every course on exactly one page; the API pages the same way;
    a page that is not a number is a 400, a page past the last says where they end."""
    mentor = await _a_mentor(db)
    if mentor["courses"] <= 2:
        pytest.fail("the test catalog has no mentor with three courses or more")
    path = f"/instructors/{await _slug(browser, mentor)}"
    per_page = 2
    seen: list[str] = []
    pages = -(-mentor["courses"] // per_page)
    for n in range(1, pages + 1):
        got = await browser.get(f"/api/v1{path}", params={"page": n, "per_page": per_page})
        body = got.json()
        assert body["page"] == n and body["total_pages"] == pages
        seen += [c["id"] for c in body["courses"]]
    assert len(seen) == len(set(seen)) == mentor["courses"]
    for bad in ("0", "x", "10001"):
        answer = await browser.get(f"/api/v1{path}", params={"page": bad})
        assert answer.status_code == 400, bad
        assert answer.headers["content-type"].startswith("application/problem+json")
    assert (await browser.get(f"/api/v1{path}", params={"per_page": 49})).status_code == 400
    html = await browser.get(path)
    assert mentor["courses"] > PER_PAGE, "the test catalog's busiest mentor fills two pages"
    assert html.text.count('class="course-card"') == PER_PAGE
    assert 'aria-label="Pages of courses"' in html.text
    assert f'href="{path}?page=2#courses"' in html.text
    bad_page = await browser.get(path, params={"page": "x"})
    assert bad_page.status_code == 400 and 'class="site-header"' in bad_page.text
    past = await browser.get(path, params={"page": 500})
    assert past.status_code == 200 and 'class="course-card"' not in past.text
    assert f'href="{path}#courses">Back to the first page' in past.text


async def _slug(browser: Client, mentor: asyncpg.Record) -> str:
    name = f"{mentor['first_name']} {mentor['last_name']}"
    found = (await browser.get("/api/v1/search", params={"q": name})).json()
    return str(found["instructor"]["url"]).removeprefix("/instructors/")


async def test_an_instructor_s_most_popular_courses_come_first(
    browser: Client, db: asyncpg.Connection
) -> None:
    """After the bestsellers, the latest updated came first: a course of 137 reviews was not
    on the first page, which opened with one of 5. Now by students, as Udemy orders them."""
    mentor = await _a_mentor(db)
    path = f"/api/v1/instructors/{await _slug(browser, mentor)}"
    shown = (await browser.get(path)).json()["courses"]
    students = {
        str(r["id"]): r["n"]
        for r in await db.fetch(
            "SELECT c.id, count(e.id) AS n, c.is_bestseller FROM courses c "
            "LEFT JOIN enrollments e ON e.course_id = c.id WHERE c.mentor_id = $1 "
            "GROUP BY c.id",
            mentor["id"],
        )
    }
    bestsellers = [c for c in shown if c["is_bestseller"]]
    rest = [students[c["id"]] for c in shown[len(bestsellers) :]]
    assert shown[: len(bestsellers)] == bestsellers
    assert rest == sorted(rest, reverse=True) and len(set(rest)) > 1, rest


async def test_an_unknown_instructor_is_a_404(browser: Client) -> None:
    assert (await browser.get("/instructors/nobody-000000000000")).status_code == 404
    assert (await browser.get("/api/v1/instructors/nobody-000000000000")).status_code == 404


async def test_searching_a_mentors_name_shows_the_instructor_first(
    browser: Client, db: asyncpg.Connection
) -> None:
    mentor = await _a_mentor(db)
    name = f"{mentor['first_name']} {mentor['last_name']}"
    body = (await browser.get("/api/v1/search", params={"q": name})).json()
    assert body["instructor"]["name"] == name
    assert body["instructor"]["url"].startswith("/instructors/")
    page = (await browser.get("/search", params={"q": name})).text
    assert 'class="instructor-match"' in page
    cards = (await browser.get("/search", params={"q": "python"})).text
    assert 'class="mentor"><a href="/instructors/' in cards


async def test_an_instructor_s_rating_is_their_reviews_mean_rounded_once(
    browser: Client, db: asyncpg.Connection
) -> None:
    """47 reviews of one mentor's courses adding up to 195 stars: a mean of 4.149, shown
    4.1 on their page and in the API, never 4.15 rounded again to 4.2."""
    mentor = await _a_mentor(db)
    course = await db.fetchrow(
        "SELECT id, slug FROM courses WHERE mentor_id = $1 AND status = 'published' "
        "AND deleted_at IS NULL ORDER BY id LIMIT 1",
        mentor["id"],
    )
    await db.execute(
        "DELETE FROM course_reviews r USING courses c WHERE c.id = r.course_id "
        "AND c.mentor_id = $1",
        mentor["id"],
    )
    for rating in [5] * 6 + [4] * 40:
        who = await student(db)
        await db.execute(
            "INSERT INTO course_reviews (course_id, student_id, rating) VALUES ($1, $2, $3)",
            course["id"],
            uuid.UUID(who["id"]),
            rating,
        )
    last = await student(db)
    await db.execute(
        "INSERT INTO enrollments (course_id, student_id) VALUES ($1, $2)",
        course["id"],
        uuid.UUID(last["id"]),
    )
    written = await browser.post(
        f"/api/v1/courses/{course['slug']}/reviews",
        json={"rating": 5, "body": "Clear explanations and useful projects throughout."},
        headers=auth(last),
    )
    assert written.status_code == 201, written.text
    path = f"/instructors/{await _slug(browser, mentor)}"
    api = (await browser.get(f"/api/v1{path}")).json()
    assert (api["reviews"], api["rating"]) == (47, 4.1)
    assert "<dd>4.1 ★</dd>" in (await browser.get(path)).text


async def test_an_instructor_without_a_picture_is_shown_by_initials_everywhere(
    browser: Client, db: asyncpg.Connection
) -> None:
    """The course page showed the grey silhouette where the instructor page and the search
    card show the initials."""
    mentor = await _a_mentor(db)
    await db.execute(
        "UPDATE users SET avatar_url = '/static/avatar.svg' WHERE id = $1", mentor["id"]
    )
    slug = await db.fetchval(
        "SELECT slug FROM courses WHERE mentor_id = $1 AND status = 'published' LIMIT 1",
        mentor["id"],
    )
    page = (await browser.get(f"/courses/{slug}")).text
    card = page.split('id="mentor"', 1)[1].split("</section>", 1)[0]
    initials = f"{mentor['first_name'][0]}{mentor['last_name'][0]}".upper()
    assert f'<span class="avatar" aria-hidden="true">{initials}</span>' in card
    assert "avatar.svg" not in card
