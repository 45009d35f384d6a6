"""Typed settings read once from ``SKILLSPRING_*`` environment variables and passed down.

One Struct per concern, every default and allowed value declared on its field; ``ENV`` maps
each variable to its field, and one ``msgspec.convert`` decodes them all.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec
import msgspec.inspect as mi
from msgspec import Meta

from search_service.lib.errors import SettingsError

PREFIX = "SKILLSPRING_"

DatabaseUrl = Annotated[
    str,
    Meta(
        pattern=r"^(postgresql|postgres|postgresql\+asyncpg)://",
        description="must be a postgresql:// or postgresql+asyncpg:// URL",
    ),
]
HttpUrl = Annotated[
    str, Meta(pattern=r"^https?://", description="must be an http:// or https:// URL")
]
PublicUrl = Annotated[
    str,
    Meta(pattern=r"^https?://[^/\s]+$", description="must be http(s)://host[:port], no path"),
]
EngineName = Annotated[
    Literal["tantivy", "meilisearch"], Meta(description="must be one of tantivy, meilisearch")
]
LogFormat = Annotated[Literal["text", "json"], Meta(description="must be one of text, json")]
IndexName = Annotated[
    str,
    Meta(
        pattern=r"^[A-Za-z0-9_-]+$",
        max_length=100,
        description="letters, digits, '-' and '_' only",
    ),
]
Flag = Annotated[bool, Meta(description="must be true or false")]
SecretKey = Annotated[
    str,
    Meta(
        min_length=32,
        description="at least 32 characters, such as the output of `openssl rand -hex 32` "
        "(it signs forms' CSRF tokens and keys the limit counters)",
    ),
]
CorsOrigins = Annotated[
    str,
    Meta(
        # No "*": origins are listed one by one (docs/api.md#cors-and-caching).
        pattern=r"^(https?://[A-Za-z0-9.-]+(:\d{1,5})?)?(\s*,\s*https?://[A-Za-z0-9.-]+(:\d{1,5})?)*$",
        description="comma-separated origins such as https://shop.example (scheme, host, "
        "optional port; no path; not *: each origin by name)",
    ),
]


PoolSize = Annotated[int, Meta(ge=1, le=200, description="must be a whole number from 1 to 200")]
Overflow = Annotated[int, Meta(ge=0, le=200, description="must be a whole number from 0 to 200")]
Port = Annotated[int, Meta(ge=1, le=65535, description="must be a whole number from 1 to 65535")]
Workers = Annotated[int, Meta(ge=1, le=64, description="must be a whole number from 1 to 64")]
Seconds = Annotated[
    int, Meta(ge=1, le=600, description="must be a whole number of seconds from 1 to 600")
]


class DatabaseSettings(msgspec.Struct, kw_only=True, frozen=True):
    """Where PostgreSQL is (``url`` None: the embedded cluster under ``data_dir``) and how
    many connections each process keeps."""

    url: DatabaseUrl | None = None
    pool_size: PoolSize = 10
    max_overflow: Overflow = 10


Ratio = Annotated[float, Meta(ge=0, le=1, description="must be a number from 0 to 1")]
CacheEntries = Annotated[
    int, Meta(ge=0, le=1_000_000, description="must be a whole number from 0 to 1000000")
]


class SearchSettings(msgspec.Struct, kw_only=True, frozen=True):
    """Which search engine, how to reach it, and how many answers each process keeps."""

    engine: EngineName = "tantivy"
    meili_url: HttpUrl = "http://127.0.0.1:7700"
    meili_api_key: str | None = None
    # A file holding the key instead (compose hands each service its own scoped key this way).
    meili_api_key_file: str | None = None
    index_name: IndexName = "courses"
    # Answers kept until the index changes (browse pages, facet counts); 0 turns it off.
    cache_entries: CacheEntries = 2048
    # How much a query's meaning counts against its words when a request does not say
    # (``semantic_ratio``); 0 is lexical search. Chosen on the tuning split: docs/relevance.md.
    semantic_ratio: Ratio = 0.35

    def api_key(self) -> str | None:
        """The Meilisearch key: the variable's, or the key file's."""
        if self.meili_api_key_file:
            try:
                return Path(self.meili_api_key_file).read_text().strip() or None
            except (OSError, UnicodeDecodeError) as exc:
                why = exc.strerror if isinstance(exc, OSError) else "not text"
                raise SettingsError(
                    "SKILLSPRING_MEILI_API_KEY_FILE",
                    f"a readable file holding the Meilisearch API key ({why})",
                    self.meili_api_key_file,
                ) from exc
        return self.meili_api_key


class ServerSettings(msgspec.Struct, kw_only=True, frozen=True):
    """HTTP server binding, logs and cookies."""

    host: str = "127.0.0.1"
    port: Port = 8000
    workers: Workers = 1
    log_format: LogFormat = "text"
    secure_cookies: Flag = False
    secret_key: SecretKey | None = None
    # Where shoppers reach the site: canonical links and JSON-LD use it, never the Host header.
    public_url: PublicUrl = "http://127.0.0.1:8000"
    # Proxies whose X-Forwarded-For is believed (granian's proxy-headers wrapper): none.
    trusted_proxies: str = ""
    # /metrics answers requests bearing this token; without one, only local requests.
    metrics_token: str | None = None
    # A request's headers must arrive within this many seconds (the server closes it), and
    # its body may pause for no longer than this many (408, closed).
    header_timeout: Seconds = 5
    body_timeout: Seconds = 10
    # Origins (scheme://host[:port], comma-separated) whose pages may call the API: none.
    cors_origins: CorsOrigins = ""

    @property
    def trusted_list(self) -> list[str]:
        """The proxies as granian reads them: a network as its own address ("10.0.0.1/8" is
        10.0.0.0/8, which granian would otherwise take for a name no client has)."""
        entries = [p.strip() for p in self.trusted_proxies.split(",") if p.strip()]
        return [str(ipaddress.ip_network(e, strict=False)) if "/" in e else e for e in entries]

    @property
    def cors_list(self) -> list[str]:
        """The allowed origins, one each."""
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]


SignupLimit = Annotated[
    int, Meta(ge=1, le=1_000_000, description="must be a whole number from 1 to 1000000")
]


class LimitSettings(msgspec.Struct, kw_only=True, frozen=True):
    """How many new accounts one client address, and everyone together, may open."""

    signups_per_address_hour: SignupLimit = 10
    signups_per_minute: SignupLimit = 300


InsightsDays = Annotated[
    int, Meta(ge=1, le=3650, description="must be a whole number of days from 1 to 3650")
]


class InsightsSettings(msgspec.Struct, kw_only=True, frozen=True):
    """Whether searches and clicks are recorded, and for how long they are kept."""

    enabled: Flag = True
    days: InsightsDays = 90


RefreshMinutes = Annotated[
    int, Meta(ge=1, le=10_080, description="must be a whole number of minutes from 1 to 10080")
]


class RecommendationSettings(msgspec.Struct, kw_only=True, frozen=True):
    """How often ``sync --follow`` recomputes the students-also-bought lists, and whether a
    signed-in student's results are reordered for them."""

    minutes: RefreshMinutes = 60
    # A signed-in student's page reordered (owned last, liked categories lifted a little).
    personalize: Flag = True


