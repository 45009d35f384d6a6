"""The shopper's journey through the pages (HTTP level; the browser tests drive the same in
Chromium): an add to cart started signed out finishes after log-in or sign-up, adds without
leaving the page, the header's cart count, reviews paged, filtered, edited and deleted by
their author, and what a course page offers to whom."""

from __future__ import annotations

import re
import uuid
from typing import Any

import asyncpg
import pytest

from tests.support.pages import csrf, sign_up, submit
from tests.support.shoppers import PASSWORD, account, courses

Client = Any


async def cart_of(db: asyncpg.Connection, email: str) -> list[uuid.UUID]:
    rows = await db.fetch(
        "SELECT ci.course_id FROM cart_items ci JOIN carts c ON c.id = ci.cart_id "
        "JOIN users u ON u.id = c.student_id WHERE u.email = $1 AND c.status = 'open'",
        email,
    )
    return [r["course_id"] for r in rows]


def cart_count(html: str) -> int | None:
    match = re.search(r'id="cart-count"( hidden)?>(\d+)<', html)
    assert match, "the header has a cart count"
    return None if match.group(1) else int(match.group(2))


async def test_an_add_started_signed_out_finishes_after_log_in(
    browser: Client, db: asyncpg.Connection
) -> None:
    email = await account(db)
    course = (await courses(db, 1, fresh=True))[0]
    page = f"/courses/{course['slug']}"
    started = await submit(browser, page, "/cart/add", course_id=str(course["id"]), back=page)
    assert started.status_code == 303
    login = started.headers["location"]
    form = (await browser.get(login)).text
    assert f'name="add" value="{course["id"]}"' in form and "finish adding" in form
    token = await csrf(browser, login)
    done = await browser.post(
        "/login",
        data={
            "_csrf_token": token,
            "email": email,
            "password": PASSWORD,
            "next": page,
            "add": str(course["id"]),
        },
    )
    assert done.status_code == 303 and done.headers["location"].startswith("/cart?added=")
    assert await cart_of(db, email) == [course["id"]]
    shown = (await browser.get(done.headers["location"])).text
    assert course["title"] in shown and "is in your cart" in shown
    assert cart_count(shown) == 1


async def test_a_pending_add_that_cannot_be_done_just_signs_in(
    browser: Client, db: asyncpg.Connection
) -> None:
    email = await account(db)
    token = await csrf(browser, "/login")
    done = await browser.post(
        "/login",
        data={
            "_csrf_token": token,
            "email": email,
            "password": PASSWORD,
            "next": "/search?q=python",
            "add": str(uuid.uuid4()),  # no such course
        },
    )
    assert done.status_code == 303 and done.headers["location"] == "/search?q=python"
    assert "skillspring_session=" in done.headers["set-cookie"]
    assert await cart_of(db, email) == []


async def test_sign_up_also_finishes_the_add(browser: Client, db: asyncpg.Connection) -> None:
    course = (await courses(db, 1, fresh=True))[0]
    page = f"/courses/{course['slug']}"
    register = f"/register?next={page}&add={course['id']}"
    html = (await browser.get(register)).text
    assert f'name="add" value="{course["id"]}"' in html
    address = f"new-{uuid.uuid4().hex[:8]}@example.com"
    done = await submit(
        browser,
        register,
        "/register",
        email=address,
        password=PASSWORD,
        first_name="Ana",
        next=page,
        add=str(course["id"]),
    )
    assert done.status_code == 303 and done.headers["location"].startswith("/cart?added=")
    assert await cart_of(db, address) == [course["id"]]


async def test_add_to_cart_by_script_stays_on_the_page(
    browser: Client, db: asyncpg.Connection
) -> None:
    address = await sign_up(browser)
    course = (await courses(db, 1, fresh=True))[0]
    page = f"/courses/{course['slug']}"
    html = (await browser.get(page)).text
    assert cart_count(html) is None and "data-add-to-cart" in html
    token = await csrf(browser, page)
    fields = {"_csrf_token": token, "course_id": str(course["id"]), "back": page}
    added = await browser.post("/cart/add", data=fields, headers={"Accept": "application/json"})
    assert added.status_code == 200, added.text
    assert added.json() == {"cart_count": 1, "message": "Added to cart", "cart_url": "/cart"}
    assert cart_count((await browser.get(page)).text) == 1
    # Again (from a tab opened before): nothing changes, and the answer says so.
    again = await browser.post("/cart/add", data=fields, headers={"Accept": "application/json"})
    assert again.json() == {"cart_count": 1, "message": "Already in your cart", "cart_url": "/cart"}
    # A mistake is a problem document, and writes nothing.
    fields["course_id"] = str(uuid.uuid4())
    refused = await browser.post("/cart/add", data=fields, headers={"Accept": "application/json"})
    assert refused.status_code == 404
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "detail" in refused.json()
    assert await cart_of(db, address) == [course["id"]]


