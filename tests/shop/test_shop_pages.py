"""Shopping through the pages: session cookie, CSRF, forms that POST and redirect."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.support.pages import Client, sign_up, submit
from tests.support.shoppers import PASSWORD, co_buyers

Client = Any


async def a_course(db: asyncpg.Connection, skip: int = 0) -> asyncpg.Record:
    return await db.fetchrow(
        "SELECT id, slug, title FROM courses WHERE status = 'published' AND deleted_at IS NULL "
        "AND list_price_cents > 0 ORDER BY md5(slug) OFFSET $1 LIMIT 1",
        skip,
    )


async def test_anonymous_actions_go_to_log_in(browser: Client, db: asyncpg.Connection) -> None:
    response = await browser.get("/cart")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/cart"
    course = await a_course(db)
    response = await submit(
        browser,
        f"/courses/{course['slug']}",
        "/cart/add",
        course_id=str(course["id"]),
        back=f"/courses/{course['slug']}",
    )
    assert response.status_code == 303
    # The log-in page comes back to the course, and finishes the add (test_journey.py).
    assert response.headers["location"] == (
        f"/login?next=/courses/{course['slug']}&add={course['id']}"
    )


async def test_forms_need_the_csrf_token(browser: Client) -> None:
    await browser.get("/login")  # sets the CSRF cookie
    response = await browser.post("/login", data={"email": "a@b.cd", "password": "x"})
    assert response.status_code == 403


async def test_a_token_that_is_not_text_is_refused_not_a_500(browser: Client) -> None:
    """Litestar compared the token as it came: a file part raised in ``len()``, 65
    non-ASCII characters in ``compare_digest`` (a 500 on every form, signed out)."""
    await browser.get("/login")  # sets the CSRF cookie
    as_file = await browser.post(
        "/login", files={"_csrf_token": ("token.txt", b"x" * 80)}, data={"email": "a@b.cd"}
    )
    assert as_file.status_code == 403, as_file.text[-300:]
    for field in ("é" * 65, "é" * 200):
        posted = await browser.post("/cart/add", data={"_csrf_token": field})
        assert posted.status_code == 403, posted.text[-300:]
        header = await browser.post("/cart/add", headers={"x-csrftoken": field.encode()})
        assert header.status_code == 403, header.text[-300:]


async def test_log_in_page(browser: Client) -> None:
    address = await sign_up(browser)
    browser.cookies.clear()
    wrong = await submit(browser, "/login", "/login", email=address, password="nope-nope-nope")
    assert wrong.status_code == 401 and "Wrong email or password" in wrong.text
    right = await submit(
        browser, "/login?next=/cart", "/login", email=address, password=PASSWORD, next="/cart"
    )
    assert right.status_code == 303 and right.headers["location"] == "/cart"
    browser.cookies.clear()  # signed in, the log-in page leads onward
    evil = await submit(
        browser, "/login", "/login", email=address, password=PASSWORD, next="//evil.example/"
    )
    assert evil.headers["location"] == "/", "no open redirect"


async def test_shop_review_ask_and_log_out(browser: Client, db: asyncpg.Connection) -> None:
    await sign_up(browser)
    course = await a_course(db)
    page = f"/courses/{course['slug']}"
    added = await submit(browser, page, "/cart/add", course_id=str(course["id"]), back=page)
    assert added.status_code == 303 and added.headers["location"] == "/cart"
    assert course["title"] in (await browser.get("/cart")).text
    bought = await submit(browser, "/cart", "/cart/checkout")
    assert bought.headers["location"].startswith("/orders/")
    receipt = (await browser.get(bought.headers["location"])).text
    assert course["title"] in receipt and "Start learning" in receipt

    before = await db.fetchval("SELECT count(*) FROM course_reviews")
    bad = await submit(browser, page, f"{page}/review", rating="9")
    assert bad.status_code == 400 and "rating" in bad.text and 'class="site-header"' in bad.text
    assert await db.fetchval("SELECT count(*) FROM course_reviews") == before
    posted = await submit(
        browser,
        page,
        f"{page}/review",
        rating="5",
        title="Loved it",
        body="Clear explanations and useful projects throughout.",
    )
    assert posted.status_code == 303
    assert await db.fetchval("SELECT count(*) FROM course_reviews") == before + 1
    asked = await submit(
        browser, page, f"{page}/question", question="Is there a community forum for this course?"
    )
    assert asked.status_code == 303 and asked.headers["location"].endswith("?done=asked#qa")
    assert "Your question is posted" in (await browser.get(asked.headers["location"])).text
    questions = await db.fetchval("SELECT count(*) FROM course_questions")
    short = await submit(browser, page, f"{page}/question", question="   why?       ")
    assert short.status_code == 400 and 'class="site-header"' in short.text
    assert await db.fetchval("SELECT count(*) FROM course_questions") == questions

    other = await a_course(db, skip=1)
    await submit(browser, page, "/wishlists/add", course_id=str(other["id"]))
    lists = (await browser.get("/wishlists")).text
    assert other["title"] in lists
    wishlist_id = re.search(r'name="wishlist_id" value="([^"]+)"', lists).group(1)  # type: ignore[union-attr]
    moved = await submit(
        browser,
        "/wishlists",
        "/wishlists/move",
        wishlist_id=wishlist_id,
        course_id=str(other["id"]),
    )
    assert moved.headers["location"] == "/cart?done=to-cart"
    shown = (await browser.get(moved.headers["location"])).text
    assert other["title"] in shown and "Moved to your cart." in shown
    # The notice says only what a form did: an address cannot make the page say more.
    forged = (await browser.get("/cart?done=<b>you+won</b>")).text
    assert "you won" not in forged and "notice success" not in forged

    assert "Log out" in (await browser.get("/")).text
    out = await submit(browser, "/cart", "/logout")
    assert out.status_code == 303
    assert (await browser.get("/cart")).status_code == 303
    assert "Log in" in (await browser.get("/")).text


def test_the_csrf_secret_is_shared_by_racing_workers(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from search_service.pages.csrf import csrf_secret
    from search_service.settings import Settings

    settings = Settings(data_dir=tmp_path)
    with ThreadPoolExecutor(8) as pool:
        secrets_seen = set(pool.map(lambda _: csrf_secret(settings), range(16)))
    assert len(secrets_seen) == 1 and len(secrets_seen.pop()) == 64
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret_key"]


async def test_a_bad_coupon_and_a_vote_through_the_pages(
    browser: Client, db: asyncpg.Connection
) -> None:
    address = await sign_up(browser)
    course = await a_course(db, skip=2)
    page = f"/courses/{course['slug']}"
    await submit(browser, page, "/cart/add", course_id=str(course["id"]), back=page)
    bad = await submit(browser, "/cart", "/cart/coupon", code="NO-SUCH-CODE")
    assert 400 <= bad.status_code < 500 and 'class="site-header"' in bad.text
    assert "coupon" in bad.text.lower()
    assert (
        await db.fetchval(
            "SELECT count(*) FROM carts c JOIN users u ON u.id = c.student_id "
            "WHERE c.coupon_id IS NOT NULL AND u.email LIKE 'shopper-%'"
        )
        == 0
    )

    review = await db.fetchrow(
        "SELECT r.id, c.slug FROM course_reviews r JOIN courses c ON c.id = r.course_id "
        "WHERE c.status = 'published' AND c.deleted_at IS NULL LIMIT 1"
    )
    if review is None:
        pytest.fail("the demo catalog has no reviews")
    review_page = f"/courses/{review['slug']}"
    refused = await submit(
        browser, review_page, f"{review_page}/vote", review_id=str(review["id"]), vote="helpful"
    )
    assert refused.status_code == 403, "only buyers judge a course's reviews"
    assert "Only students who bought this course" in refused.text
    await db.execute(
        "INSERT INTO enrollments (course_id, student_id) SELECT c.id, u.id FROM courses c, "
        "users u WHERE c.slug = $1 AND u.email = $2",
        review["slug"],
        address,
    )
    voted = await submit(
        browser, review_page, f"{review_page}/vote", review_id=str(review["id"]), vote="helpful"
    )
    assert voted.status_code == 303 and voted.headers["location"].endswith("#ratings")
    assert (
        await db.fetchval(
            "SELECT count(*) FROM review_helpful_votes v JOIN users u ON u.id = v.student_id "
            "WHERE v.review_id = $1 AND u.email LIKE 'shopper-%'",
            review["id"],
        )
        == 1
    )


async def test_named_wishlists_through_the_pages(browser: Client, db: asyncpg.Connection) -> None:
    address = await sign_up(browser)
    course = await a_course(db, skip=3)
    await submit(browser, "/wishlists", "/wishlists/add", course_id=str(course["id"]))
    count = (
        "SELECT count(*) FROM wishlists w JOIN users u ON u.id = w.student_id WHERE u.email = $1"
    )
    before = await db.fetchval(count, address)
    blank = await submit(browser, "/wishlists", "/wishlists/create", name="")
    assert blank.status_code == 400 and 'class="site-header"' in blank.text
    assert await db.fetchval(count, address) == before
    made = await submit(browser, "/wishlists", "/wishlists/create", name="Later")
    assert made.status_code == 303
    assert await db.fetchval(count, address) == before + 1
    page = (await browser.get("/wishlists")).text
    later = re.search(r'<option value="([^"]+)">Later</option>', page).group(1)  # type: ignore[union-attr]
    await submit(
        browser, "/wishlists", "/wishlists/add", course_id=str(course["id"]), wishlist_id=later
    )
    assert (
        await db.fetchval(
            "SELECT count(*) FROM wishlist_items WHERE wishlist_id = $1 AND course_id = $2",
            uuid.UUID(later),
            course["id"],
        )
        == 1
    )
    # On both lists now: neither offers to add it to the other again.
    assert "Also add" not in (await browser.get("/wishlists")).text


async def test_the_cart_says_what_its_buttons_did(browser: Client, db: asyncpg.Connection) -> None:
    await sign_up(browser)
    first, second = await a_course(db), await a_course(db, skip=1)
    for course in (first, second):
        await submit(browser, "/", "/cart/add", course_id=str(course["id"]))
    removed = await submit(browser, "/cart", "/cart/remove", course_id=str(first["id"]))
    assert removed.headers["location"] == "/cart?done=removed"
    cart = (await browser.get(removed.headers["location"])).text
    assert "Removed from your cart." in cart
    saved = await submit(browser, "/cart", "/wishlists/from-cart", course_id=str(second["id"]))
    assert saved.headers["location"] == "/cart?done=saved"
    assert "Moved to your wishlist." in (await browser.get(saved.headers["location"])).text
    assert second["title"] in (await browser.get("/wishlists")).text


async def test_a_refused_coupon_shows_the_same_cart_page_again(
    browser: Client, db: asyncpg.Connection
) -> None:
    """The cart shown again for a coupon it refused is the cart as it was: its lines, the
    typed code and "Frequently bought together" too (which the re-render once left out)."""
    from search_service.merchandising.service import MIN_CO_BUYERS, refresh_recommendations

    first, other = await a_course(db, 3), await a_course(db, 4)
    await co_buyers(db, [first["id"], other["id"]], MIN_CO_BUYERS + 1)
    await refresh_recommendations(db)
    await sign_up(browser)
    page = f"/courses/{first['slug']}"
    added = await submit(browser, page, "/cart/add", course_id=str(first["id"]), back=page)
    assert added.status_code == 303
    shown = (await browser.get("/cart")).text
    assert "Frequently bought together" in shown and f"/courses/{other['slug']}" in shown
    refused = await submit(browser, "/cart", "/cart/coupon", code="NOSUCHCODE")
    assert refused.status_code == 400
    assert 'value="NOSUCHCODE"' in refused.text and f"/courses/{first['slug']}" in refused.text
    assert "Frequently bought together" in refused.text
    assert f"/courses/{other['slug']}" in refused.text


@pytest.mark.parametrize(
    ("page", "action", "fields"),
    [
        ("/cart", "/cart/add", {"course_id": "nope"}),
        ("/wishlists", "/wishlists/add", {"course_id": "nope"}),
        ("/wishlists", "/wishlists/remove", {"course_id": "nope", "wishlist_id": "nope"}),
    ],
)
async def test_a_changed_hidden_field_is_said_on_the_page(
    browser: Client, db: asyncpg.Connection, page: str, action: str, fields: dict[str, str]
) -> None:
    """A hidden id that comes back wrong (a page edited in the browser) shows the page again
    with a message a shopper can read, not a page that failed without a word; nothing is
    written."""
    address = await sign_up(browser)
    owned = (
        "SELECT (SELECT count(*) FROM cart_items i JOIN carts c ON c.id = i.cart_id "
        "WHERE c.student_id = u.id) + (SELECT count(*) FROM wishlist_items i JOIN wishlists w "
        "ON w.id = i.wishlist_id WHERE w.student_id = u.id) FROM users u WHERE u.email = $1"
    )
    before = await db.fetchval(owned, address)
    response = await submit(browser, page, action, **fields)
    assert response.status_code == 400 and 'class="site-header"' in response.text
    assert "came back changed or out of date" in response.text
    assert await db.fetchval(owned, address) == before


async def test_buy_now_from_a_stale_cart_page_buys_nothing_unseen(
    browser: Client, db: asyncpg.Connection
) -> None:
    """The cart page open in two tabs: one removes a course, the other's "Buy now" shows the
    cart again with a message instead of buying a set the shopper did not see."""
    address = await sign_up(browser)
    first, second = await a_course(db, skip=5), await a_course(db, skip=6)
    for course in (first, second):
        await submit(browser, "/", "/cart/add", course_id=str(course["id"]))
    stale = (await browser.get("/cart")).text
    items = re.search(r'name="expected_items" value="([^"]+)"', stale).group(1)  # type: ignore[union-attr]
    total = re.search(r'name="expected_total_cents" value="([^"]+)"', stale).group(1)  # type: ignore[union-attr]
    assert set(items.split(",")) == {str(first["id"]), str(second["id"])}
    await submit(browser, "/cart", "/cart/remove", course_id=str(first["id"]))
    bought = (
        "SELECT count(*) FROM enrollments e JOIN users u ON u.id = e.student_id WHERE u.email = $1"
    )
    refused = await submit(
        browser,
        "/cart",
        "/cart/checkout",
        expected_total_cents=total,
        expected_currency="USD",
        expected_items=items,
    )
    assert refused.status_code == 409 and "Your cart changed since this page" in refused.text
    assert second["title"] in refused.text
    assert await db.fetchval(bought, address) == 0


async def test_a_course_gone_since_the_page_was_shown_is_said_as_it_is(
    browser: Client, db: asyncpg.Connection
) -> None:
    """The service's own words for a hidden field's problem ("No published course has this
    id."), not "came back changed": reloading would not help."""
    await sign_up(browser)
    course = await a_course(db, skip=7)
    page = f"/courses/{course['slug']}"
    token_page = (await browser.get(page)).text
    assert course["title"] in token_page
    await db.execute("UPDATE courses SET status = 'archived' WHERE id = $1", course["id"])
    gone = await submit(browser, "/cart", "/cart/add", course_id=str(course["id"]))
    assert gone.status_code == 404 and "No published course has this id." in gone.text
    assert "came back changed" not in gone.text


async def test_a_list_is_renamed_and_deleted_through_the_page(
    browser: Client, db: asyncpg.Connection
) -> None:
    address = await sign_up(browser)
    await submit(browser, "/wishlists", "/wishlists/create", name="Later")
    page = (await browser.get("/wishlists")).text
    assert page.count("Rename or delete") == 1, "Favorites has none"
    # An empty list says so (it said "removes the 0 courses"); its button is short whatever
    # the list's name, which a screen reader still hears.
    assert "The list is empty." in page and "0 courses" not in page
    assert 'Delete list<span class="visually-hidden"> Later</span>' in page
    later_id = str(
        await db.fetchval(
            "SELECT w.id FROM wishlists w JOIN users u ON u.id = w.student_id "
            "WHERE u.email = $1 AND w.name = 'Later'",
            address,
        )
    )
    taken = await submit(
        browser, "/wishlists", "/wishlists/rename", wishlist_id=later_id, name="favorites"
    )
    assert taken.status_code == 409 and "You already have a list called" in taken.text
    assert 'value="favorites"' in taken.text, "the typed name is kept"
    # The page's rename takes what a new list's name takes (a 200-character name was a 500:
    # the column holds 120), said beside the field with what was typed kept.
    long_name = "Weekend " * 25
    refused = await submit(
        browser, "/wishlists", "/wishlists/rename", wishlist_id=later_id, name=long_name
    )
    assert refused.status_code == 400 and "a name of 1 to 120 characters" in refused.text
    assert f'value="{long_name}"' in refused.text
    for blank in ("   ", "a<b"):
        refused = await submit(
            browser, "/wishlists", "/wishlists/rename", wishlist_id=later_id, name=blank
        )
        assert refused.status_code == 400, blank
    assert await db.fetchval("SELECT name FROM wishlists WHERE id = $1", uuid.UUID(later_id)) == (
        "Later"
    )
    renamed = await submit(
        browser, "/wishlists", "/wishlists/rename", wishlist_id=later_id, name="Next"
    )
    assert renamed.headers["location"] == "/wishlists?done=list-renamed"
    assert ">Next <span" in (await browser.get("/wishlists")).text
    deleted = await submit(browser, "/wishlists", "/wishlists/delete", wishlist_id=later_id)
    assert deleted.headers["location"] == "/wishlists?done=list-deleted"
    shown = (await browser.get(deleted.headers["location"])).text
    assert "The list is deleted." in shown and ">Next <span" not in shown


async def test_the_cart_shows_a_sale_against_the_price_before_it(
    browser: Client, db: asyncpg.Connection
) -> None:
    """A course on sale shows what it cost before, struck through, as a coupon's price does."""
    await sign_up(browser)
    course = await db.fetchrow(
        "SELECT id, list_price_cents FROM courses WHERE status = 'published' "
        "AND deleted_at IS NULL AND currency = 'USD' AND list_price_cents > 1000 "
        "AND sale_price_cents IS NULL ORDER BY md5(slug) LIMIT 1"
    )
    await db.execute("UPDATE courses SET sale_price_cents = 999 WHERE id = $1", course["id"])
    await submit(browser, "/", "/cart/add", course_id=str(course["id"]))
    cart = (await browser.get("/cart")).text
    listed = f"${course['list_price_cents'] / 100:,.2f}"
    assert "<strong>$9.99</strong>" in cart
    assert f'<s aria-label="Original price">{listed}</s>' in cart


async def test_a_form_s_address_opened_as_a_page_leads_to_its_page(
    browser: Client, db: asyncpg.Connection
) -> None:
    """A refused form leaves its action in the address bar (/cart/coupon): opening that
    address, or sharing it, leads to the page the form is on, not to a 405 page; and a
    page no route has shows a signed-in shopper as signed in, not "Log in"."""
    await sign_up(browser)
    slug = await db.fetchval(
        "SELECT slug FROM courses WHERE status = 'published' AND deleted_at IS NULL LIMIT 1"
    )
    for action, page in (
        ("/cart/coupon", "/cart"),
        ("/wishlists/create", "/wishlists"),
        (f"/courses/{slug}/review", f"/courses/{slug}"),
        (f"/courses/{slug}/review/delete", f"/courses/{slug}/review"),
        ("/logout", "/"),
    ):
        went = await browser.get(action)
        assert (went.status_code, went.headers.get("location")) == (303, page), action
    # Other methods, and the API, still say which methods an address takes.
    assert (await browser.put("/cart/coupon")).status_code == 405
    assert (await browser.get("/api/v1/auth/logout")).status_code == 405
    for missing in ("/nope", "/courses/x/y/z"):
        html = (await browser.get(missing)).text
        header = html.split('class="site-header"', 1)[1].split("</header>", 1)[0]
        assert ">Log in</a>" not in header and ">My learning</a>" in header, missing


async def test_a_mentor_is_offered_no_cart_but_their_instructor_page(
    browser: Client, db: asyncpg.Connection
) -> None:
    """A mentor's (or an admin's) account has no student profile: the header's Cart, the
    menu's Wishlists and a course's Add to cart all ended in "Only student accounts …"."""
    import hashlib
    import secrets

    own = await db.fetchrow(
        "SELECT c.slug, c.mentor_id, u.first_name, u.last_name FROM courses c "
        "JOIN users u ON u.id = c.mentor_id WHERE c.status = 'published' "
        "AND c.deleted_at IS NULL AND u.status = 'active' "
        "AND NOT EXISTS (SELECT 1 FROM students s WHERE s.user_id = c.mentor_id) "
        "ORDER BY c.slug LIMIT 1"
    )
    other = await db.fetchval(
        "SELECT slug FROM courses WHERE status = 'published' AND deleted_at IS NULL "
        "AND mentor_id <> $1 ORDER BY slug LIMIT 1",
        own["mentor_id"],
    )
    token = secrets.token_urlsafe(32)
    await db.execute(
        "INSERT INTO auth_tokens (user_id, token_hash, expires_at) "
        "VALUES ($1, $2, now() + interval '1 day')",
        own["mentor_id"],
        hashlib.sha256(token.encode()).digest(),
    )
    browser.cookies.set("skillspring_session", token)
    home = (await browser.get("/")).text
    assert 'id="cart-link"' not in home and ">Wishlists<" not in home
    assert "Your instructor page" in home
    mine = (await browser.get(f"/courses/{own['slug']}")).text
    assert "This is your course." in mine and 'action="/cart/add"' not in mine
    theirs = (await browser.get(f"/courses/{other}")).text
    assert "Courses are bought with a student account" in theirs
    assert 'action="/cart/add"' not in theirs and 'action="/wishlists/add"' not in theirs
    browser.cookies.clear()
    await sign_up(browser)  # a student: all of it, as before
    shopper = (await browser.get(f"/courses/{other}")).text
    assert 'id="cart-link"' in shopper and 'action="/cart/add"' in shopper
    assert "Your instructor page" not in shopper


async def test_a_coupon_on_a_free_cart_takes_off_nothing_not_free(
    browser: Client, db: asyncpg.Connection
) -> None:
    """The cart of a free course with a coupon read "Coupon, 10% off −Free"."""
    await sign_up(browser)
    free = await db.fetchrow(
        "SELECT id, slug FROM courses WHERE status = 'published' AND deleted_at IS NULL "
        "AND list_price_cents = 0 ORDER BY slug LIMIT 1"
    )
    page = f"/courses/{free['slug']}"
    added = await submit(browser, page, "/cart/add", course_id=str(free["id"]), back=page)
    assert added.status_code == 303
    applied = await submit(browser, "/cart", "/cart/coupon", code="WELCOME10")
    assert applied.status_code == 303, applied.text[-400:]
    html = (await browser.get("/cart")).text
    assert "−$0.00" in html and "−Free" not in html


def _checkout_fields(cart: str, *more: str) -> dict[str, str]:
    """The cart page's Buy now form: what it says it buys (and ``more`` of its fields)."""
    names = ("expected_items", "expected_total_cents", "expected_currency", *more)
    return {
        name: re.search(rf'name="{name}" value="([^"]*)"', cart).group(1)  # type: ignore[union-attr]
        for name in names
    }


async def test_buy_now_in_a_tab_bought_from_another_leads_to_what_was_bought(
    browser: Client, db: asyncpg.Connection
) -> None:
    """The cart open in two tabs, bought in one: the other's "Buy now" said "Reload your
    cart and try again" over an empty cart, with no way to the order just placed."""
    await sign_up(browser)
    course = await a_course(db, skip=8)
    await submit(browser, "/", "/cart/add", course_id=str(course["id"]))
    stale = (await browser.get("/cart")).text
    fields = _checkout_fields(stale)
    first = await submit(browser, "/cart", "/cart/checkout", **fields)
    assert first.status_code == 303
    again = await submit(browser, "/cart", "/cart/checkout", **fields)
    assert again.status_code in (400, 409), again.status_code
    empty = again.text.split('class="empty-state"', 1)[1].split("</div>", 1)[0]
    assert 'href="/orders"' in empty and 'href="/my-learning"' in empty, empty


async def _owning(browser: Client, db: asyncpg.Connection, skip: int) -> asyncpg.Record:
    """A new shopper signed in who owns a course (the review form shows): the course."""
    address = await sign_up(browser)
    course = await a_course(db, skip=skip)
    await db.execute(
        "INSERT INTO enrollments (course_id, student_id) SELECT $1, id FROM users WHERE email = $2",
        course["id"],
        address,
    )
    return course


async def test_a_review_with_two_mistakes_focuses_the_first_field(
    browser: Client, db: asyncpg.Connection
) -> None:
    """No rating and a short body: both were marked, but the body (further down) had the
    focus: a blank field left out of the post was named after the fields sent."""
    course = await _owning(browser, db, skip=9)
    page = f"/courses/{course['slug']}"
    refused = await submit(browser, page, f"{page}/review", rating="", body="short")
    assert refused.status_code == 400
    focused = re.findall(r"<(?:input|select|textarea)[^>]*\bautofocus\b[^>]*>", refused.text)
    assert len(focused) == 1 and 'name="rating"' in focused[0], focused


async def test_a_review_form_from_an_older_page_keeps_its_text_and_says_why(
    browser: Client, db: asyncpg.Connection
) -> None:
    """Posted from a second tab after the first had posted a review, the form was refused
    (409) with nothing said and the text gone: the new-review form is not on the page once
    there is a review. Likewise an edit of a review deleted since (404)."""
    course = await _owning(browser, db, skip=10)
    page = f"/courses/{course['slug']}"
    first = await submit(browser, page, f"{page}/review", rating="5", body="A" * 30)
    assert first.status_code == 303
    typed = "Written in the other tab, and worth keeping."
    again = await submit(browser, page, f"{page}/review", rating="2", body=typed)
    assert again.status_code == 409
    mine = again.text.split('id="my-review"', 1)[1].split("</article>", 1)[0]
    assert "You have already reviewed this course" in mine and f">{typed}</textarea>" in mine
    deleted = await submit(browser, page, f"{page}/review/delete")
    assert deleted.status_code == 303
    edited = await submit(browser, page, f"{page}/review/edit", rating="3", body=typed)
    assert edited.status_code == 404
    form = edited.text.split('id="review-form"', 1)[1].split("</form>", 1)[0]
    assert "No such review of yours." in form or "not reviewed" in form
    assert f">{typed}</textarea>" in form


async def test_renaming_a_list_deleted_in_another_tab_says_so(
    browser: Client, db: asyncpg.Connection
) -> None:
    """The rename of a list deleted since was a 404 page saying nothing: its message stood
    under the list, which is gone."""
    await sign_up(browser)
    made = await submit(browser, "/wishlists", "/wishlists/create", name="For later")
    assert made.status_code == 303
    listed = (await browser.get("/wishlists")).text
    wishlist = re.findall(r'name="wishlist_id" value="([0-9a-f-]{36})"', listed)[-1]
    gone = await submit(browser, "/wishlists", "/wishlists/delete", wishlist_id=wishlist)
    assert gone.status_code == 303
    renamed = await submit(
        browser, "/wishlists", "/wishlists/rename", wishlist_id=wishlist, name="Someday"
    )
    assert renamed.status_code == 404 and "No such wishlist." in renamed.text


async def test_a_vote_comes_back_to_the_reviews_as_they_stood(
    browser: Client, db: asyncpg.Connection
) -> None:
    """A vote from the third page of the newest reviews led to the first page of the most
    helpful: the reader lost their place."""
    address = await sign_up(browser)
    course = await db.fetchrow(
        "SELECT c.id, c.slug FROM courses c JOIN course_reviews r ON r.course_id = c.id "
        "WHERE c.status = 'published' AND c.deleted_at IS NULL "
        "GROUP BY c.id HAVING count(*) >= 25 ORDER BY c.slug LIMIT 1"
    )
    await db.execute(
        "INSERT INTO enrollments (course_id, student_id) SELECT $1, id FROM users WHERE email = $2",
        course["id"],
        address,
    )
    page = f"/courses/{course['slug']}?reviews=recent&rpage=3"
    html = (await browser.get(page)).text
    review = re.search(r'name="review_id" value="([0-9a-f-]{36})"', html).group(1)  # type: ignore[union-attr]
    assert 'name="view" value="reviews=recent&amp;rpage=3"' in html
    voted = await submit(
        browser,
        page,
        f"/courses/{course['slug']}/vote",
        review_id=review,
        vote="helpful",
        view="reviews=recent&rpage=3",
    )
    assert voted.status_code == 303
    assert voted.headers["location"] == f"/courses/{course['slug']}?reviews=recent&rpage=3#ratings"
    odd = await submit(
        browser,
        page,
        f"/courses/{course['slug']}/vote",
        review_id=review,
        vote="helpful",
        view="rpage=-1&next=//evil.example",
    )
    assert odd.headers["location"] == f"/courses/{course['slug']}#ratings"
    # Refused (a review deleted since), the page shown again is the reviews as they stood.
    refused = await submit(
        browser,
        page,
        f"/courses/{course['slug']}/vote",
        review_id=str(uuid.uuid4()),
        vote="helpful",
        view="reviews=recent&rpage=3",
    )
    assert refused.status_code == 404
    assert 'name="view" value="reviews=recent&amp;rpage=3"' in refused.text


async def test_buy_now_sent_twice_leads_both_times_to_the_receipt(
    browser: Client, db: asyncpg.Connection
) -> None:
    """Without script, a double click sends Buy now twice: the first bought, the second
    answered "Reload your cart and try again" over an empty cart."""
    await sign_up(browser)
    course = await a_course(db, skip=11)
    await submit(browser, "/", "/cart/add", course_id=str(course["id"]))
    cart = (await browser.get("/cart")).text
    fields = _checkout_fields(cart, "_csrf_token")
    first = await browser.post("/cart/checkout", data=fields)
    second = await browser.post("/cart/checkout", data=fields)
    assert first.status_code == second.status_code == 303, second.text[-400:]
    assert second.headers["location"] == first.headers["location"]
    assert "/orders/" in first.headers["location"]


async def test_orders_past_the_last_page_lead_back_to_the_first(browser: Client) -> None:
    """/orders?page=2 said "No more orders." with only "Find a course"."""
    await sign_up(browser)
    past = (await browser.get("/orders", params={"page": "2"})).text
    assert "No more orders." in past and 'href="/orders">Your latest orders' in past
