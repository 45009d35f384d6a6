"""The ``skillspring`` command: one parser, one sub-command module per area."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import warnings
from collections.abc import Sequence
from typing import Any

from alembic.util.exc import CommandError

from search_service.cli import (
    commands_db,
    commands_lifecycle,
    commands_relevance,
    commands_search,
    commands_serve,
    commands_users,
)
from search_service.lib.errors import UsageError
from search_service.settings import load_settings

EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    """The full command tree; every command and sub-command answers ``--help``."""
    parser: argparse.ArgumentParser = _Parser(
        prog="skillspring",
        description="Skillspring catalog search: database, demo catalog, indexer and web service.",
        epilog="Settings come from SKILLSPRING_* environment variables (see README).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    commands_db.register(commands)
    commands_search.register(commands)
    commands_serve.register(commands)
    commands_lifecycle.register(commands)
    commands_relevance.register(commands)
    commands_users.register(commands)
    return parser


class _Parser(argparse.ArgumentParser):
    """A parser that puts itself in the namespace (``command_parser``; the command's own
    wins, and sub-commands are made of this class too), so an argument a command does not
    take is refused with that command's usage, not the top level's."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_defaults(command_parser=self)


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    warnings.filterwarnings("ignore", module="platformdirs")
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        args.command_parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    # SIGTERM ends a command like Ctrl-C does: `finally` blocks and exit handlers run, so the
    # embedded PostgreSQL is released (and stopped by its last user). granian takes the
    # signal over while it serves, stops its workers gracefully and returns.
    signal.signal(signal.SIGTERM, _terminated)
    try:
        settings = load_settings()
        code: int = args.handler(settings, args)
    except UsageError as exc:
        print(f"skillspring: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # a file named on the command line: missing, unwritable, a folder
        where = f": {exc.filename}" if exc.filename else ""
        print(f"skillspring: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return EXIT_USAGE
    except CommandError as exc:  # alembic's: an unknown revision
        print(f"skillspring: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("skillspring: interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
