"""Demo accounts for ``skillspring demo``: a student and a mentor who owns courses."""

from __future__ import annotations

import asyncpg

from search_service.accounts.passwords import HASHER

DEMO_STUDENT = ("student@demo.skillspring.test", "learn-something-new")
DEMO_MENTOR_PASSWORD = "teach-something-new"  # noqa: S105 - a published demo credential

CREATE_STUDENT = """
WITH new_user AS (
    INSERT INTO users (email, password_hash, role, status, first_name, last_name)
    VALUES ($1, $2, 'student', 'active', 'Demo', 'Student')
    ON CONFLICT (email) DO NOTHING RETURNING id
)
INSERT INTO students (user_id) SELECT id FROM new_user
"""
# The demo mentor is the seeded mentor with the most courses: it gets a known password.
PICK_MENTOR = """
UPDATE users SET password_hash = $1, status = 'active'
WHERE id = (SELECT mentor_id FROM courses GROUP BY mentor_id ORDER BY count(*) DESC,
            mentor_id LIMIT 1)
RETURNING email
"""


async def ensure_demo_accounts(conn: asyncpg.Connection) -> tuple[tuple[str, str], tuple[str, str]]:
    """Create (or reset) the demo logins; returns ((email, password), (email, password))."""
    async with conn.transaction():
        await conn.execute(CREATE_STUDENT, DEMO_STUDENT[0], HASHER.hash(DEMO_STUDENT[1]))
        await conn.execute(
            "UPDATE users SET password_hash = $2, status = 'active' WHERE email = $1",
            DEMO_STUDENT[0],
            HASHER.hash(DEMO_STUDENT[1]),
        )
        mentor = await conn.fetchval(PICK_MENTOR, HASHER.hash(DEMO_MENTOR_PASSWORD))
    return DEMO_STUDENT, (mentor or "(no mentor seeded)", DEMO_MENTOR_PASSWORD)
