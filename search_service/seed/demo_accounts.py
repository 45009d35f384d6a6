"""Demo accounts for ``skillspring demo``: a student, a mentor who owns courses and an admin,
with published passwords, on a database the demo itself seeded and on no other; and a week
of made-up shoppers' searches (trending searches, the insights page).

They are made once, right after the demo seeds an empty database, and the database records
that it is a demo catalog (``app_state``). Later runs only read that record: no account is
created, re-activated or given a password on a database the demo did not seed, and accounts
are never touched again after they were made.
"""

from __future__ import annotations

import json

import asyncpg
import msgspec

from search_service.accounts.passwords import HASHER
from search_service.lib.pricing import EFFECTIVE_PRICE_SQL

DEMO_STUDENT = ("student@demo.skillspring.test", "learn-something-new")
DEMO_MENTOR_PASSWORD = "teach-something-new"  # noqa: S105 - a published demo credential
DEMO_ADMIN = ("admin@demo.skillspring.test", "run-the-shop")
MARKER = "demo_catalog"

CREATE_STUDENT = """
WITH new_user AS (
    INSERT INTO users (email, password_hash, role, status, first_name, last_name)
    VALUES ($1, $2, 'student', 'active', 'Demo', 'Student')
    ON CONFLICT (email) DO NOTHING RETURNING id
)
INSERT INTO students (user_id) SELECT id FROM new_user
"""
CREATE_ADMIN = """
INSERT INTO users (email, password_hash, role, status, first_name, last_name)
VALUES ($1, $2, 'admin', 'active', 'Demo', 'Admin')
ON CONFLICT (email) DO NOTHING
"""
# The seeded mentor with the most courses gets the demo password (it is the demo's own row,
# seeded moments ago).
PICK_MENTOR = """
UPDATE users SET password_hash = $1, status = 'active'
WHERE id = (SELECT mentor_id FROM courses GROUP BY mentor_id ORDER BY count(*) DESC,
            mentor_id LIMIT 1)
RETURNING email
"""
# A week of shoppers' searches, so a fresh demo's home page and suggestions show trending
# searches and its insights page has something to report: the 8 tags most courses are named
# for (the tag a word of the title: "photography", "youtube", not "video" or "strategy"),
# each searched by 6 to 13 different (made-up) clients. Demo data, written with the accounts.
DEMO_SEARCHES = """
WITH topics AS (
    SELECT lower(t.name) AS query, count(*) AS courses,
           row_number() OVER (ORDER BY count(*) DESC, lower(t.name)) AS rank
    FROM course_tags t
    JOIN course_tag_map m ON m.tag_id = t.id
    JOIN courses c ON c.id = m.course_id
    WHERE c.status = 'published' AND c.deleted_at IS NULL AND t.name ~ '^[[:alpha:] ]+$'
      AND c.title ~* ('\\m' || t.name || '\\M')
    GROUP BY lower(t.name)
    ORDER BY courses DESC, lower(t.name)
    LIMIT 8
)
INSERT INTO search_queries (id, query, total, searched_at, client, popular)
SELECT gen_random_uuid(), query, courses, now() - random() * interval '6 days',
       decode(md5(random()::text || n::text), 'hex'), true
FROM topics, generate_series(1, 14 - rank::int) AS n
"""
# The demo student's purchases, so that My learning, a course's learning page, rating a
# finished course and the purchase history can be tried at once: three of the most bought
# courses (none of the demo mentor's), in one order at their price, the first not started,
# the second with its first lectures done, the third finished.
DEMO_PURCHASES = f"""
WITH student AS (
    SELECT id FROM users WHERE email = $1
), picked AS (
    SELECT c.id, c.title, c.currency, {EFFECTIVE_PRICE_SQL} AS price,
           row_number() OVER (ORDER BY (SELECT count(*) FROM enrollments e
                                        WHERE e.course_id = c.id) DESC, c.id) AS n
    FROM courses c
    WHERE c.status = 'published' AND c.deleted_at IS NULL AND c.currency = 'USD'
      AND c.list_price_cents > 0
      AND c.mentor_id <> (SELECT id FROM users WHERE email = $2)
      AND EXISTS (SELECT 1 FROM course_sections s JOIN lectures l ON l.section_id = s.id
                  WHERE s.course_id = c.id AND l.status = 'published')
    ORDER BY n
    LIMIT 3
), placed AS (
    INSERT INTO orders (student_id, currency, subtotal_cents, discount_cents, total_cents,
                        created_at)
    SELECT (SELECT id FROM student), 'USD', sum(price), 0, sum(price), now() - interval '9 days'
    FROM picked
    HAVING count(*) > 0  -- no order at all when no course qualifies (a tiny catalog)
    RETURNING id
), items AS (
    INSERT INTO order_items (order_id, course_id, title, price_cents, paid_cents, position)
    SELECT (SELECT id FROM placed), id, title, price, price, n FROM picked
)
INSERT INTO enrollments (course_id, student_id, purchase_price_cents, currency, purchased_at)
SELECT id, (SELECT id FROM student), price, currency,
       now() - interval '9 days' + n * interval '1 second'  -- bought together, in this order
FROM picked
RETURNING id, course_id, purchased_at
"""  # noqa: S608 - constants only
# Their mentors have one student more (the demo student is new to each), as checkout counts.
DEMO_STUDENTS_COUNTED = """
UPDATE mentors SET total_students = total_students + 1
WHERE user_id IN (SELECT DISTINCT mentor_id FROM courses WHERE id = ANY($1::uuid[]))
"""
# A course's published lectures in their order, to mark the first ``$3`` per cent of them done
# (whole numbers: a float's 0.4 is a hair above it, and marked one lecture too many).
DEMO_DONE = """
WITH ordered AS (
    SELECT l.id, row_number() OVER (ORDER BY s.position, l.position, l.id) AS n,
           count(*) OVER () AS total
    FROM lectures l JOIN course_sections s ON s.id = l.section_id
    WHERE s.course_id = $2 AND l.status = 'published'
), marked AS (
    INSERT INTO lecture_progress (enrollment_id, lecture_id)
    SELECT $1, id FROM ordered WHERE n <= ceil(total * $3::int / 100.0)
    RETURNING lecture_id
)
UPDATE enrollments SET
    progress_percent = round(100.0 * (SELECT count(*) FROM marked)
                             / (SELECT count(*) FROM ordered), 2),
    last_watched_lecture = (SELECT o.id FROM ordered o JOIN marked m ON m.lecture_id = o.id
                            ORDER BY o.n DESC LIMIT 1),
    completed_at = CASE WHEN (SELECT count(*) FROM marked) >= (SELECT count(*) FROM ordered)
                        THEN now() END
WHERE id = $1
"""
WRITE_MARKER = """
INSERT INTO app_state (name, value) VALUES ($1, $2)
ON CONFLICT (name) DO NOTHING
"""


