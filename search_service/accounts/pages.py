"""Log-in, sign-up and log-out pages: the session is an HttpOnly cookie holding a token."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from search_service.accounts import service
from search_service.accounts.identity import SESSION_COOKIE, session_cookie
from search_service.accounts.limits import AccountGuard
from search_service.accounts.schemas import LoginIn, RegisterIn
from search_service.db.annotations import DbSession, Viewer
from search_service.db.models import User
from search_service.lib.web import client_key
from search_service.pages.errors import safe_next
from search_service.pages.forms import BLANK, FormData, FormState, Rerender, submit


def _secure(request: Request[Any, Any, Any]) -> bool:
    return bool(request.app.state.settings.server.secure_cookies)


# Finishes an add to cart started before signing in: (session, student, course) -> whether it
# was added. The cart provides it (the composition root wires it in as ``finish_add``), so
# accounts never import the cart.
# The query id (a token of the search the course was found with, as handed out; unchecked
# here) goes along, so the purchase is credited to that search.
PendingAdd = Callable[[AsyncSession, uuid.UUID, uuid.UUID, str | None], Awaitable[bool]]
# Where an add started signed out goes (``to=``): the cart (the default) or the wishlist, each
# finished by its own feature, and the page that shows it done (of the course and the page the
# add was started on).
PendingAdds = Mapping[str, tuple[PendingAdd, Callable[[uuid.UUID, str], str]]]
# Fields that say where to go after signing in, never part of the account's own form.
AFTER = ("next", "add", "qid", "to")


def _pending(value: str | None) -> uuid.UUID | None:
    """The course an add to cart was started for before signing in (None when absent or not
    an id: a hand-edited link is simply ignored)."""
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class After:
    """What signing in leads to: the page to go back to, and an add to finish (to the cart,
    with the search it was found with, or ``to`` the wishlist)."""

    next: str
    add: uuid.UUID | None = None
    qid: str | None = None
    to: str = "cart"

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> After:
        """As a link's query or a form's fields carry it (anything not ours ignored)."""
        add = _pending(_text(values.get("add")))
        qid = _text(values.get("qid"))
        to = "wishlist" if _text(values.get("to")) == "wishlist" else "cart"
        return cls(safe_next(_text(values.get("next"))), add, qid if add and qid else None, to)

    def fields(self) -> dict[str, str]:
        """The hidden fields (and link parameters) that carry it on."""
        out = {"next": self.next}
        if self.add:
            out["add"] = str(self.add)
        if self.qid:
            out["qid"] = self.qid
        if self.add and self.to != "cart":
            out["to"] = self.to
        return out


def _text(value: Any) -> str | None:
    value = value[-1] if isinstance(value, list) else value
    return str(value) if value else None


def _page(name: str, after: After, form: FormState = BLANK, status: int = 200) -> Template:
    """The log-in or sign-up page, carrying where to go (and what to finish) afterwards."""
    return Template(
        f"account/{name}.html.jinja2",
        status_code=status,
        context={"after": after.fields(), "form": form},
    )


def _page_or_onward(name: str, after: After, viewer: User | None) -> Response[Any]:
    """The page, or for a shopper signed in already (the Back button after signing up, an
    old tab) where it would lead: signing up there again made a second account and
    switched to it. The forms sent signed in lead there too, doing nothing."""
    if viewer is not None:
        return Redirect(after.next, status_code=303)
    return _page(name, after)


def _again(name: str, after: After) -> Rerender:
    async def rerender(form: FormState, status: int) -> Template:
        return _page(name, after, form, status)

    return rerender


def _itself(response: Redirect) -> Redirect:
    return response


async def _signed_in(
    request: Request[Any, Any, Any],
    db_session: DbSession,
    finish_add: PendingAdds,
    token: str,
    after: After,
) -> Redirect:
    """Signed in: finish the add started while signed out (then show the cart or the
    wishlist with it), or go back to where the shopper was."""
    target = after.next
    if after.add is not None:
        finish, shown = finish_add[after.to]
        user = await service.user_for_token(db_session, token)
        if user is not None and await finish(db_session, user.id, after.add, after.qid):
            target = shown(after.add, after.next)
    return Redirect(target, status_code=303, cookies=[session_cookie(token, _secure(request))])


class AccountPages(Controller):
    include_in_schema = False
    # Personal pages are never stored by a browser or a shared cache.
    cache_control = CacheControlHeader(no_store=True)

    @get("/login", name="login_page")
    async def login_form(self, request: Request[Any, Any, Any], viewer: Viewer) -> Response[Any]:
        return _page_or_onward("login", After.of(request.query_params), viewer)

    @post("/login", name="login_submit", status_code=303)
    async def login(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        account_guard: NamedDependency[AccountGuard],
        finish_add: NamedDependency[PendingAdds],
        data: FormData,
    ) -> Response[Any]:
        after = After.of(data)
        if request.state.get("viewer") is not None:  # a form from before signing in
            return Redirect(after.next, status_code=303)

        async def sign_in(credentials: LoginIn) -> Redirect:
            client = client_key(request)
            token = await service.login(
                db_session, account_guard, credentials, client, kind="session"
            )
            return await _signed_in(request, db_session, finish_add, token.token, after)

        again = _again("login", after)
        return await submit(data, LoginIn, sign_in, again, _itself, outside=AFTER)

    @get("/register", name="register_page")
    async def register_form(self, request: Request[Any, Any, Any], viewer: Viewer) -> Response[Any]:
        return _page_or_onward("register", After.of(request.query_params), viewer)

    @post("/register", name="register_submit", status_code=303)
    async def register(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        account_guard: NamedDependency[AccountGuard],
        finish_add: NamedDependency[PendingAdds],
        data: FormData,
    ) -> Response[Any]:
        after = After.of(data)
        if request.state.get("viewer") is not None:  # a form from before signing in
            return Redirect(after.next, status_code=303)

        async def sign_up(account: RegisterIn) -> Redirect:
            user = await service.register(db_session, account_guard, account, client_key(request))
            token = await service.issue_token(db_session, user, "session")
            return await _signed_in(request, db_session, finish_add, token.token, after)

        again = _again("register", after)
        return await submit(data, RegisterIn, sign_up, again, _itself, outside=AFTER)

    @post("/logout", name="logout", status_code=303)
    async def logout(self, request: Request[Any, Any, Any], db_session: DbSession) -> Redirect:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            await service.logout(db_session, token)
        response = Redirect(request.app.route_reverse("home"), status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response
