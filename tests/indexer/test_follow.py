"""``skillspring sync --follow`` as operators run it: live changes, then a graceful SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from search_service.db.connection import asyncpg_dsn
from search_service.search.request import SearchRequest
from search_service.search.tantivy.engine import TantivyEngine
from tests.support.processes import WAIT_SECONDS, read_lines, skillspring, wait_for_line

pytestmark = pytest.mark.system  # starts processes (a server, the CLI) or a browser


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
        lines = read_lines(process)
        wait_for_line(lines, "following")
        conn = await asyncpg.connect(asyncpg_dsn(catalog_url))
        await conn.execute(
            "UPDATE courses SET title = 'Live Follow Title' WHERE id = (SELECT id FROM courses "
            "WHERE status = 'published' AND deleted_at IS NULL ORDER BY id LIMIT 1)"
        )
        await conn.close()
        # Woken by NOTIFY: the poll interval (30 s) is far longer than the wait allows.
        wait_for_line(lines, "applied")
        engine = TantivyEngine(tmp_path / "search" / "courses")
        top = (await engine.search(SearchRequest(q="live follow title"))).hits[0]
        assert top.document.title == "Live Follow Title"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=WAIT_SECONDS) == 0
        assert wait_for_line(lines, "sync stopped").startswith("sync stopped after applying")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
