"""The accounts API: register, log in (bearer token), log out, who am I."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from search_service.accounts import service
from search_service.accounts.schemas import LoginIn, MeOut, RegisterIn, TokenOut
from search_service.accounts.service import Unauthorized
from search_service.db.models import User
from search_service.problems import problem_responses

LOGIN_PATH = "/api/v1/auth/login"


def bearer_token(request: Request[Any, Any, Any]) -> str:
    """The token of an ``Authorization: Bearer`` header.

    Raises:
        Unauthorized: there is none.
    """
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Sign in first: send Authorization: Bearer <token>.")
    return token.strip()


async def current_user(request: Request[Any, Any, Any], db_session: AsyncSession) -> User:
    """The signed-in user (dependency for every handler that needs one)."""
    user = await service.user_for_token(db_session, bearer_token(request))
    if user is None:
        raise Unauthorized("This token is unknown, expired or revoked; sign in again.")
    return user


class AuthController(Controller):
    path = "/api/v1"
    tags = ("accounts",)

    @post(
        "/auth/register",
        status_code=HTTP_201_CREATED,
        name="api_register",
        responses=problem_responses(400, 409),
    )
    async def register(self, db_session: AsyncSession, data: RegisterIn) -> MeOut:
        """Create a student account (argon2id password hash)."""
        return await service.register(db_session, data)

    @post(
        "/auth/login",
        status_code=HTTP_200_OK,
        name="api_login",
        responses=problem_responses(400, 401, 403, 429),
    )
    async def login(self, db_session: AsyncSession, data: LoginIn) -> TokenOut:
        """A bearer token for API clients. Attempts are rate-limited per client address."""
        return await service.login(db_session, data)

    @post(
        "/auth/logout",
        status_code=HTTP_204_NO_CONTENT,
        name="api_logout",
        responses=problem_responses(401),
    )
    async def logout(self, request: Request[Any, Any, Any], db_session: AsyncSession) -> None:
        """Revoke the token used for this request."""
        token = bearer_token(request)
        if await service.user_for_token(db_session, token) is None:
            raise Unauthorized("This token is unknown, expired or revoked.")
        await service.logout(db_session, token)

    @get("/me", name="api_me", responses=problem_responses(401))
    async def me(self, user: User) -> MeOut:
        """The signed-in account."""
        return service.me(user)
