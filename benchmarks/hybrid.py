"""Hybrid search against lexical search, in one run (issue #29's targets).

Usage: python -m benchmarks.hybrid [--courses 100000] [--seconds 10] [--mix 6000] [--out FILE]

In a fresh data folder (embedded PostgreSQL, tantivy): seed, then reindex with the vector
cache empty (cold: every course embedded) and again with it full (warm), each with its rate
and peak memory; then the same HTTP benchmark (``benchmarks/search_http.py``) twice, with
``SKILLSPRING_SEMANTIC_RATIO=0`` (lexical, exactly) and with the default ratio (hybrid): the
search p50 at a steady rate, saturation, and a worker's memory. The two alternate, lexical
hybrid hybrid lexical …, ``--pairs`` times, so drift on a shared machine falls on both; each
figure is the median of its runs, printed with the spread (max − min) beside its target.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks.run import _run, _step

RESULTS = Path("bench-results")


def _reindex_rate(out: str) -> float:
    return float(re.search(r"\(([\d,]+) docs/s\)", out).group(1).replace(",", ""))  # type: ignore[union-attr]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=100_000)
    parser.add_argument("--seconds", default="10")
    parser.add_argument("--mix", default="6000")
    parser.add_argument("--pairs", type=int, default=2, help="lexical/hybrid pairs of runs")
    parser.add_argument("--out", type=Path, default=RESULTS / "hybrid.json")
    args = parser.parse_args()
    size = args.courses
    figures: dict[str, float] = {"courses": float(size)}
    with tempfile.TemporaryDirectory(prefix="bench-hybrid-") as tmp:
        data = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SKILLSPRING_")}
        env.update(SKILLSPRING_DATA_DIR=str(data), PYTHONPATH=str(Path.cwd()))
        cli = [sys.executable, "-m", "search_service.cli"]
        _step(size, "seed")  # seeding embeds nothing: the first reindex meets an empty cache
        _run([*cli, "seed", "--courses", str(size)], env)
        _step(size, "reindex, vector cache empty")
        out, _, peak = _run([*cli, "reindex"], env)
        figures["reindex_cold_docs_per_second"] = _reindex_rate(out)
        figures["reindex_cold_peak_mb"] = peak
        _step(size, "reindex, vector cache full")
        out, _, peak = _run([*cli, "reindex"], env)
        figures["reindex_warm_docs_per_second"] = _reindex_rate(out)
        figures["reindex_warm_peak_mb"] = peak
        runs: dict[str, list[dict[str, float]]] = {"lexical": [], "hybrid": []}
        order = [("lexical", "hybrid"), ("hybrid", "lexical")]
        for n in range(args.pairs):
            for name in order[n % 2]:
                _step(size, f"search over HTTP, {name} ({len(runs[name]) + 1} of {args.pairs})")
                target = data / f"search-{name}-{n}.json"
                ratio = {"lexical": {"SKILLSPRING_SEMANTIC_RATIO": "0"}, "hybrid": {}}[name]
                argv = [sys.executable, "-m", "benchmarks.search_http", "--seconds", args.seconds]
                _run([*argv, "--mix", args.mix, "--out", str(target)], {**env, **ratio})
                runs[name].append(json.loads(target.read_text()))
        for name, found in runs.items():
            for key in ("search_p50_ms", "search_p99_ms", "search_rps", "worker_rss_mb"):
                values = [r[key] for r in found]
                figures[f"{name}_{key}"] = statistics.median(values)
                figures[f"{name}_{key}_spread"] = max(values) - min(values)
    figures["hybrid_p50_added_ms"] = (
        figures["hybrid_search_p50_ms"] - figures["lexical_search_p50_ms"]
    )
    figures["hybrid_share_of_lexical_rps"] = (
        figures["hybrid_search_rps"] / figures["lexical_search_rps"]
    )
    figures["hybrid_rss_added_mb"] = (
        figures["hybrid_worker_rss_mb"] - figures["lexical_worker_rss_mb"]
    )
    rows = (
        ("reindex, vector cache empty (docs/s)", "reindex_cold_docs_per_second", ">= 3,000"),
        ("reindex, vector cache full (docs/s)", "reindex_warm_docs_per_second", ">= 5,000"),
        ("reindex peak RSS, cold (MB)", "reindex_cold_peak_mb", ""),
        ("search p50 at a steady rate, lexical (ms)", "lexical_search_p50_ms", ""),
        ("search p50 at a steady rate, hybrid (ms)", "hybrid_search_p50_ms", ""),
        ("  hybrid - lexical (ms)", "hybrid_p50_added_ms", "<= +1"),
        ("search p99, lexical (ms)", "lexical_search_p99_ms", ""),
        ("search p99, hybrid (ms)", "hybrid_search_p99_ms", ""),
        ("saturation, lexical (req/s)", "lexical_search_rps", ""),
        ("saturation, hybrid (req/s)", "hybrid_search_rps", ""),
        ("  hybrid / lexical", "hybrid_share_of_lexical_rps", ">= 0.85"),
        ("worker RSS, lexical (MB)", "lexical_worker_rss_mb", ""),
        ("worker RSS, hybrid (MB)", "hybrid_worker_rss_mb", ""),
        ("  hybrid - lexical (MB)", "hybrid_rss_added_mb", "<= +300"),
    )
    print(f"{'at ' + format(size, ',') + ' courses':46}{'figure':>12}{'spread':>10}  target")
    for label, key, target in rows:
        spread = figures.get(f"{key}_spread")
        shown = f"{spread:>10,.2f}" if spread is not None else " " * 10
        print(f"{label:46}{figures[key]:>12,.2f}{shown}  {target}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2))
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
