"""The database itself refuses rows the data model forbids."""

from __future__ import annotations

import uuid

import asyncpg
import pytest

Ids = dict[str, uuid.UUID]


async def _base_rows(raw: asyncpg.Connection) -> Ids:
    """A mentor, a student, a root and a subcategory, a published course with one lecture."""
    ids: Ids = {
        name: uuid.uuid4()
        for name in ("mentor", "student", "root", "sub", "course", "section", "lecture", "cart")
    }
    await raw.execute(
        "INSERT INTO users (id, email, role) VALUES ($1, 'm@x.test', 'mentor'), "
        "($2, 's@x.test', 'student')",
        ids["mentor"],
        ids["student"],
    )
    await raw.execute("INSERT INTO mentors (user_id) VALUES ($1)", ids["mentor"])
    await raw.execute("INSERT INTO students (user_id) VALUES ($1)", ids["student"])
    await raw.execute(
        "INSERT INTO categories (id, name, slug, level) VALUES ($1, 'Root', 'root', 0)", ids["root"]
    )
    await raw.execute(
        "INSERT INTO categories (id, parent_id, name, slug, level) "
        "VALUES ($1, $2, 'Sub', 'sub', 1)",
        ids["sub"],
        ids["root"],
    )
    await raw.execute(
        "INSERT INTO courses (id, mentor_id, title, slug, status, list_price_cents) "
        "VALUES ($1, $2, 'A course', 'a-course', 'published', 1000)",
        ids["course"],
        ids["mentor"],
    )
    await raw.execute(
        "INSERT INTO course_sections (id, course_id, title, position) VALUES ($1, $2, 'S', 0)",
        ids["section"],
        ids["course"],
    )
    await raw.execute(
        "INSERT INTO lectures (id, section_id, title, position) VALUES ($1, $2, 'L', 0)",
        ids["lecture"],
        ids["section"],
    )
    await raw.execute(
        "INSERT INTO enrollments (course_id, student_id) VALUES ($1, $2)",
        ids["course"],
        ids["student"],
    )
    await raw.execute(
        "INSERT INTO carts (id, student_id) VALUES ($1, $2)", ids["cart"], ids["student"]
    )
    return ids


# (name, SQL that must fail, expected error class). $1..$n are taken from the base rows by name.
BAD_ROWS = [
    (
        "rating below 1",
        "INSERT INTO course_reviews (course_id, student_id, rating) "
        "VALUES ({course}, {student}, 0)",
        asyncpg.CheckViolationError,
    ),
    (
        "rating above 5",
        "INSERT INTO course_reviews (course_id, student_id, rating) "
        "VALUES ({course}, {student}, 6)",
        asyncpg.CheckViolationError,
    ),
    (
        "second review by the same student",
        "INSERT INTO course_reviews (course_id, student_id, "
        "rating) VALUES ({course}, {student}, 5), ({course}, {student}, 4)",
        asyncpg.UniqueViolationError,
    ),
    (
        "duplicate course slug",
        "INSERT INTO courses (mentor_id, title, slug) VALUES ({mentor}, 'Other', 'a-course')",
        asyncpg.UniqueViolationError,
    ),
    (
        "duplicate category slug",
        "INSERT INTO categories (name, slug, level) VALUES ('Again', 'root', 0)",
        asyncpg.UniqueViolationError,
    ),
    (
        "duplicate tag name",
        "INSERT INTO course_tags (name) VALUES ('python'), ('python')",
        asyncpg.UniqueViolationError,
    ),
    (
        "duplicate user email",
        "INSERT INTO users (email) VALUES ('s@x.test')",
        asyncpg.UniqueViolationError,
    ),
    (
        "negative list price",
        "UPDATE courses SET list_price_cents = -1",
        asyncpg.CheckViolationError,
    ),
    (
        "sale above list price",
        "UPDATE courses SET sale_price_cents = 2000",
        asyncpg.CheckViolationError,
    ),
    (
        "negative duration",
        "UPDATE courses SET total_duration_minutes = -5",
        asyncpg.CheckViolationError,
    ),
    (
        "negative lecture count",
        "UPDATE course_sections SET lecture_count = -1",
        asyncpg.CheckViolationError,
    ),
    (
        "negative lecture duration",
        "UPDATE lectures SET duration_minutes = -1",
        asyncpg.CheckViolationError,
    ),
    ("lower-case currency", "UPDATE courses SET currency = 'usd'", asyncpg.CheckViolationError),
    (
        "currency not three letters",
        "UPDATE courses SET currency = 'U1D'",
        asyncpg.CheckViolationError,
    ),
    (
        "unknown course level",
        "UPDATE courses SET level = 'expert'",
        asyncpg.InvalidTextRepresentationError,
    ),
    (
        "unknown course status",
        "UPDATE courses SET status = 'live'",
        asyncpg.InvalidTextRepresentationError,
    ),
    (
        "root category with a parent",
        "INSERT INTO categories (parent_id, name, slug, level) VALUES ({root}, 'X', 'x', 0)",
        asyncpg.CheckViolationError,
    ),
    (
        "subcategory without a parent",
        "INSERT INTO categories (name, slug, level) VALUES ('Y', 'y', 1)",
        asyncpg.CheckViolationError,
    ),
    (
        "coupon discount 0",
        "INSERT INTO coupons (code, discount_percent, max_redemptions) VALUES ('ZERO', 0, 10)",
        asyncpg.CheckViolationError,
    ),
    (
        "coupon discount 101",
        "INSERT INTO coupons (code, discount_percent, max_redemptions) VALUES ('MANY', 101, 10)",
        asyncpg.CheckViolationError,
    ),
    (
        "coupon redeemed past its limit",
        "INSERT INTO coupons (code, discount_percent, "
        "max_redemptions, redeemed_count) VALUES ('OVER', 10, 5, 6)",
        asyncpg.CheckViolationError,
    ),
    (
        "second open cart",
        "INSERT INTO carts (student_id) VALUES ({student})",
        asyncpg.UniqueViolationError,
    ),
    (
        "duplicate wishlist name",
        "INSERT INTO wishlists (student_id, name) "
        "VALUES ({student}, 'Favorites'), ({student}, 'Favorites')",
        asyncpg.UniqueViolationError,
    ),
    (
        "duplicate enrollment",
        "INSERT INTO enrollments (course_id, student_id) VALUES ({course}, {student})",
        asyncpg.UniqueViolationError,
    ),
    (
        "progress over 100",
        "UPDATE enrollments SET progress_percent = 100.5",
        asyncpg.CheckViolationError,
    ),
    (
        "duplicate daily metric",
        "INSERT INTO course_metrics (course_id, date) "
        "VALUES ({course}, '2026-01-01'), ({course}, '2026-01-01')",
        asyncpg.UniqueViolationError,
    ),
    (
        "negative views",
        "INSERT INTO course_metrics (course_id, date, views) VALUES ({course}, '2026-01-01', -1)",
        asyncpg.CheckViolationError,
    ),
    (
        "course of a missing mentor",
        "INSERT INTO courses (mentor_id, title, slug) VALUES (gen_random_uuid(), 'T', 't')",
        asyncpg.ForeignKeyViolationError,
    ),
    (
        "mentor with courses deleted",
        "DELETE FROM mentors WHERE user_id = {mentor}",
        asyncpg.RestrictViolationError,
    ),
    (
        "category in use deleted",
        "INSERT INTO course_categories VALUES ({course}, {sub}); "
        "DELETE FROM categories WHERE id = {sub}",
        asyncpg.RestrictViolationError,
    ),
    (
        "negative cart item price",
        "INSERT INTO cart_items (cart_id, course_id, price_cents) VALUES ({cart}, {course}, -1)",
        asyncpg.CheckViolationError,
    ),
    (
        "mentor rating above 5",
        "UPDATE mentors SET average_rating = 5.5",
        asyncpg.CheckViolationError,
    ),
    (
        "unknown lecture type",
        "UPDATE lectures SET content_type = 'podcast'",
        asyncpg.InvalidTextRepresentationError,
    ),
]


