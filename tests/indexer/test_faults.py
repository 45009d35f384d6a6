"""Faults: PostgreSQL lost mid-run, a corrupt index, a killed follower, an engine that is down."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from indexer.reindex import reindex
from indexer.sync import Follower
from search_service.db.connection import asyncpg_dsn, database_errors
from search_service.lib.errors import DatabaseUnavailable
from search_service.search.request import SearchRequest
from search_service.search.tantivy.engine import TantivyEngine
from tests.support.processes import assert_one_line_error, read_lines, skillspring, wait_for_line


async def _fresh_index(catalog_url: str, root: Path) -> TantivyEngine:
    engine = TantivyEngine(root)
    await engine.apply_settings()
    await reindex(asyncpg_dsn(catalog_url), engine)
    return engine


async def test_postgres_lost_mid_reindex_leaves_live_index(
    catalog_url: str, tmp_path: Path
) -> None:
    engine = await _fresh_index(catalog_url, tmp_path / "courses")
    live, count = engine.store.live_name(), await engine.document_count()
    admin = await asyncpg.connect(asyncpg_dsn(catalog_url))
    database = await admin.fetchval("SELECT current_database()")
    terminate = asyncio.Event()

    def cut_connections(_: int) -> None:
        terminate.set()

    async def cutter() -> None:
        await terminate.wait()
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = $1 AND pid <> pg_backend_pid()",
            database,
        )

    task = asyncio.create_task(cutter())
    with (
        pytest.raises(DatabaseUnavailable, match="lost the PostgreSQL connection"),
        database_errors("reindex"),
    ):
        await reindex(asyncpg_dsn(catalog_url), engine, progress=cut_connections)
    await task
    await admin.close()
    assert engine.store.live_name() == live
    assert await engine.document_count() == count


@pytest.mark.system
def test_corrupt_index_is_one_line(catalog_url: str, tmp_path: Path) -> None:
    env = {"SKILLSPRING_DATABASE_URL": catalog_url, "SKILLSPRING_DATA_DIR": str(tmp_path)}
    assert skillspring("reindex", env=env).returncode == 0
    root = tmp_path / "search" / "courses"
    live = (root / "CURRENT").read_text().strip()
    (root / live / "meta.json").write_text("{ not json")
    assert_one_line_error(skillspring("sync", env=env), "search engine", "unreadable")


def test_unreachable_database_during_work_is_one_line() -> None:
    async def connect() -> None:
        await asyncpg.connect("postgresql://x@127.0.0.1:1/none")

    with (
        pytest.raises(DatabaseUnavailable, match="sync: lost the PostgreSQL connection"),
        database_errors("sync"),
    ):
        asyncio.run(connect())


@pytest.mark.system
async def test_killed_follower_loses_nothing(catalog_url: str, tmp_path: Path) -> None:
    env = {"SKILLSPRING_DATABASE_URL": catalog_url, "SKILLSPRING_DATA_DIR": str(tmp_path)}
    assert skillspring("reindex", env=env).returncode == 0
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SKILLSPRING_")}
    follower = subprocess.Popen(
        [sys.executable, "-m", "search_service.cli", "sync", "--follow"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**clean, **env},
    )
    conn = await asyncpg.connect(asyncpg_dsn(catalog_url))
    try:
        lines = read_lines(follower)
        wait_for_line(lines, "following")
        ids = [
            r["id"]
            for r in await conn.fetch(
                "SELECT id FROM courses WHERE status = 'published' AND deleted_at IS NULL "
                "ORDER BY id LIMIT 40"
            )
        ]
        for number, course_id in enumerate(ids):
            await conn.execute(
                "UPDATE courses SET title = $1 WHERE id = $2", f"Survivor{number:02d}", course_id
            )
        wait_for_line(lines, "applied")
        follower.send_signal(signal.SIGKILL)  # wherever it is: mid-batch or between batches
        follower.wait(timeout=30)
        assert skillspring("sync", env=env).returncode == 0
        engine = TantivyEngine(tmp_path / "search" / "courses")
        for number in range(len(ids)):
            result = await engine.search(SearchRequest(q=f"Survivor{number:02d}"))
            assert result.total == 1, number
        assert await conn.fetchval("SELECT count(*) FROM search_outbox") == 0
    finally:
        if follower.poll() is None:
            follower.kill()
        await conn.close()


async def test_follower_retries_logs_once_and_catches_up(
    catalog_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine = await _fresh_index(catalog_url, tmp_path / "courses")
    _, index = engine.store.open_live()
    blocker = index.writer(15_000_000, 1)  # the engine cannot confirm any write
    applied = asyncio.Event()
    failed_twice = asyncio.Event()
    failures_seen: list[BaseException] = []

    def failed(exc: BaseException) -> None:
        failures_seen.append(exc)
        if len(failures_seen) >= 2:
            failed_twice.set()

    follower = Follower(
        catalog_url,
        engine,
        poll_seconds=0.2,
        on_applied=lambda _: applied.set(),
        on_error=failed,
    )
    conn = await asyncpg.connect(asyncpg_dsn(catalog_url))
    await conn.execute(
        "UPDATE courses SET title = 'Eventually Indexed' WHERE id = "
        "(SELECT id FROM courses WHERE status = 'published' ORDER BY id LIMIT 1)"
    )
    caplog.set_level(logging.INFO, logger="skillspring.sync")
    task = asyncio.create_task(follower.run())
    # Two failed attempts (the second after a backoff) before the lock goes away.
    await asyncio.wait_for(failed_twice.wait(), timeout=60)
    blocker.rollback()
    del blocker
    await asyncio.wait_for(applied.wait(), timeout=60)
    follower.stop.set()
    await asyncio.wait_for(task, timeout=60)
    failures = [r for r in caplog.records if "retrying" in r.message]
    assert len(failures) == 1, "each distinct failure is logged once"
    assert any("recovered" in r.message for r in caplog.records)
    top = (await engine.search(SearchRequest(q="eventually indexed"))).hits[0]
    assert top.document.title == "Eventually Indexed"
    assert await conn.fetchval("SELECT count(*) FROM search_outbox") == 0
    await conn.close()
