"""``skillspring serve`` as production runs it: real processes, real HTTP, graceful SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.catalogs import Catalog
from tests.support.processes import SERVING, free_port, read_lines, spawn, wait_for_line

pytestmark = pytest.mark.system  # starts processes (a server, the CLI) or a browser
SERVE = [sys.executable, "-m", "search_service.cli", "serve"]


def test_serve_with_two_workers(shop: Catalog, tmp_path: Path) -> None:
    url, root = shop.url, shop.index
    data_dir = tmp_path / "data"
    (data_dir / "search").mkdir(parents=True)
    (data_dir / "search" / "courses").symlink_to(root)
    port = free_port()
    temp = tmp_path / "tmp"  # where the server keeps its workers' metrics while it runs
    temp.mkdir()
    env = dict(SKILLSPRING_DATABASE_URL=url, SKILLSPRING_DATA_DIR=str(data_dir), TMPDIR=str(temp))
    process = spawn("serve", "--port", str(port), "--workers", "2", env=env)
    try:
        lines = read_lines(process)
        wait_for_line(lines, "serving on")
        for _ in range(2):  # one line per worker
            wait_for_line(lines, SERVING, anywhere=True)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            assert client.get("/health").json() == {"status": "ok"}
            body = client.get("/api/v1/search", params={"q": "kubernetes"}).json()
            assert body["total"] >= 1
            assert client.get("/api/v1/search?page=0").status_code == 400
            assert "skillspring_" in client.get("/metrics").text
        assert [p.name for p in temp.iterdir()] != [], "the metrics folder, while serving"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
        assert list(temp.iterdir()) == [], "a stopped server leaves no folder behind"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


async def test_sigterm_finishes_the_request_in_flight(catalog_url: str, tmp_path: Path) -> None:
    import asyncio

    import asyncpg

    from search_service.db.connection import asyncpg_dsn
    from tests.support.processes import skillspring

    env_vars = {"SKILLSPRING_DATABASE_URL": catalog_url, "SKILLSPRING_DATA_DIR": str(tmp_path)}
    assert skillspring("reindex", env=env_vars).returncode == 0
    port = free_port()
    process = spawn("serve", "--port", str(port), env=env_vars)
    locker = await asyncpg.connect(asyncpg_dsn(catalog_url))
    try:
        output = read_lines(process)
        wait_for_line(output, SERVING, anywhere=True)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            slug = await locker.fetchval(
                "SELECT slug FROM courses WHERE status = 'published' AND deleted_at IS NULL LIMIT 1"
            )
            # Warm the pool, so the request below blocks on the lock and not on connecting.
            assert (await client.get(f"/api/v1/courses/{slug}")).status_code == 200
            # Hold the categories table: the first category-tree load has to wait for it.
            transaction = locker.transaction()
            await transaction.start()
            await locker.execute("LOCK TABLE categories IN ACCESS EXCLUSIVE MODE")
            in_flight = asyncio.create_task(client.get("/api/v1/categories"))
            # Blocked while parsing, so pg_stat_activity.query still shows the previous statement.
            waiting = (
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database() AND pid <> pg_backend_pid()"
            )
            for _ in range(500):  # a condition, polled with a bound: the request is in flight
                # Inside a transaction pg_stat_activity is a snapshot: take a fresh one.
                await locker.execute("SELECT pg_stat_clear_snapshot()")
                if await locker.fetchval(waiting):
                    break
                await asyncio.sleep(0.02)
            else:
                raise AssertionError("the request never reached the locked table")
            process.send_signal(signal.SIGTERM)
            await transaction.rollback()  # let it finish
            response = await in_flight
        assert response.status_code == 200
        assert len(response.json()["categories"]) == 15
        # granian stops its workers gracefully on SIGTERM and returns: a clean exit.
        assert await asyncio.to_thread(process.wait, 60) in (0, 128 + signal.SIGTERM)
    finally:
        await locker.close()
        if process.poll() is None:
            process.kill()
            process.wait()


def _over(shop: Catalog, tmp_path: Path) -> tuple[dict[str, str], int]:
    """The environment of a command over the test's catalog, and a free port."""
    data_dir = tmp_path / "data"
    (data_dir / "search").mkdir(parents=True)
    (data_dir / "search" / "courses").symlink_to(shop.index)
    return dict(SKILLSPRING_DATABASE_URL=shop.url, SKILLSPRING_DATA_DIR=str(data_dir)), free_port()


