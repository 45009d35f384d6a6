"""The secret page forms' CSRF tokens are signed with."""

from __future__ import annotations

import os
import secrets
import tempfile
from typing import Any

from litestar.middleware.csrf import CSRFMiddleware

from search_service.settings import Settings


def csrf_secret(settings: Settings) -> str:
    """SKILLSPRING_SECRET_KEY, or a random secret kept in DATA_DIR so every worker shares it."""
    if settings.server.secret_key:
        return settings.server.secret_key
    path = settings.data_dir / "secret_key"
    if not path.exists():
        # Workers start together: write a complete file aside, then link it into place;
        # exactly one link wins and every worker reads that one.
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret-")
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return path.read_text().strip()


class TextTokenCSRFMiddleware(CSRFMiddleware):
    """Litestar's CSRF middleware, with a token that is not ASCII text refused as a mismatch
    (403). Litestar compares it as it came: a file part sent as ``_csrf_token`` raised
    ``TypeError`` in ``len()``, and 65 or more non-ASCII characters in ``compare_digest``: a
    500 on every form, signed out."""

    def _csrf_tokens_match(self, request_csrf_token: Any, cookie_csrf_token: Any) -> bool:
        texts = (request_csrf_token, cookie_csrf_token)
        if not all(isinstance(token, str) and token.isascii() for token in texts):
            return False
        return super()._csrf_tokens_match(request_csrf_token, cookie_csrf_token)
