"""Log-in, sign-up and log-out pages: the session is an HttpOnly cookie holding a token."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template

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


def _login_page(next_url: str, form: FormState = BLANK, status: int = 200) -> Template:
    return Template(
        "account/login.html.jinja2",
        status_code=status,
        context={"next": next_url, "form": form},
    )


def _register_page(form: FormState = BLANK, status: int = 200) -> Template:
    return Template("account/register.html.jinja2", status_code=status, context={"form": form})


class AccountPages(Controller):
    include_in_schema = False
    # Personal pages are never stored by a browser or a shared cache.
    cache_control = CacheControlHeader(no_store=True)

    @get("/login", name="login_page")
    async def login_form(self, next: FromQuery[str | None] = None) -> Template:
        return _login_page(safe_next(next))

    @post("/login", name="login_submit", status_code=303)
    async def login(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        account_guard: NamedDependency[AccountGuard],
        data: FormData,
    ) -> Redirect | Template:
        values = form_values(data)
        target = safe_next(values.get("next"))
        try:
            credentials = parse_form(LoginIn, values)
            client = client_address(request)
            token = await service.login(
                db_session, account_guard, credentials, client, kind="session"
            )
        except DomainError as error:
            return _login_page(target, FormState.failed(values, error), status_of(error))
        return Redirect(
            target, status_code=303, cookies=[session_cookie(token.token, _secure(request))]
        )

    @get("/register", name="register_page")
    async def register_form(self) -> Template:
        return _register_page()

    @post("/register", name="register_submit", status_code=303)
    async def register(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        account_guard: NamedDependency[AccountGuard],
        data: FormData,
    ) -> Redirect | Template:
        values = form_values(data)
        try:
            account = parse_form(RegisterIn, values)
            user = await service.register(
                db_session, account_guard, account, client_address(request)
            )
            token = await service.issue_token(db_session, user, "session")
        except DomainError as error:
            return _register_page(FormState.failed(values, error), status_of(error))
        return Redirect(
            request.app.route_reverse("home"),
            status_code=303,
            cookies=[session_cookie(token.token, _secure(request))],
        )

    @post("/logout", name="logout", status_code=303)
    async def logout(self, request: Request[Any, Any, Any], db_session: DbSession) -> Redirect:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            await service.logout(db_session, token)
        response = Redirect(request.app.route_reverse("home"), status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response
