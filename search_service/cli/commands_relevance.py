"""``relevance``: NDCG@10, MRR and P@5 of the judged queries."""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

from sqlalchemy.ext.asyncio import async_sessionmaker

from search_service.catalog.categories import CategoryDirectory
from search_service.catalog.search.service import CatalogSearch, Meaning
from search_service.cli.commands_search import reindex_into
from search_service.db import migrate
from search_service.db.connection import check_reachable, connect, database_url, make_engine
from search_service.insights.judgments import judgments_from_clicks
from search_service.insights.judgments import write as write_click_judgments
from search_service.lib.errors import UsageError
from search_service.relevance.evaluate import (
    evaluate,
    read_judgments,
    read_kinds,
    render,
    write_judgments,
)
from search_service.relevance.scratch import scratch_catalog
from search_service.search.factory import make_engine as make_search_engine
from search_service.seed.judged import FIXTURE_DIR, load_catalog, read_catalog
from search_service.semantic.models import load_embedder
from search_service.settings import Settings


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the relevance command to the parser."""
    cmd = commands.add_parser(
        "relevance",
        help="score ranking on judged queries (NDCG@10, MRR, P@5 overall and per kind)",
        description="Loads the fixture catalog (tests/relevance/catalog.tsv) into a scratch "
        "database and tantivy index, runs every judged query through the search API's code "
        "path and prints the scores and the worst queries.",
    )
    cmd.add_argument(
        "--judgments",
        type=Path,
        default=FIXTURE_DIR / "judgments.csv",
        help="query,docid,rating CSV (default: the committed judgments)",
    )
    cmd.add_argument(
        "--kinds", type=Path, default=FIXTURE_DIR / "queries.csv", help="query,kind CSV"
    )
    cmd.add_argument("--json", action="store_true", help="print the scores as JSON")
    cmd.add_argument(
        "--split",
        choices=("tune", "heldout"),
        help="score only one split of the judged queries (default: both, each shown); "
        "ranking work looks at the tune split only",
    )
    cmd.add_argument(
        "--live",
        action="store_true",
        help="use the configured database and search engine (e.g. Meilisearch) "
        "instead of a scratch copy; they must hold the fixture catalog",
    )
    cmd.add_argument(
        "--load",
        action="store_true",
        help="with --live: first load the fixture catalog into the configured "
        "(empty) database and reindex the configured engine",
    )
    cmd.add_argument(
        "--export",
        type=Path,
        metavar="FILE",
        help="write the judgments as query,docid,rating CSV and exit",
    )
    cmd.add_argument(
        "--judgments-from-clicks",
        type=Path,
        metavar="FILE",
        help="write query,docid,rating judgments derived from the configured database's "
        "clicks, adds to cart and purchases (head queries, position bias corrected) and exit",
    )
    cmd.add_argument(
        "--days",
        type=int,
        default=None,
        help="with --judgments-from-clicks: the window, in days (default 90)",
    )
    cmd.add_argument(
        "--min-searches",
        type=int,
        default=None,
        help="with --judgments-from-clicks: a query needs this many searches (default 10)",
    )
    cmd.set_defaults(handler=cmd_relevance)


async def _from_clicks(url: str, days: int, min_searches: int) -> list[tuple[str, str, int]]:
    async with connect(url) as conn:
        return await judgments_from_clicks(conn, days, min_searches)


def _write_click_judgments(settings: Settings, args: argparse.Namespace) -> int:
    args.days = 90 if args.days is None else args.days
    args.min_searches = 10 if args.min_searches is None else args.min_searches
    if not 1 <= args.days <= 3650:
        raise UsageError("--days must be a whole number from 1 to 3650")
    if args.min_searches < 1:
        raise UsageError("--min-searches must be 1 or more")
    with database_url(settings) as url:
        asyncio.run(check_reachable(url))
        graded = asyncio.run(_from_clicks(url, args.days, args.min_searches))
    write_click_judgments(args.judgments_from_clicks, graded)
    queries = len({q for q, _, _ in graded})
    print(
        f"wrote {len(graded):,} judgments for {queries:,} queries to {args.judgments_from_clicks}"
    )
    return 0


async def _load_live(url: str, settings: Settings) -> None:
    """The fixture into the configured database (which must hold no courses), then reindex."""
    async with connect(url) as conn:
        if await conn.fetchval("SELECT count(*) FROM courses"):
            raise UsageError("--load needs an empty database: it already holds courses")
        await load_catalog(conn, read_catalog())
    await reindex_into(url, settings)


async def _run(url: str, settings: Settings, args: argparse.Namespace) -> int:
    judged = read_judgments(args.judgments)
    kinds = read_kinds(args.kinds)
    if args.live:
        if args.load:
            await _load_live(url, settings)
        db_engine = make_engine(url, pool_size=2)
        engine = make_search_engine(settings)
        try:
            directory = CategoryDirectory(async_sessionmaker(db_engine))
            meaning = Meaning(load_embedder(), settings.search.semantic_ratio)
            catalog = CatalogSearch(engine, directory, meaning=meaning)
            report = await evaluate(catalog, judged, kinds, args.split)
        finally:
            await engine.close()
            await db_engine.dispose()
    else:
        async with scratch_catalog(url, settings.search.semantic_ratio) as catalog:
            report = await evaluate(catalog, judged, kinds, args.split)
    print(json.dumps(report.as_dict(), indent=2) if args.json else render(report, judged))
    return 0


def cmd_relevance(settings: Settings, args: argparse.Namespace) -> int:
    if args.judgments_from_clicks:
        return _write_click_judgments(settings, args)
    for option in ("days", "min_searches"):  # silently ignored, as --load alone is not
        if getattr(args, option) is not None:
            raise UsageError(f"--{option.replace('_', '-')} goes with --judgments-from-clicks")
    if args.export:
        write_judgments(read_judgments(args.judgments), args.export)
        print(f"wrote {args.export}")
        return 0
    if args.load and not args.live:
        raise UsageError("--load goes with --live")
    with database_url(settings) as url:
        asyncio.run(check_reachable(url))
        if args.load:
            migrate.upgrade(url)
        return asyncio.run(_run(url, settings, args))
