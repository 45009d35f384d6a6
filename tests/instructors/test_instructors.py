"""Instructor pages: linked from course pages, cards and suggestions; searching a mentor's
name shows the instructor first."""

from __future__ import annotations

import re
from typing import Any

import asyncpg

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
    assert page.text.count('class="course-card"') == mentor["courses"]
    api = (await browser.get("/api/v1" + link.group(1))).json()
    assert api["name"] == name and api["course_count"] == mentor["courses"]


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
