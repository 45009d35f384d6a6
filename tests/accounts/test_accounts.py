"""Accounts over the API: register, log in, tokens, status rules, bad input, rate limiting."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest

from search_service.db.connection import asyncpg_dsn
from tests.support.catalogs import Catalog

Client = Any
PASSWORD = "correct horse battery"


def email() -> str:
    return f"learner-{uuid.uuid4().hex[:10]}@example.com"


async def register(api: Client, address: str, **extra: Any) -> Any:
    body = {"email": address, "password": PASSWORD, "first_name": "Ada", **extra}
    return await api.post("/api/v1/auth/register", json=body)


async def login(api: Client, address: str, password: str = PASSWORD) -> Any:
    return await api.post("/api/v1/auth/login", json={"email": address, "password": password})


@pytest.fixture
async def db(shop: Catalog) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(asyncpg_dsn(shop.url))
    yield conn
    await conn.close()


async def test_register_login_me_logout(api: Client, db: asyncpg.Connection) -> None:
    address = email()
    created = await register(api, address.upper())
    assert created.status_code == 201, created.text
    assert created.json()["email"] == address and created.json()["role"] == "student"
    stored = await db.fetchrow(
        "SELECT password_hash, status::text FROM users WHERE email = $1", address
    )
    assert stored["password_hash"].startswith("$argon2id$") and stored["status"] == "active"
    assert (
        await db.fetchval(
            "SELECT count(*) FROM students s JOIN users u ON u.id = s.user_id WHERE u.email = $1",
            address,
        )
        == 1
    )
    anonymous = await api.get("/api/v1/me")
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"].startswith("application/problem+json")
    token = (await login(api, address)).json()["token"]
    me = await api.get("/api/v1/me", headers={"authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["last_login_at"] is not None
    assert (
        await db.fetchval(
            "SELECT count(*) FROM auth_tokens a JOIN users u ON u.id = "
            "a.user_id WHERE u.email = $1 AND a.token_hash = sha256($2)",
            address,
            token.encode(),
        )
        == 1
    ), "only the hash is stored"
    out = await api.post("/api/v1/auth/logout", headers={"authorization": f"Bearer {token}"})
    assert out.status_code == 204
    again = await api.get("/api/v1/me", headers={"authorization": f"Bearer {token}"})
    assert again.status_code == 401


async def test_wrong_password_and_unknown_email_look_the_same(api: Client) -> None:
    address = email()
    await register(api, address)
    wrong = await login(api, address, "not the password")
    unknown = await login(api, email())
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]


@pytest.mark.parametrize("status", ["pending", "suspended"])
async def test_pending_and_suspended_cannot_sign_in(
    api: Client, db: asyncpg.Connection, status: str
) -> None:
    address = email()
    await register(api, address)
    await db.execute("UPDATE users SET status = $1 WHERE email = $2", status, address)
    response = await login(api, address)
    assert response.status_code == 403 and status in response.json()["detail"]


BAD_REGISTRATIONS = [
    ({"email": "not-an-email"}, "email"),
    ({"password": "short"}, "password"),
    # Long enough, but easy to guess (NIST SP 800-63B): refused too.
    ({"password": "aaaaaaaaaa"}, "password"),
    ({"password": "1234567890"}, "password"),
    ({"password": "Password123"}, "password"),
    ({"password": "qwertyuiop"}, "password"),
    ({"first_name": ""}, "first_name"),
    ({"first_name": "<script>"}, "first_name"),
    ({"role": "admin"}, "role"),  # unknown fields are refused, so nobody registers as admin
]


@pytest.mark.parametrize(
    ("change", "field"),
    BAD_REGISTRATIONS,
    ids=[b[1] + str(i) for i, b in enumerate(BAD_REGISTRATIONS)],
)
async def test_bad_registration_is_400_and_writes_nothing(
    api: Client, db: asyncpg.Connection, change: dict[str, str], field: str
) -> None:
    before = await db.fetchval("SELECT count(*) FROM users")
    body = {"email": email(), "password": PASSWORD, "first_name": "Ada", **change}
    response = await api.post("/api/v1/auth/register", json=body)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert await db.fetchval("SELECT count(*) FROM users") == before


async def test_duplicate_registration_is_409_and_writes_nothing(
    api: Client, db: asyncpg.Connection
) -> None:
    address = email()
    assert (await register(api, address)).status_code == 201
    before = await db.fetchval("SELECT count(*) FROM users")
    response = await register(api, address.title())
    assert response.status_code == 409
    assert await db.fetchval("SELECT count(*) FROM users") == before


async def test_demo_accounts_only_on_a_database_the_demo_seeded(api: Client, shop: Catalog) -> None:
    from search_service.seed.demo_accounts import create_demo_accounts, demo_accounts

    conn = await asyncpg.connect(asyncpg_dsn(shop.url))
    try:
        # A database the demo did not seed has none.
        assert await demo_accounts(conn) is None
        # Right after the demo seeded it (this test plays that part), they are made once...
        uncounted = (
            "SELECT count(*) FROM mentors m WHERE m.total_students <> (SELECT "
            "count(DISTINCT e.student_id) FROM enrollments e JOIN courses c ON c.id = "
            "e.course_id WHERE c.mentor_id = m.user_id)"
        )
        assert await conn.fetchval(uncounted) == 0
        made = await create_demo_accounts(conn)
        # ...the demo student counted among their courses' mentors' students (they were not)
        assert await conn.fetchval(uncounted) == 0
        # ...and later runs read them back without touching them.
        assert await demo_accounts(conn) == made
        # With a week of shoppers' searches: a fresh demo shows trending searches, of the
        # subjects courses are named for (the commonest tags were "video", "strategy").
        titles = [r[0].lower() for r in await conn.fetch("SELECT title FROM courses")]
    finally:
        await conn.close()
    home = (await api.get("/")).text
    assert "Trending searches" in home
    trending = home.split("Trending searches", 1)[1].split("</ul>", 1)[0]
    shown = re.findall(r'href="/search\?q=[^"]+">([^<]+)</a>', trending)
    assert shown and all(any(t in title for title in titles) for t in shown), shown
    tokens = {}
    for address, password in (made.student, made.mentor):
        response = await login(api, address, password)
        assert response.status_code == 200, (address, response.text)
        token = response.json()["token"]
        tokens[address] = {"authorization": f"Bearer {token}"}
        me = await api.get("/api/v1/me", headers=tokens[address])
        assert me.json()["email"] == address
    assert me.json()["role"] == "mentor"
    # The demo student has bought three courses, in one order, and is at three stages of
    # them (the demo's My learning was empty: nothing of it could be tried out of the box).
    student = tokens[made.student[0]]
    learning = (await api.get("/api/v1/learning", headers=student)).json()
    courses = learning["courses"] if isinstance(learning, dict) else learning
    progress = sorted(float(c["progress_percent"]) for c in courses)
    assert len(progress) == 3 and progress[0] == 0 and 0 < progress[1] < 100
    assert progress[2] == 100
    orders = (await api.get("/api/v1/orders", headers=student)).json()
    listed = orders["orders"] if isinstance(orders, dict) else orders
    assert len(listed) == 1
    # Bought together: each course's purchase is the order's moment (to the minute).
    ordered = dt.datetime.fromisoformat(listed[0]["created_at"])
    for course in courses:
        bought = dt.datetime.fromisoformat(course["purchased_at"])
        assert abs((bought - ordered).total_seconds()) < 60, (bought, ordered)


async def test_the_demo_command_makes_no_accounts_on_a_database_it_did_not_seed(
    shop: Catalog,
) -> None:
    from search_service.cli.commands_serve import _demo_accounts

    conn = await asyncpg.connect(asyncpg_dsn(shop.url))
    try:
        await conn.execute("DELETE FROM app_state WHERE name = 'demo_catalog'")
        before = await conn.fetch("SELECT id, status, password_hash FROM users ORDER BY id")
        accounts, _ = await _demo_accounts(shop.url, seeded=False)
        assert accounts is None
        after = await conn.fetch("SELECT id, status, password_hash FROM users ORDER BY id")
    finally:
        await conn.close()
    assert before == after


async def test_a_sign_up_or_log_in_sent_while_signed_in_does_nothing_and_leads_on(
    browser: Client, db: asyncpg.Connection
) -> None:
    """A form from a tab opened before signing in, sent once signed in: sign-up made a second
    account and switched to it (with a taken address it was once a 500); now both forms
    lead onward and change nothing."""
    from tests.support.pages import sign_up, submit

    address = await sign_up(browser)
    before = await db.fetchval("SELECT count(*) FROM users")
    other = f"other-{uuid.uuid4().hex[:8]}@example.com"
    for email in (address, other):
        again = await submit(
            browser, "/cart", "/register", email=email, password=PASSWORD, first_name="Sam"
        )
        assert again.status_code == 303 and again.headers["location"] == "/", again.text[-300:]
        assert (
            "set-cookie" not in again.headers
            or "skillspring_session" not in again.headers["set-cookie"]
        )
    login = await submit(browser, "/cart", "/login", email=other, password=PASSWORD, next="/cart")
    assert login.status_code == 303 and login.headers["location"] == "/cart"
    assert await db.fetchval("SELECT count(*) FROM users") == before
    assert "Your account" in (await browser.get("/")).text


async def test_demo_accounts_on_a_catalog_with_nothing_to_buy(empty_url: str) -> None:
    """With no course the demo student could have bought (a catalog of one course, the demo
    mentor's), the order's total was NULL and the whole demo setup was undone."""
    from search_service.seed.demo_accounts import create_demo_accounts, demo_accounts

    conn = await asyncpg.connect(asyncpg_dsn(empty_url))
    try:
        made = await create_demo_accounts(conn)
        assert await demo_accounts(conn) == made
        assert await conn.fetchval("SELECT count(*) FROM orders") == 0
        assert await conn.fetchval("SELECT count(*) FROM enrollments") == 0
    finally:
        await conn.close()


async def test_the_log_in_and_sign_up_pages_lead_a_signed_in_shopper_onward(
    browser: Client, db: asyncpg.Connection
) -> None:
    """After signing up, Back showed the sign-up form again; sent, it made a second account
    and switched to it, the first one's cart out of sight."""
    from tests.support.pages import sign_up

    await sign_up(browser)
    for path, onward in (("/register", "/"), ("/login?next=/cart", "/cart")):
        page = await browser.get(path)
        assert page.status_code == 303 and page.headers["location"] == onward, path
    browser.cookies.clear()
    assert (await browser.get("/register")).status_code == 200


async def test_an_empty_sign_up_focuses_its_first_field(browser: Client) -> None:
    """Every field of an empty sign-up was marked, but the focus went to Email, the third."""
    from tests.support.pages import submit

    refused = await submit(browser, "/register", "/register", first_name="", email="", password="")
    assert refused.status_code == 400
    focused = re.findall(r"<input[^>]*\bautofocus\b[^>]*>", refused.text)
    assert len(focused) == 1 and 'name="first_name"' in focused[0], focused


async def test_a_personal_page_asked_for_signed_out_says_why_log_in(browser: Client) -> None:
    """The header's Cart, signed out, led to the log-in page with no word of why."""
    for path, said in (("/cart", "your cart"), ("/wishlists", "your wishlists")):
        asked = await browser.get(path)
        assert asked.status_code in (302, 303), path
        login = (await browser.get(asked.headers["location"])).text
        assert f"Log in to see {said}." in login, path
    assert "Log in to see" not in (await browser.get("/login")).text
