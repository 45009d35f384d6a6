"""``skillspring serve`` as production runs it: real processes, real HTTP, graceful SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx

from tests.test_follow import _lines, _wait_for


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_with_two_workers(indexed_catalog: tuple[str, Path], tmp_path: Path) -> None:
    url, root = indexed_catalog
    data_dir = tmp_path / "data"
    (data_dir / "search").mkdir(parents=True)
    (data_dir / "search" / "courses").symlink_to(root)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKILLSPRING_")}
    env.update(SKILLSPRING_DATABASE_URL=url, SKILLSPRING_DATA_DIR=str(data_dir))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "search_service.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        lines = _lines(process)
        _wait_for(lines, "serving on")
        for _ in range(2):  # one line per worker
            _wait_for(lines, "Application startup complete", anywhere=True)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            assert client.get("/health").json() == {"status": "ok"}
            body = client.get("/api/v1/search", params={"q": "kubernetes"}).json()
            assert body["total"] >= 1
            assert client.get("/api/v1/search?page=0").status_code == 400
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
