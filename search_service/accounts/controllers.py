"""The accounts API: register, log in (bearer token), log out, who am I."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from search_service.accounts import service
from search_service.accounts.identity import bearer_token
from search_service.accounts.limits import AccountGuard
from search_service.accounts.schemas import LoginIn, MeOut, RegisterIn, TokenOut
from search_service.db.annotations import DbSession, SignedIn
from search_service.lib.problems import BODY_REFUSED, problem_responses
from search_service.lib.web import BEARER, client_key


class AuthController(Controller):
    tags = ("accounts",)
    cache_control = CacheControlHeader(no_store=True)  # tokens and personal data

    @post(
        "/auth/register",
        status_code=HTTP_201_CREATED,
        name="api_register",
        responses=problem_responses(400, 409, 429) | BODY_REFUSED,
    )
    async def register(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        account_guard: NamedDependency[AccountGuard],
        data: JSONBody[RegisterIn],
    ) -> MeOut:
        """Create a student account (argon2id password hash). Limited per client address
        and overall (429 with Retry-After)."""
        user = await service.register(db_session, account_guard, data, client_key(request))
        return service.me(user)

    @post(
        "/auth/login",
        status_code=HTTP_200_OK,
        name="api_login",
        responses=problem_responses(400, 401, 403, 429) | BODY_REFUSED,
    )
    async def login(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        account_guard: NamedDependency[AccountGuard],
        data: JSONBody[LoginIn],
    ) -> TokenOut:
        """A bearer token for API clients. Failed attempts back off per account and per
        client address (429 with Retry-After); successful ones are never limited."""
        return await service.login(db_session, account_guard, data, client_key(request))

    @post(
        "/auth/logout",
        status_code=HTTP_204_NO_CONTENT,
        name="api_logout",
        responses=problem_responses(401) | BODY_REFUSED,
        security=BEARER,
    )
    async def logout(
        self, request: Request[Any, Any, Any], db_session: DbSession, user: SignedIn
    ) -> None:
        """Revoke the token used for this request."""
        token = bearer_token(request)
        assert token is not None  # `user` resolved from it
        await service.logout(db_session, token)

    @get("/me", name="api_me", responses=problem_responses(401), security=BEARER)
    async def me(self, user: SignedIn) -> MeOut:
        """The signed-in account."""
        return service.me(user)
