"""Search latency while clients flood the sign-up endpoint, against search with nobody signing
up, in one run.

Usage: python -m benchmarks.registration_flood [--courses 800] [--project DIR] [--rate 40]

Seeds a fresh embedded catalog, indexes it and starts ``skillspring serve --workers 2`` (with
``--project DIR``, another checkout's own ``.venv/bin/skillspring`` does all three, to compare
two versions on one machine). Then, at a steady ``--rate`` of searches per second (latency from
when each request was due), three phases of ``--seconds`` each: idle; four clients sending
sign-ups as fast as they are answered, with the server's sign-up limits; and the same flood
with the limits lifted (every sign-up hashes a password). Prints p50/p90 per phase.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from benchmarks.serverproc import drain, wait_healthy

QUERIES = ("python", "excel", "design", "marketing", "java", "guitar", "data", "photoshop")


def _cli(project: Path | None) -> list[str]:
    if project is None:
        return [sys.executable, "-m", "search_service.cli"]
    return [str(project / ".venv" / "bin" / "skillspring")]


def _prepare(cli: list[str], env: dict[str, str], courses: int) -> None:
    for step in (["seed", "--courses", str(courses)], ["reindex"]):
        subprocess.run([*cli, *step], env=env, check=True, capture_output=True)


async def _steady_search(base: str, rate: float, seconds: float) -> list[float]:
    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        started = time.perf_counter()
        tasks = []

        async def one(due: float, q: str) -> None:
            await client.get("/api/v1/search", params={"q": q})
            latencies.append((time.perf_counter() - due) * 1000)

        for i in range(int(rate * seconds)):
            due = started + i / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            tasks.append(asyncio.create_task(one(due, QUERIES[i % len(QUERIES)])))
        await asyncio.gather(*tasks)
    return latencies


async def _flood(base: str, stop: asyncio.Event, clients: int = 4) -> int:
    sent = 0

    async def client_loop() -> None:
        nonlocal sent
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            while not stop.is_set():
                await client.post(
                    "/api/v1/auth/register",
                    json={
                        "email": f"flood-{uuid.uuid4().hex[:12]}@example.com",
                        "password": "correct horse battery staple",
                        "first_name": "Flood",
                    },
                )
                sent += 1

    await asyncio.gather(*(client_loop() for _ in range(clients)))
    return sent


async def _phase(base: str, rate: float, seconds: float, flood: bool) -> tuple[list[float], int]:
    stop = asyncio.Event()
    flooding = asyncio.create_task(_flood(base, stop)) if flood else None
    latencies = await _steady_search(base, rate, seconds)
    stop.set()
    sent = await flooding if flooding else 0
    return latencies, sent


def _serve(cli: list[str], env: dict[str, str], port: int) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    drain(process)
    for _ in range(20):
        wait_healthy(port, process)
    return process


def _figures(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    return f"p50 {statistics.median(ordered):7.2f} ms   p90 {p90:7.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=800)
    parser.add_argument("--project", type=Path, help="another checkout to run instead")
    parser.add_argument("--rate", type=float, default=40.0, help="searches per second")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each phase")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    cli = _cli(args.project)
    data = Path(tempfile.mkdtemp(prefix="flood-"))
    os.chmod(data, 0o755)  # noqa: S103 - the embedded server runs as another user when root
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKILLSPRING_")}
    env["SKILLSPRING_DATA_DIR"] = str(data)
    try:
        _prepare(cli, env, args.courses)
        phases = (
            ("idle", env, False),
            ("sign-up flood, limits on", env, True),
            (
                "sign-up flood, limits lifted",
                {**env, "SKILLSPRING_SIGNUPS_PER_ADDRESS_HOUR": "1000000"},
                True,
            ),
        )
        for name, phase_env, flood in phases:
            server = _serve(cli, phase_env, args.port)
            try:
                latencies, sent = asyncio.run(
                    _phase(f"http://127.0.0.1:{args.port}", args.rate, args.seconds, flood)
                )
            finally:
                server.terminate()
                server.wait(timeout=60)
            extra = f"   ({sent} sign-ups sent)" if flood else ""
            print(f"{name:30} {_figures(latencies)}{extra}", flush=True)
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