@pytest.mark.parametrize(("name", "sql", "error"), BAD_ROWS, ids=[b[0] for b in BAD_ROWS])
async def test_database_refuses_bad_row(
    raw: asyncpg.Connection, name: str, sql: str, error: type[Exception]
) -> None:
    ids = await _base_rows(raw)
    statement = sql.format(**{k: f"'{v}'::uuid" for k, v in ids.items()})
    with pytest.raises(error):
        async with raw.transaction():
            await raw.execute(statement)


async def test_good_rows_are_accepted_and_cascade(raw: asyncpg.Connection) -> None:
    ids = await _base_rows(raw)
    await raw.execute(
        "INSERT INTO course_reviews (course_id, student_id, rating) VALUES ($1, $2, 5)",
        ids["course"],
        ids["student"],
    )
    await raw.execute("UPDATE courses SET sale_price_cents = 500, currency = 'EUR'")
    # Deleting a section takes its lectures; the enrollment's last lecture is cleared.
    await raw.execute("UPDATE enrollments SET last_watched_lecture = $1", ids["lecture"])
    await raw.execute("DELETE FROM course_sections WHERE id = $1", ids["section"])
    assert await raw.fetchval("SELECT count(*) FROM lectures") == 0
    assert await raw.fetchval("SELECT last_watched_lecture FROM enrollments") is None


async def test_database_maintains_timestamps(raw: asyncpg.Connection) -> None:
    ids = await _base_rows(raw)
    created, updated = await raw.fetchrow(
        "SELECT created_at, updated_at FROM courses WHERE id = $1", ids["course"]
    )
    assert created is not None and updated is not None
    await raw.execute("SELECT pg_sleep(0)")  # new statement; now() is per transaction
    await raw.execute("UPDATE courses SET updated_at = '2000-01-01' WHERE id = $1", ids["course"])
    after = await raw.fetchval("SELECT updated_at FROM courses WHERE id = $1", ids["course"])
    assert after.year != 2000, "the trigger keeps updated_at current"


async def test_row_with_only_data_model_columns_is_valid(raw: asyncpg.Connection) -> None:
    mentor = uuid.uuid4()
    await raw.execute("INSERT INTO users (id, email) VALUES ($1, 'only@x.test')", mentor)
    await raw.execute("INSERT INTO mentors (user_id) VALUES ($1)", mentor)
    await raw.execute(
        "INSERT INTO courses (mentor_id, title, slug, description, language_code, level, status, "
        "list_price_cents, currency, total_duration_minutes, lecture_count, is_bestseller, meta) "
        "VALUES ($1, 'T', 'only-model', 'd', 'en', 'beginner', 'published', 0, 'USD', 0, 0, "
        "false, '{}')",
        mentor,
    )
    row = await raw.fetchrow("SELECT deleted_at, created_at FROM courses WHERE slug='only-model'")
    assert row["deleted_at"] is None and row["created_at"] is not None
