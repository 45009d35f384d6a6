"""Log-in, sign-up and log-out pages: the session is an HttpOnly cookie holding a token."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from search_service.accounts import service
from search_service.accounts.identity import SESSION_COOKIE, session_cookie
from search_service.accounts.limits import AccountGuard
from search_service.accounts.schemas import LoginIn, RegisterIn
from search_service.errors import DomainError
from search_service.pages.errors import safe_next
from search_service.pages.forms import BLANK, FormData, FormState, form_values, parse_form
from search_service.problems import status_of
from search_service.web import DbSession, client_address


def _secure(request: Request[Any, Any, Any]) -> bool:
    return bool(request.app.state.settings.server.secure_cookies)


# Finishes an add to cart started before signing in: (session, student, course) -> whether it
# was added. The cart provides it (the composition root wires it in as ``finish_add``), so
# accounts never import the cart.
PendingAdd = Callable[[AsyncSession, uuid.UUID, uuid.UUID], Awaitable[bool]]
# Fields that say where to go after signing in, never part of the account's own form.
AFTER = ("next", "add")


def _pending(value: str | None) -> uuid.UUID | None:
    """The course an add to cart was started for before signing in (None when absent or not
    an id: a hand-edited link is simply ignored)."""
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _after(next_url: str, add: uuid.UUID | None) -> dict[str, str]:
    return {"next": next_url} | ({"add": str(add)} if add else {})


def _page(
    name: str, next_url: str, add: uuid.UUID | None, form: FormState = BLANK, status: int = 200
) -> Template:
    """The log-in or sign-up page, carrying where to go (and what to finish) afterwards."""
    return Template(
        f"account/{name}.html.jinja2",
        status_code=status,
        context={"after": _after(next_url, add), "form": form},
    )


def _without(values: dict[str, str], names: tuple[str, ...]) -> dict[str, str]:
    return {k: v for k, v in values.items() if k not in names}


async def _signed_in(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    finish_add: PendingAdd,
    token: str,
    target: str,
    add: uuid.UUID | None,
) -> Redirect:
    """Signed in: finish the add to cart started while signed out (then show the cart), or
    go back to where the shopper was."""
    if add is not None:
        user = await service.user_for_token(db_session, token)
        if user is not None and await finish_add(db_session, user.id, add):
            target = f"{request.app.route_reverse('cart_page')}?added={add}"
    return Redirect(target, status_code=303, cookies=[session_cookie(token, _secure(request))])


class AccountPages(Controller):
    include_in_schema = False
    # Personal pages are never stored by a browser or a shared cache.
    cache_control = CacheControlHeader(no_store=True)

    @get("/login", name="login_page")
    async def login_form(
        self, next: FromQuery[str | None] = None, add: FromQuery[str | None] = None
    ) -> Template:
        return _page("login", safe_next(next), _pending(add))

    @post("/login", name="login_submit", status_code=303)
    async def login(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        account_guard: NamedDependency[AccountGuard],
        finish_add: NamedDependency[PendingAdd],
        data: FormData,
    ) -> Redirect | Template:
        values = form_values(data)
        target, add = safe_next(values.get("next")), _pending(values.get("add"))
        try:
            credentials = parse_form(LoginIn, _without(values, AFTER))
            client = client_address(request)
            token = await service.login(
                db_session, account_guard, credentials, client, kind="session"
            )
        except DomainError as error:
            return _page("login", target, add, FormState.failed(values, error), status_of(error))
        return await _signed_in(request, db_session, finish_add, token.token, target, add)

    @get("/register", name="register_page")
    async def register_form(
        self, next: FromQuery[str | None] = None, add: FromQuery[str | None] = None
    ) -> Template:
        return _page("register", safe_next(next), _pending(add))

    @post("/register", name="register_submit", status_code=303)
    async def register(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        account_guard: NamedDependency[AccountGuard],
        finish_add: NamedDependency[PendingAdd],
        data: FormData,
    ) -> Redirect | Template:
        values = form_values(data)
        target, add = safe_next(values.get("next")), _pending(values.get("add"))
        try:
            account = parse_form(RegisterIn, _without(values, AFTER))
            user = await service.register(
                db_session, account_guard, account, client_address(request)
            )
            token = await service.issue_token(db_session, user, "session")
        except DomainError as error:
            return _page("register", target, add, FormState.failed(values, error), status_of(error))
        return await _signed_in(request, db_session, finish_add, token.token, target, add)

    @post("/logout", name="logout", status_code=303)
    async def logout(self, request: Request[Any, Any, Any], db_session: DbSession) -> Redirect:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            await service.logout(db_session, token)
        response = Redirect(request.app.route_reverse("home"), status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response
