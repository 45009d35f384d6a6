"""Embedded PostgreSQL: data survives a restart, and processes share one cluster."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from search_service.settings import Settings
from tests.support.processes import skillspring

pytestmark = pytest.mark.system  # starts processes (a server, the CLI) or a browser


def _postmaster_pid(pgdata: Path) -> int:
    return int((pgdata / "postmaster.pid").read_text().splitlines()[0])


def test_data_survives_a_restart(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = {"SKILLSPRING_DATA_DIR": str(data_dir)}
    first = skillspring("seed", "--courses", "12", env=env)
    assert first.returncode == 0, first.stderr
    assert "seeded 12 courses" in first.stdout
    # The first process was the cluster's only user, so the server stopped with it.
    assert not (data_dir / "pg" / "postmaster.pid").exists()
    second = skillspring("seed", "--courses", "12", "--if-empty", env=env)
    assert second.returncode == 0, second.stderr
    assert "already seeded" in second.stdout


def test_second_process_shares_the_running_cluster(settings: Settings, database: str) -> None:
    pgdata = settings.postgres_dir
    before = _postmaster_pid(pgdata)
    result = skillspring("db", "upgrade", env={"SKILLSPRING_DATA_DIR": str(settings.data_dir)})
    assert result.returncode == 0, result.stderr
    assert _postmaster_pid(pgdata) == before
    assert os.path.exists(pgdata / "postmaster.pid"), "our handle keeps the server up"


async def test_the_cluster_logs_no_row_values_with_its_errors(database: str) -> None:
    # A unique violation's DETAIL quotes the row ("Key (email)=(someone@…) already exists");
    # terse error logging leaves it out of the server's log (docs/security.md).
    import asyncpg

    from search_service.db.connection import asyncpg_dsn

    conn = await asyncpg.connect(asyncpg_dsn(database))
    try:
        assert await conn.fetchval("SHOW log_error_verbosity") == "terse"
    finally:
        await conn.close()


async def test_another_pytest_session_leaves_this_one_s_cluster_running(
    database: str, tmp_path: Path
) -> None:
    """Each pytest session that starts takes every permission but its user's off
    /tmp/pytest-of-<user>: a session whose cluster lived below it lost it ("could not stat
    data directory: Permission denied", then the server shut down) when a second suite ran."""
    import subprocess
    import sys

    import asyncpg

    from search_service.db.connection import asyncpg_dsn

    (tmp_path / "test_nothing.py").write_text("def test_nothing(tmp_path):\n    pass\n")
    other = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert other.returncode == 0, other.stdout + other.stderr
    conn = await asyncpg.connect(asyncpg_dsn(database))
    try:
        await conn.execute("CHECKPOINT")  # the server opens its control file again
        assert await conn.fetchval("SELECT 1") == 1
    finally:
        await conn.close()
