"""Factories for tests that shop: signed-in students, courses to buy."""

from __future__ import annotations

import hashlib
import secrets
import uuid

import asyncpg


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


async def courses(db: asyncpg.Connection, count: int, paid: bool = True) -> list[asyncpg.Record]:
    return await db.fetch(
        "SELECT id, mentor_id, slug, list_price_cents, sale_price_cents FROM courses "
        "WHERE status = 'published' AND deleted_at IS NULL AND list_price_cents > 0 "
        "ORDER BY md5(id::text) LIMIT $1",
        count,
    )


def auth(who: dict[str, str]) -> dict[str, str]:
    return {"authorization": who["authorization"]}
