"""``serve`` and ``demo``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from search_service.cli import commands_db, commands_search
from search_service.cli.arguments import whole
from search_service.db import migrate
from search_service.db.connection import check_reachable, connect, database_url
from search_service.lib.errors import SearchUnavailable
from search_service.ops.limits import MAX_HEADER_BYTES
from search_service.ops.logs import configure_logging, log_config
from search_service.ops.orphans import SERVER_PID, signalled_with_parent
from search_service.search.factory import make_engine
from search_service.seed.demo_accounts import (
    DemoAccounts,
    create_demo_accounts,
    demo_accounts,
    site_coupons,
)
from search_service.settings import Settings


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the web service commands to the parser."""
    serve = commands.add_parser("serve", help="run the web service (granian)")
    _server_options(serve)
    serve.set_defaults(handler=cmd_serve)
    demo = commands.add_parser(
        "demo",
        help="migrate, seed a demo catalog when empty, index it, follow changes and serve it",
    )
    demo.add_argument(
        "--courses",
        type=int,
        default=commands_db.DEFAULT_DEMO_COURSES,
        help="courses to seed into an empty database",
    )
    _server_options(demo)
    demo.set_defaults(handler=cmd_demo)


_port = whole(1, 65535, "a port from")
_workers = whole(1, 64, "a number of workers from")  # as SKILLSPRING_WORKERS allows


def _server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="address to bind (default SKILLSPRING_HOST)")
    parser.add_argument("--port", type=_port, help="port, 1-65535 (default SKILLSPRING_PORT)")
    parser.add_argument(
        "--workers", type=_workers, help="worker processes, 1 to 64 (default SKILLSPRING_WORKERS)"
    )


async def _engine_ready(settings: Settings) -> str | None:
    engine = make_engine(settings)
    try:
        await engine.health()
        return None
    except SearchUnavailable as exc:
        return str(exc)
    finally:
        await engine.close()


GRACE_SECONDS = 20  # a stopped worker's requests in flight have this long to finish


def _serve(settings: Settings, url: str, args: argparse.Namespace) -> int:
    problem = asyncio.run(_engine_ready(settings))
    if problem:
        print(f"warning: search is unavailable until fixed: {problem}", file=sys.stderr)
    # Worker processes read the (possibly embedded) database URL from the environment, and
    # whose workers they are (ops/orphans.py).
    os.environ["SKILLSPRING_DATABASE_URL"] = url
    os.environ[SERVER_PID] = str(os.getpid())
    # Every worker writes its metrics here so /metrics can report all of them: a folder of
    # this server's own, removed when it stops, unless the operator named one.
    metrics_dir = None
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        metrics_dir = Path(tempfile.mkdtemp(prefix="skillspring-metrics-"))
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    try:
        return _run_granian(settings, args)
    finally:
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)


def _run_granian(settings: Settings, args: argparse.Namespace) -> int:
    from granian import Granian
    from granian.constants import HTTPModes, Interfaces, Loops
    from granian.http import HTTP1Settings

    host = args.host or settings.server.host
    port = args.port or settings.server.port
    workers = args.workers or settings.server.workers
    # Unset, the public URL (canonical links, JSON-LD) is where this server listens.
    if not os.environ.get("SKILLSPRING_PUBLIC_URL"):
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104
        shown = f"[{shown}]" if ":" in shown else shown
        os.environ["SKILLSPRING_PUBLIC_URL"] = f"http://{shown}:{port}"
    print(f"serving on http://{host}:{port} with {workers} worker(s)", flush=True)
    configure_logging(settings.server.log_format)
    # granian (Rust's hyper underneath) enforces the limits on the way in that uvicorn does not:
    # headers over MAX_HEADER_BYTES are a 431, headers not complete within
    # SKILLSPRING_HEADER_TIMEOUT seconds of the connection's start close it (one that sends
    # nothing too). HTTP/1.1 only: with HTTP/2 in clear text (h2c, granian's "auto") neither
    # limit held, and a connection waiting to say which it speaks was never closed. Bodies
    # are the app's (ops/limits.py).
    Granian(
        "search_service.asgi:create_from_env",
        factory=True,
        address=host,
        port=port,
        workers=workers,
        interface=Interfaces.ASGI,
        http=HTTPModes.http1,
        loop=Loops.uvloop,
        http1_settings=HTTP1Settings(
            header_read_timeout=settings.server.header_timeout * 1000,
            max_buffer_size=MAX_HEADER_BYTES,
        ),
        log_dictconfig=log_config(settings.server.log_format),
        log_access=False,
        respawn_failed_workers=True,
        workers_kill_timeout=GRACE_SECONDS,
    ).serve()
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    with migrate.migrated_database(settings) as url:
        return _serve(settings, url, args)


@contextlib.contextmanager
def _follower(url: str) -> Iterator[None]:
    """``sync --follow`` beside the demo server, so edits in PostgreSQL show up in search."""
    env = {**os.environ, "SKILLSPRING_DATABASE_URL": url}
    process = subprocess.Popen(
        [sys.executable, "-m", "search_service.cli", "sync", "--follow"],
        env=env,
        stdout=subprocess.DEVNULL,
        preexec_fn=signalled_with_parent(),  # one prctl call: nothing a fork could leave locked
    )
    try:
        yield
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=20)


async def _demo_accounts(
    url: str, seeded: bool
) -> tuple[DemoAccounts | None, list[tuple[str, int]]]:
    """Made once, when the demo has just seeded the database; read back on later runs; with
    the coupons a cart can use today."""
    async with connect(url) as conn:
        accounts = await (create_demo_accounts(conn) if seeded else demo_accounts(conn))
        return accounts, await site_coupons(conn)


def cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    with database_url(settings) as url:
        asyncio.run(check_reachable(url))
        seed_args = argparse.Namespace(
            courses=args.courses, seed=42, if_empty=True, no_migrate=False
        )
        seeded = commands_db.seed_into(url, seed_args, hint=False)
        if seeded or asyncio.run(_engine_ready(settings)):
            asyncio.run(commands_search.reindex_into(url, settings))
        accounts, coupons = asyncio.run(_demo_accounts(url, seeded))
        if accounts is None:
            print("no demo accounts: this database was not seeded by `skillspring demo`")
        else:
            print(f"demo student: {accounts.student[0]} / {accounts.student[1]}")
            print(f"demo mentor:  {accounts.mentor[0]} / {accounts.mentor[1]}")
            if accounts.admin is not None:
                print(f"demo admin:   {accounts.admin[0]} / {accounts.admin[1]}")
                print("  admin pages: /admin/search-insights and /admin/rules")
            print("sign in at /login, or with POST /api/v1/auth/login", flush=True)
        if coupons:
            listed = ", ".join(f"{code} ({percent} % off)" for code, percent in coupons)
            print(f"coupons: {listed}", flush=True)
        with _follower(url):
            return _serve(settings, url, args)
