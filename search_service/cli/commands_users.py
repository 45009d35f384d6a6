"""``users create-admin EMAIL``: the password comes from standard input, one line."""

from __future__ import annotations

import argparse
import asyncio
import sys

from search_service.accounts.admins import check_admin, create_admin
from search_service.db.connection import connect
from search_service.db.migrate import migrated_database
from search_service.lib.errors import UsageError
from search_service.settings import Settings


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the user commands to the parser."""
    users = commands.add_parser("users", help="accounts operators manage")
    actions = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    admin = actions.add_parser(
        "create-admin",
        help="create an admin, or make an existing account one; reads the password (one "
        "line) from standard input",
        description="Create an admin account, or promote an existing one (its password is "
        "replaced). The password is read from standard input, one line, so it never appears "
        "in the process list or the shell history: "
        "`printf '%s\\n' \"$PASSWORD\" | skillspring users create-admin ops@example.com`.",
    )
    admin.add_argument("email", metavar="EMAIL", help="the admin's email (the sign-in name)")
    admin.set_defaults(handler=cmd_create_admin)


def _read_password() -> str:
    line = sys.stdin.buffer.readline()  # bytes: whatever the locale, a password is UTF-8
    if not line:
        raise UsageError("no password on standard input (one line is read)")
    try:
        return line.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        raise UsageError("the password on standard input is not UTF-8 text") from None


async def _create(url: str, email: str, password: str) -> bool:
    async with connect(url) as conn:
        return await create_admin(conn, email, password)


def cmd_create_admin(settings: Settings, args: argparse.Namespace) -> int:
    password = _read_password()
    check_admin(args.email, password)  # before starting a database
    with migrated_database(settings) as url:
        created = asyncio.run(_create(url, args.email, password))
    print(f"{'created' if created else 'promoted'} admin {args.email.strip().lower()}")
    return 0
