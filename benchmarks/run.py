"""``make bench``: what users feel and what operators pay, at several catalog sizes.

Usage: python -m benchmarks.run [--sizes 10000,100000] [--smoke] [--out FILE]

For each size, in a fresh data folder with embedded PostgreSQL and tantivy, each step in its
own process: seed (time, peak memory), reindex (documents/s, peak memory), search over HTTP
(latency at a steady rate, saturation with wrk, raw engine time and the ratio), suggest, course
detail API and page (latency and SQL queries per request), and freshness with sync --follow.
Prints one table and writes the same figures as JSON. ``--smoke`` runs a tiny catalog for a
few seconds: it checks that the harness works and asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROWS = (
    ("seed_seconds", "seeding (s)"),
    ("seed_peak_mb", "seeding peak RSS (MB)"),
    ("reindex_docs_per_second", "reindex (docs/s)"),
    ("reindex_peak_mb", "reindex peak RSS (MB)"),
    ("search_p50_ms", "search p50 at rate (ms)"),
    ("search_p99_ms", "search p99 at rate (ms)"),
    ("search_rps_at_saturation", "search at saturation (req/s)"),
    ("engine_p50_ms", "engine p50, same queries (ms)"),
    ("service_over_engine_p50", "service / engine (p50)"),
    ("suggest_p50_ms", "suggest p50 (ms)"),
    ("suggest_p99_ms", "suggest p99 (ms)"),
    ("detail_api_p50_ms", "detail API p50 (ms)"),
    ("detail_api_p99_ms", "detail API p99 (ms)"),
    ("course_page_p50_ms", "course page p50 (ms)"),
    ("course_page_p99_ms", "course page p99 (ms)"),
    ("detail_api_sql_queries", "detail API SQL queries"),
    ("freshness_p50_ms", "freshness p50 (ms)"),
    ("freshness_p95_ms", "freshness p95 (ms)"),
)


def _run(argv: list[str], env: dict[str, str]) -> tuple[str, float, float]:
    """Run a step; returns (stdout, wall seconds, peak RSS in MB)."""
    timer = shutil.which("time") or "/usr/bin/time"
    measured = [timer, "-f", "PEAK_KB=%M", *argv] if os.path.exists(timer) else argv
    started = time.perf_counter()
    result = subprocess.run(measured, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{result.stdout}\n{result.stderr}")
    peak = re.search(r"PEAK_KB=(\d+)", result.stderr)
    return result.stdout, wall, int(peak.group(1)) / 1024 if peak else float("nan")


def measure(size: int, smoke: bool, workdir: Path) -> dict[str, float]:
    data = workdir / f"size-{size}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKILLSPRING_")}
    env.update(SKILLSPRING_DATA_DIR=str(data), PYTHONPATH=str(Path.cwd()))
    cli = [sys.executable, "-m", "search_service.cli"]
    figures: dict[str, float] = {"courses": float(size)}
    out, _, peak = _run([*cli, "seed", "--courses", str(size)], env)
    figures["seed_seconds"] = float(re.search(r"in ([\d.]+) s", out).group(1))  # type: ignore[union-attr]
    figures["seed_peak_mb"] = peak
    out, _, peak = _run([*cli, "reindex"], env)
    figures["reindex_docs_per_second"] = float(
        re.search(r"\(([\d,]+) docs/s\)", out).group(1).replace(",", "")
    )  # type: ignore[union-attr]
    figures["reindex_peak_mb"] = peak
    seconds = "2" if smoke else "20"
    parts = {
        "search": ["-m", "benchmarks.search_http", "--seconds", seconds],
        "detail": ["-m", "benchmarks.detail_http", "--seconds", seconds],
    }
    for name, args in parts.items():
        target = workdir / f"{name}-{size}.json"
        _run([sys.executable, *args, "--out", str(target)], env)
        figures.update(json.loads(target.read_text()))
    fresh = workdir / f"freshness-{size}.json"
    changes = ["--changes", "10", "--rate", "5"] if smoke else ["--changes", "200"]
    _run([sys.executable, "-m", "benchmarks.freshness", *changes, "--json", str(fresh)], env)
    figures.update(json.loads(fresh.read_text()))
    return figures


def table(results: dict[int, dict[str, float]]) -> str:
    sizes = sorted(results)
    header = f"{'':32}" + "".join(f"{size:>14,}" for size in sizes)
    lines = [header, "-" * len(header)]
    for key, label in ROWS:
        cells = "".join(f"{results[s].get(key, float('nan')):>14,.2f}" for s in sizes)
        lines.append(f"{label:32}{cells}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="10000,100000",
        help="comma-separated catalog sizes (default 10000,100000)",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a 300-course catalog for a few seconds: checks the harness only",
    )
    parser.add_argument("--out", type=Path, default=Path("bench-results/bench.json"))
    args = parser.parse_args()
    sizes = [300] if args.smoke else [int(s) for s in args.sizes.split(",")]
    results: dict[int, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="skillspring-bench-") as tmp:
        # The embedded server runs as its own user when we are root: let it in.
        os.chmod(tmp, 0o755)  # noqa: S103
        for size in sizes:
            results[size] = measure(size, args.smoke, Path(tmp))
            print(f"measured {size:,} courses", file=sys.stderr, flush=True)
    print(table(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({str(k): v for k, v in results.items()}, indent=2))
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
