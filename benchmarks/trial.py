"""A speed trick on trial: two checkouts' servers measured in turn, A B B A …, on one catalog.

Usage: python -m benchmarks.trial --a DIR --b DIR [--pairs 3] [--seconds 10] [--rate 100]
       [--workers 2] [--connections 32] [--label TEXT] [--out FILE]

``--a`` and ``--b`` are checkouts of the project (``git worktree add``): typically a commit
and the same commit without one trick. Both serve the configured database and index
(SKILLSPRING_*; seed and reindex first, e.g. ``skillspring seed --courses 10000``). Each run
starts the checkout's ``skillspring serve``, measures search p50 at a steady rate and search
saturation on the distinct mix of ``benchmarks/mix.py`` (the requests ``make bench`` uses),
then stops it. Runs alternate A B, then B A, so drift on a shared machine falls on both.

The verdict: B differs from A only where the gap between the medians is larger than the
spread (max - min) of either side's runs; otherwise the two are within noise.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
from pathlib import Path
from typing import Any

from benchmarks import httpclient, mix
from benchmarks.search_http import _vocabulary, saturation
from benchmarks.serverproc import free_port, start_server
from search_service.db.connection import database_url
from search_service.settings import load_settings


def one_run(
    project: Path, args: argparse.Namespace, env: dict[str, str], paths: list[str]
) -> dict[str, float]:
    """p50 at the steady rate and saturation for one checkout's server."""
    port = free_port()
    server = start_server(port, args.workers, {**env, "PYTHONPATH": str(project)}, cwd=project)
    try:
        httpclient.sequential(port, paths[:200])  # warm: imports, first readers
        steady = httpclient.run(
            httpclient.steady_rate(
                port, paths[: int(args.rate * args.seconds)], args.rate, args.seconds, warm=0
            )
        )
        rps = saturation(port, paths, args.seconds, args.connections)
    finally:
        server.terminate()
        server.wait(timeout=60)
    return {"p50_ms": statistics.median(steady.latencies), "rps": rps}


def verdict(a: list[float], b: list[float]) -> str:
    """Whether the medians differ by more than either side's spread."""
    gap = statistics.median(b) - statistics.median(a)
    spread = max(max(a) - min(a), max(b) - min(b))
    if abs(gap) <= spread:
        return "within noise"
    return "B higher" if gap > 0 else "B lower"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a", type=Path, required=True, help="checkout A (e.g. with the trick)")
    parser.add_argument("--b", type=Path, required=True, help="checkout B (e.g. without it)")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--label", default="B")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    settings = load_settings()
    with database_url(settings) as url:
        paths = [p for _, p in mix.distinct_mix(asyncio.run(_vocabulary(url)), 6000)]
        env = {**os.environ, "SKILLSPRING_DATABASE_URL": url}
        runs: dict[str, list[dict[str, float]]] = {"A": [], "B": []}
        for pair in range(args.pairs):
            order = ("A", "B") if pair % 2 == 0 else ("B", "A")
            for side in order:
                project = args.a if side == "A" else args.b
                runs[side].append(one_run(project.resolve(), args, env, paths))
                print(f"pair {pair + 1} {side}: {runs[side][-1]}", flush=True)
    out: dict[str, Any] = {"label": args.label, "runs": runs}
    for metric in ("p50_ms", "rps"):
        a = [r[metric] for r in runs["A"]]
        b = [r[metric] for r in runs["B"]]
        out[metric] = {
            "a_median": statistics.median(a),
            "b_median": statistics.median(b),
            "b_over_a": statistics.median(b) / statistics.median(a),
            "spread_a": max(a) - min(a),
            "spread_b": max(b) - min(b),
            "verdict": verdict(a, b),
        }
        f = out[metric]
        print(
            f"{args.label:28} {metric:7} A {f['a_median']:8.2f}  B {f['b_median']:8.2f}  "
            f"B/A {f['b_over_a']:.3f}  spread A {f['spread_a']:.2f} B {f['spread_b']:.2f}  "
            f"{f['verdict']}"
        )
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
