"""``skillspring serve`` as a real process over a test catalog: for tests that need real HTTP,
several workers, or a server's own output."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from queue import Queue

from tests.support.catalogs import Catalog
from tests.support.processes import (
    SERVING,
    free_port,
    read_lines,
    wait_for_line,
    wait_until_answering,
)


@dataclass
class Served:
    url: str
    lines: Queue[str]  # everything the server prints, a line at a time
    process: subprocess.Popen[str]

    def stop(self) -> int:
        """SIGTERM, as an operator stops it; the exit status once it has."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)


@contextlib.contextmanager
def serve(
    catalog: Catalog,
    data_dir: Path,
    *,
    workers: int = 2,
    env: dict[str, str] | None = None,
) -> Iterator[Served]:
    """Serve ``catalog`` (its database, its index folder) with ``workers`` processes until
    the block ends; ``data_dir`` is the server's own (its secret, its index link)."""
    url, root = catalog.url, catalog.index
    (data_dir / "search").mkdir(parents=True, exist_ok=True)
    link = data_dir / "search" / "courses"
    if not link.exists():
        link.symlink_to(root)
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SKILLSPRING_")}
    environment.update(SKILLSPRING_DATABASE_URL=url, SKILLSPRING_DATA_DIR=str(data_dir))
    environment.update(env or {})
    command = [sys.executable, "-m", "search_service.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--workers", str(workers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environment,
    )
    served = Served(f"http://127.0.0.1:{port}", read_lines(process), process)
    try:
        for _ in range(workers):  # one line per worker once its app has started
            wait_for_line(served.lines, SERVING, anywhere=True)
        wait_until_answering(served.url)
        yield served
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
