"""The server's CPU time per search, lexical against hybrid, alternating.

Usage: python -m benchmarks.server_cpu [--rounds 2] [--requests 4000]

Uses the configured database and index (SKILLSPRING_*; seed and reindex first). Starts
``skillspring serve`` with one worker, once with ``SKILLSPRING_SEMANTIC_RATIO=0`` (lexical)
and once with the default ratio (hybrid), in turn; warms each with 400 requests of the
distinct mix (``benchmarks/mix.py``), then for 8 s sends requests from the next
``--requests`` of it with 4 connections, and prints the CPU time the server's processes spent
per request (user + system, from /proc): what a search costs the server, whatever else the
machine is doing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time

from benchmarks import httpclient, mix
from benchmarks.serverproc import free_port, start_server
from search_service.db.connection import connect, database_url
from search_service.settings import load_settings

WARM = 400
CONNECTIONS = 4


def process_tree_cpu(pid: int) -> float:
    """Seconds of CPU (user + system) used by ``pid`` and every process below it."""
    total, pids, tick = 0.0, [pid], os.sysconf("SC_CLK_TCK")
    for current in pids:
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pids += [int(child) for child in children.read().split()]
            with open(f"/proc/{current}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except FileNotFoundError:  # gone meanwhile
            continue
    return total


async def _paths(url: str) -> list[str]:
    async with connect(url) as conn:
        vocabulary = await mix.read_vocabulary(conn)
    return [path for _, path in mix.distinct_mix(vocabulary, 6000)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="lexical/hybrid pairs")
    parser.add_argument("--requests", type=int, default=4000)
    args = parser.parse_args()
    with database_url(load_settings()) as url:
        paths = asyncio.run(_paths(url))
        measured = paths[WARM : WARM + args.requests]
        env = {k: v for k, v in os.environ.items() if not k.startswith("SKILLSPRING_")}
        env.update(SKILLSPRING_DATA_DIR=os.environ.get("SKILLSPRING_DATA_DIR", ".skillspring"))
        env["SKILLSPRING_DATABASE_URL"] = url
        for n in range(args.rounds):
            for name in ("lexical", "hybrid") if n % 2 == 0 else ("hybrid", "lexical"):
                ratio = {"SKILLSPRING_SEMANTIC_RATIO": "0"} if name == "lexical" else {}
                port = free_port()
                server = start_server(port, 1, {**env, **ratio})
                try:
                    httpclient.run(httpclient.closed_loop(port, paths[:WARM], CONNECTIONS, 3))
                    cpu, started = process_tree_cpu(server.pid), time.perf_counter()
                    run = httpclient.run(httpclient.closed_loop(port, measured, CONNECTIONS, 8))
                    cpu = process_tree_cpu(server.pid) - cpu
                    seconds = time.perf_counter() - started
                    done = len(run.latencies)
                    print(
                        f"{name:8} {done:,} requests, {done / seconds:,.0f} req/s, "
                        f"server CPU {1000 * cpu / done:.2f} ms a request",
                        flush=True,
                    )
                finally:
                    server.terminate()
                    server.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
