"""Fan-out: rename the largest root category and time until every course in it is found by
its new name, with ``sync --follow`` applying the change and searches being served meanwhile.

Usage: python -m benchmarks.fanout [--rate 50] [--json FILE] [--project DIR]

Uses the configured database and index (seed and reindex first). Starts a follower and a
server, renames the root category with the most published courses in one UPDATE (the outbox
gets one row per course), then asks the server until a search for the new name counts every one
of them. A steady stream of searches runs against the server the whole time;
their latency is reported beside the fan-out time. The old name is put back at the end.
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
from urllib.parse import urlencode

from benchmarks import httpclient, mix
from benchmarks.serverproc import drain, free_port, start_server
from search_service.db.connection import connect, database_url
from search_service.settings import load_settings

LARGEST_ROOT = """
SELECT r.id, r.name, count(DISTINCT c.id) AS courses
FROM categories r
JOIN categories s ON s.id = r.id OR s.parent_id = r.id
JOIN course_categories cc ON cc.category_id = s.id
JOIN courses c ON c.id = cc.course_id AND c.status = 'published' AND c.deleted_at IS NULL
WHERE r.parent_id IS NULL
GROUP BY r.id, r.name ORDER BY courses DESC LIMIT 1
"""


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


async def _searchable(port: int, token: str, expected: int, deadline: float) -> None:
    """Return once a search through the server for ``token`` counts ``expected`` courses."""
    pool = httpclient.Pool("127.0.0.1", port, size=1)
    started = time.perf_counter()
    path = "/api/v1/search?" + urlencode({"q": token, "per_page": 1})
    try:
        while True:
            status, body = await pool.get(path)
            if status == 200 and json.loads(body)["total"] >= expected:
                return
            if time.perf_counter() - started > deadline:
                raise SystemExit(f"{expected:,} documents not searchable after {deadline:.0f} s")
            await asyncio.sleep(0.05)  # polling a measurement, not a test
    finally:
        pool.close()


def measure(rate: float, project: Path | None = None) -> dict[str, float]:
    settings = load_settings()
    with database_url(settings) as url:
        env = {**os.environ, "SKILLSPRING_DATABASE_URL": url}
        if project is not None:
            env["PYTHONPATH"] = str(project)
        follower = subprocess.Popen(
            [sys.executable, "-m", "search_service.cli", "sync", "--follow"],
            env=env,
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert follower.stdout is not None
        follower.stdout.readline()  # "following catalog changes"
        drain(follower)
        port = free_port()
        server = start_server(port, 2, env, cwd=project)
        latencies: list[float] = []
        try:

            async def go() -> dict[str, float]:
                async with connect(url) as conn:
                    vocab = await mix.read_vocabulary(conn)
                paths = [p for _, p in mix.distinct_mix(vocab, 3000)]
                return await _rename_with_load(url, paths, port, rate, latencies)

            figures = asyncio.run(go())
        finally:
            server.terminate()
            server.wait(timeout=60)
            follower.terminate()
            follower.wait(timeout=30)
    if latencies:
        figures["fanout_search_p50_ms"] = statistics.median(latencies)
        figures["fanout_search_p99_ms"] = _percentile(latencies, 99)
    return figures


async def _rename_with_load(
    url: str, paths: list[str], port: int, rate: float, latencies: list[float]
) -> dict[str, float]:
    """The rename, with searches at ``rate`` per second until every document is found."""
    pool = httpclient.Pool("127.0.0.1", port, size=64)
    stop = asyncio.Event()

    async def one(path: str, due: float) -> None:
        status, _ = await pool.get(path)
        if status == 200:
            latencies.append((time.perf_counter() - due) * 1000)

    async def stream() -> None:
        start = time.perf_counter()
        tasks = []
        i = 0
        while not stop.is_set():
            due = start + i / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            tasks.append(asyncio.create_task(one(paths[i % len(paths)], due)))
            i += 1
        await asyncio.gather(*tasks)

    async with connect(url) as conn:
        row = await conn.fetchrow(LARGEST_ROOT)
        token = "Fanout" + uuid.uuid4().hex[:8]
        searching = asyncio.create_task(stream())
        await asyncio.sleep(1.0)  # the search stream runs before the change lands
        latencies.clear()
        committed = time.perf_counter()
        await conn.execute("UPDATE categories SET name = $1 WHERE id = $2", token, row["id"])
        await _searchable(port, token, int(row["courses"]), deadline=600)
        applied = time.perf_counter() - committed
        stop.set()
        await searching
        pool.close()
        await conn.execute("UPDATE categories SET name = $1 WHERE id = $2", row["name"], row["id"])
    return {"fanout_documents": float(row["courses"]), "fanout_seconds": applied}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50.0, help="searches per second meanwhile")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--project", type=Path, help="run another checkout's follower and server")
    args = parser.parse_args()
    figures = measure(args.rate, args.project.resolve() if args.project else None)
    print(
        f"renamed a root category of {figures['fanout_documents']:,.0f} courses: all searchable "
        f"after {figures['fanout_seconds']:.2f} s; searches meanwhile p50 "
        f"{figures.get('fanout_search_p50_ms', float('nan')):.2f} ms, p99 "
        f"{figures.get('fanout_search_p99_ms', float('nan')):.2f} ms"
    )
    if args.json:
        args.json.write_text(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
