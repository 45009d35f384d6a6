"""Every course has a picture: its own, or one drawn from its category and title."""

from __future__ import annotations

from typing import Any

import asyncpg

Client = Any


async def test_a_drawn_picture_per_course_differs_across_categories(
    browser: Client, db: asyncpg.Connection
) -> None:
    hits = (await browser.get("/api/v1/search", params={"per_page": 50})).json()["hits"]
    drawn = [h for h in hits if h["image_url"].endswith("/picture.svg")]
    assert drawn, "seeded courses have no picture of their own"
    pictures = set()
    for hit in drawn[:12]:
        got = await browser.get(hit["image_url"])
        assert got.status_code == 200 and got.headers["content-type"].startswith("image/svg+xml")
        assert "max-age" in got.headers["cache-control"]
        pictures.add(got.text.split("<text", 1)[0])  # the colours, without the title
    assert len(pictures) > 1


async def test_a_title_is_escaped_in_its_picture(browser: Client, db: asyncpg.Connection) -> None:
    slug = await db.fetchval(
        "SELECT slug FROM courses WHERE status = 'published' AND deleted_at IS NULL LIMIT 1"
    )
    title = await db.fetchval("SELECT title FROM courses WHERE slug = $1", slug)
    await db.execute(
        "UPDATE courses SET title = $2 WHERE slug = $1", slug, '<script>x</script> & "A"'
    )
    try:
        svg = (await browser.get(f"/courses/{slug}/picture.svg")).text
    finally:
        await db.execute("UPDATE courses SET title = $2 WHERE slug = $1", slug, title)
    assert "<script>" not in svg and "&lt;script&gt;" in svg


async def test_no_picture_for_a_draft_or_nothing(browser: Client, db: asyncpg.Connection) -> None:
    draft = await db.fetchval("SELECT slug FROM courses WHERE status = 'draft' LIMIT 1")
    if draft:
        assert (await browser.get(f"/courses/{draft}/picture.svg")).status_code == 404
    assert (await browser.get("/courses/no-such-course/picture.svg")).status_code == 404


async def test_the_favicon_is_there(browser: Client) -> None:
    got = await browser.get("/favicon.ico")
    assert got.status_code == 301 and "/static/favicon.svg" in got.headers["location"]
    icon = await browser.get(got.headers["location"])
    assert icon.status_code == 200 and icon.text.startswith("<svg")
    assert '<link rel="icon"' in (await browser.get("/")).text
