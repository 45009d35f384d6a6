"""Log-in, register, cart, wishlist and course-page forms: POST, then redirect (303).

The same services as the API do the work; their errors become the site's error pages.
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from search_service.accounts import service as accounts
from search_service.accounts.schemas import LoginIn, RegisterIn
from search_service.accounts.service import Unauthorized
from search_service.cart import service as cart
from search_service.catalog.urls import course_url
from search_service.db.models import User
from search_service.errors import Forbidden, Invalid
from search_service.pages.session import (
    SESSION_COOKIE,
    page_user,
    safe_next,
    session_cookie,
    to_login,
)
from search_service.questions import service as questions
from search_service.questions.schemas import QuestionIn
from search_service.reviews import service as reviews
from search_service.reviews.schemas import ReviewIn, VoteIn
from search_service.wishlists import service as wishlists
from search_service.wishlists.schemas import WishlistIn

Form = dict[str, str]


async def _form(request: Request[Any, Any, Any]) -> Form:
    data = await request.form()
    return {k: str(v) for k, v in data.items() if k != "_csrf_token"}


def _parse(kind: type[Any], form: Form) -> Any:
    """A form as a typed struct; a bad field is a friendly 400 page naming it."""
    try:
        return msgspec.convert(form, kind, strict=False)
    except msgspec.ValidationError as exc:
        field = str(exc).rsplit("$.", 1)[-1].rstrip("`") if "$." in str(exc) else "form"
        raise Invalid(field, str(exc).split(" - ")[0]) from None


def _uuid(form: Form, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(form.get(name, ""))
    except ValueError:
        raise Invalid(name, f"{name} is not a valid id") from None


def _secure(request: Request[Any, Any, Any]) -> bool:
    return bool(request.app.state.settings.server.secure_cookies)


async def _signed_in(
    request: Request[Any, Any, Any], db_session: AsyncSession, back: str
) -> User | Redirect:
    """The signed-in shopper, or the redirect to log in that comes back to ``back``."""
    user = await page_user(request, db_session)
    return to_login(request, back) if user is None else user


class ShopPages(Controller):
    include_in_schema = False

    @get("/login", name="login_page")
    async def login_form(self, next: str | None = None) -> Template:
        return Template(
            "account/login.html.jinja2", context={"next": safe_next(next), "error": None}
        )

    @post("/login", name="login_submit", status_code=303)
    async def login(
        self, request: Request[Any, Any, Any], db_session: AsyncSession
    ) -> Redirect | Template:
        form = await _form(request)
        target = safe_next(form.get("next"))
        try:
            credentials = {k: form.get(k, "") for k in ("email", "password")}
            token = await accounts.login(db_session, _parse(LoginIn, credentials), kind="session")
        except (Unauthorized, Forbidden) as exc:
            return Template(
                "account/login.html.jinja2",
                status_code=401 if isinstance(exc, Unauthorized) else 403,
                context={"next": target, "error": exc.detail},
            )
        return Redirect(
            target, status_code=303, cookies=[session_cookie(token.token, _secure(request))]
        )

    @get("/register", name="register_page")
    async def register_form(self) -> Template:
        return Template("account/register.html.jinja2", context={"error": None})

    @post("/register", name="register_submit", status_code=303)
    async def register(self, request: Request[Any, Any, Any], db_session: AsyncSession) -> Redirect:
        form = await _form(request)
        data: RegisterIn = _parse(RegisterIn, {k: v for k, v in form.items() if v})
        await accounts.register(db_session, data)
        token = await accounts.login(
            db_session, LoginIn(email=data.email, password=data.password), "session"
        )
        return Redirect(
            "/", status_code=303, cookies=[session_cookie(token.token, _secure(request))]
        )

    @post("/logout", name="logout", status_code=303)
    async def logout(self, request: Request[Any, Any, Any], db_session: AsyncSession) -> Redirect:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            await accounts.logout(db_session, token)
        response = Redirect("/", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @get("/cart", name="cart_page")
    async def cart_page(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, bought: int | None = None
    ) -> Template | Redirect:
        user = await page_user(request, db_session)
        if user is None:
            return to_login(request)
        return Template(
            "cart/cart.html.jinja2",
            context={"cart": await cart.get_cart(db_session, user.id), "bought": bought},
        )

    @post("/cart/{action:str}", name="cart_action", status_code=303)
    async def cart_action(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, action: str
    ) -> Redirect:
        user = await page_user(request, db_session)
        form = await _form(request)
        if user is None:
            return to_login(request, form.get("back") or "/cart")
        if action == "add":
            await cart.add_item(db_session, user.id, _uuid(form, "course_id"))
        elif action == "remove":
            await cart.remove_item(db_session, user.id, _uuid(form, "course_id"))
        elif action == "coupon":
            await cart.apply_coupon(db_session, user.id, form.get("code", "").strip())
        elif action == "uncoupon":
            await cart.remove_coupon(db_session, user.id)
        elif action == "checkout":
            receipt = await cart.checkout(db_session, user.id)
            return Redirect(f"/cart?bought={len(receipt.purchases)}", status_code=303)
        else:
            raise Invalid("action", f"unknown cart action {action[:20]!r}")
        return Redirect("/cart", status_code=303)

    @get("/wishlists", name="wishlists_page")
    async def wishlists_page(
        self, request: Request[Any, Any, Any], db_session: AsyncSession
    ) -> Template | Redirect:
        user = await page_user(request, db_session)
        if user is None:
            return to_login(request)
        return Template(
            "wishlists/lists.html.jinja2",
            context={"lists": await wishlists.all_lists(db_session, user.id)},
        )

    @post("/wishlists/{action:str}", name="wishlist_action", status_code=303)
    async def wishlist_action(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, action: str
    ) -> Redirect:
        user = await page_user(request, db_session)
        form = await _form(request)
        if user is None:
            return to_login(request, form.get("back") or "/wishlists")
        if action == "create":
            await wishlists.create(
                db_session, user.id, _parse(WishlistIn, {"name": form.get("name", "")}).name
            )
            return Redirect("/wishlists", status_code=303)
        course_id = _uuid(form, "course_id")
        if action == "add":
            if form.get("wishlist_id"):
                target = _uuid(form, "wishlist_id")
            else:  # the course page's button: the first list, "Favorites"
                target = uuid.UUID((await wishlists.all_lists(db_session, user.id))[0].id)
            await wishlists.add(db_session, user.id, target, course_id)
            return Redirect("/wishlists", status_code=303)
        wishlist_id = _uuid(form, "wishlist_id")
        if action == "remove":
            await wishlists.remove(db_session, user.id, wishlist_id, course_id)
        elif action == "move":
            await wishlists.move_to_cart(db_session, user.id, wishlist_id, course_id)
            return Redirect("/cart", status_code=303)
        else:
            raise Invalid("action", f"unknown wishlist action {action[:20]!r}")
        return Redirect("/wishlists", status_code=303)

    @post("/courses/{slug:str}/review", name="review_submit", status_code=303)
    async def review(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
    ) -> Redirect:
        back = course_url(slug)
        user = await _signed_in(request, db_session, back)
        if isinstance(user, Redirect):
            return user
        form = {k: v for k, v in (await _form(request)).items() if v}
        await reviews.create(db_session, user.id, slug, _parse(ReviewIn, form))
        return Redirect(f"{back}#ratings", status_code=303)

    @post("/courses/{slug:str}/vote", name="vote_submit", status_code=303)
    async def vote(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
    ) -> Redirect:
        back = course_url(slug)
        user = await _signed_in(request, db_session, back)
        if isinstance(user, Redirect):
            return user
        form = await _form(request)
        await reviews.vote(
            db_session,
            user.id,
            _uuid(form, "review_id"),
            _parse(VoteIn, {"vote": form.get("vote", "")}).vote,
        )
        return Redirect(f"{back}#ratings", status_code=303)

    @post("/courses/{slug:str}/question", name="question_submit", status_code=303)
    async def question(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
    ) -> Redirect:
        back = course_url(slug)
        user = await _signed_in(request, db_session, back)
        if isinstance(user, Redirect):
            return user
        text = (await _form(request)).get("question", "").strip()
        await questions.ask(db_session, user, slug, _parse(QuestionIn, {"question": text}).question)
        return Redirect(f"{back}#qa", status_code=303)
