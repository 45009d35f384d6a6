"""``db upgrade``, ``db downgrade``, ``seed``."""

from __future__ import annotations

import argparse
import asyncio

from search_service.cli.progress import progress_bar
from search_service.db import migrate
from search_service.db.connection import check_reachable, connect, database_url
from search_service.lib.errors import UsageError
from search_service.merchandising.service import refresh_recommendations
from search_service.seed.run import CatalogNotEmpty, count_courses, seed_catalog
from search_service.settings import Settings

DEFAULT_DEMO_COURSES = 3000


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the database commands to the parser."""
    db = commands.add_parser("db", help="migrate the database schema")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    up = db_commands.add_parser("upgrade", help="apply migrations (default: up to head)")
    up.add_argument("revision", nargs="?", default="head", help="target revision (default head)")
    up.set_defaults(handler=cmd_upgrade)
    down = db_commands.add_parser("downgrade", help="revert migrations down to REV")
    down.add_argument("revision", metavar="REV", help="target revision, e.g. base or -1")
    down.set_defaults(handler=cmd_downgrade)

    seed = commands.add_parser(
        "seed", help="fill an empty database with a deterministic demo catalog"
    )
    seed.add_argument(
        "--courses",
        type=int,
        default=DEFAULT_DEMO_COURSES,
        help=f"number of courses (default {DEFAULT_DEMO_COURSES})",
    )
    seed.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    seed.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing (exit 0) when the database already holds courses",
    )
    seed.add_argument(
        "--no-migrate",
        action="store_true",
        help="do not apply pending migrations first (the database must be at the newest revision)",
    )
    seed.set_defaults(handler=cmd_seed)


def cmd_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    with database_url(settings) as url:
        asyncio.run(check_reachable(url))
        migrate.upgrade(url, args.revision)
        reached = asyncio.run(migrate.applied(url))
    print(f"database at revision {_revision(reached)}")
    return 0


def _revision(reached: tuple[str, ...]) -> str:
    """The revision reached, as alembic names it (``head``, ``-1`` are where to go, not where
    the database is); ``base`` when no migration is applied."""
    return ", ".join(reached) or "base (empty)"


def cmd_downgrade(settings: Settings, args: argparse.Namespace) -> int:
    with database_url(settings) as url:
        asyncio.run(check_reachable(url))
        migrate.downgrade(url, args.revision)
        reached = asyncio.run(migrate.applied(url))
    print(f"database downgraded to revision {_revision(reached)}")
    return 0


async def _seed(url: str, courses: int, seed: int, if_empty: bool, hint: bool) -> bool:
    async with connect(url) as conn:
        if if_empty and await count_courses(conn):
            print("catalog already seeded; nothing to do")
            return False
        with progress_bar("seeding courses", total=courses) as (advance, _):
            report = await seed_catalog(conn, courses, seed, progress=advance)
        # "Students also bought" from the seeded enrollments at once, not an hour later.
        pairs = await refresh_recommendations(conn)
    rows = sum(report.rows.values())
    print(
        f"seeded {report.courses:,} courses ({rows:,} rows) in {report.seconds:.1f} s; "
        f"{pairs:,} 'students also bought' pairs" + ("; next: skillspring reindex" if hint else "")
    )
    return True


def seed_into(url: str, args: argparse.Namespace, *, hint: bool = True) -> bool:
    """Migrate (unless told not to) and seed; True when courses were written.

    ``hint`` says what to run next (``reindex``); the demo, which reindexes itself, leaves it out.
    """
    if args.courses < 1:
        raise UsageError("--courses must be a whole number of at least 1")
    if args.no_migrate:
        asyncio.run(migrate.check_migrated(url))
    else:
        migrate.upgrade(url)
    try:
        return asyncio.run(_seed(url, args.courses, args.seed, args.if_empty, hint))
    except CatalogNotEmpty as exc:
        raise UsageError(str(exc)) from exc


def cmd_seed(settings: Settings, args: argparse.Namespace) -> int:
    if args.courses < 1:
        raise UsageError("--courses must be a whole number of at least 1")
    with database_url(settings) as url:
        asyncio.run(check_reachable(url))
        seed_into(url, args)
    return 0
