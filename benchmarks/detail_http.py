"""Course detail API and course page over HTTP at a steady rate, with SQL queries per request.

Usage: python -m benchmarks.detail_http [--workers 2] [--rate 50] [--seconds 20]

Uses the configured database and index (seed and reindex first). Writes
bench-results/detail_http.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import event

from benchmarks.httpclient import run as httpclient_run
from benchmarks.httpclient import steady_rate
from benchmarks.search_http import RESULTS, percentile
from benchmarks.serverproc import free_port, start_server
from search_service.db.connection import asyncpg_dsn, database_url
from search_service.settings import load_settings


async def sample_slugs(url: str, count: int) -> list[str]:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    rows = await conn.fetch(
        "SELECT slug FROM courses WHERE status = 'published' AND deleted_at IS NULL "
        "ORDER BY md5(slug) LIMIT $1",
        count,
    )
    await conn.close()
    return [r["slug"] for r in rows]


async def queries_per_request(url: str, paths: list[str]) -> dict[str, float]:
    """SQL statements per request, counted on the app's own engine, in process."""
    from litestar.testing import AsyncTestClient

    from search_service.app import create_app

    app = create_app(load_settings(), database_url=url)
    counts: dict[str, list[int]] = {"api": [], "page": []}
    async with AsyncTestClient(app=app) as client:
        engine = app.state.db_engine.sync_engine
        seen: list[str] = []

        def record(*args: Any) -> None:
            seen.append("q")

        event.listen(engine, "before_cursor_execute", record)
        for path in paths:
            seen.clear()
            response = await client.get(path)
            response.raise_for_status()
            counts["api" if path.startswith("/api/") else "page"].append(len(seen))
        event.remove(engine, "before_cursor_execute", record)
    return {kind: max(values) for kind, values in counts.items() if values}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--out", type=Path, default=RESULTS / "detail_http.json")
    args = parser.parse_args()
    settings = load_settings()
    port = free_port()
    with database_url(settings) as url:
        slugs = asyncio.run(sample_slugs(url, 300))
        api_paths = [f"/api/v1/courses/{s}" for s in slugs]
        page_paths = [f"/courses/{s}" for s in slugs]
        queries = asyncio.run(queries_per_request(url, api_paths[:20] + page_paths[:20]))
        env = {**os.environ, "SKILLSPRING_DATABASE_URL": url}
        server = start_server(port, args.workers, env)
        try:
            api_ms = httpclient_run(steady_rate(port, api_paths, args.rate, args.seconds)).latencies
            page_ms = httpclient_run(
                steady_rate(port, page_paths, args.rate, args.seconds)
            ).latencies
        finally:
            server.terminate()
            server.wait(timeout=60)
    figures = {
        "detail_api_p50_ms": statistics.median(api_ms),
        "detail_api_p99_ms": percentile(api_ms, 99),
        "course_page_p50_ms": statistics.median(page_ms),
        "course_page_p99_ms": percentile(page_ms, 99),
        "detail_api_sql_queries": float(queries.get("api", 0)),
        "course_page_sql_queries": float(queries.get("page", 0)),
        "rate": args.rate,
        "workers": args.workers,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2))
    for name, value in figures.items():
        print(f"{name:28} {value:10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
