"""Server-rendered pages over the real index and database (no browser: see test_browser.py)."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from search_service.db.connection import asyncpg_dsn

Client = Any


async def page(api: Client, path: str, status: int = 200) -> str:
    response = await api.get(path, headers={"accept": "text/html"})
    assert response.status_code == status, (path, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    return str(response.text)


async def a_course(api: Client) -> dict[str, Any]:
    return (await api.get("/api/v1/search?q=kubernetes")).json()["hits"][0]  # type: ignore[no-any-return]


async def test_home(api: Client) -> None:
    html = await page(api, "/")
    assert 'role="search"' in html
    assert html.count('href="/categories/') >= 15
    assert "Bestsellers" in html


async def test_search_page_has_facets_chips_and_status(api: Client) -> None:
    html = await page(api, "/search?q=kubernetes&level=beginner&level=all")
    assert html.count("<fieldset") >= 7 and html.count("<legend>") >= 7
    assert 'role="status"' in html
    assert re.search(r'name="level" value="beginner" checked', html)
    assert 'aria-label="Remove filter Beginner"' in html
    assert 'href="/search?q=kubernetes"' in html  # clear all keeps the query
    assert "<mark>" in html


async def test_every_facet_control_is_labelled(api: Client) -> None:
    html = await page(api, "/search")
    ids = re.findall(r'<input type="(?:checkbox|radio)" id="([^"]+)"', html)
    assert ids
    for control in ids:
        assert f'<label for="{control}">' in html, control
    assert '<label for="sort">' in html and '<label for="site-q"' in html


async def test_pagination_links(api: Client) -> None:
    html = await page(api, "/search?sort=newest")
    assert 'aria-current="page"' in html
    assert 'href="/search?sort=newest&amp;page=2"' in html


async def test_zero_results_page_helps(api: Client) -> None:
    html = await page(api, "/search?q=zzqqxx+qqzzyy")
    assert "We couldn’t find a match" in html
    assert "Browse all courses" in html


async def test_category_pages(api: Client) -> None:
    html = await page(api, "/categories/development")
    assert "<h1>Development</h1>" in html
    assert "Subcategory" in html and 'aria-label="Breadcrumb"' in html
    assert 'aria-label="Remove filter Development"' not in html  # the path fixes it
    sub = await page(api, "/categories/development/web-development")
    assert "<h1>Web Development</h1>" in sub
    await page(api, "/categories/development/photography", status=404)
    await page(api, "/categories/nothing-here", status=404)


async def test_course_page(api: Client) -> None:
    hit = await a_course(api)
    html = await page(api, f"/courses/{hit['slug']}")
    assert f"<h1>{hit['title']}</h1>" in html
    # The configured public address, whatever Host the request named.
    assert f'<link rel="canonical" href="http://127.0.0.1:8000/courses/{hit["slug"]}">' in html
    forged = (await api.get(f"/courses/{hit['slug']}", headers={"host": "evil.example"})).text
    assert "evil.example" not in forged
    assert '<meta name="description" content="' in html
    ld = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )  # type: ignore[union-attr]
    assert ld["@type"] == "Course" and ld["name"] == hit["title"]
    assert '<details class="section"' in html and "<summary>" in html
    assert "What you’ll learn" in html and "Requirements" in html
    assert "Your instructor" in html and "Student feedback" in html


async def test_error_pages_match_the_site(api: Client) -> None:
    html = await page(api, "/courses/no-such-course", status=404)
    assert "We can’t find that page" in html and 'class="site-header"' in html
    html = await page(api, "/search?level=expert", status=400)
    assert "isn’t right" in html and "level" in html
    html = await page(api, "/search?page=0", status=400)
    assert "page" in html


BROWSER = {"user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/150.0"}


async def test_course_views_count_once_per_visitor_in_batches(
    api: Client, indexed_catalog: tuple[str, Path]
) -> None:
    hit = await a_course(api)
    course_id = uuid.UUID(hit["id"])
    conn = await asyncpg.connect(asyncpg_dsn(indexed_catalog[0]))
    query = (
        "SELECT coalesce(sum(views), 0) FROM course_metrics "
        "WHERE course_id = $1 AND date = (now() AT TIME ZONE 'utc')::date"
    )
    before = await conn.fetchval(query, course_id)
    views = api.app.state.views
    # Only the batches under test write: the counter's every-5-seconds flush is held off (it
    # would otherwise write the pending visit whenever it happened to fall mid-test).
    periodic = views._every.job
    views._every.job = _nothing
    views.pending.clear()
    views.batch_size = 3
    try:
        for _ in range(5):  # one visitor, five times: one view
            await api.get(f"/courses/{hit['slug']}", headers=BROWSER)
        await api.get(f"/courses/{hit['slug']}", headers={"user-agent": "Googlebot/2.1"})
        await api.get(f"/courses/{hit['slug']}")  # a script (python-httpx): not a view
        assert len(views.pending) == 1
        assert await conn.fetchval(query, course_id) == before, "not one write per view"
        views.batch_size = 1  # the next view fills the batch: written
        await api.get(f"/courses/{hit['slug']}", headers=BROWSER)
        assert await conn.fetchval(query, course_id) == before + 1
        for _ in range(3):  # written again, but the visitor was seen today already
            await api.get(f"/courses/{hit['slug']}", headers=BROWSER)
        assert await conn.fetchval(query, course_id) == before + 1
        assert (
            await conn.fetchval(
                "SELECT count(*) FROM search_outbox WHERE course_id = $1", course_id
            )
            >= 1
        ), "views feed popularity through sync"
    finally:
        views.batch_size = 500
        views._every.job = periodic
        await conn.close()


async def _nothing() -> None:
    return None


@pytest.fixture
async def broken_search(indexed_catalog: tuple[str, Path], tmp_path: Path) -> Any:
    """The site with its search engine unavailable (an index folder that does not exist)."""
    from litestar.testing import AsyncTestClient

    from search_service.app import create_app
    from search_service.search.tantivy import TantivyEngine
    from search_service.settings import Settings

    app = create_app(
        Settings(), database_url=indexed_catalog[0], engine=TantivyEngine(tmp_path / "missing")
    )
    async with AsyncTestClient(app=app) as client:
        yield client


async def test_search_down_pages_say_so_and_course_pages_work(
    broken_search: Client, api: Client
) -> None:
    html = await page(broken_search, "/search?q=python", status=503)
    assert "Search is taking a short break" in html
    response = await broken_search.get("/api/v1/search?q=python")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    hit = await a_course(api)
    await page(broken_search, f"/courses/{hit['slug']}")
    assert (await broken_search.get(f"/api/v1/courses/{hit['slug']}")).status_code == 200
    await page(broken_search, "/")
