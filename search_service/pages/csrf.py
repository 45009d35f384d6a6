"""The secret page forms' CSRF tokens are signed with."""

from __future__ import annotations

import os
import secrets
import tempfile

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
