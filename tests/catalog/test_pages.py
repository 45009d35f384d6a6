"""Server-rendered pages over the real index and database (no browser: see test_browser.py)."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from search_service.db.connection import asyncpg_dsn
from tests.support.catalogs import Catalog

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
        assert re.search(f'<label for="{re.escape(control)}"[ >]', html), control  # off: disabled
    assert '<label for="sort">' in html and '<label for="site-q"' in html


async def test_pagination_links(api: Client) -> None:
    html = await page(api, "/search?sort=newest")
    assert 'aria-current="page"' in html
    assert 'href="/search?sort=newest&amp;page=2"' in html


async def test_links_keep_the_page_size_and_the_ratio_is_no_filter(api: Client) -> None:
    """Page 2 of 7 a page linked to page 2 of 20 (results 8 to 20 never shown); the
    semantic ratio showed as a filter chip, "Remove filter 0.7"."""
    html = await page(api, "/search?q=python&per_page=7&semantic_ratio=0.7")
    assert 'href="/search?q=python&amp;semantic_ratio=0.7&amp;per_page=7&amp;page=2"' in html
    assert "Remove filter" not in html
    found = (await api.get("/api/v1/search?q=python&per_page=7&semantic_ratio=0.7")).json()
    assert found["applied"]["chips"] == []
    assert found["applied"]["clear_url"] == "/search?q=python&semantic_ratio=0.7&per_page=7"


async def test_the_filters_form_keeps_what_it_has_no_control_for(api: Client) -> None:
    """Changing a filter or the sort dropped ``literal=true`` (back came the typed Spanish
    filter), the semantic ratio and the page size; pagination kept them."""
    html = await page(api, "/search?q=python+in+spanish&literal=true&semantic_ratio=0.2&per_page=7")
    form = re.search(r'<form id="facets".*?</form>', html, re.S).group(0)  # type: ignore[union-attr]
    for name, value in (("literal", "true"), ("semantic_ratio", "0.2"), ("per_page", "7")):
        assert f'<input type="hidden" name="{name}" value="{value}">' in form, name
    plain = await page(api, "/search?q=python")
    assert 'name="literal"' not in plain and 'name="per_page" value' not in plain


async def test_zero_results_page_helps(api: Client) -> None:
    html = await page(api, "/search?q=zzqqxx+qqzzyy&literal=true")
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


async def test_a_category_page_shows_only_its_category(api: Client) -> None:
    """``?category=design`` on Development's page showed Design's courses under the heading
    "Development"; a subcategory of the page's narrows it, any other is not the page's."""

    async def total(**params: str) -> int:
        return int((await api.get("/api/v1/search", params=params)).json()["total"])

    def shown(html: str) -> str:
        return re.search(r"<meta name=\"description\" content=\"([^\"]*)\"", html).group(1)  # type: ignore[union-attr]

    development, web = await total(category="development"), await total(category="web-development")
    assert 0 < web < development
    root = await page(api, "/categories/development?category=design")
    assert "<h1>Development</h1>" in root and f"{development:,} courses" in shown(root)
    narrowed = await page(api, "/categories/development?category=web-development")
    assert f"{web:,} courses" in shown(narrowed)
    sub = await page(api, "/categories/development/web-development?category=development")
    assert f"{web:,} courses" in shown(sub)


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
VIEWS_TODAY = (
    "SELECT coalesce(sum(views), 0) FROM course_metrics "
    "WHERE course_id = $1 AND date = (now() AT TIME ZONE 'utc')::date"
)


async def test_course_views_count_once_per_visitor(api: Client, shop: Catalog) -> None:
    """Browsers' visits count, one per visitor per day; bots and scripts do not."""
    hit = await a_course(api)
    course_id = uuid.UUID(hit["id"])
    conn = await asyncpg.connect(asyncpg_dsn(shop.url))
    api.app.state.views.batch_size = 1  # each new visit written in its own request
    try:
        before = await conn.fetchval(VIEWS_TODAY, course_id)
        for _ in range(5):  # one visitor, five times: one view
            await api.get(f"/courses/{hit['slug']}", headers=BROWSER)
        await api.get(f"/courses/{hit['slug']}", headers={"user-agent": "Googlebot/2.1"})
        await api.get(f"/courses/{hit['slug']}")  # a script (python-httpx): not a view
        assert await conn.fetchval(VIEWS_TODAY, course_id) == before + 1
        for _ in range(3):  # written again, but the visitor was seen today already
            await api.get(f"/courses/{hit['slug']}", headers=BROWSER)
        assert await conn.fetchval(VIEWS_TODAY, course_id) == before + 1
        outbox = "SELECT count(*) FROM search_outbox WHERE course_id = $1"
        assert await conn.fetchval(outbox, course_id) >= 1, "views feed popularity through sync"
    finally:
        await conn.close()