class DemoAccounts(msgspec.Struct, frozen=True):
    student: tuple[str, str]
    mentor: tuple[str, str]
    admin: tuple[str, str] | None  # None: a demo database made before admins were part of it


async def create_demo_accounts(conn: asyncpg.Connection) -> DemoAccounts:
    """Make the demo accounts; only right after ``skillspring demo`` seeded this database."""
    async with conn.transaction():
        await conn.execute(CREATE_STUDENT, DEMO_STUDENT[0], HASHER.hash(DEMO_STUDENT[1]))
        mentor = await conn.fetchval(PICK_MENTOR, HASHER.hash(DEMO_MENTOR_PASSWORD))
        await conn.execute(CREATE_ADMIN, DEMO_ADMIN[0], HASHER.hash(DEMO_ADMIN[1]))
        await conn.execute(DEMO_SEARCHES)
        bought = await conn.fetch(DEMO_PURCHASES, DEMO_STUDENT[0], mentor)
        bought = sorted(bought, key=lambda row: row["purchased_at"])  # the order picked
        await conn.execute(DEMO_STUDENTS_COUNTED, [row["course_id"] for row in bought])
        for row, percent in zip(bought[1:], (40, 100), strict=False):
            await conn.execute(DEMO_DONE, row["id"], row["course_id"], percent)
        record = {"student": DEMO_STUDENT[0], "mentor": mentor, "admin": DEMO_ADMIN[0]}
        await conn.execute(WRITE_MARKER, MARKER, json.dumps(record))
    return DemoAccounts(
        (DEMO_STUDENT[0], DEMO_STUDENT[1]), (mentor, DEMO_MENTOR_PASSWORD), DEMO_ADMIN
    )


async def demo_accounts(conn: asyncpg.Connection) -> DemoAccounts | None:
    """The demo accounts of a database the demo seeded; None for any other database."""
    raw = await conn.fetchval("SELECT value FROM app_state WHERE name = $1", MARKER)
    if raw is None:
        return None
    record = json.loads(raw)
    return DemoAccounts(
        (record["student"], DEMO_STUDENT[1]),
        (record["mentor"], DEMO_MENTOR_PASSWORD),
        (record["admin"], DEMO_ADMIN[1]) if "admin" in record else None,
    )


COUPONS = """
SELECT code, discount_percent FROM coupons
WHERE mentor_id IS NULL AND starts_at <= now() AND (expires_at IS NULL OR expires_at > now())
  AND redeemed_count < max_redemptions
ORDER BY discount_percent, code
"""


async def site_coupons(conn: asyncpg.Connection) -> list[tuple[str, int]]:
    """The coupons any cart can use today (the demo prints them)."""
    return [(r["code"], r["discount_percent"]) for r in await conn.fetch(COUPONS)]
