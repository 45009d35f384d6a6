"""What the pages say matches what is true: plurals, new courses, pages past the last one, and
responses compressed for clients that accept it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asyncpg
import jinja2
import pytest

from search_service.app import configure_templates
from search_service.db.connection import asyncpg_dsn
from tests.support.catalogs import Catalog

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
Client = Any


def render(source: str) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES))
    configure_templates(env)  # the app's filters and globals
    return env.from_string(source).render()


def test_star_ratings_say_new_and_use_plurals() -> None:
    macro = '{% from "_macros/course.html.jinja2" import stars %}'
    assert "New" in render(macro + "{{ stars(0.0, 0) }}") and "0.0" not in render(
        macro + "{{ stars(0.0, 0) }}"
    )
    one = render(macro + "{{ stars(4.0, 1) }}")
    assert '1 rating"' in one and "1 ratings" not in one
    assert "2 ratings" in render(macro + "{{ stars(4.0, 2) }}")


async def test_a_page_past_the_last_says_so(api: Client) -> None:
    first = (await api.get("/api/v1/search", params={"q": "python"})).json()
    assert first["total"] > 0
    page = await api.get("/search", params={"q": "python", "page": 999})
    assert page.status_code == 200
    assert "couldn’t find" not in page.text and "past the last one" in page.text
    assert f"page={first['total_pages']}" in page.text


async def test_a_course_nobody_reviewed_is_new(api: Client, shop: Catalog) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(shop.url))
    try:
        slug = await conn.fetchval(
            "SELECT c.slug FROM courses c WHERE c.status = 'published' AND c.deleted_at IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM course_reviews r WHERE r.course_id = c.id) LIMIT 1"
        )
    finally:
        await conn.close()
    if slug is None:
        pytest.skip("every course of this catalog has reviews")
    page = (await api.get(f"/courses/{slug}")).text
    assert 'class="rating rating-new">New<' in page


@pytest.mark.parametrize("path", ["/search?q=python", "/api/v1/search?q=python", "/static/app.css"])
async def test_responses_are_gzipped_when_accepted(api: Client, path: str) -> None:
    plain = await api.get(path, headers={"accept-encoding": "identity"})
    squeezed = await api.get(path, headers={"accept-encoding": "gzip"})
    assert squeezed.headers.get("content-encoding") == "gzip"
    assert "content-encoding" not in plain.headers
    # The client decoded it: the same document (query ids and timings aside), far smaller sent.
    assert abs(len(squeezed.content) - len(plain.content)) < 100
    sent = int(squeezed.headers["content-length"])
    assert sent < len(plain.content) / 2


@pytest.mark.parametrize(
    ("accepted", "coded"),
    [
        ("gzip;q=0", None),
        ("gzip;Q=0", None),  # parameter names are case-insensitive
        ("gzip; q=0.0, identity", None),
        ("br;q=1, gzip;q=0, *;q=0", None),
        ("gzip;q=0.5", "gzip"),
        ("deflate, gzip;q=0.001", "gzip"),
    ],
)
async def test_a_coding_the_client_refuses_is_not_sent(
    api: Client, accepted: str, coded: str | None
) -> None:
    # RFC 9110 12.5.3: q=0 is "not acceptable"; gzip came whenever "gzip" was in the header.
    for path in ("/search?q=python", "/api/v1/categories"):
        got = await api.get(path, headers={"accept-encoding": accepted})
        assert got.status_code == 200 and got.headers.get("content-encoding") == coded, path


async def test_static_files_are_addressed_by_content(api: Client) -> None:
    import hashlib
    import re

    html = (await api.get("/")).text
    css = re.search(r'href="(/static/app\.css\?v=([0-9a-f]{12}))"', html)
    assert css is not None and re.search(r'src="/static/app\.js\?v=[0-9a-f]{12}"', html)
    response = await api.get(css.group(1))
    assert css.group(2) == hashlib.sha256(response.content).hexdigest()[:12]
    cache = response.headers["cache-control"]
    assert "immutable" in cache and "max-age=31536000" in cache


async def test_a_course_for_every_level_says_all_levels(api: Client) -> None:
    """Cards said "· All" and the course page an "All" badge beside "English" ("All English"),
    where the filters say "All levels"."""
    found = (await api.get("/api/v1/search", params={"level": "all", "per_page": 1})).json()
    slug = found["hits"][0]["slug"]
    page = (await api.get(f"/courses/{slug}")).text
    assert '<span class="badge level">All levels</span>' in page
    cards = (await api.get("/search", params={"level": "all"})).text
    assert "lectures · All levels" in cards and "lectures · All<" not in cards


async def test_a_section_s_length_reads_in_hours_and_no_vote_says_nobody(
    api: Client, db: Any
) -> None:
    """Sections read "196 min", and every new review "0 people found this helpful"."""
    slug = await db.fetchval(
        "SELECT c.slug FROM courses c JOIN course_sections s ON s.course_id = c.id "
        "JOIN course_reviews r ON r.course_id = c.id WHERE c.status = 'published' "
        "AND s.total_duration_minutes > 60 AND s.total_duration_minutes % 60 > 0 "
        "AND r.helpful_count = 0 AND r.body IS NOT NULL LIMIT 1"
    )
    minutes = await db.fetchval(
        "SELECT s.total_duration_minutes FROM course_sections s JOIN courses c "
        "ON c.id = s.course_id WHERE c.slug = $1 AND s.total_duration_minutes > 60 "
        "AND s.total_duration_minutes % 60 > 0 LIMIT 1",
        slug,
    )
    page = (await api.get(f"/courses/{slug}")).text
    assert f"· {minutes // 60} hr {minutes % 60} min</span></summary>" in page
    assert "0 people found this helpful" not in page
