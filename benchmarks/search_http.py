"""Search over HTTP against ``skillspring serve``: latency at a steady rate, throughput at
saturation, and the raw engine time for the same requests, in one run.

Usage: python benchmarks/search_http.py [--workers 2] [--rate 100] [--seconds 20]

Uses the configured database and index (SKILLSPRING_*; seed and reindex first). Needs `wrk`
(Debian package) for the saturation figure. Prints a table and writes
bench-results/search_http.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from benchmarks.query_mix import search_mix, suggest_mix
from benchmarks.rawhttp import Pool
from benchmarks.serverproc import start_server
from search_service.catalog.params import parse_search
from search_service.db.connection import database_url
from search_service.search.factory import make_engine
from search_service.settings import load_settings

RESULTS = Path("bench-results")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def _request_of(path: str):  # type: ignore[no-untyped-def]
    return parse_search(parse_qs(urlsplit(path).query))


async def engine_times(paths: list[str], rounds: int = 3) -> list[float]:
    """Raw engine time (ms) per request: the same search the handler runs, in process."""
    engine = make_engine(load_settings())
    requests = [_request_of(p) for p in paths]
    for request in requests:  # warm
        await engine.search(request)
    times = []
    for _ in range(rounds):
        for request in requests:
            started = time.perf_counter()
            await engine.search(request)
            times.append((time.perf_counter() - started) * 1000)
    await engine.close()
    return times


async def steady_rate(port: int, paths: list[str], rate: float, seconds: float) -> list[float]:
    """Open loop: request i is due at start + i/rate; latency counts from when it was due
    (so a slow response delays nothing and hides nothing: no coordinated omission)."""
    total = int(rate * seconds)
    latencies: list[float] = []
    pool = Pool("127.0.0.1", port)
    for path in paths[:20]:
        await pool.get(path)

    async def one(i: int, due: float) -> None:
        status, body = await pool.get(paths[i % len(paths)])
        if status != 200:
            raise SystemExit(f"{paths[i % len(paths)]} answered {status}: {body[:200]!r}")
        latencies.append((time.perf_counter() - due) * 1000)

    start = time.perf_counter() + 0.05
    tasks = []
    for i in range(total):
        due = start + i / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        tasks.append(asyncio.create_task(one(i, due)))
    await asyncio.gather(*tasks)
    pool.close()
    return latencies


def saturation(base: str, paths: list[str], seconds: int, connections: int) -> float:
    """Requests per second from wrk cycling through the mix."""
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
    quoted = ",".join(json.dumps(p) for p in paths)
    script.write(
        f"local paths = {{{quoted}}}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\nend\n'
    )
    script.close()
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script.name, base],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(script.name)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise SystemExit(f"wrk saw {non2xx.group(1)} error responses:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--out", type=Path, default=RESULTS / "search_http.json")
    parser.add_argument(
        "--server",
        choices=("uvicorn", "granian"),
        default="uvicorn",
        help="ASGI server to measure (production runs uvicorn)",
    )
    args = parser.parse_args()
    settings = load_settings()
    paths, suggests = search_mix(), suggest_mix()
    engine_ms = asyncio.run(engine_times(paths))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with database_url(settings) as url:
        env = {**os.environ, "SKILLSPRING_DATABASE_URL": url}
        server = start_server(port, args.workers, env, args.server)
        try:
            search_ms = asyncio.run(steady_rate(port, paths, args.rate, args.seconds))
            suggest_ms = asyncio.run(steady_rate(port, suggests, args.rate, args.seconds / 2))
            rps = (
                saturation(base, paths, max(1, int(args.seconds)), args.connections)
                if shutil.which("wrk")
                else float("nan")
            )
        finally:
            server.terminate()
            server.wait(timeout=60)
    figures = {
        "engine_p50_ms": statistics.median(engine_ms),
        "engine_p99_ms": percentile(engine_ms, 99),
        "search_p50_ms": statistics.median(search_ms),
        "search_p99_ms": percentile(search_ms, 99),
        "suggest_p50_ms": statistics.median(suggest_ms),
        "suggest_p99_ms": percentile(suggest_ms, 99),
        "search_rps_at_saturation": rps,
        "service_over_engine_p50": statistics.median(search_ms) / statistics.median(engine_ms),
        "rate": args.rate,
        "workers": args.workers,
        "connections": args.connections,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2))
    for name, value in figures.items():
        if isinstance(value, float):
            print(f"{name:28} {value:10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
