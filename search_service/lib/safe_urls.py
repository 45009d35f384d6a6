"""Which URLs catalog data may hold and pages may link to: ``https:`` URLs, and paths on this
site. Checked on the way in (a CHECK constraint on every URL column) and on the way out (the
``safe_url`` template filter), so a ``javascript:`` or ``data:`` URL never becomes a live link.
"""

from __future__ import annotations

import re

# https://…, or a site path ("/…" but not "//host" or "/\host", which browsers treat as another
# host); no spaces, quotes or angle brackets. The same pattern works in Python and PostgreSQL.
SAFE_URL_PATTERN = r'^(https://[^\s<>"]+|/([^/\\\s][^\s<>"]*)?)$'
_SAFE_URL = re.compile(SAFE_URL_PATTERN)


def url_check(column: str) -> str:
    """The CHECK constraint expression for a URL column (NULL allowed)."""
    return f"{column} IS NULL OR {column} ~ '{SAFE_URL_PATTERN}'"


def is_safe_url(url: str | None) -> bool:
    return bool(url) and _SAFE_URL.fullmatch(url or "") is not None


# Hosts that can never serve anything (RFC 2606/6761 reserved names): a link to them is dead.
_RESERVED_HOST = re.compile(r"^https://[^/]*\.(example|test|invalid|localhost)(:\d+)?(/|$)", re.I)


def is_playable(url: str | None) -> bool:
    """Whether a media URL can be offered as a preview: safe, and not on a reserved host (the
    demo catalog's media live on ``media.skillspring.example``, which does not exist)."""
    return is_safe_url(url) and _RESERVED_HOST.match(url or "") is None


def safe_url(url: str | None) -> str:
    """The URL when it is safe to link to, otherwise an empty string (no link)."""
    return url if url is not None and is_safe_url(url) else ""
