"""Generate the demo catalog and bulk load it with COPY, in one transaction."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import asyncpg

from search_service.lib.errors import UsageError
from search_service.seed.catalog_tree import (
    CATEGORY_COLUMNS,
    COUPON_COLUMNS,
    TAG_COLUMNS,
    make_categories_and_topics,
    make_coupons,
)
from search_service.seed.factory import CourseFactory
from search_service.seed.people import (
    MENTOR_COLUMNS,
    STUDENT_COLUMNS,
    USER_COLUMNS,
    make_mentors,
    make_students,
)
from search_service.seed.shopping import make_carts_and_wishlists
from search_service.seed.summaries import refresh_counters

BATCH_COURSES = 2000
MAX_COURSES = 2_000_000
# A fixed "now" keeps a seed's output identical from day to day.
SEED_EPOCH = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)

Progress = Callable[[int], None]


@dataclass
class SeedReport:
    """What a seed run wrote, and how long it took."""

    courses: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


class CatalogNotEmpty(UsageError):
    """The database already holds courses; seeding only fills an empty catalog."""


SHOPPERS_ONE_IN = 20


async def _copy(
    conn: asyncpg.Connection,
    report: SeedReport,
    table: str,
    columns: tuple[str, ...],
    rows: list[tuple[object, ...]],
) -> None:
    await conn.copy_records_to_table(table, records=rows, columns=columns)
    report.rows[table] = report.rows.get(table, 0) + len(rows)


async def _skip_row_checks(conn: asyncpg.Connection) -> None:
    """Skip per-row foreign-key checks for this transaction when we may (superuser: the
    embedded server; ``SET LOCAL`` ends with the transaction). The generator only writes rows
    whose references it wrote first, and ``tests/test_seed.py`` checks every foreign key of a
    seeded catalog; without the privilege, PostgreSQL checks each row as usual."""
    if await conn.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"):
        await conn.execute("SET LOCAL session_replication_role = replica")


async def count_courses(conn: asyncpg.Connection) -> int:
    """How many courses the database holds, whatever their status."""
    return int(await conn.fetchval("SELECT count(*) FROM courses"))


async def seed_catalog(
    conn: asyncpg.Connection, courses: int, seed: int, progress: Progress | None = None
) -> SeedReport:
    """Write a deterministic demo catalog of ``courses`` courses in one transaction.

    Raises:
        UsageError: ``courses`` is out of range.
        CatalogNotEmpty: the database already holds courses.
    """
    if not 1 <= courses <= MAX_COURSES:
        raise UsageError(f"--courses must be a whole number from 1 to {MAX_COURSES:,}")
    started = time.perf_counter()
    report = SeedReport(courses=courses)
    rng = random.Random(seed)
    now = SEED_EPOCH
    async with conn.transaction():
        # A bulk load is followed by a full reindex; recording every row in the outbox
        # would only be thrown away. (SET LOCAL: back on when this transaction ends.)
        await conn.execute("SET LOCAL skillspring.capture = 'off'")
        await _skip_row_checks(conn)
        existing = await count_courses(conn)
        if existing:
            raise CatalogNotEmpty(
                f"the database already holds {existing:,} courses; seed fills an empty catalog"
            )
        categories, tags, topics = make_categories_and_topics(rng)
        await _copy(conn, report, "categories", CATEGORY_COLUMNS, categories)
        await _copy(conn, report, "course_tags", TAG_COLUMNS, tags)
        mentors, mentor_users, mentor_rows = make_mentors(
            rng, max(10, courses // 20), [t.name for t in topics], now
        )
        students, student_users, student_rows = make_students(rng, max(200, courses * 2), now)
        await _copy(conn, report, "users", USER_COLUMNS, mentor_users + student_users)
        await _copy(conn, report, "mentors", MENTOR_COLUMNS, mentor_rows)
        await _copy(conn, report, "students", STUDENT_COLUMNS, student_rows)
        await _copy(
            conn,
            report,
            "coupons",
            COUPON_COLUMNS,
            make_coupons(rng, mentors, max(5, courses // 100), now),
        )
        # One student in twenty buys nothing yet: the open carts and wishlists are theirs.
        buyers = students[: len(students) - len(students) // SHOPPERS_ONE_IN]
        factory = CourseFactory(rng, mentors, topics, buyers, now)
        sizes = [min(BATCH_COURSES, courses - s) for s in range(0, courses, BATCH_COURSES)]
        for size in sizes:
            for table, columns, rows in factory.build(size):
                await _copy(conn, report, table, columns, rows)
            if progress is not None:
                progress(size)
        for table, columns, rows in make_carts_and_wishlists(
            rng, students[len(buyers) :], factory.offers, now
        ):
            await _copy(conn, report, table, columns, rows)
        await refresh_counters(conn)
        # Also when the caller's transaction encloses ours (a savepoint).
        await conn.execute("SET LOCAL skillspring.capture = 'on'")
        await conn.execute("SET LOCAL session_replication_role = origin")
    # A bulk load's first reader would otherwise set every row's hint bits, and autovacuum
    # would start on the new tables under the next command (a reindex): done here, once.
    await conn.execute("ANALYZE" if conn.is_in_transaction() else "VACUUM (ANALYZE)")
    report.seconds = time.perf_counter() - started
    return report