def _killed_outlived_by_none(process: subprocess.Popen[str], children: list[Any]) -> None:
    """``kill -9`` of ``process`` (no chance to stop anything): its ``children`` stop too."""
    import psutil

    process.kill()
    process.wait(timeout=60)
    _, alive = psutil.wait_procs(children, timeout=30)
    assert not alive, [p.pid for p in alive]


def _kill_left(port: int, also: list[Any]) -> None:
    import contextlib

    import psutil

    for child in [*psutil.Process().children(recursive=True), *also]:
        with contextlib.suppress(psutil.NoSuchProcess):
            if child in also or str(port) in child.cmdline():
                child.kill()


def test_workers_stop_when_their_server_is_killed(shop: Catalog, tmp_path: Path) -> None:
    """``kill -9`` of the server (no chance to stop its workers): the workers stop too, so no
    orphan keeps the port or a database pool."""
    import psutil

    env, port = _over(shop, tmp_path)
    process = spawn("serve", "--port", str(port), "--workers", "2", env=env)
    workers: list[psutil.Process] = []
    try:
        lines = read_lines(process)
        for _ in range(2):
            wait_for_line(lines, SERVING, anywhere=True)
        workers += psutil.Process(process.pid).children()
        assert len(workers) == 2
        _killed_outlived_by_none(process, workers)
    finally:
        _kill_left(port, workers)


def test_the_demo_s_follower_stops_when_the_demo_is_killed(shop: Catalog, tmp_path: Path) -> None:
    """``kill -9`` of the demo left its ``sync --follow`` running, reparented to init: it
    kept the embedded cluster up and went on writing to the index."""
    import psutil

    env, port = _over(shop, tmp_path)
    process = spawn("demo", "--port", str(port), env=env)
    followers: list[psutil.Process] = []
    try:
        wait_for_line(read_lines(process), SERVING, anywhere=True)
        children = psutil.Process(process.pid).children()
        followers += [p for p in children if "--follow" in p.cmdline()]
        assert len(followers) == 1
        _killed_outlived_by_none(process, followers)
    finally:
        _kill_left(port, followers)


def test_a_worker_that_missed_its_servers_death_stops_all_the_same(tmp_path: Path) -> None:
    """The kernel's SIGTERM can reach a worker while its loop is not yet listening for it
    (a CI run saw a worker outlive its killed server): the worker's own watch stops it."""
    import contextlib
    import subprocess

    import psutil

    worker = (
        "import os, signal, time\n"
        "from search_service.ops.orphans import SERVER_PID, die_with_parent\n"
        "os.environ[SERVER_PID] = str(os.getppid())\n"
        "die_with_parent()\n"
        "signal.signal(signal.SIGTERM, lambda *_: None)  # the signal goes nowhere\n"
        "print('ready', flush=True)\n"
        "time.sleep(600)\n"
    )
    server = (
        "import subprocess, sys, time\n"
        f"child = subprocess.Popen([sys.executable, '-c', {worker!r}], stdout=sys.stdout)\n"
        "print(child.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", server], stdout=subprocess.PIPE, text=True, cwd=tmp_path
    )
    assert parent.stdout is not None
    child = psutil.Process(int(parent.stdout.readline()))
    try:
        assert parent.stdout.readline().strip() == "ready"
        parent.kill()
        parent.wait(timeout=60)
        _, alive = psutil.wait_procs([child], timeout=60)
        assert not alive, "a worker whose server is gone stops, though SIGTERM did nothing"
    finally:
        parent.kill()
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()
