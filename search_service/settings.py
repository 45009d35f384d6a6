"""Typed settings read once from ``SKILLSPRING_*`` environment variables and passed down."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import msgspec

from search_service.errors import SettingsError

PREFIX = "SKILLSPRING_"
# Every variable load_settings reads (without the prefix), for docs and deployment checks.
ENV_VARS = (
    "DATABASE_URL",
    "DATA_DIR",
    "SEARCH_ENGINE",
    "MEILI_URL",
    "MEILI_API_KEY",
    "INDEX_NAME",
    "HOST",
    "PORT",
    "WORKERS",
    "LOG_FORMAT",
    "SECURE_COOKIES",
    "SECRET_KEY",
)
EngineName = Literal["tantivy", "meilisearch"]
LogFormat = Literal["text", "json"]
_ALLOWED_DB_SCHEMES = ("postgresql", "postgresql+asyncpg", "postgres")


class DatabaseSettings(msgspec.Struct, kw_only=True, frozen=True):
    """Where PostgreSQL is: ``url`` is None for the embedded cluster under ``data_dir``."""

    url: str | None = None


class SearchSettings(msgspec.Struct, kw_only=True, frozen=True):
    """Which search engine, and how to reach it."""

    engine: EngineName = "tantivy"
    meili_url: str = "http://127.0.0.1:7700"
    meili_api_key: str | None = None
    index_name: str = "courses"


class ServerSettings(msgspec.Struct, kw_only=True, frozen=True):
    """HTTP server binding."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    log_format: LogFormat = "text"
    secure_cookies: bool = False
    secret_key: str | None = None


class Settings(msgspec.Struct, kw_only=True, frozen=True):
    """All settings, one struct per concern."""

    data_dir: Path = Path(".skillspring")
    database: DatabaseSettings = DatabaseSettings()
    search: SearchSettings = SearchSettings()
    server: ServerSettings = ServerSettings()

    @property
    def tantivy_dir(self) -> Path:
        """Folder holding the tantivy index generations."""
        return self.data_dir / "search"

    @property
    def postgres_dir(self) -> Path:
        """Folder holding the embedded PostgreSQL cluster."""
        return self.data_dir / "pg"


def _get(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(PREFIX + name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def normalise_database_url(raw: str) -> str:
    """Return an SQLAlchemy asyncpg URL for a ``postgresql://`` style URL.

    Raises:
        SettingsError: the URL is not a PostgreSQL URL.
    """
    scheme = urlsplit(raw).scheme
    if scheme not in _ALLOWED_DB_SCHEMES:
        raise SettingsError(
            PREFIX + "DATABASE_URL",
            "must be a postgresql:// or postgresql+asyncpg:// URL",
            raw.split("@")[-1] if "@" in raw else raw,
        )
    return "postgresql+asyncpg://" + raw.split("://", 1)[1]


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = _get(env, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise SettingsError(PREFIX + name, f"must be a whole number from {low} to {high}", raw)
    return value


def _choice(env: Mapping[str, str], name: str, default: str, allowed: tuple[str, ...]) -> str:
    raw = _get(env, name)
    if raw is None:
        return default
    if raw.lower() not in allowed:
        raise SettingsError(PREFIX + name, "must be one of " + ", ".join(allowed), raw)
    return raw.lower()


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = _get(env, name)
    if raw is None:
        return default
    truthy, falsy = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
    if raw.lower() not in truthy + falsy:
        raise SettingsError(PREFIX + name, "must be true or false", raw)
    return raw.lower() in truthy


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read every ``SKILLSPRING_*`` variable once.

    Raises:
        SettingsError: a variable holds a value that is not allowed.
    """
    env = os.environ if env is None else env
    url = _get(env, "DATABASE_URL")
    index_name = _get(env, "INDEX_NAME") or "courses"
    if not index_name.replace("_", "").replace("-", "").isalnum() or not index_name.isascii():
        raise SettingsError(PREFIX + "INDEX_NAME", "letters, digits, '-' and '_' only", index_name)
    meili_url = _get(env, "MEILI_URL") or "http://127.0.0.1:7700"
    if urlsplit(meili_url).scheme not in ("http", "https"):
        raise SettingsError(PREFIX + "MEILI_URL", "must be an http:// or https:// URL", meili_url)
    engine = _choice(env, "SEARCH_ENGINE", "tantivy", ("tantivy", "meilisearch"))
    log_format = _choice(env, "LOG_FORMAT", "text", ("text", "json"))
    return Settings(
        data_dir=Path(_get(env, "DATA_DIR") or ".skillspring"),
        database=DatabaseSettings(url=normalise_database_url(url) if url else None),
        search=SearchSettings(
            engine=engine,  # type: ignore[arg-type]
            meili_url=meili_url,
            meili_api_key=_get(env, "MEILI_API_KEY"),
            index_name=index_name,
        ),
        server=ServerSettings(
            host=_get(env, "HOST") or "127.0.0.1",
            port=_int(env, "PORT", 8000, 1, 65535),
            workers=_int(env, "WORKERS", 1, 1, 64),
            log_format=log_format,  # type: ignore[arg-type]
            secure_cookies=_bool(env, "SECURE_COOKIES", False),
            secret_key=_get(env, "SECRET_KEY"),
        ),
    )
