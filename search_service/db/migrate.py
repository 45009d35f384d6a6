"""Run Alembic migrations programmatically (``skillspring db upgrade|downgrade``)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from pathlib import Path

import asyncpg
from alembic import command
from alembic.config import Config

from search_service.db.connection import check_reachable, connect, database_url
from search_service.lib.errors import UsageError
from search_service.settings import Settings

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at ``migrations/`` and the given database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(slug)s")
    config.attributes["database_url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database up to ``revision``."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    """Migrate the database down to ``revision`` (``base`` empties it)."""
    command.downgrade(alembic_config(url), revision)


def current_heads(url: str) -> tuple[str, ...]:
    """The revision ids the scripts say are the newest."""
    from alembic.script import ScriptDirectory

    return tuple(ScriptDirectory.from_config(alembic_config(url)).get_heads())


async def applied(url: str) -> tuple[str, ...]:
    """The revision ids the database says it is at (none: never migrated)."""
    async with connect(url) as conn:
        try:
            rows = await conn.fetch("SELECT version_num FROM alembic_version")
        except asyncpg.UndefinedTableError:
            return ()
    return tuple(row[0] for row in rows)


async def check_migrated(url: str) -> None:
    """Refuse to serve a database whose schema is not the code's, with one clear line.

    Raises:
        UsageError: the database is not at the newest revision.
    """
    at, newest = await applied(url), current_heads(url)
    if set(at) != set(newest):
        where = ", ".join(at) or "no revision (an empty database)"
        raise UsageError(
            f"the database is at {where}, the code needs {', '.join(newest)}: "
            "run `skillspring db upgrade` first"
        )


@contextlib.contextmanager
def migrated_database(settings: Settings) -> Iterator[str]:
    """The database's URL for a command that uses the schema, once it answers and is at the
    code's revision: one clear line otherwise, not a traceback of a missing table.

    Raises:
        DatabaseUnavailable: the server cannot be reached.
        UsageError: the database is not at the newest revision.
    """
    with database_url(settings) as url:
        asyncio.run(check_reachable(url))
        asyncio.run(check_migrated(url))
        yield url
