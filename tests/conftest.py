"""Shared fixtures: one embedded PostgreSQL per test session, migrated once; tests roll back
or work on their own clone of a seeded catalog."""

from __future__ import annotations

import asyncio
import contextlib
import os
import warnings
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

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


CATALOG_TEMPLATE = "catalog_template"
CATALOG_COURSES = 500
PINNED_TITLES = (
    "JavaScript for Beginners",
    "Machine Learning A-Z: Hands-On Python",
    "Adobe Photoshop Essentials",
    "Kubernetes in Practice",
)


@pytest.fixture(scope="session")
def catalog_template(database: str) -> str:
    """A committed, seeded database used as a template (500 courses, seed 11)."""
    from search_service.db.connection import with_database
    from search_service.seed.run import seed_catalog

    async def build() -> None:
        admin = await asyncpg.connect(asyncpg_dsn(with_database(database, "postgres")))
        await admin.execute(f"DROP DATABASE IF EXISTS {CATALOG_TEMPLATE}")
        await admin.execute(f"CREATE DATABASE {CATALOG_TEMPLATE}")
        await admin.close()
        url = with_database(database, CATALOG_TEMPLATE)
        await asyncio.to_thread(migrate.upgrade, url)
        conn = await asyncpg.connect(asyncpg_dsn(url))
        await seed_catalog(conn, CATALOG_COURSES, seed=11)
        # Titles the text-matching tests rely on, whatever the generator drew.
        for title in PINNED_TITLES:
            await conn.execute(
                "UPDATE courses SET title = $1 WHERE id = (SELECT id FROM courses "
                "WHERE status = 'published' AND deleted_at IS NULL AND title NOT IN "
                "(SELECT unnest($2::text[])) ORDER BY id LIMIT 1)",
                title,
                list(PINNED_TITLES),
            )
        await conn.execute("DELETE FROM search_outbox")
        await conn.close()

    asyncio.run(build())
    return with_database(database, CATALOG_TEMPLATE)


@pytest.fixture
async def catalog_url(catalog_template: str) -> AsyncIterator[str]:
    """A fresh database cloned from the seeded template; dropped after the test."""
    import uuid as _uuid

    from search_service.db.connection import with_database

    name = f"catalog_{_uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(asyncpg_dsn(with_database(catalog_template, "postgres")))
    await admin.execute(f"CREATE DATABASE {name} TEMPLATE {CATALOG_TEMPLATE}")
    try:
        yield with_database(catalog_template, name)
    finally:
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await admin.close()


@pytest.fixture
async def catalog(catalog_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection to the fresh catalog database (autocommit: changes are real)."""
    conn = await asyncpg.connect(asyncpg_dsn(catalog_url))
    try:
        yield conn
    finally:
        await conn.close()


def _indexed_clone(template: str, name: str, root: Path) -> tuple[str, Path]:
    """Clone the template catalog as database ``name`` and index it into tantivy at ``root``."""
    from indexer.reindex import reindex
    from search_service.db.connection import with_database
    from search_service.search.tantivy import TantivyEngine

    url = with_database(template, name)

    async def build() -> None:
        admin = await asyncpg.connect(asyncpg_dsn(with_database(template, "postgres")))
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {name} TEMPLATE {CATALOG_TEMPLATE}")
        await admin.close()
        engine = TantivyEngine(root)
        await engine.apply_settings()
        await reindex(asyncpg_dsn(url), engine)

    asyncio.run(build())
    return url, root


@contextlib.asynccontextmanager
async def _client(catalog: tuple[str, Path]) -> AsyncIterator[Any]:
    """An HTTP client for the service over ``catalog`` (tantivy, real PostgreSQL)."""
    from litestar.testing import AsyncTestClient

    from tests.support.apps import in_process_app

    async with AsyncTestClient(app=in_process_app(*catalog)) as client:
        yield client


@pytest.fixture(scope="session")
def indexed_catalog(
    catalog_template: str, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path]:
    """A clone of the template catalog, indexed into tantivy once: (URL, index folder).

    A clone, so that apps holding connections to it never block CREATE DATABASE … TEMPLATE.
    """
    root = tmp_path_factory.mktemp("index") / "courses"
    return _indexed_clone(catalog_template, "catalog_indexed", root)


@pytest.fixture(scope="session")
async def api(indexed_catalog: tuple[str, Path]) -> AsyncIterator[Any]:
    """An HTTP client for the service over the indexed catalog (tantivy, real PostgreSQL)."""
    async with _client(indexed_catalog) as client:
        yield client


def _serve(catalog: tuple[str, Path], tmp_path_factory: Any) -> Iterator[str]:
    """``skillspring serve`` (one worker) over ``catalog``, as a real process."""
    import subprocess
    import sys

    from tests.support.processes import free_port, read_lines, wait_for_line

    url, root = catalog
    data_dir = tmp_path_factory.mktemp("live")
    (data_dir / "search").mkdir()
    (data_dir / "search" / "courses").symlink_to(root)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKILLSPRING_")}
    env.update(SKILLSPRING_DATABASE_URL=url, SKILLSPRING_DATA_DIR=str(data_dir))
    process = subprocess.Popen(
        [sys.executable, "-m", "search_service.cli", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        lines = read_lines(process)
        # One worker: uvicorn runs the app's startup, then binds and says so.
        wait_for_line(lines, "Uvicorn running on", anywhere=True)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=60)


@pytest.fixture(scope="session")
def live_server(indexed_catalog: tuple[str, Path], tmp_path_factory: Any) -> Iterator[str]:
    """``skillspring serve`` (one worker) over the read-only indexed catalog."""
    yield from _serve(indexed_catalog, tmp_path_factory)


@pytest.fixture(scope="session")
def shop_live_server(shop_catalog: tuple[str, Path], tmp_path_factory: Any) -> Iterator[str]:
    """``skillspring serve`` (one worker) over the writable shop catalog."""
    yield from _serve(shop_catalog, tmp_path_factory)


@pytest.fixture(scope="session")
def shop_catalog(
    catalog_template: str, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path]:
    """A clone of the template for tests that write (accounts, carts, reviews…), so the
    read-only search tests keep comparing the index with an unchanged database."""
    root = tmp_path_factory.mktemp("shop-index") / "courses"
    return _indexed_clone(catalog_template, "catalog_shop", root)


@pytest.fixture(scope="session")
async def shop_api(shop_catalog: tuple[str, Path]) -> AsyncIterator[Any]:
    """The service over the writable catalog."""
    async with _client(shop_catalog) as client:
        yield client
