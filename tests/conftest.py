"""Shared fixtures: one embedded PostgreSQL per test session, migrated once; tests roll back."""

from __future__ import annotations

import asyncio
import os
import warnings
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from search_service.db import migrate
from search_service.db.connection import asyncpg_dsn, database_url, make_engine
from search_service.settings import Settings

warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's SKILLSPRING_DATA_DIR: embedded cluster and search indexes live here."""
    path = tmp_path_factory.mktemp("skillspring")
    # The embedded server runs as an unprivileged user when we are root; let it in.
    for parent in (path, *path.parents):
        if parent == Path("/"):
            break
        os.chmod(parent, os.stat(parent).st_mode | 0o711)
    return path


@pytest.fixture(scope="session")
def settings(data_dir: Path) -> Settings:
    """Settings for the test session: embedded PostgreSQL, tantivy under ``data_dir``."""
    return Settings(data_dir=data_dir)


@pytest.fixture(scope="session")
def database(settings: Settings) -> Iterator[str]:
    """The migrated test database's SQLAlchemy URL (the cluster lives for the session)."""
    with database_url(settings) as url:
        migrate.upgrade(url)
        yield url


@pytest.fixture(scope="session")
async def engine(database: str) -> AsyncIterator[AsyncEngine]:
    """One engine for the session."""
    engine = make_engine(database)
    yield engine
    await engine.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection inside a transaction that is rolled back after the test."""
    async with engine.connect() as conn:
        transaction = await conn.begin()
        yield conn
        await transaction.rollback()


@pytest.fixture
async def session(connection: AsyncConnection) -> AsyncIterator[AsyncSession]:
    """An ORM session whose commits become savepoints of the rolled-back transaction."""
    async with AsyncSession(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    ) as session:
        yield session


@pytest.fixture
async def raw(database: str) -> AsyncIterator[asyncpg.Connection]:
    """A plain asyncpg connection inside a transaction rolled back after the test."""
    conn = await asyncpg.connect(asyncpg_dsn(database))
    transaction = conn.transaction()
    await transaction.start()
    try:
        yield conn
    finally:
        await transaction.rollback()
        await conn.close()


def run(coro):  # type: ignore[no-untyped-def]
    """Run a coroutine from synchronous test code."""
    return asyncio.run(coro)