async def test_add_to_cart_by_script_signed_out_says_where_to_log_in(
    browser: Client, db: asyncpg.Connection
) -> None:
    course = (await courses(db, 1, fresh=True))[0]
    page = f"/courses/{course['slug']}"
    token = await csrf(browser, page)
    answer = await browser.post(
        "/cart/add",
        data={"_csrf_token": token, "course_id": str(course["id"]), "back": page},
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 401
    assert answer.json()["login_url"] == f"/login?next={page}&add={course['id']}"


async def reviewed_course(db: asyncpg.Connection, at_least: int) -> asyncpg.Record:
    row = await db.fetchrow(
        "SELECT c.id, c.slug, count(r.id) AS n FROM courses c "
        "JOIN course_reviews r ON r.course_id = c.id "
        "WHERE c.status = 'published' AND c.deleted_at IS NULL "
        "GROUP BY c.id HAVING count(r.id) >= $1 ORDER BY count(r.id) DESC LIMIT 1",
        at_least,
    )
    if row is None:
        pytest.fail(f"the demo catalog has no course with {at_least} reviews")
    return row


def review_ids(html: str) -> list[str]:
    return re.findall(r'name="review_id" value="([^"]+)"', html)


async def test_reviews_are_paged_and_filtered_by_stars(
    browser: Client, db: asyncpg.Connection
) -> None:
    course = await reviewed_course(db, 11)
    page = f"/courses/{course['slug']}"
    first = (await browser.get(page)).text
    assert f"Reviews 1–10 of {course['n']:,}" in first
    more = re.search(r'href="([^"]+)">More reviews</a>', first)
    assert more, "a course with more than 10 reviews links to more"
    second = (await browser.get(more.group(1).replace("&amp;", "&"))).text
    assert f"Reviews 11–{min(20, course['n'])} of {course['n']:,}" in second
    assert "Previous reviews" in second
    stars = await db.fetchrow(
        "SELECT rating, count(*) AS n FROM course_reviews WHERE course_id = $1 "
        "GROUP BY rating ORDER BY count(*) DESC LIMIT 1",
        course["id"],
    )
    filtered = (await browser.get(f"{page}?stars={stars['rating']}")).text
    assert f"Showing {stars['rating']}-star reviews only" in filtered
    assert f"of {stars['n']:,}</p>" in filtered
    ratings = re.findall(
        r'<article class="review">\s*<p><span class="rating" role="img" aria-label="Rated (\d)',
        filtered,
    )
    assert ratings and set(ratings) == {str(stars["rating"])}
    # A hand-edited link is never an error page.
    assert (await browser.get(f"{page}?stars=9&rpage=x")).status_code == 200


async def test_only_a_buyer_without_a_review_gets_the_form_and_edits_their_own(
    browser: Client, db: asyncpg.Connection
) -> None:
    address = await sign_up(browser)
    course = await reviewed_course(db, 2)
    page = f"/courses/{course['slug']}"
    html = (await browser.get(page)).text
    assert 'id="review-form"' not in html and "Students who bought this course" in html
    assert not review_ids(html), "no Helpful buttons for someone who did not buy"
    await db.execute(
        "INSERT INTO enrollments (course_id, student_id) SELECT $1, id FROM users WHERE email = $2",
        course["id"],
        address,
    )
    html = (await browser.get(page)).text
    assert 'id="review-form"' in html and review_ids(html)
    written = (
        "SELECT r.id, r.rating, r.title FROM course_reviews r "
        "JOIN users u ON u.id = r.student_id WHERE u.email = $1"
    )
    short = await submit(browser, page, f"{page}/review", rating="4", body="too short")
    assert (
        short.status_code == 400 and "too short" in short.text and 'id="review-form"' in short.text
    )
    assert await db.fetchrow(written, address) is None, "a refused review writes nothing"
    posted = await submit(
        browser,
        page,
        f"{page}/review",
        rating="4",
        title="Solid",
        body="A solid course, clearly explained.",
    )
    assert posted.status_code == 303
    html = (await browser.get(f"{page}?reviews=recent")).text
    assert 'id="review-form"' not in html, "the form goes once the buyer has reviewed"
    assert "Your review" in html and "This is your review." in html
    mine = (await db.fetchrow(written, address))["id"]
    assert str(mine) not in review_ids(html), "no Helpful buttons on your own review"
    bad = await submit(browser, page, f"{page}/review/edit", rating="2", body="short")
    assert (
        bad.status_code == 400
        and 'value="2" selected' in bad.text
        and ">short</textarea>" in bad.text
    )
    row = await db.fetchrow(written, address)
    assert (row["rating"], row["title"]) == (4, "Solid"), "a refused edit changes nothing"
    edited = await submit(
        browser,
        page,
        f"{page}/review/edit",
        rating="2",
        title="Changed",
        body="On reflection, too fast for me.",
    )
    assert edited.status_code == 303
    row = await db.fetchrow(written, address)
    assert (row["rating"], row["title"]) == (2, "Changed")
    deleted = await submit(browser, page, f"{page}/review/delete")
    assert deleted.status_code == 303
    assert await db.fetchrow(written, address) is None
    again = await submit(browser, page, f"{page}/review/delete")
    assert again.status_code == 404 and "You have not reviewed this course." in again.text
    assert 'id="review-form"' in (await browser.get(page)).text


async def test_course_page_offers_only_playable_previews_and_says_what_it_includes(
    browser: Client, db: asyncpg.Connection
) -> None:
    row = await db.fetchrow(
        "SELECT c.slug, l.id AS lecture, l.video_url FROM courses c "
        "JOIN course_sections s ON s.course_id = c.id "
        "JOIN lectures l ON l.section_id = s.id WHERE l.is_preview AND c.status = 'published' "
        "AND c.deleted_at IS NULL AND l.video_url IS NOT NULL LIMIT 1"
    )
    if row is None:
        pytest.fail("the demo catalog has no preview lectures")
    page = f"/courses/{row['slug']}"
    html = (await browser.get(page)).text
    assert ".example" not in html, "no link to a host that cannot serve anything"
    assert 'class="preview"' not in html
    playable = "UPDATE lectures SET video_url = $2 WHERE id = $1"
    await db.execute(playable, row["lecture"], "https://cdn.example.com/sample.mp4")
    try:
        html = (await browser.get(page)).text
    finally:
        await db.execute(playable, row["lecture"], row["video_url"])
    assert '<a class="preview" href="https://cdn.example.com/sample.mp4">Preview' in html
    assert "This course includes" in html and "on-demand video" in html
    # The video is its video lectures' minutes, not the whole course's (articles, quizzes).
    video = await db.fetchval(
        "SELECT sum(l.duration_minutes) FROM lectures l JOIN course_sections s "
        "ON s.id = l.section_id JOIN courses c ON c.id = s.course_id "
        "WHERE c.slug = $1 AND l.status = 'published' AND l.content_type = 'video'",
        row["slug"],
    )
    shown = f"{video / 60:.1f} hours" if video >= 60 else f"{video} minutes"
    assert f"<li>{shown} on-demand video</li>" in html
    assert "Expand all sections" in html
    expanded = (await browser.get(f"{page}?sections=all")).text
    sections = expanded.count('<details class="section"')
    assert sections > 1 and expanded.count('<details class="section" open>') == sections


async def test_a_backwards_price_range_is_read_the_right_way_round_on_pages(
    browser: Client, api: Client
) -> None:
    page = await browser.get("/search?q=python&price_min=5000&price_max=2000")
    assert page.status_code == 200
    assert "Remove filter $20 – $50" in page.text, "one chip for the range"
    assert page.text.count('class="chip"') == 1
    assert '<option value="2000" selected>$20</option>' in page.text
    # The API stays strict: a client sending this has a bug worth hearing about.
    refused = await api.get("/api/v1/search", params={"price_min": 5000, "price_max": 2000})
    assert refused.status_code == 400 and refused.json()["invalid_params"][0]["name"] == "price_min"


async def test_add_to_wishlist_started_signed_out_is_finished_by_log_in(
    browser: Client, db: asyncpg.Connection
) -> None:
    """Like an add to cart: log-in comes back with the course on the wishlist (it was
    forgotten, and Favorites stayed empty), to the course page it was added from."""
    email = await account(db)
    course = (await courses(db, 1, fresh=True))[0]
    page = f"/courses/{course['slug']}"
    token = await csrf(browser, page)
    asked = await browser.post(
        "/wishlists/add",
        data={"_csrf_token": token, "course_id": str(course["id"]), "back": page},
    )
    login = f"/login?next={page}&add={course['id']}&to=wishlist"
    assert asked.status_code == 303 and asked.headers["location"] == login
    html = (await browser.get(login)).text
    assert "Log in to finish adding the course to your wishlist." in html
    assert 'name="to" value="wishlist"' in html
    done = await submit(
        browser,
        login,
        "/login",
        email=email,
        password=PASSWORD,
        next=page,
        add=str(course["id"]),
        to="wishlist",
    )
    # Back to the course page, saying it is saved, as an add signed in does.
    assert done.status_code == 303 and done.headers["location"] == f"{page}?done=wished"
    listed = await db.fetchval(
        "SELECT count(*) FROM wishlist_items i JOIN wishlists w ON w.id = i.wishlist_id "
        "JOIN users u ON u.id = w.student_id WHERE u.email = $1 AND i.course_id = $2",
        email,
        course["id"],
    )
    assert listed == 1 and await cart_of(db, email) == []
    assert "Saved to your wishlist." in (await browser.get(done.headers["location"])).text


async def test_add_to_wishlist_stays_on_the_course_page(
    browser: Client, db: asyncpg.Connection
) -> None:
    """Saving a course from its page comes back to that page, saying so (it went to the
    wishlists page, away from the course being looked at); a page that is not ours is never
    where it goes."""
    await sign_up(browser)
    first, second = await courses(db, 2, fresh=True)
    page = f"/courses/{first['slug']}"
    html = (await browser.get(page)).text
    form = re.search(r'<form method="post" action="/wishlists/add">(.*?)</form>', html, re.S)
    assert form and f'name="back" value="{page}"' in form.group(1)
    saved = await submit(browser, page, "/wishlists/add", course_id=str(first["id"]), back=page)
    assert saved.status_code == 303 and saved.headers["location"] == f"{page}?done=wished"
    assert "Saved to your wishlist." in (await browser.get(saved.headers["location"])).text
    for elsewhere in ("//evil.example/x", "https://evil.example/", None):
        fields = {"course_id": str(second["id"])} | ({"back": elsewhere} if elsewhere else {})
        went = await submit(browser, page, "/wishlists/add", **fields)
        assert went.status_code == 303 and went.headers["location"] == "/wishlists?done=wished"
    listed = await db.fetch(
        "SELECT i.course_id FROM wishlist_items i JOIN wishlists w ON w.id = i.wishlist_id "
        "JOIN users u ON u.id = w.student_id WHERE u.email LIKE 'shopper-%' "
        "AND i.course_id = ANY($1::uuid[])",
        [first["id"], second["id"]],
    )
    assert {r["course_id"] for r in listed} == {first["id"], second["id"]}


async def test_the_header_s_log_in_and_sign_up_keep_an_add_started_signed_out(
    browser: Client, db: asyncpg.Connection
) -> None:
    """On the log-in page that finishes an add, the header's "Sign up" (and "Log in" on the
    sign-up page) carry it on too: they led to plain /register, and the add was lost."""
    course = (await courses(db, 1))[0]
    after = f"next=/courses/{course['slug']}&add={course['id']}&qid=abc&to=wishlist"
    for page, other in (("/login", "/register"), ("/register", "/login")):
        html = (await browser.get(f"{page}?{after}")).text
        header = html.split('class="site-header"', 1)[1].split("</header>", 1)[0]
        link = re.search(rf'href="({other}[^"]*)"', header)
        assert link, f"the header of {page} links {other}"
        carried = link.group(1).replace("&amp;", "&")
        assert f"add={course['id']}" in carried and "to=wishlist" in carried, carried
        assert "qid=abc" in carried and "next=%2Fcourses%2F" in carried, carried


async def test_a_course_in_the_cart_or_on_a_wishlist_says_so_on_its_page(
    browser: Client, db: asyncpg.Connection
) -> None:
    """Its page offered "Add to cart" and "Add to wishlist" again once the course was in the
    cart or on a list (the script's "Go to cart" was gone on the next visit); it now says
    where the course is and leads there."""
    await sign_up(browser)
    course = (await courses(db, 1, fresh=True))[0]
    page = f"/courses/{course['slug']}"
    buy_box = re.compile(r'<aside class="price-box".*?</aside>', re.S)

    def box(html: str) -> str:
        return buy_box.search(html).group(0)  # type: ignore[union-attr]

    fresh = box((await browser.get(page)).text)
    assert 'action="/cart/add"' in fresh and 'action="/wishlists/add"' in fresh
    assert "Go to cart" not in fresh and "In your wishlist" not in fresh
    added = await submit(browser, page, "/cart/add", course_id=str(course["id"]))
    assert added.status_code == 303
    carted_page = (await browser.get(page)).text
    assert 'action="/cart/add"' not in carted_page, "nor in the phone's buy bar"
    carted = box(carted_page)
    assert '<a class="button primary wide" href="/cart">Go to cart</a>' in carted
    assert 'action="/wishlists/add"' in carted
    saved = await submit(browser, page, "/wishlists/add", course_id=str(course["id"]), back=page)
    assert saved.status_code == 303
    both = box((await browser.get(page)).text)
    assert 'action="/wishlists/add"' not in both
    assert '<a class="button wide" href="/wishlists">In your wishlist</a>' in both
    # Another shopper's page is their own.
    other = next(c for c in await courses(db, 2) if c["id"] != course["id"])
    elsewhere = box((await browser.get(f"/courses/{other['slug']}")).text)
    assert 'action="/cart/add"' in elsewhere and 'action="/wishlists/add"' in elsewhere
