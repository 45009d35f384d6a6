"""Page sessions: an HttpOnly cookie holding a token (the same tokens as the API, hashed in
the database), and the secret CSRF protection signs with."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from litestar import Request
from litestar.datastructures import Cookie
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession

from search_service.accounts import service as accounts
from search_service.accounts.service import TOKEN_DAYS
from search_service.db.models import User
from search_service.settings import Settings

SESSION_COOKIE = "skillspring_session"


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
    return Path(path).read_text().strip()


def session_cookie(token: str, secure: bool) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value=token,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
        max_age=TOKEN_DAYS * 24 * 3600,
    )


async def page_user(request: Request[Any, Any, Any], db_session: AsyncSession) -> User | None:
    """The signed-in shopper of a page request, or None."""
    token = request.cookies.get(SESSION_COOKIE)
    return await accounts.user_for_token(db_session, token) if token else None


def to_login(request: Request[Any, Any, Any], back: str | None = None) -> Redirect:
    """Anonymous page actions go to the log-in page, and come back afterwards."""
    target = back or request.url.path
    return Redirect(f"/login?next={quote(target, safe='/')}", status_code=303)


def safe_next(value: str | None) -> str:
    """Only same-site paths: never an open redirect."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"
