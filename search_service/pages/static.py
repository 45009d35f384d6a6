"""Static files by content: ``static_url("app.css")`` is ``/static/app.css?v=<hash>``, so a
browser may keep each version for a year and a new version is a new address."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from litestar import get
from litestar.response import Redirect

STATIC = Path(__file__).resolve().parents[1] / "static"
ONE_YEAR = 365 * 24 * 3600


@functools.cache
def version(name: str) -> str:
    """The first 12 hex digits of the file's SHA-256 (read once per process)."""
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


def static_url(name: str) -> str:
    return f"/static/{name}?v={version(name)}"


@get("/favicon.ico", include_in_schema=False, sync_to_thread=False)
def favicon() -> Redirect:
    """Browsers ask for /favicon.ico before reading a page's icon link: the same icon."""
    return Redirect(static_url("favicon.svg"), status_code=301)
