"""Shared fixtures. One embedded PostgreSQL per test session, migrated once; every test sees
only its own writes:

- ``raw``: a connection to the migrated, empty database, inside a transaction rolled back
  after the test;
- ``shop`` (and ``api``, ``browser``, ``db`` over it): a database cloned for the test from a
  seeded, indexed template (500 courses, seed 11), with its own copy of the template's tantivy
  index; dropped after the test (it is at the same address for each test of a process, so
  the app over it is built once and started afresh for each test);
- ``empty_url``: a migrated database of its own with no catalog, for tests that seed.

A clone is a ``CREATE DATABASE … TEMPLATE`` (tens of milliseconds), so tests that write need
not put anything back, and no test passes only in file order.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import tempfile
import uuid
import warnings
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from search_service.db import migrate
from search_service.db.connection import asyncpg_dsn, database_url, make_engine, with_database
from search_service.ops.collector import settle
from search_service.settings import Settings
from tests.support.catalogs import Catalog

warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

TEMPLATE = "catalog_template"
EMPTY_TEMPLATE = "empty_template"
SHOP = "shop"  # each test's clone of the template (one test at a time per process)
CATALOG_COURSES = 500
PINNED_TITLES = (
    "JavaScript for Beginners",
    "Machine Learning A-Z: Hands-On Python",
    "Adobe Photoshop Essentials",
    "Kubernetes in Practice",
)


def pytest_collection_finish(session: pytest.Session) -> None:
    """A test process is long-running too: its imports are frozen and the young generation
    collected less often, as a server worker's are (``ops/collector.py``), so each test's
    apps are not slowed by collections walking every module of the session."""
    settle()


@pytest.hookimpl(tryfirst=True)  # before ``-m fast`` selects by it
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that start server processes or a browser are ``system`` tests, and those that
    send every form or page hostile values are ``sweep`` tests (``make test-fast`` leaves both
    out); every other test is ``fast``."""
    for item in items:
        if item.get_closest_marker("system") is None and item.get_closest_marker("sweep") is None:
            item.add_marker(pytest.mark.fast)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The session's SKILLSPRING_DATA_DIR: embedded cluster and search indexes live here.

    Not under pytest's own temporary folder: each pytest session that starts takes every
    permission but its user's off ``/tmp/pytest-of-<user>``, which cut a running session's
    server (an unprivileged user when we are root) off its data folder ("could not stat
    data directory: Permission denied"). Removed when the process exits, after the server
    has stopped (``atexit`` runs the server's clean-up, registered later, first)."""
    path = Path(tempfile.mkdtemp(prefix="skillspring-tests-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
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
    """One SQLAlchemy engine on the migrated, empty database, for the session."""
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


async def _admin(url: str) -> asyncpg.Connection:
    return await asyncpg.connect(asyncpg_dsn(with_database(url, "postgres")))


async def _clone(url: str, template: str, name: str | None = None) -> str:
    """A new database copied from ``template`` (named ``name``, or a fresh name); its URL."""
    name = name or f"t_{uuid.uuid4().hex[:16]}"
    admin = await _admin(url)
    try:
        await admin.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    finally:
        await admin.close()
    return with_database(url, name)


async def _drop(url: str) -> None:
    name = url.rsplit("/", 1)[-1].split("?", 1)[0]
    admin = await _admin(url)
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        await admin.close()


@pytest.fixture(scope="session")
def empty_template(database: str) -> str:
    """A migrated database with no catalog, as a template."""

    async def build() -> None:
        admin = await _admin(database)
        await admin.execute(f"DROP DATABASE IF EXISTS {EMPTY_TEMPLATE}")
        await admin.execute(f"CREATE DATABASE {EMPTY_TEMPLATE}")
        await admin.close()
        await asyncio.to_thread(migrate.upgrade, with_database(database, EMPTY_TEMPLATE))

    asyncio.run(build())
    return EMPTY_TEMPLATE


@pytest.fixture
async def empty_url(database: str, empty_template: str) -> AsyncIterator[str]:
    """A migrated database of the test's own, with no catalog."""
    url = await _clone(database, empty_template)
    try:
        yield url
    finally:
        await _drop(url)


@pytest.fixture
async def unmigrated_url(database: str) -> AsyncIterator[str]:
    """An empty database of the test's own that was never migrated (a first deploy's)."""
    url = await _clone(database, "template0")
    try:
        yield url
    finally:
        await _drop(url)


@pytest.fixture(scope="session")
def template(database: str, tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The seeded, indexed template every ``shop`` is cloned from (built once)."""
    from indexer.reindex import reindex
    from search_service.search.tantivy.engine import TantivyEngine
    from search_service.seed.run import seed_catalog
    from search_service.semantic.models import load_embedder

    index = tmp_path_factory.mktemp("template-index") / "courses"
    url = with_database(database, TEMPLATE)

    async def build() -> None:
        admin = await _admin(database)
        await admin.execute(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {TEMPLATE}")
        await admin.close()
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
        embedder = load_embedder()
        engine = TantivyEngine(index, model=embedder.name)
        await engine.apply_settings()
        await reindex(asyncpg_dsn(url), engine, embedder=embedder)
        await engine.close()

    asyncio.run(build())
    return Catalog(url, index)


@pytest.fixture
async def shop(template: Catalog, shop_index: Path) -> AsyncIterator[Catalog]:
    """The template catalog, cloned for this test: its own database and index, at the same
    address each test (so the app over it is built once: ``tests/support/apps.py``)."""
    await _drop(with_database(template.url, SHOP))  # a test that could not drop its own
    url = await _clone(template.url, TEMPLATE, SHOP)
    shutil.rmtree(shop_index, ignore_errors=True)
    shutil.copytree(template.index, shop_index)
    try:
        yield Catalog(url, shop_index)
    finally:
        await _drop(url)


@pytest.fixture(scope="session")
def shop_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where each test's ``shop`` index is copied (each test process has its own)."""
    return tmp_path_factory.mktemp("shop") / "courses"


@pytest.fixture
async def db(shop: Catalog) -> AsyncIterator[asyncpg.Connection]:
    """A connection to the test's catalog (autocommit: what it writes, the app sees)."""
    conn = await asyncpg.connect(shop.dsn)
    try:
        yield conn
    finally:
        await conn.close()


@pytest.fixture
async def api(shop: Catalog) -> AsyncIterator[Any]:
    """An HTTP client for the service over the test's catalog (tantivy, real PostgreSQL)."""
    from litestar.testing import AsyncTestClient

    from tests.support.apps import shared_app

    async with AsyncTestClient(app=shared_app(shop.url, shop.index, "api")) as client:
        yield client


@pytest.fixture
async def browser(shop: Catalog) -> AsyncIterator[Any]:
    """Another client of the same service (its own cookies), which follows no redirect."""
    from litestar.testing import AsyncTestClient

    from tests.support.apps import shared_app

    async with AsyncTestClient(app=shared_app(shop.url, shop.index, "browser")) as client:
        client.follow_redirects = False
        yield client


def serve(catalog: Catalog, data_dir: Path, **env: str) -> Iterator[str]:
    """``skillspring serve`` (one worker) over ``catalog``, as a real process."""
    import subprocess
    import sys

    from tests.support.processes import (
        SERVING,
        free_port,
        read_lines,
        wait_for_line,
        wait_until_answering,
    )

    (data_dir / "search").mkdir(parents=True)
    (data_dir / "search" / "courses").symlink_to(catalog.index)
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SKILLSPRING_")}
    clean.update(SKILLSPRING_DATABASE_URL=catalog.url, SKILLSPRING_DATA_DIR=str(data_dir), **env)
    process = subprocess.Popen(
        [sys.executable, "-m", "search_service.cli", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=clean,
    )
    try:
        lines = read_lines(process)
        # granian says so once the worker has loaded the app.
        wait_for_line(lines, SERVING, anywhere=True)
        wait_until_answering(f"http://127.0.0.1:{port}")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=60)


@pytest.fixture
def live_server(shop: Catalog, tmp_path: Path) -> Iterator[str]:
    """``skillspring serve`` (one worker) over the test's own catalog."""
    yield from serve(shop, tmp_path / "live")


@pytest.fixture
def catalog_url(shop: Catalog) -> str:
    """The URL of the test's own seeded catalog database."""
    return shop.url


@pytest.fixture
async def catalog(db: asyncpg.Connection) -> asyncpg.Connection:
    """A connection to the test's own seeded catalog (the same as ``db``)."""
    return db
