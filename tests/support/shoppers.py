"""Factories for tests that shop: signed-in students, courses to buy."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg

from search_service.accounts.admins import create_admin


async def student(db: asyncpg.Connection, mentor_of: uuid.UUID | None = None) -> dict[str, str]:
    """A signed-in student (a token row written directly: no log-in rate limit in tests)."""
    user_id = mentor_of or uuid.uuid4()
    token = secrets.token_urlsafe(32)
    if mentor_of is None:
        await db.execute(
            "INSERT INTO users (id, email) VALUES ($1, $2)",
            user_id,
            f"s-{user_id.hex[:12]}@example.com",
        )
    await db.execute("INSERT INTO students (user_id) VALUES ($1) ON CONFLICT DO NOTHING", user_id)
    await db.execute(
        "INSERT INTO auth_tokens (user_id, token_hash, expires_at) "
        "VALUES ($1, $2, now() + interval '1 day')",
        user_id,
        hashlib.sha256(token.encode()).digest(),
    )
    return {"authorization": f"Bearer {token}", "id": str(user_id)}


async def courses(db: asyncpg.Connection, count: int, fresh: bool = False) -> list[asyncpg.Record]:
    """Published paid courses in US dollars, the same ones each time; ``fresh`` ones (at
    random) for a test that changes them, so that other tests do not meet its changes."""
    return await db.fetch(
        "SELECT id, mentor_id, slug, title, list_price_cents, sale_price_cents FROM courses c "
        "WHERE status = 'published' AND deleted_at IS NULL AND list_price_cents > 0 "
        "AND currency = 'USD' "
        "ORDER BY CASE WHEN $2 THEN random()::text ELSE md5(id::text) END LIMIT $1",
        count,
        fresh,
    )


@contextlib.asynccontextmanager
async def changed(db: asyncpg.Connection, course_id: Any, **values: Any) -> AsyncIterator[None]:
    """The course with ``values`` set in the database only, then as it was: the shop
    catalog's index is never told, and the tests after this one (which pin and hide courses
    they find in search) meet index and database agreeing again."""
    columns = list(values)  # column names from the test's own code, values as parameters
    sets = ", ".join(f"{column} = ${n}" for n, column in enumerate(columns, start=2))
    update = f"UPDATE courses SET {sets} WHERE id = $1"
    before = await db.fetchrow(f"SELECT {', '.join(columns)} FROM courses WHERE id = $1", course_id)
    await db.execute(update, course_id, *values.values())
    try:
        yield
    finally:
        await db.execute(update, course_id, *(before[c] for c in columns))


def auth(who: dict[str, str]) -> dict[str, str]:
    return {"authorization": who["authorization"]}


PASSWORD = "correct horse battery staple"
_PASSWORD_HASHES: dict[str, str] = {}


def password_hash(password: str = PASSWORD) -> str:
    """argon2id of ``password``, computed once per test session."""
    from search_service.accounts.passwords import HASHER

    if password not in _PASSWORD_HASHES:
        _PASSWORD_HASHES[password] = HASHER.hash(password)
    return _PASSWORD_HASHES[password]


async def account(db: asyncpg.Connection, email: str | None = None) -> str:
    """A student who can log in with PASSWORD; returns the email."""
    email = email or f"a-{secrets.token_hex(6)}@example.com"
    user_id = await db.fetchval(
        "INSERT INTO users (email, password_hash) VALUES ($1, $2) RETURNING id",
        email,
        password_hash(),
    )
    await db.execute("INSERT INTO students (user_id) VALUES ($1)", user_id)
    return email


async def enroll(db: asyncpg.Connection, who: dict[str, str], course_id: uuid.UUID) -> None:
    await db.execute(
        "INSERT INTO enrollments (course_id, student_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        course_id,
        uuid.UUID(who["id"]),
    )


async def admin(db: asyncpg.Connection) -> dict[str, str]:
    """A signed-in admin, made as ``users create-admin`` makes one."""
    email = f"admin-{uuid.uuid4().hex[:8]}@example.com"
    await create_admin(db, email, PASSWORD)
    user_id = await db.fetchval("SELECT id FROM users WHERE email = $1", email)
    who = await student(db, mentor_of=user_id)  # a token row for that user
    return {**who, "email": email}


async def co_buyers(
    db: asyncpg.Connection, courses: list[uuid.UUID], count: int, price_cents: int = 1999
) -> None:
    """``count`` new students who each bought (paid for) every one of ``courses``."""
    for _ in range(count):
        user_id = uuid.uuid4()
        await db.execute(
            "INSERT INTO users (id, email) VALUES ($1, $2)", user_id, f"b-{user_id.hex[:12]}@x.io"
        )
        await db.execute("INSERT INTO students (user_id) VALUES ($1)", user_id)
        await db.executemany(
            "INSERT INTO enrollments (course_id, student_id, purchase_price_cents) "
            "VALUES ($1, $2, $3)",
            [(c, user_id, price_cents) for c in courses],
        )
