"""Search over HTTP against ``skillspring serve``, every figure beside its floor, in one run.

Usage: python -m benchmarks.search_http [--workers 2] [--rate 100] [--seconds 20]
       [--mix 6000] [--connections 32] [--project DIR] [--out FILE]

Uses the configured database and index (SKILLSPRING_*; seed and reindex first). The requests
come from the catalog's own vocabulary (``benchmarks/mix.py``): ``--mix`` different ones for
the uncached figures, a Zipf-shaped stream over them for the cached ones. Floors from the
same run: the engine in process (``benchmarks/floors.py``) and the same server's ``/health``
at saturation. Saturation uses ``wrk`` (Debian package) when it is installed, else the
Python closed loop of ``benchmarks/httpclient.py``; the table says which. The server runs
twice: with its result cache (the default) and with ``SKILLSPRING_SEARCH_CACHE_ENTRIES=0``.

``--project DIR`` measures another checkout's server and engine (its code on PYTHONPATH,
its own index under this run's SKILLSPRING_DATA_DIR) with this harness, for before/after
figures on one machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks import httpclient, mix
from benchmarks.serverproc import free_port, start_server
from search_service.db.connection import connect, database_url
from search_service.settings import load_settings

RESULTS = Path("bench-results")
HARNESS = Path(__file__).resolve().parent


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


# -- load ------------------------------------------------------------------------------------
def _wrk_script(paths: Sequence[str]) -> str:
    """wrk walks the list; each of its threads starts at its own offset."""
    quoted = ",".join(json.dumps(p) for p in paths)
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
    script.write(
        f"local paths = {{{quoted}}}\n"
        "local threads = 0\n"
        "function setup(thread)\n"
        "  thread:set('offset', threads * 7919)\n"
        "  threads = threads + 1\n"
        "end\n"
        "function init(args) i = (offset or 0) % #paths end\n"
        "function request()\n"
        "  i = i % #paths + 1\n"
        "  return wrk.format('GET', paths[i])\n"
        "end\n"
    )
    script.close()
    return script.name


def saturation(port: int, paths: Sequence[str], seconds: float, connections: int) -> float:
    """Requests per second with ``connections`` clients always waiting for an answer."""
    if shutil.which("wrk"):
        script = _wrk_script(paths)
        try:
            out = subprocess.run(
                [
                    "wrk",
                    "-t2",
                    f"-c{connections}",
                    f"-d{max(1, round(seconds))}s",
                    "-s",
                    script,
                    f"http://127.0.0.1:{port}",
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        finally:
            os.unlink(script)
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        if errors:
            raise SystemExit(f"wrk saw {errors.group(1)} error responses:\n{out}")
        return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    run = httpclient.run(httpclient.closed_loop(port, paths, connections, seconds))
    return run.rate


def load_tool() -> str:
    return "wrk -t2" if shutil.which("wrk") else "python closed loop"


def _probing(port: int, probe: str, stop: Any, answer: Any) -> None:
    async def go() -> list[float]:
        latencies: list[float] = []
        pool = httpclient.Pool("127.0.0.1", port, size=1)
        while not stop.is_set():
            started = time.perf_counter()
            status, _ = await pool.get(probe)
            if status == 200:
                latencies.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.02)
        pool.close()
        return latencies

    answer.put(httpclient.run(go()))


def probe_during(port: int, probe: str, load: Callable[[], object]) -> list[float]:
    """Latency of ``probe`` (one request every 20 ms) while ``load()`` runs against the server.

    The prober is a process of its own: a thread would share the load generator's GIL and
    slow the very figures measured beside it."""
    context = multiprocessing.get_context("fork")
    stop, answer = context.Event(), context.SimpleQueue()
    prober = context.Process(target=_probing, args=(port, probe, stop, answer))
    prober.start()
    try:
        load()
    finally:
        stop.set()
        latencies: list[float] = answer.get()
        prober.join()
    return latencies


# -- the parts --------------------------------------------------------------------------------
def _python(project: Path | None) -> str:
    if project is not None and (project / ".venv" / "bin" / "python").exists():
        return str(project / ".venv" / "bin" / "python")
    return sys.executable


def _env(env: dict[str, str], project: Path | None) -> dict[str, str]:
    if project is None:
        return env
    return {**env, "PYTHONPATH": str(project)}


def floors(
    paths: Sequence[str], env: dict[str, str], project: Path | None
) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        given, out = Path(tmp) / "paths.json", Path(tmp) / "floors.json"
        given.write_text(json.dumps(list(paths)))
        subprocess.run(
            [
                _python(project),
                str(HARNESS / "floors.py"),
                "--paths",
                str(given),
                "--out",
                str(out),
            ],
            env=_env(env, project),
            check=True,
            cwd=project or Path.cwd(),
        )
        return json.loads(out.read_text())  # type: ignore[no-any-return]


def sequential_p50(port: int, paths: Sequence[str], rounds: int = 3) -> float:
    httpclient.sequential(port, paths)  # warm (and fills the cache, when there is one)
    return statistics.median(httpclient.sequential(port, paths, rounds))


def serve(args: argparse.Namespace, port: int, env: dict[str, str]):  # type: ignore[no-untyped-def]
    return start_server(
        port,
        args.workers,
        _env(env, args.project),
        python=_python(args.project),
        cwd=args.project,
    )


def cached_run(args: argparse.Namespace, env: dict[str, str], m: dict[str, Any]) -> dict[str, Any]:
    port = free_port()
    server = serve(args, port, env)
    out: dict[str, Any] = {}
    try:
        out["health_rps"] = saturation(port, ["/health"], args.seconds / 2, args.connections)
        # The round trip of a route that does nothing, at the steady rate, from the same client
        # and with nothing else running: the least any search adds to the engine's time.
        alone = httpclient.run(
            httpclient.steady_rate(port, ["/health"], args.rate, args.seconds / 4, warm=0)
        )
        out["health_p50_alone_ms"] = statistics.median(alone.latencies)
        runs: list[httpclient.Run] = []
        probes = probe_during(
            port,
            "/health",
            lambda: runs.append(
                httpclient.run(
                    httpclient.steady_rate(port, m["steady"], args.rate, args.seconds, warm=0)
                )
            ),
        )
        steady = runs[0]
        out["health_p50_at_rate_ms"] = statistics.median(probes)
        out["health_p99_at_rate_ms"] = percentile(probes, 99)
        out["search_p50_ms"] = statistics.median(steady.latencies)
        out["search_p99_ms"] = percentile(steady.latencies, 99)
        out["search_rps"] = saturation(port, m["distinct"], args.seconds / 2, args.connections)
        out["zipf_rps"] = saturation(port, m["zipf"], args.seconds / 2, args.connections)
        out["browse_warm_p50_ms"] = sequential_p50(port, m["browse"])
        out["text_p50_ms"] = sequential_p50(port, m["typical"], rounds=1)
        worst = {}
        for name, path in m["worst"].items():
            worst[name] = statistics.median(httpclient.sequential(port, [path], rounds=5))
        out["worst_ms"] = worst
        out["worst_over_typical"] = max(worst.values()) / out["text_p50_ms"]
        probes = probe_during(
            port,
            "/health",
            lambda: saturation(port, m["distinct"], args.seconds / 2, args.connections),
        )
        out["health_p50_under_load_ms"] = statistics.median(probes)
        out["health_p99_under_load_ms"] = percentile(probes, 99)
        suggest = httpclient.run(
            httpclient.steady_rate(port, m["suggest"], args.rate, args.seconds / 2)
        )
        out["suggest_p50_ms"] = statistics.median(suggest.latencies)
        out["suggest_p99_ms"] = percentile(suggest.latencies, 99)
        out["reconnects"] = steady.reconnects + suggest.reconnects
        out["worker_rss_mb"] = worker_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=60)
    return out


def worker_rss_mb(pid: int) -> float:
    """The largest resident set among the server's worker processes (after the runs above),
    in MB: what one more worker costs."""
    import psutil

    children = psutil.Process(pid).children(recursive=True)
    workers = [c for c in children if "postgres" not in c.name()]
    return max((w.memory_info().rss for w in workers), default=0) / 2**20


def uncached_run(
    args: argparse.Namespace, env: dict[str, str], m: dict[str, Any]
) -> dict[str, Any]:
    port = free_port()
    server = serve(args, port, {**env, "SKILLSPRING_SEARCH_CACHE_ENTRIES": "0"})
    out: dict[str, Any] = {}
    try:
        out["search_rps_cache_off"] = saturation(
            port, m["distinct"], args.seconds / 2, args.connections
        )
        out["zipf_rps_cache_off"] = saturation(port, m["zipf"], args.seconds / 2, args.connections)
        out["browse_cold_p50_ms"] = sequential_p50(port, m["browse"], rounds=1)
    finally:
        server.terminate()
        server.wait(timeout=60)
    return out


async def _vocabulary(url: str) -> mix.Vocabulary:
    async with connect(url) as conn:
        return await mix.read_vocabulary(conn)


def measure(args: argparse.Namespace) -> dict[str, Any]:
    settings = load_settings()
    with database_url(settings) as url:
        vocab = asyncio.run(_vocabulary(url))
        distinct = mix.distinct_mix(vocab, args.mix)
        paths = [p for _, p in distinct]
        steady_count = int(args.rate * args.seconds)
        m = {
            "distinct": paths,
            "steady": paths[:steady_count],
            "zipf": mix.zipf_stream(paths, 20_000),
            "browse": mix.browse_paths(vocab),
            "typical": mix.typical(distinct),
            "worst": mix.worst_cases(vocab),
            "suggest": mix.suggest_mix(vocab),
        }
        env = {**os.environ, "SKILLSPRING_DATABASE_URL": url}
        floor = floors(m["steady"], env, args.project)
        figures: dict[str, Any] = {
            "requests_distinct": len(paths),
            "load_tool": load_tool(),
            "engine_p50_ms": statistics.median(floor["engine"]),
            "engine_p99_ms": percentile(floor["engine"], 99),
            "engine_cpu_ms": floor["engine_cpu"][0],
            "cores": len(os.sched_getaffinity(0)),
        }
        if "index" in floor:
            figures["index_p50_ms"] = statistics.median(floor["index"])
            figures["index_p99_ms"] = percentile(floor["index"], 99)
            figures["index_page_p50_ms"] = statistics.median(floor["index_page"])
            figures["index_page_cpu_ms"] = floor["index_page_cpu"][0]
        figures.update(cached_run(args, env, m))
        figures.update(uncached_run(args, env, m))
    figures["search_share_of_health"] = figures["search_rps"] / figures["health_rps"]
    figures["service_over_engine_p50"] = figures["search_p50_ms"] / figures["engine_p50_ms"]
    # Ceilings from the floors: a search costs the machine at least what a /health request
    # does (HTTP, routing, middleware, the load generator's share) plus its engine work, so no
    # search route does better than the cores divided by the two: with our engine (measured,
    # as every floor, with its caches off), and with only tantivy's index work and the page's
    # stored documents read.
    health_cpu_ms = figures["health_cpu_ms"] = figures["cores"] * 1000 / figures["health_rps"]
    for name, cpu_key in (("engine", "engine_cpu_ms"), ("index", "index_page_cpu_ms")):
        if cpu_key in figures:
            ceiling = figures["cores"] * 1000 / (figures[cpu_key] + health_cpu_ms)
            figures[f"{name}_ceiling_rps"] = ceiling
            figures[f"{name}_ceiling_share_of_health"] = ceiling / figures["health_rps"]
    # ... and a search answered in the engine's time plus a trivial route's round trip at the
    # same rate, from the same client.
    figures["least_search_p50_ms"] = figures["engine_p50_ms"] + figures["health_p50_alone_ms"]
    figures["least_service_over_engine_p50"] = (
        figures["least_search_p50_ms"] / figures["engine_p50_ms"]
    )
    figures["browse_cold_over_text"] = figures["browse_cold_p50_ms"] / figures["text_p50_ms"]
    figures.update(rate=args.rate, workers=args.workers, connections=args.connections)
    return figures


ROWS = (
    ("search_rps", "search at saturation, distinct mix (req/s)", "health_rps"),
    ("search_rps_cache_off", "  the same, cache off (req/s)", "health_rps"),
    ("zipf_rps", "search at saturation, Zipf stream (req/s)", "health_rps"),
    ("zipf_rps_cache_off", "  the same, cache off (req/s)", "health_rps"),
    ("search_p50_ms", "search p50 at a steady rate (ms)", "engine_p50_ms"),
    ("search_p99_ms", "search p99 at a steady rate (ms)", "engine_p99_ms"),
    ("engine_p50_ms", "engine in process p50 (ms)", "index_p50_ms"),
    ("health_p50_alone_ms", "/health p50 at the same steady rate, alone (ms)", None),
    ("least_search_p50_ms", "  engine p50 + that: the least search p50 (ms)", "engine_p50_ms"),
    ("engine_cpu_ms", "engine in process, CPU per search (ms)", None),
    ("index_page_cpu_ms", "index work + the page's documents read, CPU (ms)", None),
    ("health_cpu_ms", "a /health request at saturation, machine CPU (ms)", None),
    ("engine_ceiling_rps", "ceiling: cores / (engine + /health) CPU (req/s)", "health_rps"),
    ("index_ceiling_rps", "ceiling: cores / (index+page + /health) CPU (req/s)", "health_rps"),
    ("text_p50_ms", "text query, one at a time, p50 (ms)", "engine_p50_ms"),
    ("browse_warm_p50_ms", "browse/category first page, cache warm (ms)", "text_p50_ms"),
    ("browse_cold_p50_ms", "browse/category first page, cache off (ms)", "text_p50_ms"),
    (
        "health_p99_at_rate_ms",
        "/health p99 beside search at the steady rate (ms)",
        "health_p50_at_rate_ms",
    ),
    (
        "health_p99_under_load_ms",
        "/health p99 while search saturates (ms)",
        "health_p50_under_load_ms",
    ),
    ("suggest_p50_ms", "suggest p50 at a steady rate (ms)", None),
)


def table(figures: dict[str, Any]) -> str:
    lines = [f"{'figure':50}{'value':>10}  {'floor':>10}  {'ratio':>7}", "-" * 82]
    for key, label, floor_key in ROWS:
        value = figures.get(key)
        if value is None:
            continue
        floor = figures.get(floor_key) if floor_key else None
        ratio = f"{value / floor:7.2f}" if floor else ""
        floor_text = f"{floor:10.2f}" if floor else ""
        lines.append(f"{label:50}{value:10.2f}  {floor_text:>10}  {ratio}")
    lines.append(f"{'floors: /health at saturation (req/s)':50}{figures['health_rps']:10.2f}")
    if "index_p50_ms" in figures:
        lines.append(f"{'        index work alone, p50 (ms)':50}{figures['index_p50_ms']:10.2f}")
    for name, ms in figures["worst_ms"].items():
        lines.append(
            f"{'worst: ' + name + ' (ms)':50}{ms:10.2f}  {figures['text_p50_ms']:10.2f}"
            f"  {ms / figures['text_p50_ms']:7.2f}"
        )
    lines.append(
        f"load: {figures['load_tool']}, {figures['connections']} connections; "
        f"{figures['requests_distinct']:,} distinct requests; steady rate "
        f"{figures['rate']:g}/s; {figures['workers']} workers"
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=100.0, help="steady requests per second")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the steady run")
    parser.add_argument("--mix", type=int, default=6000, help="distinct requests in the mix")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--project", type=Path, help="measure this checkout instead")
    parser.add_argument("--out", type=Path, default=RESULTS / "search_http.json")
    args = parser.parse_args()
    if args.project is not None:
        args.project = args.project.resolve()
    figures = measure(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2))
    print(table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