class Settings(msgspec.Struct, kw_only=True, frozen=True):
    """All settings, one struct per concern."""

    data_dir: Path = Path(".skillspring")
    database: DatabaseSettings = DatabaseSettings()
    search: SearchSettings = SearchSettings()
    server: ServerSettings = ServerSettings()
    limits: LimitSettings = LimitSettings()
    insights: InsightsSettings = InsightsSettings()
    recommendations: RecommendationSettings = RecommendationSettings()

    @property
    def tantivy_dir(self) -> Path:
        """Folder holding the tantivy index generations."""
        return self.data_dir / "search"

    @property
    def postgres_dir(self) -> Path:
        """Folder holding the embedded PostgreSQL cluster."""
        return self.data_dir / "pg"


# Variable (without the prefix) -> (section of Settings, or None for a top-level field; field).
ENV: dict[str, tuple[str | None, str]] = {
    "DATABASE_URL": ("database", "url"),
    "DB_POOL_SIZE": ("database", "pool_size"),
    "DB_MAX_OVERFLOW": ("database", "max_overflow"),
    "DATA_DIR": (None, "data_dir"),
    "SEARCH_ENGINE": ("search", "engine"),
    "MEILI_URL": ("search", "meili_url"),
    "MEILI_API_KEY": ("search", "meili_api_key"),
    "MEILI_API_KEY_FILE": ("search", "meili_api_key_file"),
    "INDEX_NAME": ("search", "index_name"),
    "SEARCH_CACHE_ENTRIES": ("search", "cache_entries"),
    "SEMANTIC_RATIO": ("search", "semantic_ratio"),
    "HOST": ("server", "host"),
    "PORT": ("server", "port"),
    "WORKERS": ("server", "workers"),
    "LOG_FORMAT": ("server", "log_format"),
    "SECURE_COOKIES": ("server", "secure_cookies"),
    "SECRET_KEY": ("server", "secret_key"),
    "PUBLIC_URL": ("server", "public_url"),
    "TRUSTED_PROXIES": ("server", "trusted_proxies"),
    "METRICS_TOKEN": ("server", "metrics_token"),
    "CORS_ORIGINS": ("server", "cors_origins"),
    "HEADER_TIMEOUT": ("server", "header_timeout"),
    "BODY_TIMEOUT": ("server", "body_timeout"),
    "SIGNUPS_PER_ADDRESS_HOUR": ("limits", "signups_per_address_hour"),
    "SIGNUPS_PER_MINUTE": ("limits", "signups_per_minute"),
    "INSIGHTS_ENABLED": ("insights", "enabled"),
    "INSIGHTS_DAYS": ("insights", "days"),
    "RECOMMENDATIONS_MINUTES": ("recommendations", "minutes"),
    "PERSONALIZE": ("recommendations", "personalize"),
}
ENV_VARS = tuple(ENV)  # for docs and deployment checks
_VARIABLE_OF = {(section, field): name for name, (section, field) in ENV.items()}
_LOCATION = re.compile(r" - at `\$\.(\w+)(?:\.(\w+))?`$")
_SECRETS = {"secret_key", "metrics_token", "meili_api_key"}  # never shown in an error
_BOOLEAN_WORDS = {"yes": "true", "on": "true", "no": "false", "off": "false"}