async def test_a_course_page_loaded_unseen_is_no_view(api: Client, shop: Catalog) -> None:
    """Another site's <img src> or <iframe> of a course page made each of its visitors'
    browsers a view of it (views feed popularity)."""
    hit = await a_course(api)
    course_id = uuid.UUID(hit["id"])
    conn = await asyncpg.connect(asyncpg_dsn(shop.url))
    api.app.state.views.batch_size = 1
    try:
        before = await conn.fetchval(VIEWS_TODAY, course_id)
        for mode, dest in (("no-cors", "image"), ("navigate", "iframe")):
            unseen = BROWSER | {"sec-fetch-mode": mode, "sec-fetch-dest": dest}
            loaded = await api.get(f"/courses/{hit['slug']}", headers=unseen)
            assert loaded.status_code == 200
        assert await conn.fetchval(VIEWS_TODAY, course_id) == before
        seen = BROWSER | {"sec-fetch-mode": "navigate", "sec-fetch-dest": "document"}
        await api.get(f"/courses/{hit['slug']}", headers=seen)
        assert await conn.fetchval(VIEWS_TODAY, course_id) == before + 1
    finally:
        await conn.close()


async def test_views_are_written_in_batches(shop: Catalog) -> None:
    """One write per batch, not per view: the view that fills a batch writes it."""
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from search_service.courses.views import ViewCounter
    from search_service.db.connection import make_engine

    engine = make_engine(shop.url, pool_size=1)
    conn = await asyncpg.connect(asyncpg_dsn(shop.url))
    try:
        course_id = await conn.fetchval(
            "SELECT id FROM courses WHERE status = 'published' ORDER BY id LIMIT 1"
        )
        counter = ViewCounter(async_sessionmaker(engine), batch_size=3)
        day = dt.datetime.now(dt.UTC).date()
        query = (
            "SELECT coalesce(sum(views), 0) FROM course_metrics WHERE course_id = $1 AND date = $2"
        )
        before = await conn.fetchval(query, course_id, day)
        await counter.record(course_id, b"visitor-1", day)
        await counter.record(course_id, b"visitor-2", day)
        assert await conn.fetchval(query, course_id, day) == before, "not one write per view"
        await counter.record(course_id, b"visitor-3", day)  # fills the batch
        assert await conn.fetchval(query, course_id, day) == before + 3
    finally:
        await conn.close()
        await engine.dispose()


async def _nothing() -> None:
    return None


@pytest.fixture
async def broken_search(shop: Catalog, tmp_path: Path) -> Any:
    """The site with its search engine unavailable (an index folder that does not exist)."""
    from litestar.testing import AsyncTestClient

    from search_service.app import create_app
    from search_service.search.tantivy.engine import TantivyEngine
    from search_service.settings import Settings

    missing = tmp_path / "missing"
    app = create_app(Settings(), database_url=shop.url, open_engine=lambda: TantivyEngine(missing))
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


