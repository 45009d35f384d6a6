"""What an attacker (or an unlucky shopper) sends: each gets a clear 4xx, never a 500, and
leaves the database as it was. Over the service in process and the writable shop catalog."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any

import asyncpg
import pytest

from tests.support.shoppers import (
    PASSWORD,
    account,
    auth,
    changed,
    courses,
    enroll,
    student,
)

Client = Any
DEEP = "[" * 20000 + "]" * 20000


async def _counts(db: asyncpg.Connection) -> tuple[int, ...]:
    return tuple(
        await db.fetchrow(
            "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM course_reviews), "
            "(SELECT count(*) FROM course_questions), (SELECT count(*) FROM enrollments), "
            "(SELECT count(*) FROM cart_items), (SELECT count(*) FROM wishlists)"
        )
    )


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/auth/register", DEEP),
        ("/api/v1/auth/login", DEEP),
        ("/api/v1/auth/register", '{"email": ' + DEEP + "}"),
        ("/api/v1/cart/items", DEEP),
        ("/api/v1/cart/checkout", DEEP),
        ("/api/v1/wishlists", DEEP),
        ("/api/v1/courses/some-course/reviews", DEEP),
    ],
)
async def test_deeply_nested_json_is_a_400(
    api: Client, db: asyncpg.Connection, path: str, body: str
) -> None:
    who = await student(db)
    before = await _counts(db)
    response = await api.post(
        path, content=body, headers={"content-type": "application/json", **auth(who)}
    )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert await _counts(db) == before


async def test_nul_bytes_are_a_400_naming_the_field(api: Client, db: asyncpg.Connection) -> None:
    who = await student(db)
    (course,) = await courses(db, 1)
    await enroll(db, who, course["id"])
    before = await _counts(db)
    cases = [
        (
            "/api/v1/auth/register",
            {"email": "a\x00b@example.com", "password": PASSWORD, "first_name": "A"},
            "email",
        ),
        (
            "/api/v1/auth/register",
            {"email": "nul@example.com", "password": PASSWORD, "first_name": "A\x00"},
            "first_name",
        ),
        ("/api/v1/auth/login", {"email": "a\x00@example.com", "password": "x"}, "email"),
        (
            f"/api/v1/courses/{course['slug']}/reviews",
            {"rating": 5, "body": "good" * 6 + "\x00"},
            "body",
        ),
        (
            f"/api/v1/courses/{course['slug']}/questions",
            {"question": "How do I\x00 start?"},
            "question",
        ),
        ("/api/v1/wishlists", {"name": "evil\x00"}, "name"),
    ]
    for path, body, field in cases:
        response = await api.post(path, json=body, headers=auth(who))
        assert response.status_code == 400, (path, response.text)
        assert [p["name"] for p in response.json()["invalid_params"]] == [field]
    assert await _counts(db) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "ten@example.com", "password": " " * 10, "first_name": "Ten"}, "password"),
        ({"email": "ten@example.com", "password": "a" + " " * 12, "first_name": "Ten"}, "password"),
        # Control characters no one can type into a password field.
        ({"email": "nl@example.com", "password": PASSWORD + "\n", "first_name": "Nl"}, "password"),
        ({"email": "nl2@example.com", "password": PASSWORD, "first_name": "Sam\n"}, "first_name"),
        ({"email": "nul@example.com", "password": "\x00" * 12, "first_name": "Nul"}, "password"),
        (
            {"email": "esc@example.com", "password": PASSWORD + "\x1b", "first_name": "E"},
            "password",
        ),
        # A Cyrillic "а" that looks like a Latin "a".
        ({"email": "\u0430dmin@example.com", "password": PASSWORD, "first_name": "Ad"}, "email"),
        (
            {"email": "bidi@example.com", "password": PASSWORD, "first_name": "Sam\u202eevil"},
            "first_name",
        ),
        ({"email": "zw@example.com", "password": PASSWORD, "first_name": "Z\u200bW"}, "first_name"),
    ],
)
async def test_sign_up_refuses_blank_passwords_look_alike_emails_and_hidden_characters(
    api: Client, db: asyncpg.Connection, body: dict[str, str], field: str
) -> None:
    before = await _counts(db)
    response = await api.post("/api/v1/auth/register", json=body)
    assert response.status_code == 400, response.text
    assert [p["name"] for p in response.json()["invalid_params"]] == [field]
    assert await _counts(db) == before


async def test_a_suspended_account_s_tokens_do_not_come_back(
    api: Client, db: asyncpg.Connection
) -> None:
    email = await account(db)
    token = (
        await api.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    ).json()["token"]
    bearer = {"authorization": f"Bearer {token}"}
    assert (await api.get("/api/v1/me", headers=bearer)).status_code == 200
    await db.execute("UPDATE users SET status = 'suspended' WHERE email = $1", email)
    await db.execute("UPDATE users SET status = 'active' WHERE email = $1", email)
    assert (await api.get("/api/v1/me", headers=bearer)).status_code == 401
    again = await api.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert again.status_code == 200, "a new log-in works"


def _on_an_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


async def test_passwords_are_hashed_off_the_event_loop(
    api: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from search_service.accounts import passwords

    on_loop: list[bool] = []
    real_hash, real_verify = passwords.HASHER.hash, passwords.HASHER.verify

    def hash_(password: str) -> str:
        on_loop.append(_on_an_event_loop())
        return real_hash(password)

    def verify(stored: str, password: str) -> bool:
        on_loop.append(_on_an_event_loop())
        return real_verify(stored, password)

    class Recording:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

    real = passwords.HASHER
    recording = Recording()
    recording.hash = hash_  # type: ignore[attr-defined]
    recording.verify = verify  # type: ignore[attr-defined]
    monkeypatch.setattr(passwords, "HASHER", recording)
    email = f"t-{uuid.uuid4().hex[:8]}@example.com"
    registered = await api.post(
        "/api/v1/auth/register", json={"email": email, "password": PASSWORD, "first_name": "T"}
    )
    assert registered.status_code == 201
    logged_in = await api.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert logged_in.status_code == 200
    assert on_loop == [False, False], "a hash and a verification, both in worker threads"


async def test_checkout_never_charges_more_than_the_cart_showed(
    api: Client, db: asyncpg.Connection
) -> None:
    who = await student(db)
    (course,) = await courses(db, 1, fresh=True)
    shown = await api.post(
        "/api/v1/cart/items", json={"course_id": str(course["id"])}, headers=auth(who)
    )
    shown_total = shown.json()["total_cents"]
    await db.execute(
        "UPDATE courses SET list_price_cents = list_price_cents + 50000, sale_price_cents = NULL "
        "WHERE id = $1",
        course["id"],
    )
    raised = await api.post("/api/v1/cart/checkout", headers=auth(who))
    assert raised.status_code == 409, raised.text
    new_total = raised.json()["total_cents"]
    assert new_total > shown_total and raised.json()["currency"]
    assert (
        await db.fetchval(
            "SELECT count(*) FROM enrollments WHERE student_id = $1", uuid.UUID(who["id"])
        )
        == 0
    ), "nothing bought"
    # Expecting less than it costs is refused too; reading the cart shows the new price...
    low = await api.post(
        "/api/v1/cart/checkout", json={"expected_total_cents": shown_total}, headers=auth(who)
    )
    assert low.status_code == 409
    assert (await api.get("/api/v1/cart", headers=auth(who))).json()["total_cents"] == new_total
    # ...and then it is bought, at the price shown.
    bought = await api.post("/api/v1/cart/checkout", headers=auth(who))
    assert bought.status_code == 200 and bought.json()["total_cents"] == new_total


async def test_one_currency_per_cart(api: Client, db: asyncpg.Connection) -> None:
    who = await student(db)
    usd, other = await courses(db, 2, fresh=True)
    await db.execute("UPDATE courses SET currency = 'JPY' WHERE id = $1", other["id"])
    assert (
        await api.post("/api/v1/cart/items", json={"course_id": str(usd["id"])}, headers=auth(who))
    ).status_code == 200
    mixed = await api.post(
        "/api/v1/cart/items", json={"course_id": str(other["id"])}, headers=auth(who)
    )
    assert mixed.status_code == 409 and "JPY" in mixed.json()["detail"]
    cart = (await api.get("/api/v1/cart", headers=auth(who))).json()
    assert [i["course_id"] for i in cart["items"]] == [str(usd["id"])]


async def test_coupon_guesses_back_off(api: Client, db: asyncpg.Connection) -> None:
    from search_service.cart.service import COUPON_GUESSES

    who = await student(db)
    (course,) = await courses(db, 1)
    await api.post("/api/v1/cart/items", json={"course_id": str(course["id"])}, headers=auth(who))
    statuses = [
        (
            await api.post("/api/v1/cart/coupon", json={"code": f"GUESS{i}"}, headers=auth(who))
        ).status_code
        for i in range(COUPON_GUESSES.free + 2)
    ]
    assert statuses == [400] * (COUPON_GUESSES.free + 1) + [429]


async def test_a_coupon_that_discounts_nothing_is_not_redeemed(
    api: Client, db: asyncpg.Connection
) -> None:
    who = await student(db)
    picked = await courses(db, 40, fresh=True)
    theirs = picked[0]
    # Another mentor's course: a course of the coupon's own mentor would be discounted.
    other = next(c for c in picked[1:] if c["mentor_id"] != theirs["mentor_id"])
    code = f"M{uuid.uuid4().hex[:8].upper()}"
    await db.execute(
        "INSERT INTO coupons (code, discount_percent, max_redemptions, mentor_id, starts_at) "
        "VALUES ($1, 30, 10, $2, now() - interval '1 day')",
        code,
        theirs["mentor_id"],
    )
    for course in (theirs, other):
        added = await api.post(
            "/api/v1/cart/items", json={"course_id": str(course["id"])}, headers=auth(who)
        )
        assert added.status_code == 200, added.text
    assert (
        await api.post("/api/v1/cart/coupon", json={"code": code}, headers=auth(who))
    ).status_code == 200
    await api.delete(f"/api/v1/cart/items/{theirs['id']}", headers=auth(who))
    bought = await api.post("/api/v1/cart/checkout", headers=auth(who))
    assert bought.status_code == 200, bought.text
    assert await db.fetchval("SELECT redeemed_count FROM coupons WHERE code = $1", code) == 0


async def test_judging_reviews_needs_a_bought_live_course(
    api: Client, db: asyncpg.Connection
) -> None:
    author = await student(db)
    (course,) = await courses(db, 1, fresh=True)
    await enroll(db, author, course["id"])
    review = (
        await api.post(
            f"/api/v1/courses/{course['slug']}/reviews", json={"rating": 3}, headers=auth(author)
        )
    ).json()
    url = f"/api/v1/reviews/{review['id']}"
    # A mentor (no student profile) gets a 403, not a foreign-key error.
    mentor = await db.fetchval(
        "SELECT m.user_id FROM mentors m WHERE NOT EXISTS "
        "(SELECT 1 FROM students s WHERE s.user_id = m.user_id) LIMIT 1"
    )
    token = uuid.uuid4().hex
    await db.execute(
        "INSERT INTO auth_tokens (user_id, token_hash, expires_at) "
        "VALUES ($1, sha256($2::bytea), now() + interval '1 day')",
        mentor,
        token.encode(),
    )
    as_mentor = {"authorization": f"Bearer {token}"}
    assert (
        await api.put(f"{url}/vote", json={"vote": "helpful"}, headers=as_mentor)
    ).status_code == 403
    assert (await api.post(f"{url}/report", headers=as_mentor)).status_code == 403
    # An archived course's reviews are out of reach.
    buyer = await student(db)
    await enroll(db, buyer, course["id"])
    archived = {"status": "archived", "deleted_at": dt.datetime.now(dt.UTC)}
    async with changed(db, course["id"], **archived):
        assert (
            await api.put(f"{url}/vote", json={"vote": "helpful"}, headers=auth(buyer))
        ).status_code == 404
        assert (await api.post(f"{url}/report", headers=auth(buyer))).status_code == 404
    assert (
        await db.fetchval(
            "SELECT helpful_count + reported_count FROM course_reviews WHERE id = $1",
            uuid.UUID(review["id"]),
        )
        == 0
    )


async def test_votes_are_limited_per_account(
    api: Client, db: asyncpg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    from search_service.lib.limits import Limit
    from search_service.reviews import service

    monkeypatch.setattr(service, "VOTES", Limit("test-votes", 2, 3600, "slow down"))
    voter = await student(db)
    statuses = []
    for course in await courses(db, 3):
        author = await student(db)
        await enroll(db, author, course["id"])
        await enroll(db, voter, course["id"])
        review = (
            await api.post(
                f"/api/v1/courses/{course['slug']}/reviews",
                json={"rating": 4},
                headers=auth(author),
            )
        ).json()
        statuses.append(
            (
                await api.put(
                    f"/api/v1/reviews/{review['id']}/vote",
                    json={"vote": "helpful"},
                    headers=auth(voter),
                )
            ).status_code
        )
    assert statuses == [200, 200, 429]


async def test_an_admin_s_answer_says_who_wrote_it(api: Client, db: asyncpg.Connection) -> None:
    asker = await student(db)
    (course,) = await courses(db, 1)
    await enroll(db, asker, course["id"])
    question = (
        await api.post(
            f"/api/v1/courses/{course['slug']}/questions",
            json={"question": "Is there a certificate at the end?"},
            headers=auth(asker),
        )
    ).json()
    admin = await student(db)
    await db.execute(
        "UPDATE users SET role = 'admin', first_name = 'Ada', last_name = 'Admin' WHERE id = $1",
        uuid.UUID(admin["id"]),
    )
    answered = await api.post(
        f"/api/v1/questions/{question['id']}/answers",
        json={"answer": "Yes, a certificate of completion."},
        headers=auth(admin),
    )
    assert answered.status_code == 201
    assert answered.json()["mentor_name"] == "Ada Admin (Skillspring team)"
    row = await db.fetchrow(
        "SELECT mentor_id, answered_by FROM course_answers WHERE id = $1",
        uuid.UUID(answered.json()["id"]),
    )
    assert row["answered_by"] == uuid.UUID(admin["id"]) and row["mentor_id"] == course["mentor_id"]
    listed = (await api.get(f"/api/v1/courses/{course['slug']}/questions")).json()
    answer = next(q for q in listed["items"] if q["id"] == question["id"])["answers"][0]
    assert answer["mentor_name"] == "Ada Admin (Skillspring team)"


async def test_csrf_protects_every_page_form_whatever_the_slug(
    browser: Client, db: asyncpg.Connection
) -> None:
    (course,) = await courses(db, 1, fresh=True)
    slug = f"api-{uuid.uuid4().hex[:8]}"
    async with changed(db, course["id"], slug=slug):
        before = await _counts(db)
        await browser.get("/login")  # a CSRF cookie, but no token in the form
        forged = await browser.post(
            f"/courses/{slug}/review", data={"rating": "1", "body": "x" * 30}
        )
        assert forged.status_code == 403
        assert await _counts(db) == before


@pytest.mark.parametrize("path", ["/login", "/register", "/cart/coupon", "/api/v1/auth/login"])
async def test_huge_bodies_are_refused_before_they_are_read(browser: Client, path: str) -> None:
    huge = b"x=" + b"a" * (9 * 1024 * 1024)
    content_type = (
        "application/json" if path.startswith("/api") else "application/x-www-form-urlencoded"
    )
    response = await browser.post(path, content=huge, headers={"content-type": content_type})
    assert response.status_code == 413
    # The rest is never read, so the connection closes: said, or a client reuses it.
    assert response.headers.get("connection") == "close"


async def test_the_database_refuses_script_urls(db: asyncpg.Connection) -> None:
    lecture = await db.fetchval("SELECT id FROM lectures LIMIT 1")
    for url in (
        "javascript:alert(1)",
        "data:text/html,<b>",
        "//evil.example/x",
        "http://x.example",
    ):
        with pytest.raises(asyncpg.CheckViolationError):
            await db.execute("UPDATE lectures SET video_url = $1 WHERE id = $2", url, lecture)
    await db.execute(
        "UPDATE lectures SET video_url = 'https://media.example/a.mp4' WHERE id = $1", lecture
    )


def test_pages_link_only_to_safe_urls() -> None:
    from search_service.lib.safe_urls import safe_url

    assert safe_url("https://media.example/a.mp4") == "https://media.example/a.mp4"
    assert safe_url("/static/thumbnail.svg") == "/static/thumbnail.svg"
    for bad in (
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " https://x",
        "//x.example",
        "/\\x",
        None,
        "",
    ):
        assert safe_url(bad) == ""


@pytest.mark.parametrize(
    ("body", "name", "detail"),
    [
        ('{"email": "a@example.com"}', "password", "password is required."),
        (
            '{"email": "a@example.com", "password": "x", "qty": 2}',
            "qty",
            "qty is not expected here.",
        ),
        ("", "body", "The body is empty or not JSON: send a JSON object."),
        ("[]", "body", "The body must be a JSON object (expected `object`, got `array`)."),
    ],
)
async def test_a_body_error_names_its_field(api: Client, body: str, name: str, detail: str) -> None:
    """Not "Invalid value for data.": the field missing or unknown, or the body itself."""
    response = await api.post(
        "/api/v1/auth/login", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    problem = response.json()
    assert problem["detail"] == detail
    assert [p["name"] for p in problem["invalid_params"]] == [name]
