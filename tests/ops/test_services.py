"""The web process's long-lived objects: a start that fails part-way stops what it started."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import pytest

from search_service import services
from search_service.db.connection import asyncpg_dsn
from search_service.search.tantivy.engine import TantivyEngine
from search_service.settings import Settings


async def _connections(url: str) -> int:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        count: int = await conn.fetchval(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return count
    finally:
        await conn.close()


async def test_a_start_that_fails_leaves_no_task_or_connection(
    empty_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken(services.Housekeeping):
        def start(self) -> None:  # the last thing started
            raise RuntimeError("cannot start housekeeping")

    monkeypatch.setattr(services, "Housekeeping", Broken)
    tasks = asyncio.all_tasks()
    with pytest.raises(RuntimeError, match="cannot start housekeeping"):
        await services.build_services(Settings(), empty_url, "s" * 32, TantivyEngine(tmp_path))
    assert asyncio.all_tasks() == tasks  # rules reload, views and insights writers stopped
    assert await _connections(empty_url) == 0  # the side pool disposed


async def test_a_start_that_works_is_stopped_by_close(empty_url: str, tmp_path: Path) -> None:
    tasks = asyncio.all_tasks()
    built = await services.build_services(Settings(), empty_url, "s" * 32, TantivyEngine(tmp_path))
    assert asyncio.all_tasks() != tasks
    await services.close(built)
    assert asyncio.all_tasks() == tasks
    assert await _connections(empty_url) == 0


async def test_every_app_of_a_process_closes_its_request_pool_when_it_stops(
    empty_url: str, tmp_path: Path
) -> None:
    """advanced_alchemy disposed the request pool of the first app a process built only: a
    second app's connections stayed open after it stopped (tests saw them outlive the
    database and the event loop they were opened on)."""
    from litestar.testing import AsyncTestClient

    from tests.support.apps import in_process_app

    for n in range(2):
        async with AsyncTestClient(app=in_process_app(empty_url, tmp_path)) as client:
            signed_up = await client.post(
                "/api/v1/auth/register",
                json={
                    "email": f"s{n}@example.com",
                    "password": "a long enough password",
                    "first_name": "Sam",
                },
            )
            assert signed_up.status_code == 201, signed_up.text
        assert await _connections(empty_url) == 0, f"app {n + 1}"


async def test_a_stopped_app_keeps_none_of_its_services(empty_url: str, tmp_path: Path) -> None:
    """A stopped app kept its closed services in its state, where a test that started the app
    again (tests/support/apps.py: shared_app) could find the previous test's."""
    from litestar.testing import AsyncTestClient

    from search_service.services import Services
    from tests.support.apps import in_process_app

    app = in_process_app(empty_url, tmp_path)
    async with AsyncTestClient(app=app) as client:
        assert (await client.get("/health")).status_code == 200
        assert isinstance(app.state["services"], Services)
    left = {"services", *Services.__struct_fields__} & set(app.state.keys())
    assert not left, left
