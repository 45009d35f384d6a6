"""Commit-to-searchable latency with ``skillspring sync --follow`` running.

Usage: python benchmarks/freshness.py [--changes N] [--rate PER_SECOND]

Uses the configured database and index (SKILLSPRING_* settings; run ``skillspring seed`` and
``skillspring reindex`` first). Starts a follower process, commits N title changes at a steady
rate, and for each one measures the time from COMMIT until a search finds the new title.
Prints p50 / p95 / max. Polling the index is fine here: this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import asyncpg

from benchmarks.serverproc import drain
from search_service.db.connection import asyncpg_dsn, database_url
from search_service.search.factory import make_engine
from search_service.search.request import SearchRequest
from search_service.settings import load_settings


def _token() -> str:
    return "fresh" + uuid.uuid4().hex[:10]


async def _measure(url: str, changes: int, rate: float) -> list[float]:
    settings = load_settings()
    engine = make_engine(settings)
    conn = await asyncpg.connect(asyncpg_dsn(url))
    ids = [
        r["id"]
        for r in await conn.fetch(
            "SELECT id FROM courses WHERE status = 'published' AND deleted_at IS NULL "
            "ORDER BY random() LIMIT $1",
            changes,
        )
    ]
    latencies: list[float] = []
    for course_id in ids:
        started = time.perf_counter()
        token = _token()
        await conn.execute(
            "UPDATE courses SET title = $1 WHERE id = $2", f"Course {token}", course_id
        )
        committed = time.perf_counter()
        while (await engine.search(SearchRequest(q=token, with_facets=False))).total == 0:
            await asyncio.sleep(0.002)
            if time.perf_counter() - committed > 30:
                raise SystemExit(f"change {token} not searchable after 30 s")
        latencies.append(time.perf_counter() - committed)
        await asyncio.sleep(max(0.0, 1 / rate - (time.perf_counter() - started)))
    await conn.close()
    await engine.close()
    return latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=200, help="changes to measure")
    parser.add_argument("--rate", type=float, default=10.0, help="changes per second")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    settings = load_settings()
    with database_url(settings) as url:
        env = {**os.environ, "SKILLSPRING_DATABASE_URL": url}
        follower = subprocess.Popen(
            [sys.executable, "-m", "search_service.cli", "sync", "--follow"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            assert follower.stdout is not None
            follower.stdout.readline()  # "following catalog changes"
            drain(follower)
            latencies = asyncio.run(_measure(url, args.changes, args.rate))
        finally:
            follower.terminate()
            follower.wait(timeout=30)
    ms = sorted(x * 1000 for x in latencies)
    p95 = ms[int(0.95 * (len(ms) - 1))]
    print(
        f"freshness over {len(ms)} changes at {args.rate:g}/s: "
        f"p50 {statistics.median(ms):.0f} ms, p95 {p95:.0f} ms, max {ms[-1]:.0f} ms"
    )
    if args.json:
        figures = {
            "freshness_p50_ms": statistics.median(ms),
            "freshness_p95_ms": p95,
            "freshness_max_ms": ms[-1],
        }
        args.json.write_text(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