def _field_type(section: str | None, field: str) -> Any:
    owner: Any = Settings if section is None else type(getattr(Settings(), section))
    return next(f.type for f in msgspec.structs.fields(owner) if f.name == field)


def _description(section: str | None, field: str) -> str | None:
    info = mi.type_info(_field_type(section, field))
    options = info.types if isinstance(info, mi.UnionType) else (info,)
    for option in options:
        if isinstance(option, mi.Metadata) and option.extra_json_schema:
            return str(option.extra_json_schema.get("description"))
    return None


def _decode_path(kind: type, value: Any) -> Any:
    if kind is Path and isinstance(value, str):
        return Path(value)
    raise NotImplementedError


def _normalised(section: str | None, field: str, raw: str) -> str:
    """Case and spelling that the field's type accepts (``True``, ``yes`` for a flag)."""
    info = mi.type_info(_field_type(section, field))
    while isinstance(info, mi.Metadata):
        info = info.type
    if isinstance(info, mi.BoolType):
        return _BOOLEAN_WORDS.get(raw.lower(), raw.lower())
    return raw.lower() if isinstance(info, mi.LiteralType) else raw


def _without_credentials(url: str) -> str:
    """A database URL as it may be shown: its scheme kept (a mysql:// URL was shown as
    "y/z"), no user, password or query (which may hold one)."""
    scheme, sep, rest = url.partition("://")
    if not sep:  # no scheme: all of it may be "user:password@host…"
        scheme, rest = "", url
    place = rest.rsplit("@", 1)[-1].split("?", 1)[0].split("#", 1)[0]
    return f"{scheme}://{place}" if sep else place


def _error(exc: msgspec.ValidationError, raw: dict[str, dict[str, str] | str]) -> SettingsError:
    match = _LOCATION.search(str(exc))
    first, second = match.groups() if match else ("", None)
    section, field = (first, second) if second else (None, first)
    variable = PREFIX + _VARIABLE_OF.get((section, field), "?")
    value = raw.get(field) if section is None else raw.get(section, {}).get(field)  # type: ignore[union-attr]
    allowed = _description(section, field) if (section, field) in _VARIABLE_OF else None
    shown = _without_credentials(str(value)) if field == "url" else value
    if field in _SECRETS:
        shown = None
    return SettingsError(variable, allowed or str(exc).split(" - at ")[0], shown)  # type: ignore[arg-type]


def normalise_database_url(raw: str) -> str:
    """The SQLAlchemy asyncpg URL of a ``postgresql://`` style URL."""
    return "postgresql+asyncpg://" + raw.split("://", 1)[1]


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read every ``SKILLSPRING_*`` variable once.

    Raises:
        SettingsError: a variable holds a value that is not allowed, naming it and what it
            allows.
    """
    env = os.environ if env is None else env
    raw: dict[str, Any] = {}
    for name, (section, field) in ENV.items():
        value = (env.get(PREFIX + name) or "").strip()
        if not value:
            continue
        value = _normalised(section, field, value)
        if section is None:
            raw[field] = value
        else:
            raw.setdefault(section, {})[field] = value
    try:
        settings = msgspec.convert(raw, Settings, strict=False, dec_hook=_decode_path)
    except msgspec.ValidationError as exc:
        raise _error(exc, raw) from None
    _check_proxies([p.strip() for p in settings.server.trusted_proxies.split(",") if p.strip()])
    if settings.database.url is not None:
        database = msgspec.structs.replace(
            settings.database, url=normalise_database_url(settings.database.url)
        )
        settings = msgspec.structs.replace(settings, database=database)
    return settings


def _check_proxies(entries: list[str]) -> None:
    """Each trusted proxy an IP address or network: granian would take a typo for a name no
    client has, and every shopper behind the proxy would count as the proxy."""
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise SettingsError(
                PREFIX + "TRUSTED_PROXIES",
                "comma-separated IP addresses or networks, such as 10.0.0.2 or 10.0.0.0/8",
                entry,
            ) from None
