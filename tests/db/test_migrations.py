"""Alembic migrations: they match the models and go down and up again cleanly."""

from __future__ import annotations

import asyncpg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import AsyncEngine

from search_service.db import migrate
from search_service.db.connection import asyncpg_dsn, with_database
from search_service.db.models import Base


async def test_models_and_migrations_agree(engine: AsyncEngine) -> None:
    def diff(sync_conn):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with engine.connect() as conn:
        differences = await conn.run_sync(diff)
    assert differences == []


@pytest.fixture
async def scratch_database(database: str) -> str:
    """An empty database in the session's cluster, for migration round trips."""
    admin = await asyncpg.connect(asyncpg_dsn(with_database(database, "postgres")))
    await admin.execute("DROP DATABASE IF EXISTS migrations_scratch")
    await admin.execute("CREATE DATABASE migrations_scratch")
    await admin.close()
    return with_database(database, "migrations_scratch")


async def _tables(url: str) -> set[str]:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        types = await conn.fetch(
            "SELECT typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
            "WHERE n.nspname = 'public' AND t.typtype = 'e'"
        )
        return {r[0] for r in rows} | {"enum:" + r[0] for r in types}
    finally:
        await conn.close()


async def test_upgrade_downgrade_upgrade(scratch_database: str) -> None:
    import asyncio

    url = scratch_database
    await asyncio.to_thread(migrate.upgrade, url)
    full = await _tables(url)
    assert set(Base.metadata.tables) <= full
    assert "enum:course_level" in full
    await asyncio.to_thread(migrate.downgrade, url, "base")
    assert await _tables(url) <= {"alembic_version"}
    await asyncio.to_thread(migrate.upgrade, url)
    assert await _tables(url) == full


@pytest.mark.system  # runs the CLI
def test_serve_refuses_a_database_that_is_not_migrated(scratch_database: str) -> None:
    # One clear line and exit 2, instead of a server whose background jobs log a traceback
    # a second because the tables are missing.
    from tests.support.processes import assert_one_line_error, skillspring

    env = {"SKILLSPRING_DATABASE_URL": scratch_database}
    refused = skillspring("serve", "--port", "9", env=env)
    assert_one_line_error(refused, "no revision", "skillspring db upgrade")
