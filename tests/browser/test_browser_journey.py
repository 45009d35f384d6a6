"""The shopper's journey in a real browser: after buying, after a mistake, on a phone and by
keyboard. Screenshots are kept in ``test-artifacts/`` (course page for a buyer, cart with a
bad coupon, phone search page and course page)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.support import chromium
from tests.support.chromium import expect

pytestmark = [pytest.mark.system, chromium.needs_chromium]


async def test_sort_by_arrow_keys_keeps_focus_on_the_menu(page: Any, live_server: str) -> None:
    await page.goto(f"{live_server}/search?q=python")
    sort = page.get_by_label("Sort by")
    await sort.focus()
    seen = [await sort.input_value()]
    for _ in range(2):
        await page.keyboard.press("ArrowDown")
        await page.wait_for_url(lambda u, last=seen[-1]: "sort=" in u and f"sort={last}" not in u)
        await expect(page.locator("#sort:focus")).to_have_count(1)
        seen.append(await page.get_by_label("Sort by").input_value())
    assert len(set(seen)) == 3, seen  # each arrow moved one sort on, from the same menu


async def test_ticking_a_filter_by_keyboard_keeps_focus_on_it(page: Any, live_server: str) -> None:
    await page.goto(f"{live_server}/search?q=python")
    level = page.locator("input[name=level]:enabled").first
    box_id = await level.get_attribute("id")
    await level.focus()
    await page.keyboard.press("Space")
    await page.wait_for_url(lambda u: "level=" in u)
    await expect(page.locator(f"#{box_id}:focus")).to_have_count(1)
    await expect(page.locator(f"#{box_id}")).to_be_checked()
    # Zero-count options are shown but cannot be ticked.
    disabled = page.locator("#facets input[type=checkbox]:disabled")
    if await disabled.count():
        await expect(disabled.first).to_be_disabled()


async def test_suggestions_complete_bold_hover_and_search_for(page: Any, live_server: str) -> None:
    await page.goto(f"{live_server}/")
    box = page.get_by_role("combobox", name="What do you want to learn?")  # the big box
    await box.press_sequentially("pyth", delay=20)
    listbox = page.locator("#" + str(await box.get_attribute("aria-controls")))
    options = listbox.get_by_role("option")
    await options.first.wait_for()
    texts = await options.all_inner_texts()
    assert any(t.rstrip().endswith("search") for t in texts[:-1]), texts  # a completion
    assert texts[-1].startswith("Search for “pyth”"), texts
    assert (await options.first.locator("b").first.inner_text()).lower() == "pyth"
    second = options.nth(1)
    await second.hover()
    await expect(second).to_have_attribute("aria-selected", "true")
    background = await second.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background
    await options.last.click()
    await page.wait_for_url(lambda u: "/search?q=pyth" in u)


async def test_course_page_reviews_by_star_and_more_and_expand_all(
    page: Any,
    live_server: str,
) -> None:
    course = await chromium.first_course(page, live_server, "python&sort=most_reviewed")
    await page.goto(course)
    await page.locator(".distribution a", has_text="5 stars").click()
    await page.wait_for_url(lambda u: "stars=5" in u)
    await expect(page.locator(".review-filter")).to_contain_text("5-star reviews only")
    ratings = await page.locator("article.review:not(.mine) .rating-value").all_inner_texts()
    assert ratings and set(ratings) == {"5.0"}, ratings
    await page.get_by_role("link", name="Show all reviews").click()
    await page.wait_for_url(lambda u: "stars=" not in u)
    await page.get_by_role("link", name="More reviews").click()  # the most reviewed: > 10
    await page.wait_for_url(lambda u: "rpage=2" in u)
    await expect(page.locator(".meta", has_text=re.compile(r"^Reviews 11–"))).to_have_count(1)
    # Expand all sections, by script, without leaving the page.
    toggle = page.get_by_role("button", name="Expand all sections")
    url = page.url
    await toggle.click()
    sections = page.locator("details.section")
    assert await sections.count() >= 2
    assert await page.locator("details.section:not([open])").count() == 0
    await expect(page.get_by_role("button", name="Collapse all sections")).to_be_visible()
    assert page.url == url


async def test_an_add_started_signed_out_is_in_the_cart_after_log_in(
    browser: Any,
    live_server: str,
) -> None:
    base = live_server
    context = await browser.new_context(viewport=chromium.DESKTOP)
    page = await context.new_page()
    email = await chromium.sign_up(page, base, "Lin")
    await chromium.log_out(page)
    await context.clear_cookies()

    course = await chromium.first_course(page, base, "react")
    await page.goto(course)
    title = (await page.locator("h1").inner_text()).strip()
    await page.get_by_role("button", name="Add to cart").first.click()
    await page.wait_for_url(lambda u: "/login" in u)
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(chromium.PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.wait_for_url(lambda u: "/login" not in u)
    await page.goto(f"{base}/cart")
    await expect(page.locator("main")).to_contain_text(title)
    await expect(page.locator("#cart-count")).to_contain_text("1")
    await context.close()


async def test_a_buyer_sees_ownership_and_mistakes_are_answered_in_place(
    browser: Any,
    live_server: str,
) -> None:
    base = live_server
    context = await browser.new_context(viewport=chromium.DESKTOP)
    page = await context.new_page()
    await chromium.sign_up(page, base, "Bo")
    course = await chromium.add_first_to_cart(page, base, "docker")  # added in place
    assert page.url.startswith(course)

    await page.goto(f"{base}/cart")
    await page.get_by_label("Coupon code").fill("NOSUCHCODE")
    async with page.expect_response(lambda r: r.url.endswith("/cart/coupon")) as answer:
        await page.get_by_role("button", name="Apply").click()
    assert 400 <= (await answer.value).status < 500
    await expect(page.get_by_label("Coupon code")).to_have_value("NOSUCHCODE")
    await expect(page.locator("main")).to_contain_text(re.compile("coupon", re.I))
    await page.screenshot(path=chromium.shot("cart-bad-coupon.png"), full_page=True)

    await page.get_by_role("button", name="Buy now").click()
    await page.wait_for_url(lambda u: "/orders/" in u)
    await page.get_by_role("link", name="My learning").first.click()
    await page.wait_for_url(lambda u: "/my-learning" in u)
    await page.goto(course)
    await expect(
        page.locator(".price-box").get_by_role("link", name="Go to course")
    ).to_be_visible()
    await expect(page.get_by_role("button", name="Add to cart")).to_have_count(0)
    await expect(page.locator(".price-box")).to_contain_text("Purchased")

    # A review too short: the same page, the error by the field, the text kept. No rating is
    # chosen for the shopper: they choose one.
    await page.locator("#review-form").get_by_label("Rating").select_option("5")
    await page.get_by_label("Your review").fill("Too short")
    async with page.expect_response(lambda r: r.url.endswith("/review")) as answer:
        await page.get_by_role("button", name=re.compile("^(Post|Submit)")).click()
    assert 400 <= (await answer.value).status < 500
    await expect(page.get_by_label("Your review")).to_have_value("Too short")
    await page.get_by_label("Your review").fill("Clear, practical and well paced throughout.")
    await page.get_by_role("button", name=re.compile("^(Post|Submit)")).click()
    await expect(page.locator("#my-review")).to_be_visible()
    # Deleting asks once more: the button is behind "Delete your review".
    await expect(page.locator("details.delete-review summary")).to_have_text("Delete your review")
    await page.locator("details.delete-review summary").click()
    await expect(page.get_by_role("button", name="Yes, delete my review")).to_be_visible()
    await expect(page.locator("form[action$='/review'] textarea")).to_have_count(0)
    mine = page.locator("article.review", has_text="This is your review.")
    await expect(mine).to_have_count(1)
    await expect(mine.get_by_role("button", name="Helpful")).to_have_count(0)
    await page.screenshot(path=chromium.shot("course-buyer.png"), full_page=True)

    await page.goto(f"{base}/search?q=docker")
    card = page.locator(".course-card", has=page.locator(f"a[href^='{course[len(base) :]}']"))
    await expect(card.first).to_contain_text("Purchased")
    await context.close()


async def test_a_garbage_session_cookie_shows_log_in(
    browser: Any,
    live_server: str,
) -> None:
    context = await browser.new_context(viewport=chromium.DESKTOP)
    await context.add_cookies(
        [{"name": "skillspring_session", "value": "garbage", "url": live_server}]
    )
    page = await context.new_page()
    await page.goto(f"{live_server}/")
    await expect(page.get_by_role("link", name="Log in")).to_be_visible()
    await expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    await context.close()


async def test_phone_filters_overlay_and_course_buy_bar(
    browser: Any,
    live_server: str,
) -> None:
    context = await browser.new_context(viewport=chromium.PHONE)
    page = await context.new_page()
    await page.goto(f"{live_server}/search?q=python&level=beginner")
    await page.screenshot(path=chromium.shot("search-phone.png"))
    await expect(page.locator("#cart-count")).to_be_hidden()  # an empty cart shows no badge
    opener = page.get_by_role("link", name=re.compile(r"^Filters \(1\)"))
    await expect(opener).to_be_visible()
    await expect(page.locator("#facets")).to_be_hidden()
    await opener.click()
    await expect(page.locator("#facets")).to_be_visible()
    show = page.get_by_role("link", name=re.compile(r"^Show [\d,]+ results?"))
    await page.screenshot(path=chromium.shot("search-phone-filters.png"))
    await show.click()
    await expect(page.locator("#facets")).to_be_hidden()
    await expect(opener).to_be_focused()

    course = await chromium.first_course(page, live_server, "python")
    await page.goto(course)
    title = await page.locator("h1").bounding_box()
    price = await page.locator(".price-box").bounding_box()
    assert title and price and title["y"] < price["y"], (title, price)
    await page.mouse.wheel(0, 3000)
    bar = page.locator(".buy-bar")
    await expect(bar).to_be_visible()
    box = await bar.bounding_box()
    assert box and box["y"] + box["height"] <= chromium.PHONE["height"] + 1, box  # on screen
    await page.screenshot(path=chromium.shot("course-phone.png"))
    await context.close()
