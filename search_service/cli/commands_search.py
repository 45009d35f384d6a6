"""``reindex`` and ``sync``."""

from __future__ import annotations

import argparse

from search_service.errors import UsageError
from search_service.settings import Settings


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the indexer commands to the parser."""
    reindex = commands.add_parser("reindex", help="rebuild the search index from PostgreSQL")
    reindex.set_defaults(handler=cmd_not_yet)
    sync = commands.add_parser("sync", help="apply pending catalog changes to the search index")
    sync.add_argument("--follow", action="store_true", help="keep running and follow changes")
    sync.set_defaults(handler=cmd_not_yet)


def cmd_not_yet(settings: Settings, args: argparse.Namespace) -> int:
    raise UsageError(f"'{args.command}' is not available yet")
