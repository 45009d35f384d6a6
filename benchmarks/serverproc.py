"""Start the web server for a benchmark and keep draining its output.

The server logs a line per request; a pipe nobody reads fills up and blocks the server.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path


def start_server(
    port: int,
    workers: int,
    env: dict[str, str],
    python: str = sys.executable,
    cwd: Path | None = None,
) -> subprocess.Popen[str]:
    """``skillspring serve`` (granian); return once it answers on every worker.
    ``python`` and ``cwd`` run another checkout's server."""
    argv = [
        python,
        "-m",
        "search_service.cli",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    process = subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=cwd
    )
    drain(process)
    # Connections spread over the workers: ask until each has most likely answered.
    for _ in range(workers * 10):
        wait_healthy(port, process)
    return process


def wait_healthy(port: int, process: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with status {process.returncode}")
        try:
            url = f"http://127.0.0.1:{port}/health"
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)  # polling a starting server; a benchmark, not a test
    raise SystemExit("the server did not become healthy")


def drain(process: subprocess.Popen[str]) -> None:
    """Read and discard a process's output in the background."""

    def read() -> None:
        assert process.stdout is not None
        for _ in process.stdout:
            pass

    threading.Thread(target=read, daemon=True).start()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
