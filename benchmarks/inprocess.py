"""CPU per search request in process: the distinct mix replayed through the app, no server.

Usage: python -m benchmarks.inprocess [--warm 200] [--requests 1300] [--profile FILE]

Against the configured catalog (SKILLSPRING_*; seed and reindex first, e.g. ``skillspring seed
--courses 10000``): the app is built as ``serve`` builds it and the distinct mix of
``benchmarks/mix.py`` (the requests ``make bench`` uses) is sent through
``httpx.ASGITransport``, one at a time, without ``Accept-Encoding`` (as ``make bench``). Prints
the process's CPU time and the wall time per request over the measured requests; with
``--profile`` it writes their ``cProfile`` statistics. The app's request log goes to standard
error as it would in a server (``2>/dev/null``). To compare an older checkout, run this
file with that checkout first on ``PYTHONPATH`` (docs/performance.md).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import logging
import time

import httpx

from benchmarks import mix
from search_service.app import create_app
from search_service.db.connection import database_url
from search_service.settings import Settings, load_settings


async def _vocabulary(url: str) -> mix.Vocabulary:
    import asyncpg

    from search_service.db.connection import asyncpg_dsn

    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        return await mix.read_vocabulary(conn)
    finally:
        await conn.close()


async def replay(url: str, settings: Settings, args: argparse.Namespace) -> None:
    paths = [p for _, p in mix.distinct_mix(await _vocabulary(url), args.warm + args.requests)]
    app = create_app(settings, database_url=url)
    transport = httpx.ASGITransport(app=app, client=("10.0.0.1", 1234))
    headers = {"Accept-Encoding": "identity"}
    async with (
        app.lifespan(),
        httpx.AsyncClient(transport=transport, base_url="http://app", headers=headers) as client,
    ):
        for path in paths[: args.warm]:
            await client.get(path)
        gc.freeze()  # as a server worker does once started (ops/collector.py)
        profile = cProfile.Profile() if args.profile else None
        cpu, wall = time.process_time(), time.perf_counter()
        if profile:
            profile.enable()
        for path in paths[args.warm :]:
            answer = await client.get(path)
            if answer.status_code != 200:
                raise SystemExit(f"{path}: {answer.status_code}")
        if profile:
            profile.disable()
            profile.dump_stats(args.profile)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    n = len(paths) - args.warm
    print(f"{n} requests: CPU {cpu / n * 1000:.3f} ms, wall {wall / n * 1000:.3f} ms a request")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm", type=int, default=200, help="requests before measuring")
    parser.add_argument("--requests", type=int, default=1300, help="requests measured")
    parser.add_argument("--profile", help="write cProfile statistics of the measured requests")
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # the client's lines, not the app's
    settings = load_settings()
    with database_url(settings) as url:
        asyncio.run(replay(url, settings, args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
