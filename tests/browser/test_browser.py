"""The pages in a real browser: headless Chromium (Debian's package) driven by Playwright.

Screenshots of the search and course pages are saved to ``test-artifacts/``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support import chromium
from tests.support.catalogs import Catalog
from tests.support.chromium import expect
from tests.support.processes import create_admin

pytestmark = [pytest.mark.system, chromium.needs_chromium]


def checkbox(page: Any, label: str) -> Any:
    """The facet checkbox whose label starts with ``label`` (its count follows)."""
    return page.get_by_role("checkbox", name=re.compile(rf"^{label}\b"))


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


async def test_filters_apply_in_place_and_chips_remove_them(tab: Any, live_server: str) -> None:
    await tab.goto(f"{live_server}/search?q=kubernetes")
    status = tab.get_by_role("status")
    before = await status.inner_text()
    # Options no course matches are disabled: tick a level some course has.
    level = tab.locator("input[name=level]:enabled").first
    picked = await level.get_attribute("value")
    await level.check()
    await tab.wait_for_url(lambda url: f"level={picked}" in url)
    assert query_of(tab.url)["q"] == ["kubernetes"]
    chip = tab.locator(".chips a.chip").first
    await chip.wait_for()
    assert await tab.locator(f"#f-level-{picked}").is_checked()
    # An option no course matches is disabled: take a price kind that some course has.
    kind = tab.locator("input[name=price]:not([value='']):enabled").first
    value = await kind.get_attribute("value")
    await kind.check()
    await tab.wait_for_url(lambda url: f"price={value}" in url)
    await tab.locator(".chips a.chip").first.click()
    await tab.wait_for_url(lambda url: f"level={picked}" not in url)
    assert query_of(tab.url)["price"] == [value]
    await tab.get_by_role("link", name="Clear all").click()
    await tab.wait_for_url(lambda url: "price" not in url)
    assert query_of(tab.url) == {"q": ["kubernetes"]}
    assert await status.inner_text() == before


async def test_back_button_and_shared_url(tab: Any, live_server: str) -> None:
    url = f"{live_server}/search?q=kubernetes&level=beginner&sort=newest"
    await tab.goto(url)
    assert await checkbox(tab, "Beginner").is_checked()
    assert await tab.get_by_label("Sort by").input_value() == "newest"
    await tab.get_by_label("Sort by").select_option("price_asc")
    await tab.wait_for_url(lambda u: "sort=price_asc" in u)
    await tab.go_back()
    await tab.wait_for_url(lambda u: "sort=newest" in u)
    await expect(tab.get_by_label("Sort by")).to_have_value("newest")


async def test_paginate_open_a_course_and_expand_a_section(tab: Any, live_server: str) -> None:
    await tab.goto(f"{live_server}/search?sort=newest")
    await tab.get_by_role("navigation", name="Pages").get_by_role("link", name="Next").click()
    await tab.wait_for_url(lambda u: "page=2" in u)
    current = tab.locator(".pagination [aria-current=page]")
    assert await current.inner_text() == "2"
    chromium.ARTIFACTS.mkdir(exist_ok=True)
    await tab.screenshot(path=str(chromium.ARTIFACTS / "search.png"), full_page=True)
    await tab.locator(".course-card h3 a").first.click()
    await tab.wait_for_url(lambda u: "/courses/" in u)
    sections = tab.locator("details.section")
    assert await sections.count() >= 2
    second = sections.nth(1)
    assert await second.get_attribute("open") is None
    await second.locator("summary").click()
    assert await second.get_attribute("open") is not None
    await tab.screenshot(path=str(chromium.ARTIFACTS / "course.png"), full_page=True)


async def test_as_you_type_suggestions_by_keyboard(tab: Any, live_server: str) -> None:
    await tab.goto(f"{live_server}/")
    box = tab.get_by_role("combobox", name="Search for anything")
    await box.press_sequentially("kube", delay=20)
    listbox = tab.get_by_role("listbox")
    await listbox.get_by_role("option").first.wait_for()
    assert await box.get_attribute("aria-expanded") == "true"
    await box.press("ArrowDown")
    active = await box.get_attribute("aria-activedescendant")
    assert active and await tab.locator(f"#{active}").get_attribute("aria-selected") == "true"
    await box.press("Enter")
    # The first option may be a popular past search (the suite has searched "kubernetes").
    await tab.wait_for_url(
        lambda u: "/courses/" in u or "/categories/" in u or "/search?q=kube" in u
    )


async def test_everything_works_without_javascript(browser: Any, live_server: str) -> None:
    context = await browser.new_context(java_script_enabled=False)
    page = await context.new_page()
    await page.goto(f"{live_server}/search?q=kubernetes")
    level = page.locator("input[name=level]:enabled").first
    picked = await level.get_attribute("value")
    await level.check()
    await page.get_by_role("button", name="Apply filters").click()
    await page.wait_for_url(lambda u: f"level={picked}" in u)
    await page.locator(".chips a.chip").first.click()
    await page.wait_for_url(lambda u: "level" not in u)
    await context.close()


async def test_small_screen_shows_results_first(browser: Any, live_server: str) -> None:
    context = await browser.new_context(viewport={"width": 360, "height": 740})
    page = await context.new_page()
    await page.goto(f"{live_server}/search?q=kubernetes")
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "no sideways scrolling at 360 px"
    # Results first; the filters open as an overlay from the "Filters" button.
    await expect(page.locator("#facets")).to_be_hidden()
    await page.get_by_role("link", name=re.compile(r"^Filters")).click()
    await expect(page.locator("#facets")).to_be_visible()
    await expect(
        page.get_by_role("link", name=re.compile(r"^Show [\d,]+ results?"))
    ).to_be_visible()
    chromium.ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(chromium.ARTIFACTS / "search-360.png"))
    await context.close()


async def test_search_click_buy_then_insights_show_it(
    browser: Any, live_server: str, shop: Catalog
) -> None:
    """A shopper searches, clicks a result (beacon), adds it from the course page and buys;
    an admin made with ``users create-admin`` then sees exactly that on the insights page."""
    import uuid

    word = uuid.uuid4().hex[:8]
    typed = f"docker {word}"  # words are dropped from the end: docker courses, a fresh query
    password = "correct horse battery staple"
    admin = f"ops-{word}@example.com"
    create_admin(shop.url, admin, password)

    shopper = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await shopper.new_page()
    await page.goto(f"{live_server}/register")
    await page.get_by_label("First name").fill("Sam")
    await page.get_by_label("Email").fill(f"sam-{word}@example.com")
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign up").click()
    await page.wait_for_url(lambda u: "/register" not in u)
    await page.goto(f"{live_server}/search?q={typed.replace(' ', '+')}")
    first = page.locator(".course-card h3 a").first
    title = (await first.inner_text()).strip()
    async with page.expect_request(lambda r: r.url.endswith("/api/v1/events")) as beacon:
        await first.click()
    assert (await beacon.value).method == "POST"
    await page.wait_for_url(lambda u: "/courses/" in u)
    assert "qid=" in page.url and "pos=" not in page.url  # the beacon recorded the click
    await page.get_by_role("button", name="Add to cart").click()  # in place, by script
    await expect(page.locator("#cart-count")).to_contain_text("1")
    await page.get_by_role("link", name="Go to cart").first.click()
    await page.wait_for_url(lambda u: u.endswith("/cart"))
    await page.get_by_role("button", name="Buy now").click()
    await page.wait_for_url(lambda u: "/orders/" in u)
    await shopper.close()

    boss = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await boss.new_page()
    await page.goto(f"{live_server}/login")
    await page.get_by_label("Email").fill(admin)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Log in").click()
    await page.wait_for_url(lambda u: "/login" not in u)
    await page.goto(f"{live_server}/admin/search-insights?days=1")
    row = page.locator("#top-queries tbody tr", has=page.get_by_role("link", name=typed))
    cells = [c.strip() for c in await row.locator("td").all_inner_texts()]
    # query, searches, clients, clicks, CTR, added to cart, purchases
    assert cells[:7] == [typed, "1", "1", "1", "100%", "1", "1"], (cells, title)
    assert cells[7].startswith("$"), cells  # revenue, in its currency
    assert await page.locator("svg.chart").count() == 2
    # The period's box is a short field (a page-wide rule made it the width of the page),
    # and a phone scrolls the tables inside their boxes, never the page sideways.
    days = await page.locator("#days").bounding_box()
    assert days is not None and days["width"] < 150, days
    await page.set_viewport_size({"width": 390, "height": 844})
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no sideways scrolling at 390 px"
    chromium.ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(chromium.ARTIFACTS / "search-insights.png"), full_page=True)
    await boss.close()


async def test_escape_closes_suggestions_and_keeps_the_text(tab: Any, live_server: str) -> None:
    await tab.goto(f"{live_server}/")
    box = tab.get_by_role("combobox", name="Search for anything")
    await box.press_sequentially("javscript", delay=20)
    await tab.get_by_role("listbox").get_by_role("option").first.wait_for()
    await box.press("Escape")
    await expect(box).to_have_value("javscript")
    assert await box.get_attribute("aria-expanded") == "false"
    await box.press("Enter")
    await tab.wait_for_url(lambda u: "q=javscript" in u)


async def test_the_page_says_what_it_understood_and_undoes_it(tab: Any, live_server: str) -> None:
    await tab.goto(f"{live_server}/search?q=pyhton+under+%2450")
    await expect(tab.get_by_text("Showing results for")).to_be_visible()
    chip = tab.get_by_role("link", name="Remove filter Up to $50")
    await expect(chip).to_be_visible()
    shown = await tab.locator(".course-card .price strong").all_inner_texts()
    cents = [0 if p == "Free" else round(float(re.sub(r"[^0-9.]", "", p)) * 100) for p in shown]
    assert cents and max(cents) <= 5000, shown
    await tab.screenshot(
        path=str(chromium.ARTIFACTS / "search-understood-desktop.png"), full_page=False
    )
    # The chip undoes the filter read from the words, and the words with it.
    await chip.click()
    await tab.wait_for_url(re.compile(r"q=pyhton$"))
    await expect(tab.get_by_role("link", name="Remove filter Up to $50")).to_have_count(0)
    # "Search instead" searches exactly what was typed: no respelling, no typo tolerance.
    await tab.get_by_role("link", name=re.compile("Search instead for")).click()
    await tab.wait_for_url(re.compile(r"literal=true"))
    await expect(tab.get_by_text("Showing results for")).to_have_count(0)
