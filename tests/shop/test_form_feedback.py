"""What a shopper sees after a form: the first mistake focused and named as it is, nothing
chosen for them, and what a form did said where its page opens."""

from __future__ import annotations

import re
import uuid
from typing import Any

import asyncpg
import pytest

from tests.shop.test_shop_pages import a_course
from tests.support.pages import sign_up, submit

Client = Any


def _focused(html: str) -> str | None:
    """The name of the control the page opens focused on (``autofocus``)."""
    tag = re.search(r"<(?:input|textarea|select)\b[^>]*\bautofocus\b[^>]*>", html)
    named = tag and re.search(r'name="([^"]+)"', tag.group(0))
    return named.group(1) if named else None


async def _bought(browser: Client, db: asyncpg.Connection) -> str:
    """A signed-up shopper who owns a course: its page."""
    await sign_up(browser)
    course = await a_course(db, skip=4)
    page = f"/courses/{course['slug']}"
    await submit(browser, page, "/cart/add", course_id=str(course["id"]), back=page)
    bought = await submit(browser, "/cart", "/cart/checkout")
    assert bought.headers["location"].startswith("/orders/")
    return page


async def test_a_refused_form_opens_at_its_first_mistake_named_as_it_is(
    browser: Client, db: asyncpg.Connection
) -> None:
    page = await _bought(browser, db)
    reviews = "SELECT count(*) FROM course_reviews"
    before = await db.fetchval(reviews)
    arrow = await submit(
        browser, page, f"{page}/review", rating="4", title="Great course -> loved it"
    )
    assert arrow.status_code == 400
    assert _focused(arrow.text) == "title", "the page opens at the review form's title"
    assert "This may not contain “&gt;”" in arrow.text
    assert "at most 140 characters" not in arrow.text
    assert 'value="Great course -&gt; loved it"' in arrow.text
    # An empty form posts nothing: no rating is chosen for the shopper.
    assert 'value="" selected>Choose a rating</option>' in (await browser.get(page)).text
    empty = await submit(browser, page, f"{page}/review")
    assert empty.status_code == 400 and _focused(empty.text) == "rating"
    assert "Please fill this in." in empty.text
    assert await db.fetchval(reviews) == before


async def test_editing_and_deleting_a_review_say_so_beside_the_reviews(
    browser: Client, db: asyncpg.Connection
) -> None:
    page = await _bought(browser, db)
    posted = await submit(browser, page, f"{page}/review", rating="5", title="Good")
    assert posted.status_code == 303
    edited = await submit(
        browser,
        page,
        f"{page}/review/edit",
        rating="4",
        title="Good",
        body="The first line.\nThe second line.",
    )
    assert edited.headers["location"] == f"{page}?done=review-saved#ratings"
    shown = (await browser.get(edited.headers["location"])).text
    ratings = shown[shown.index('id="ratings"') :]
    assert "Your review is updated." in ratings[:600], "said at the top of the reviews"
    assert "Your review is updated." not in shown[: shown.index('id="ratings"')]
    assert '<p class="written">The first line.\nThe second line.</p>' in shown, "line breaks kept"
    assert "Yes, delete my review" in shown, "deleting asks once more"
    deleted = await submit(browser, page, f"{page}/review/delete")
    assert deleted.headers["location"] == f"{page}?done=review-deleted#ratings"
    assert "Your review is deleted." in (await browser.get(deleted.headers["location"])).text


async def test_log_in_from_the_header_comes_back_to_the_page(
    browser: Client, db: asyncpg.Connection
) -> None:
    course = await a_course(db)
    page = f"/courses/{course['slug']}"
    header = (await browser.get(page)).text
    link = re.search(r'href="(/login[^"]*)">Log in</a>', header)
    assert link and link.group(1) == f"/login?next={page}"
    form = (await browser.get(link.group(1))).text
    assert f'name="next" value="{page}"' in form
    assert 'href="/login">Log in</a>' in (await browser.get("/login")).text


@pytest.mark.parametrize(
    ("password", "told"),
    [
        (" " * 12, "at least 8 of them not spaces"),  # not "Please fill this in."
        ("password123", "too easy to guess: it is one of the most used passwords"),
    ],
)
async def test_a_refused_password_is_told_why_beside_the_field(
    browser: Client, password: str, told: str
) -> None:
    email = f"pw-{uuid.uuid4().hex[:8]}@example.com"
    response = await submit(
        browser, "/register", "/register", email=email, password=password, first_name="Sam"
    )
    assert response.status_code == 400 and _focused(response.text) == "password"
    assert told in response.text and "Please fill this in." not in response.text
    assert f'value="{email}"' in response.text  # what was typed is kept


async def test_the_log_in_page_opens_at_its_first_field(browser: Client) -> None:
    """An add started signed out lands on the log-in page: the keyboard starts in the email
    field, not at the top of the page (and a refused log-in at its error, as before)."""
    page = await browser.get("/login", params={"next": "/cart"})
    assert _focused(page.text) == "email"


async def test_refusals_say_what_is_wrong_with_what_was_typed(
    browser: Client, db: asyncpg.Connection
) -> None:
    """A list name with a "<", a coupon with one, say so (they said only how long the text
    may be, though it was short enough)."""
    await sign_up(browser)
    named = await submit(browser, "/wishlists", "/wishlists/create", name="<b>Later</b> 🐍")
    assert named.status_code == 400 and "This may not contain “&lt;”" in named.text
    assert "1 to 120 characters" not in named.text
    course = await a_course(db)
    await submit(browser, "/", "/cart/add", course_id=str(course["id"]))
    coupon = await submit(browser, "/cart", "/cart/coupon", code="<script>")
    assert coupon.status_code == 400 and "This may not contain “&lt;”" in coupon.text
