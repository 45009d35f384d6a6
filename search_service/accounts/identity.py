"""Who is asking: a bearer token in the API, a session cookie on the pages.

Both kinds of token are the same (random, stored only as a SHA-256 hash). The providers here are
the routers' ``user`` (signed in, or Unauthorized) and ``viewer`` (signed in, or None)
dependencies; the pages router loads its viewer once per request in a ``before_request`` hook
so the header can show who is signed in.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import Cookie
from sqlalchemy.ext.asyncio import AsyncSession

from search_service.accounts import service
from search_service.accounts.service import TOKEN_DAYS
from search_service.db.annotations import DbSession
from search_service.db.models import User
from search_service.lib.errors import Unauthorized

SESSION_COOKIE = "skillspring_session"


def bearer_token(request: Request[Any, Any, Any]) -> str | None:
    """The token of an ``Authorization: Bearer`` header, if any."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


async def provide_api_viewer(request: Request[Any, Any, Any]) -> User | None:
    """The API's ``viewer``: the bearer token's user, or None (anonymous or not valid). An
    anonymous request opens no database session (search and browse need none)."""
    token = bearer_token(request)
    return await service.user_for_token(request_session(request), token) if token else None


async def provide_api_user(request: Request[Any, Any, Any], db_session: DbSession) -> User:
    """The API's ``user``: the bearer token's user.

    Raises:
        Unauthorized: no token, or one that is unknown, expired or revoked.
    """
    token = bearer_token(request)
    if token is None:
        raise Unauthorized("Sign in first: send Authorization: Bearer <token>.")
    user = await service.user_for_token(db_session, token)
    if user is None:
        raise Unauthorized("This token is unknown, expired or revoked; sign in again.")
    return user


def request_session(request: Request[Any, Any, Any]) -> AsyncSession:
    """The request's database session (the one its handler's ``db_session`` will be)."""
    config = request.app.state["sqlalchemy"]
    session: AsyncSession = config.provide_session(request.app.state, request.scope)
    return session


async def load_page_viewer(request: Request[Any, Any, Any]) -> None:
    """The session cookie's user into ``request.state`` (part of the pages' ``before_request``
    hook): a missing, unknown, expired or revoked session is no viewer."""
    viewer = None
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        viewer = await service.user_for_token(request_session(request), token)
    request.state.viewer = viewer


def provide_page_viewer(request: Request[Any, Any, Any]) -> User | None:
    viewer: User | None = request.state.get("viewer")
    return viewer


def provide_page_user(request: Request[Any, Any, Any]) -> User:
    """The pages' ``user``: Unauthorized becomes the log-in page (``pages/errors.py``)."""
    user = provide_page_viewer(request)
    if user is None:
        raise Unauthorized("Log in to continue.")
    return user


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
