"""A checkout's receipt: each course with the price paid, the coupon, the total; its buyer's
alone."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from tests.support.pages import sign_up
from tests.support.shoppers import auth, courses, student

Client = Any


async def _buy(api: Client, who: dict[str, str], course_ids: list[Any], coupon: str | None) -> str:
    for course_id in course_ids:
        added = await api.post(
            "/api/v1/cart/items", json={"course_id": str(course_id)}, headers=auth(who)
        )
        assert added.status_code in (200, 201), added.text
    if coupon:
        applied = await api.post("/api/v1/cart/coupon", json={"code": coupon}, headers=auth(who))
        assert applied.status_code == 200, applied.text
    bought = await api.post("/api/v1/cart/checkout", json={}, headers=auth(who))
    assert bought.status_code in (200, 201), bought.text
    return str(bought.json()["order_id"])


async def test_the_receipt_lists_what_was_paid(api: Client, db: asyncpg.Connection) -> None:
    two = await courses(db, 2, fresh=True)
    buyer = await student(db)
    order = await _buy(api, buyer, [c["id"] for c in two], "WELCOME10")
    receipt = await api.get(f"/api/v1/orders/{order}", headers=auth(buyer))
    assert receipt.status_code == 200, receipt.text
    body = receipt.json()
    assert {line["slug"] for line in body["lines"]} == {c["slug"] for c in two}
    assert body["coupon_code"] == "WELCOME10"
    assert body["subtotal_cents"] == sum(line["price_cents"] for line in body["lines"])
    assert body["total_cents"] == sum(line["paid_cents"] for line in body["lines"])
    assert body["total_cents"] == body["subtotal_cents"] - body["discount_cents"] > 0
    assert body["total_display"].startswith("$")


async def test_only_its_buyer_sees_a_receipt(
    api: Client, browser: Client, db: asyncpg.Connection
) -> None:
    buyer, other = await student(db), await student(db)
    order = await _buy(api, buyer, [(await courses(db, 1, fresh=True))[0]["id"]], None)
    assert (await api.get(f"/api/v1/orders/{order}", headers=auth(other))).status_code == 404
    assert (await api.get(f"/api/v1/orders/{order}")).status_code == 401
    page = await browser.get(f"/orders/{order}")
    assert page.status_code in (302, 303, 401) or "Log in" in page.text
    assert "Order summary" not in page.text


async def test_the_receipt_page_shows_lines_total_and_start_learning(
    browser: Client, db: asyncpg.Connection
) -> None:
    from tests.support.pages import sign_up, submit

    await sign_up(browser)
    course = (await courses(db, 1, fresh=True))[0]
    page = f"/courses/{course['slug']}"
    await submit(browser, page, "/cart/add", course_id=str(course["id"]), back=page)
    bought = await submit(browser, "/cart", "/cart/checkout")
    assert bought.status_code == 303 and "/orders/" in bought.headers["location"]
    receipt = (await browser.get(bought.headers["location"])).text
    assert course["title"] in receipt and "Total paid" in receipt
    assert f'href="/learn/{course["slug"]}"' in receipt and "Start learning" in receipt
    assert "Thank you — you" in receipt
    # Opened again later (from the purchase history), it is a receipt, not a welcome: it
    # said "Thank you — you're enrolled" and "Start learning" on a course finished since.
    later = (await browser.get(bought.headers["location"].split("?")[0])).text
    assert "Thank you" not in later and "<h1" in later and "Receipt" in later
    assert f'href="/learn/{course["slug"]}"' in later and "Go to course" in later
    assert 'href="/orders"' in later, "a way back to the purchase history"


async def test_a_buyer_lists_their_orders_and_the_courses_they_bought(
    api: Client, db: asyncpg.Connection
) -> None:
    """What the pages show (a receipt each, "My learning") a frontend can list too."""
    who, other = await student(db), await student(db)
    first, second, third = await courses(db, 3)
    older = await _buy(api, who, [first["id"]], None)
    newer = await _buy(api, who, [second["id"], third["id"]], None)
    listed = await api.get("/api/v1/orders", headers=auth(who))
    assert listed.status_code == 200
    assert [(o["id"], o["courses"]) for o in listed.json()] == [(newer, 2), (older, 1)]
    assert listed.json()[0]["total_display"].strip()
    assert (await api.get("/api/v1/orders", headers=auth(other))).json() == []
    assert (await api.get("/api/v1/orders?page=2", headers=auth(who))).json() == []
    assert (await api.get("/api/v1/orders")).status_code == 401
    mine = (await api.get("/api/v1/learning", headers=auth(who))).json()
    assert {c["slug"] for c in mine} == {first["slug"], second["slug"], third["slug"]}
    assert all(float(c["progress_percent"]) == 0 and c["image_url"] for c in mine)
    assert (await api.get("/api/v1/learning", headers=auth(other))).json() == []


async def test_every_card_after_the_search_links_its_instructor(
    api: Client, db: asyncpg.Connection
) -> None:
    """The cart, the receipt and My learning name each course's instructor as a link to
    their page, as search cards do."""
    course = (await courses(db, 1, fresh=True))[0]
    card = (await api.get("/api/v1/search", params={"q": course["title"], "per_page": 50})).json()
    mentor = next(h["mentor"] for h in card["hits"] if h["slug"] == course["slug"])
    assert (await api.get(mentor["url"])).status_code == 200
    buyer = await student(db)
    added = await api.post(
        "/api/v1/cart/items", json={"course_id": str(course["id"])}, headers=auth(buyer)
    )
    assert added.status_code in (200, 201), added.text
    cart = (await api.get("/api/v1/cart", headers=auth(buyer))).json()
    assert [item["mentor_url"] for item in cart["items"]] == [mentor["url"]]
    order = await _buy(api, buyer, [], None)
    lines = (await api.get(f"/api/v1/orders/{order}", headers=auth(buyer))).json()["lines"]
    assert [line["mentor_url"] for line in lines] == [mentor["url"]]
    owned = (await api.get("/api/v1/learning", headers=auth(buyer))).json()
    assert [c["mentor_url"] for c in owned] == [mentor["url"]]


async def test_purchase_history_lists_each_order_with_its_receipt(
    api: Client, browser: Client, db: asyncpg.Connection
) -> None:
    """A receipt could be reached only straight after checkout: /orders lists the buyer's
    orders, newest first, each linking its receipt; the account menu links it."""
    email = await sign_up(browser)
    buyer = {"id": str(await db.fetchval("SELECT id FROM users WHERE email = $1", email))}
    empty = await browser.get("/orders")
    assert empty.status_code == 200 and "You have no orders yet." in empty.text
    assert 'href="/orders">Purchase history</a>' in empty.text
    token = await student(db, mentor_of=uuid.UUID(buyer["id"]))  # a token for the same user
    first, second = await courses(db, 2, fresh=True)
    older = await _buy(api, token, [first["id"]], None)
    newer = await _buy(api, token, [second["id"]], "WELCOME10")
    html = (await browser.get("/orders")).text
    assert html.index(f'href="/orders/{newer}"') < html.index(f'href="/orders/{older}"')
    summary = (await api.get("/api/v1/orders", headers=auth(token))).json()
    for order in summary:
        assert order["total_display"] in html
    browser.cookies.clear()
    await sign_up(browser)  # another shopper
    assert f'href="/orders/{newer}"' not in (await browser.get("/orders")).text
