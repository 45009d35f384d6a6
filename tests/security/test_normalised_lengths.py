"""Text that NFC writes longer than it came ("क़", U+0958, is two code points once normalised)
passed the length check, then overflowed its column: a 500 on sign-up (signed out), lists
and reviews. It is now measured as stored: a 400 naming the field, nothing written."""

from __future__ import annotations

from typing import Any

import asyncpg

from tests.support.shoppers import auth, courses, enroll, student

Client = Any
WIDE = "\u0958"  # क़: one code point typed, two once normalised


async def test_text_that_normalises_longer_is_a_400_naming_its_field(
    api: Client, db: asyncpg.Connection
) -> None:
    users = await db.fetchval("SELECT count(*) FROM users")
    signed_up = await api.post(
        "/api/v1/auth/register",
        json={
            "email": "wide-name@example.org",
            "password": "violet harbor lantern 93",
            "first_name": WIDE * 41,
        },
    )
    assert signed_up.status_code == 400, signed_up.text
    assert signed_up.json()["invalid_params"][0]["name"] == "first_name"
    assert await db.fetchval("SELECT count(*) FROM users") == users
    who = await student(db)
    listed = await api.post("/api/v1/wishlists", json={"name": WIDE * 61}, headers=auth(who))
    assert listed.status_code == 400 and listed.json()["invalid_params"][0]["name"] == "name"
    (course,) = await courses(db, 1)
    await enroll(db, who, course["id"])
    review = {"rating": 4, "title": WIDE * 71, "body": "A review long enough to be one."}
    reviewed = await api.post(
        f"/api/v1/courses/{course['slug']}/reviews", json=review, headers=auth(who)
    )
    assert reviewed.status_code == 400 and reviewed.json()["invalid_params"][0]["name"] == "title"
    fits = await api.post("/api/v1/wishlists", json={"name": WIDE * 60}, headers=auth(who))
    assert fits.status_code == 201, fits.text
