"""``make bench``: what users feel and what operators pay, at several catalog sizes.

Usage: python -m benchmarks.run [--sizes 1000,10000,100000] [--smoke] [--out FILE] [--plot FILE]

For each size, in a fresh data folder with embedded PostgreSQL and tantivy, each step in its
own process: seed (time, peak memory), reindex (documents/s, peak memory), search over HTTP
(``benchmarks/search_http.py``: a steady rate, saturation on thousands of distinct requests
and on a Zipf stream, cache on and off, browse pages, the worst legal requests, each beside its
floor from the same run), suggest, course detail API and page (latency and SQL queries per
request), freshness with ``sync --follow``, and a root-category fan-out (``benchmarks/fanout.py``).
Prints one table, writes the figures as JSON and draws p50, p99 and saturation against catalog
size beside their floors as an SVG (``benchmarks/plot.py``). ``--smoke`` runs a tiny catalog
for a few seconds: it checks that the harness works and asserts nothing about speed.
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

from benchmarks.plot import svg

ROWS = (
    ("seed_seconds", "seeding (s)"),
    ("seed_peak_mb", "seeding peak RSS (MB)"),
    ("reindex_docs_per_second", "reindex (docs/s)"),
    ("reindex_peak_mb", "reindex peak RSS (MB)"),
    ("search_p50_ms", "search p50 at a steady rate (ms)"),
    ("search_p99_ms", "search p99 at a steady rate (ms)"),
    ("engine_p50_ms", "  floor: engine in process p50 (ms)"),
    ("service_over_engine_p50", "  service / engine (p50)"),
    ("least_service_over_engine_p50", "  at least: (engine + /health p50 alone) / engine"),
    ("search_rps", "search at saturation, distinct (req/s)"),
    ("search_rps_cache_off", "  the same, cache off (req/s)"),
    ("zipf_rps", "search at saturation, Zipf (req/s)"),
    ("health_rps", "  floor: /health at saturation (req/s)"),
    ("search_share_of_health", "  distinct / /health"),
    ("engine_ceiling_share_of_health", "  ceiling, our engine: / /health"),
    ("index_ceiling_share_of_health", "  ceiling, tantivy's work: / /health"),
    ("text_p50_ms", "text query, one at a time, p50 (ms)"),
    ("browse_warm_p50_ms", "browse first page, cache warm (ms)"),
    ("browse_cold_over_text", "  cache off / text query"),
    ("worst_over_typical", "slowest legal request / text query"),
    ("health_p99_at_rate_ms", "/health p99 beside the steady search rate (ms)"),
    ("health_p99_under_load_ms", "/health p99 while search saturates (ms)"),
    ("suggest_p50_ms", "suggest p50 (ms)"),
    ("suggest_p99_ms", "suggest p99 (ms)"),
    ("detail_api_p50_ms", "detail API p50 (ms)"),
    ("detail_api_p99_ms", "detail API p99 (ms)"),
    ("course_page_p50_ms", "course page p50 (ms)"),
    ("course_page_p99_ms", "course page p99 (ms)"),
    ("detail_api_sql_queries", "detail API SQL queries"),
    ("freshness_p50_ms", "freshness p50 (ms)"),
    ("freshness_p95_ms", "freshness p95 (ms)"),
    ("fanout_documents", "fan-out: documents renamed"),
    ("fanout_seconds", "fan-out: all searchable after (s)"),
    ("fanout_target_seconds", "  target 1.5 x docs / reindex rate + 1 (s)"),
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


def _step(size: int, name: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {size:,} courses: {name}", file=sys.stderr, flush=True)


def measure(size: int, smoke: bool, workdir: Path) -> dict[str, float]:
    data = workdir / f"size-{size}"
    # Settings of the caller's do not leak in, but the ratio of meaning to words:
    # SKILLSPRING_SEMANTIC_RATIO=0 make bench measures lexical search exactly.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SKILLSPRING_") or k == "SKILLSPRING_SEMANTIC_RATIO"
    }
    env.update(SKILLSPRING_DATA_DIR=str(data), PYTHONPATH=str(Path.cwd()))
    cli = [sys.executable, "-m", "search_service.cli"]
    figures: dict[str, float] = {"courses": float(size)}
    _step(size, "seed")
    out, _, peak = _run([*cli, "seed", "--courses", str(size)], env)
    figures["seed_seconds"] = float(re.search(r"in ([\d.]+) s", out).group(1))  # type: ignore[union-attr]
    figures["seed_peak_mb"] = peak
    _step(size, "reindex")
    out, _, peak = _run([*cli, "reindex"], env)
    figures["reindex_docs_per_second"] = float(
        re.search(r"\(([\d,]+) docs/s\)", out).group(1).replace(",", "")
    )  # type: ignore[union-attr]
    figures["reindex_peak_mb"] = peak
    seconds, mix = ("2", "300") if smoke else ("10", "6000")
    parts = {
        "search": ["-m", "benchmarks.search_http", "--seconds", seconds, "--mix", mix],
        "detail": ["-m", "benchmarks.detail_http", "--seconds", seconds],
    }
    for name, args in parts.items():
        _step(size, name)
        target = workdir / f"{name}-{size}.json"
        _run([sys.executable, *args, "--out", str(target)], env)
        figures.update(json.loads(target.read_text()))
    _step(size, "freshness")
    fresh = workdir / f"freshness-{size}.json"
    changes = ["--changes", "10", "--rate", "5"] if smoke else ["--changes", "200"]
    _run([sys.executable, "-m", "benchmarks.freshness", *changes, "--json", str(fresh)], env)
    figures.update(json.loads(fresh.read_text()))
    _step(size, "fan-out")
    fanout = workdir / f"fanout-{size}.json"
    _run([sys.executable, "-m", "benchmarks.fanout", "--json", str(fanout)], env)
    figures.update(json.loads(fanout.read_text()))
    figures["fanout_target_seconds"] = (
        1.5 * figures["fanout_documents"] / figures["reindex_docs_per_second"] + 1
    )
    return figures


def table(results: dict[int, dict[str, float]]) -> str:
    sizes = sorted(results)
    header = f"{'courses':44}" + "".join(f"{size:>12,}" for size in sizes)
    lines = [header, "-" * len(header)]
    for key, label in ROWS:
        cells = "".join(f"{results[s].get(key, float('nan')):>12,.2f}" for s in sizes)
        lines.append(f"{label:44}{cells}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="1000,10000,100000",
        help="comma-separated catalog sizes (default 1000,10000,100000; 300000 also works)",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a 300-course catalog for a few seconds: checks the harness only",
    )
    parser.add_argument("--out", type=Path, default=Path("bench-results/bench.json"))
    parser.add_argument(
        "--plot",
        type=Path,
        help="where to draw the SVG (default: beside --out, as bench.svg)",
    )
    args = parser.parse_args()
    try:
        sizes = [300] if args.smoke else [int(s) for s in args.sizes.split(",")]
    except ValueError:
        parser.error("--sizes takes whole numbers separated by commas, e.g. 1000,10000")
    results: dict[int, dict[str, Any]] = {}
    started = time.strftime("%Y-%m-%d")
    with tempfile.TemporaryDirectory(prefix="skillspring-bench-") as tmp:
        # The embedded server runs as its own user when we are root: let it in.
        os.chmod(tmp, 0o755)  # noqa: S103
        for size in sizes:
            results[size] = measure(size, args.smoke, Path(tmp))
    print(table(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({str(k): v for k, v in results.items()}, indent=2))
    plot = args.plot or args.out.with_name("bench.svg")
    plot.parent.mkdir(parents=True, exist_ok=True)
    command = "python -m benchmarks.run --sizes " + ",".join(str(s) for s in sizes)
    plot.write_text(svg(results, f"{command}  ({started}, {os.cpu_count()} cores)"))
    print(f"\nwritten to {args.out} and {plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