async def test_a_search_link_that_went_wrong_keeps_its_words_in_the_search_box(
    api: Client,
) -> None:
    response = await api.get("/search", params={"q": "python <b>", "price_min": "abc"})
    assert response.status_code == 400
    assert 'value="python &lt;b&gt;"' in response.text
    assert 'value=""' not in response.text.split('id="site-q"', 1)[1].split(">", 1)[0]


async def test_highest_rated_says_how_it_orders(browser: Client) -> None:
    """Ratings of 4.5, 4.0, 4.4 in a row read as unsorted unless the page says why."""
    page = (await browser.get("/search", params={"q": "python", "sort": "highest_rated"})).text
    assert "Highest rated weighs each rating by how many students gave one" in page
    plain = (await browser.get("/search", params={"q": "python"})).text
    assert "Highest rated weighs" not in plain


@pytest.mark.parametrize(
    "query",
    [
        "q=zzqqxx+qqzzyy&literal=true",  # words no course has
        "q=-1",
        "price=free&rating_min=4.5&language=ja&level=advanced&duration=17h%2B",  # filters alone
    ],
)
async def test_a_category_page_that_finds_nothing_helps_too(api: Client, query: str) -> None:
    """A category page (and its subcategories') that found nothing was a 500: the zero-result
    part of the results template asked for the subjects only the search page set."""
    for path in ("/categories/development", "/categories/development/web-development"):
        html = await page(api, f"{path}?{query}")
        assert 'class="zero"' in html, path


async def test_reviews_past_their_last_page_say_so(api: Client, shop: Catalog) -> None:
    """A reviews page past the last said "No reviews yet." under a course's 137 ratings (and
    "Reviews 141–137 of 137"); it now says the page is past the last, and links there."""
    conn = await asyncpg.connect(asyncpg_dsn(shop.url))
    try:
        slug, total = await conn.fetchrow(
            "SELECT c.slug, count(*) FROM courses c JOIN course_reviews r ON r.course_id = c.id "
            "WHERE c.status = 'published' AND c.deleted_at IS NULL "
            "GROUP BY c.slug ORDER BY count(*) DESC, c.slug LIMIT 1"
        )
    finally:
        await conn.close()
    assert total > 10
    html = await page(api, f"/courses/{slug}?rpage=999")
    assert "No reviews yet." not in html and f" of {total:,}</p>" not in html
    last = re.search(r'past the last one\. <a href="[^"]*rpage=(\d+)#ratings"', html)
    assert last, html[html.find('id="ratings"') :][:3000]
    shown = await page(api, f"/courses/{slug}?rpage={last.group(1)}")
    assert "past the last one" not in shown and f"of {total:,}</p>" in shown
    # The API's page past the last keeps the total too (it said 0).
    beyond = (await api.get(f"/api/v1/courses/{slug}/reviews", params={"page": 99})).json()
    assert beyond["items"] == [] and beyond["total"] == total


async def test_a_category_page_s_ways_out_stay_in_the_category(api: Client) -> None:
    """On a category page whose filters find nothing together, "Remove all filters (2,789)"
    counted the whole catalog, while its link opened the category (13 courses); the way out
    of a category page is counted in that category, and the page's own category is never a
    filter to remove."""
    path = "/categories/development/web-development"
    query = "price=free&level=advanced&rating_min=4.5&duration=17h%2B&language=ja&bestseller=true"
    html = await page(api, f"{path}?{query}")
    assert 'class="zero"' in html
    ways = re.findall(
        r'<li><a href="([^"]+)">([^<]+?)(?: <span class="count">\(([\d,]+)\)</span>)?</a></li>',
        html,
    )
    removals = [(url, label, count) for url, label, count in ways if label.startswith("Remove")]
    assert removals, ways
    for url, label, count in removals:
        url = url.replace("&amp;", "&")
        assert url.startswith(path), (url, label)
        opened = await page(api, url)
        found = re.search(r"([\d,]+) results?", opened)
        total = int(found.group(1).replace(",", "")) if found else 0
        assert count and int(count.replace(",", "")) == total, (label, count, total, url)
    assert "No course passes these filters." in html and "with these words" not in html
