"""``skillspring sync --follow`` as operators run it: live changes, then a graceful SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from queue import Empty, Queue

import asyncpg

from search_service.db.connection import asyncpg_dsn
from search_service.search.query import SearchRequest
from search_service.search.tantivy import TantivyEngine
from tests.test_cli import skillspring

WAIT_SECONDS = 60


def _lines(process: subprocess.Popen[str]) -> Queue[str]:
    lines: Queue[str] = Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.strip())

    threading.Thread(target=pump, daemon=True).start()
    return lines


def _wait_for(lines: Queue[str], prefix: str, anywhere: bool = False) -> str:
    """Block until the process prints a line starting with (or containing) ``prefix``."""
    while True:
        try:
            line = lines.get(timeout=WAIT_SECONDS)
        except Empty as exc:
            raise AssertionError(f"no line with {prefix!r} within {WAIT_SECONDS}s") from exc
        if line.startswith(prefix) or (anywhere and prefix in line):
            return line


async def test_follow_applies_changes_and_stops_gracefully(
    catalog_url: str, tmp_path: Path
) -> None:
    env = {"SKILLSPRING_DATABASE_URL": catalog_url, "SKILLSPRING_DATA_DIR": str(tmp_path)}
    assert skillspring("reindex", env=env).returncode == 0
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SKILLSPRING_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "search_service.cli", "sync", "--follow", "--poll-seconds", "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**clean, **env},
    )
    try:
        lines = _lines(process)
        _wait_for(lines, "following")
        conn = await asyncpg.connect(asyncpg_dsn(catalog_url))
        await conn.execute(
            "UPDATE courses SET title = 'Live Follow Title' WHERE id = (SELECT id FROM courses "
            "WHERE status = 'published' AND deleted_at IS NULL ORDER BY id LIMIT 1)"
        )
        await conn.close()
        # Woken by NOTIFY: the poll interval (30 s) is far longer than the wait allows.
        _wait_for(lines, "applied")
        engine = TantivyEngine(tmp_path / "search" / "courses")
        top = (await engine.search(SearchRequest(q="live follow title"))).hits[0]
        assert top.document.title == "Live Follow Title"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=WAIT_SECONDS) == 0
        assert _wait_for(lines, "sync stopped").startswith("sync stopped after applying")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
