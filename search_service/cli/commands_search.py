"""``reindex`` and ``sync``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import time
from pathlib import Path

from indexer.reindex import reindex
from indexer.sync import Follower, sync_once
from search_service.cli.arguments import seconds
from search_service.cli.progress import progress_bar
from search_service.db.connection import (
    connect,
    database_errors,
)
from search_service.db.migrate import migrated_database
from search_service.lib.errors import SearchUnavailable, UsageError
from search_service.merchandising.service import refresh_recommendations
from search_service.ops.periodic import Periodic
from search_service.search.engine import SearchEngine
from search_service.search.factory import make_engine
from search_service.settings import Settings


def cmd_recommendations_refresh(settings: Settings, args: argparse.Namespace) -> int:
    with migrated_database(settings) as url:
        started = time.perf_counter()
        pairs = asyncio.run(_refresh_recommendations(url))
    print(
        f"recomputed students-also-bought: {pairs:,} pairs in {time.perf_counter() - started:.1f} s"
    )
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the indexer commands to the parser."""
    reindex_cmd = commands.add_parser(
        "reindex",
        help="rebuild the search index from PostgreSQL with zero downtime",
        description="Build a new index from one database snapshot, check its document count "
        "against the published courses, then switch to it atomically. Searches keep using "
        "the old index until the switch; a failed run leaves it untouched.",
    )
    reindex_cmd.add_argument(
        "--if-missing",
        action="store_true",
        help="do nothing when the live index exists and holds documents (first deploys)",
    )
    reindex_cmd.set_defaults(handler=cmd_reindex)
    sync = commands.add_parser(
        "sync",
        help="apply pending catalog changes to the search index",
        description="Rebuild the documents of every course changed since the last sync. "
        "With --follow, keep running: woken by LISTEN/NOTIFY, polling as a fallback.",
    )
    sync.add_argument("--follow", action="store_true", help="keep running and follow changes")
    sync.add_argument(
        "--poll-seconds",
        type=seconds(0.1, 3600),
        default=5.0,
        help="fallback poll interval with --follow, 0.1 to 3,600 (default 5)",
    )
    sync.set_defaults(handler=cmd_sync)
    recommendations = commands.add_parser(
        "recommendations", help="students-also-bought lists, computed from enrollments"
    )
    recommendation_actions = recommendations.add_subparsers(
        dest="recommendations_command", metavar="ACTION", required=True
    )
    refresh = recommendation_actions.add_parser(
        "refresh",
        help="recompute every course's also-bought list now (sync --follow also does it every "
        "SKILLSPRING_RECOMMENDATIONS_MINUTES)",
    )
    refresh.set_defaults(handler=cmd_recommendations_refresh)
    search = commands.add_parser("search", help="search engine administration")
    search_commands = search.add_subparsers(dest="search_command", metavar="ACTION", required=True)
    keys = search_commands.add_parser(
        "keys",
        help="create the scoped Meilisearch keys (first deploy) and write them to a folder",
        description="With SKILLSPRING_MEILI_API_KEY holding the master key, make sure the web "
        "tier's search-only key and the indexer's key exist (fixed uids: running it again "
        "finds the same keys) and write them to OUT/search.key and OUT/indexer.key.",
    )
    keys.add_argument("--out", type=Path, required=True, help="folder to write the keys to")
    keys.set_defaults(handler=cmd_search_keys)


async def _holds_documents(engine: SearchEngine) -> bool:
    """Whether the live index is there and holds documents (one whose folder is gone, or that
    cannot be read, is missing: compose's indexer failed at every start on it)."""
    try:
        return await engine.document_count() > 0
    except SearchUnavailable:
        return False


async def reindex_into(url: str, settings: Settings, if_missing: bool = False) -> int:
    """Rebuild the configured engine's index from the database at ``url``."""
    engine = make_engine(settings)
    try:
        await engine.apply_settings()
        if if_missing and await _holds_documents(engine):
            print("the index exists and holds documents; nothing to do")
            return 0
        with progress_bar("indexing", total=0, unit="docs") as (advance, set_total):
            report = await reindex(url, engine, advance, set_total)
    finally:
        await engine.close()
    print(
        f"indexed {report.documents:,} courses in {report.seconds:.1f} s "
        f"({report.per_second:,.0f} docs/s); {report.caught_up} changes caught up"
    )
    return 0


def cmd_reindex(settings: Settings, args: argparse.Namespace) -> int:
    with migrated_database(settings) as url:
        try:
            with database_errors("reindex"):
                return asyncio.run(reindex_into(url, settings, args.if_missing))
        except SearchUnavailable as exc:
            raise UsageError(f"search engine: {exc}") from exc


async def _sync_once(url: str, settings: Settings) -> int:
    engine = make_engine(settings)
    try:
        await engine.health()
        async with connect(url) as conn:
            applied = await sync_once(conn, engine)
    finally:
        await engine.close()
    print(f"synced {applied} changes")
    return 0


async def _refresh_recommendations(url: str) -> int:
    async with connect(url) as conn:
        return await refresh_recommendations(conn)


async def _follow(url: str, settings: Settings, poll_seconds: float) -> int:
    engine = make_engine(settings)
    follower = Follower(
        url,
        engine,
        poll_seconds=poll_seconds,
        on_applied=lambda n: print(f"applied {n} changes", flush=True),
    )
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, follower.stop.set)
    print("following catalog changes (Ctrl-C to stop)", flush=True)
    # "Students also bought" is recomputed from enrollments now and then, beside the sync.
    refresher = Periodic(
        settings.recommendations.minutes * 60,
        lambda: _refresh_recommendations(url),
        logging.getLogger("skillspring.recommendations"),
        "could not refresh recommendations; will retry",
    )
    refresher.start()
    try:
        await follower.run()
    finally:
        await refresher.stop()
        await engine.close()
    print(f"sync stopped after applying {follower.applied} changes", flush=True)
    return 0


def cmd_sync(settings: Settings, args: argparse.Namespace) -> int:
    with migrated_database(settings) as url:
        try:
            if args.follow:
                return asyncio.run(_follow(url, settings, args.poll_seconds))
            with database_errors("sync"):
                return asyncio.run(_sync_once(url, settings))
        except SearchUnavailable as exc:
            raise UsageError(f"search engine: {exc}") from exc


async def _scoped_keys(settings: Settings) -> dict[str, str]:
    from search_service.search.meilisearch.engine import MeilisearchEngine

    engine = make_engine(settings)
    try:
        if not isinstance(engine, MeilisearchEngine):
            raise UsageError("search keys: SKILLSPRING_SEARCH_ENGINE must be meilisearch")
        # No health check: on a first deploy the index does not exist yet.
        return await engine.scoped_keys()
    finally:
        await engine.close()


def cmd_search_keys(settings: Settings, args: argparse.Namespace) -> int:
    try:
        keys = asyncio.run(_scoped_keys(settings))
    except SearchUnavailable as exc:
        raise UsageError(f"search engine: {exc}") from exc
    args.out.mkdir(parents=True, exist_ok=True)
    for role, key in keys.items():
        path = args.out / f"{role}.key"
        path.write_text(key + "\n")
        path.chmod(0o640)
    print(f"wrote {', '.join(sorted(keys))} keys to {args.out}")
    return 0
