"""``course archive SLUG`` and ``media archive``."""

from __future__ import annotations

import argparse
import asyncio

from search_service.cli.progress import progress_bar
from search_service.db.connection import connect
from search_service.db.migrate import migrated_database
from search_service.lib.errors import NotFound, UsageError
from search_service.lifecycle.service import archive_course, archive_media, pending_media
from search_service.settings import Settings


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the lifecycle commands to the parser."""
    course = commands.add_parser("course", help="course lifecycle")
    course_commands = course.add_subparsers(dest="course_command", metavar="ACTION", required=True)
    archive = course_commands.add_parser(
        "archive",
        help="archive a course: status archived and deleted_at set; it leaves "
        "search at the next sync",
    )
    archive.add_argument("slug", metavar="SLUG", help="the course's slug")
    archive.set_defaults(handler=cmd_course_archive)
    media = commands.add_parser("media", help="media lifecycle")
    media_commands = media.add_subparsers(dest="media_command", metavar="ACTION", required=True)
    media_archive = media_commands.add_parser(
        "archive", help="mark the media of archived courses for archival (idempotent, resumable)"
    )
    media_archive.set_defaults(handler=cmd_media_archive)


async def _archive_course(url: str, slug: str) -> None:
    async with connect(url) as conn:
        await archive_course(conn, slug)


def cmd_course_archive(settings: Settings, args: argparse.Namespace) -> int:
    with migrated_database(settings) as url:
        try:
            asyncio.run(_archive_course(url, args.slug))
        except NotFound as exc:
            raise UsageError(str(exc)) from exc
    print(f"archived {args.slug}; it leaves search with the next sync")
    return 0


async def _archive_media(url: str) -> int:
    async with connect(url) as conn:
        total = await pending_media(conn)
        with progress_bar("marking media", total=total, unit="assets") as (advance, _):
            return await archive_media(conn, advance)


def cmd_media_archive(settings: Settings, args: argparse.Namespace) -> int:
    with migrated_database(settings) as url:
        marked = asyncio.run(_archive_media(url))
    print(f"marked {marked:,} media assets for archival")
    return 0
