"""``make bench-smoke``: the benchmark harness runs end to end on a tiny catalog.

It checks that every figure is produced; it asserts nothing about speed (that is what
``make bench`` and README are for).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.run import ROWS

pytestmark = pytest.mark.system  # starts processes (a server, the CLI) or a browser

ROOT = Path(__file__).resolve().parents[2]


def test_bench_smoke(tmp_path: Path) -> None:
    out = tmp_path / "smoke.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKILLSPRING_")}
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--smoke", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(out.read_text())["300"]
    for key, label in ROWS:
        assert key in figures and math.isfinite(figures[key]) and figures[key] >= 0, label
    assert figures["detail_api_sql_queries"] <= 3
    assert figures["fanout_documents"] > 0
    for _, label in ROWS:
        assert label in result.stdout
    plot = (tmp_path / "bench.svg").read_text()
    assert plot.startswith("<svg") and plot.count("<polyline") == 6
