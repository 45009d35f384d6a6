"""Running the CLI and servers as real processes, as users and operators do."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from queue import Empty, Queue

WAIT_SECONDS = 60


def skillspring(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would, with only the given SKILLSPRING_* variables (and
    ``stdin`` typed in, as a password prompt reads it)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SKILLSPRING_")}
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "search_service.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=clean,
        timeout=120,
        check=False,
    )


def spawn(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    """Start a long-running CLI command (``serve``, ``sync --follow``) as an operator would,
    with only the given SKILLSPRING_* variables; its output (both streams) to read with
    ``read_lines``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SKILLSPRING_")}
    clean.update(env)
    return subprocess.Popen(
        [sys.executable, "-m", "search_service.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=clean,
    )


def create_admin(database_url: str, email: str, password: str) -> None:
    """An admin account made the operator's way: ``skillspring users create-admin``."""
    made = skillspring(
        "users",
        "create-admin",
        email,
        env={"SKILLSPRING_DATABASE_URL": database_url},
        stdin=password + "\n",
    )
    assert made.returncode == 0, made.stderr


def assert_one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]


def read_lines(process: subprocess.Popen[str]) -> Queue[str]:
    lines: Queue[str] = Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.strip())

    threading.Thread(target=pump, daemon=True).start()
    return lines


# What `skillspring serve` (granian) prints once a worker has loaded the app and serves.
SERVING = "Started worker-"


def wait_for_line(lines: Queue[str], prefix: str, anywhere: bool = False) -> str:
    """Block until the process prints a line starting with (or containing) ``prefix``."""
    while True:
        try:
            line = lines.get(timeout=WAIT_SECONDS)
        except Empty as exc:
            raise AssertionError(f"no line with {prefix!r} within {WAIT_SECONDS}s") from exc
        if line.startswith(prefix) or (anywhere and prefix in line):
            return line


def wait_until_answering(base_url: str, seconds: float = WAIT_SECONDS) -> None:
    """Until ``/health`` answers 200 (a condition, polled with a bound): under load a worker
    can say it started a moment before its port takes connections."""
    import urllib.request

    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{base_url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
