"""The shop after the search, walked in Chromium at both sizes (issue #31): the results page's
controls, the cart, the receipt, a learning page's progress, the instructor page, and an add
started signed out that is credited to its search through sign-up. Screenshots of each page at
1366×900 and 390×844 are saved to ``test-artifacts/``."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from tests.support import chromium
from tests.support.catalogs import Catalog
from tests.support.chromium import expect
from tests.support.processes import create_admin

pytestmark = [pytest.mark.system, chromium.needs_chromium]


async def both_sizes(page: Any, name: str) -> None:
    """Screenshots of the page as it is, at the desktop size and the phone size."""
    for size, label in ((chromium.DESKTOP, "desktop"), (chromium.PHONE, "phone")):
        await page.set_viewport_size(size)
        await page.screenshot(path=chromium.shot(f"{name}-{label}.png"), full_page=True)
    await page.set_viewport_size(chromium.DESKTOP)


async def test_results_controls_at_both_sizes(page: Any, live_server: str) -> None:
    await page.goto(f"{live_server}/search?q=python")
    await expect(page.locator(".to-filters")).to_be_hidden()  # the filters are beside
    await expect(page.locator("#facets")).to_be_visible()
    await expect(page.locator("#sort")).to_be_visible()
    await expect(page.locator("h1")).to_have_count(1)
    await expect(page.locator("h1")).to_contain_text("results for “python”")
    await page.set_viewport_size(chromium.PHONE)
    await expect(page.locator(".to-filters")).to_be_visible()
    await expect(page.locator("#sort")).to_be_visible()  # sort is not hidden in the overlay
    first_card = await page.locator(".course-card").first.bounding_box()
    assert first_card is not None and first_card["y"] < 330, first_card
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= chromium.PHONE["width"], "nothing wider than the phone"
    await page.set_viewport_size(chromium.DESKTOP)
    await both_sizes(page, "walk-search")
    await page.goto(f"{live_server}/search?q=qwxzvbnmk")
    await expect(page.locator("#facets")).to_have_count(0)  # no sidebar of zeros
    await expect(page.locator(".zero")).to_contain_text("Browse all courses")
    await both_sizes(page, "walk-zero-results")


async def test_the_phone_s_buy_bar_leaves_the_footer_in_view(page: Any, live_server: str) -> None:
    # The fixed "Add to cart" bar covered the footer at the end of a course page.
    course = await chromium.first_course(page, live_server, "python")
    await page.set_viewport_size(chromium.PHONE)
    await page.goto(course)
    await page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    bar = await page.locator(".buy-bar").bounding_box()
    footer = await page.locator(".site-footer").bounding_box()
    assert bar is not None and footer is not None
    assert footer["y"] + footer["height"] <= bar["y"] + 1, (footer, bar)


async def test_buy_then_receipt_learning_progress_and_instructor(
    browser: Any, live_server: str
) -> None:
    base = live_server
    context = await browser.new_context(viewport=chromium.DESKTOP)
    page = await context.new_page()
    await chromium.sign_up(page, base, "Rae")
    course = await chromium.first_course(page, base, "docker")
    await page.goto(course)
    title = (await page.locator("h1").inner_text()).strip()
    await page.get_by_role("button", name="Add to cart").first.click()
    await expect(page.locator("#cart-count")).to_contain_text("1")
    await page.goto(f"{base}/cart")
    await expect(page.locator(".summary")).to_contain_text("Total")
    await expect(page.locator(".cart-line img")).to_have_count(1)
    assert re.search(r"\$\d", await page.locator("#cart-total").inner_text())
    await both_sizes(page, "walk-cart")

    await page.get_by_role("button", name="Buy now").click()
    await page.wait_for_url(lambda u: "/orders/" in u)
    await expect(page.locator("main")).to_contain_text(title)
    await expect(page.locator("#order-total")).to_be_visible()
    await both_sizes(page, "walk-receipt")

    await page.get_by_role("link", name="Start learning").first.click()
    await page.wait_for_url(lambda u: "/learn/" in u)
    await expect(page.locator("#progress-text")).to_have_text(re.compile(r"^\s*0% complete"))
    await page.get_by_role("button", name=re.compile("^Mark complete")).first.click()
    await page.wait_for_url(lambda u: "#lecture-" in u)
    await expect(page.locator("#progress-text")).not_to_have_text(re.compile(r"^\s*0% complete"))
    await expect(page.get_by_role("button", name=re.compile("^✓ Done"))).to_have_count(1)
    await both_sizes(page, "walk-learning")

    await page.goto(f"{base}/my-learning")
    await expect(page.get_by_role("link", name=re.compile("^Continue"))).to_have_count(1)
    await both_sizes(page, "walk-my-learning")

    await page.goto(course)
    await page.locator(".price-box").get_by_role("link", name="Go to course").click()
    await page.wait_for_url(lambda u: "/learn/" in u)  # not My learning: no loop
    await page.goto(course)
    mentor = (await page.locator(".course-hero a[href^='/instructors/']").inner_text()).strip()
    await page.locator(".course-hero a[href^='/instructors/']").click()
    await page.wait_for_url(lambda u: "/instructors/" in u)
    await expect(page.locator("h1")).to_have_text(mentor)
    await expect(page.locator(".course-card").first).to_be_visible()
    await both_sizes(page, "walk-instructor")

    await page.locator(".account-menu summary").click()
    await expect(page.get_by_role("button", name="Log out")).to_be_visible()
    await page.screenshot(path=chromium.shot("walk-account-menu-desktop.png"))
    await page.keyboard.press("Escape")  # closes the menu, the focus back on its button
    await expect(page.get_by_role("button", name="Log out")).to_be_hidden()
    await expect(page.locator(".account-menu summary")).to_be_focused()
    await context.close()


async def test_an_add_started_signed_out_is_credited_to_its_search_through_sign_up(
    browser: Any, live_server: str, shop: Catalog
) -> None:
    word = uuid.uuid4().hex[:8]
    typed = f"docker {word}"
    admin = f"ops-{word}@example.com"
    create_admin(shop.url, admin, chromium.PASSWORD)

    context = await browser.new_context(viewport=chromium.PHONE)
    page = await context.new_page()
    await page.goto(f"{live_server}/search?q={typed.replace(' ', '+')}")
    await page.locator(".course-card h3 a").first.click()
    await page.wait_for_url(lambda u: "/courses/" in u and "qid=" in u)
    title = (await page.locator("h1").inner_text()).strip()
    await page.locator(".buy-bar").get_by_role("button", name="Add to cart").click()
    await page.wait_for_url(lambda u: "/login" in u)
    await page.get_by_role("link", name="Create an account").click()
    await page.wait_for_url(lambda u: "/register" in u)
    await expect(page.locator(".notice")).to_contain_text("finish adding")
    await page.get_by_label("First name").fill("Kim")
    await page.get_by_label("Email").fill(f"kim-{word}@example.com")
    await page.get_by_label("Password").fill(chromium.PASSWORD)
    await page.get_by_role("button", name="Sign up").click()
    await page.wait_for_url(lambda u: "/register" not in u)
    await page.goto(f"{live_server}/cart")
    await expect(page.locator(".cart-lines")).to_contain_text(title)
    # On a phone the total and "Buy now" stay in a bar at the bottom, above the lines.
    await page.locator(".buy-bar").get_by_role("button", name="Buy now").click()
    await page.wait_for_url(lambda u: "/orders/" in u)
    await context.close()

    boss = await browser.new_context(viewport=chromium.DESKTOP)
    page = await boss.new_page()
    await page.goto(f"{live_server}/login")
    await page.get_by_label("Email").fill(admin)
    await page.get_by_label("Password").fill(chromium.PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.wait_for_url(lambda u: "/login" not in u)
    await page.locator(".account-menu summary").click()
    await expect(page.get_by_role("link", name="Search insights")).to_be_visible()
    await page.get_by_role("link", name="Search insights").click()
    await page.goto(f"{live_server}/admin/search-insights?days=1")
    row = page.locator("#top-queries tbody tr", has=page.get_by_role("link", name=typed))
    cells = [c.strip() for c in await row.locator("td").all_inner_texts()]
    # searches, clients, clicks, click-through, adds to cart, purchases: the add and the
    # purchase are this search's, though the shopper signed up in between.
    assert cells[:7] == [typed, "1", "1", "1", "100%", "1", "1"], cells
    await boss.close()


async def test_a_drawn_picture_keeps_a_long_title_inside_it(
    browser: Any, live_server: str, shop: Catalog
) -> None:
    # Measured in the browser's own font: every line of the title ends before the edge.
    import asyncpg

    from search_service.catalog.pictures import WIDTH
    from search_service.db.connection import asyncpg_dsn

    conn = await asyncpg.connect(asyncpg_dsn(shop.url))
    try:
        slug = await conn.fetchval(
            "SELECT slug FROM courses WHERE status = 'published' AND deleted_at IS NULL "
            "ORDER BY slug LIMIT 1"
        )
        await conn.execute(
            "UPDATE courses SET title = $2 WHERE slug = $1",
            slug,
            "The Ultimate Mindfulness Masterclass: Meditation, Breathwork and WWWWWWW Sleep",
        )
    finally:
        await conn.close()
    context = await browser.new_context(viewport=chromium.DESKTOP)
    page = await context.new_page()
    await page.goto(f"{live_server}/courses/{slug}/picture.svg")
    ends = await page.evaluate(
        "[...document.querySelectorAll('tspan')].map(t => { const b = t.getBBox();"
        " return b.x + b.width; })"
    )
    assert len(ends) == 3 and max(ends) <= WIDTH - 16, ends
    assert (await page.locator("tspan").last.text_content() or "").endswith("…")
    await context.close()


async def test_a_refused_form_opens_at_its_mistake_at_both_sizes(
    browser: Any, live_server: str
) -> None:
    """A review refused far down the course page, and a coupon refused below the cart on a
    phone: the page shown again opens with the field in error focused and on screen."""
    base = live_server
    context = await browser.new_context(viewport=chromium.PHONE)
    page = await context.new_page()
    await chromium.sign_up(page, base, "Noor")
    course = await chromium.add_first_to_cart(page, base, "excel")
    await page.goto(f"{base}/cart")
    await page.get_by_label("Coupon code").fill("NO-SUCH-CODE")
    await page.get_by_role("button", name="Apply").click()
    await expect(page.locator("#code")).to_be_focused()
    await expect(page.locator("#code")).to_be_in_viewport()
    # Its error is on screen too, not under the buy bar fixed at the bottom.
    error = await page.locator("#code-error").bounding_box()
    bar = await page.locator(".buy-bar").bounding_box()
    assert error is not None and bar is not None
    assert error["y"] + error["height"] <= bar["y"], (error, bar)
    await page.get_by_role("button", name="Buy now").first.click()
    await page.wait_for_url(lambda u: "/orders/" in u)

    for size in (chromium.PHONE, chromium.DESKTOP):
        await page.set_viewport_size(size)
        await page.goto(course)
        await page.locator("#review-form").get_by_label("Rating").select_option("4")
        await page.locator("#review-title").fill("Great course -> loved it")
        await page.get_by_role("button", name="Post review").click()
        await expect(page.locator("#review-title")).to_be_focused()
        await expect(page.locator("#review-title")).to_be_in_viewport()
        await expect(page.locator("#review-form")).to_contain_text("This may not contain “>”")
    await context.close()
