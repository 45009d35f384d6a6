"""The cart page and its forms: add, remove, coupon, checkout. Each form is one route; a
mistake re-renders the cart with the error beside the field."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from typing import Any, Literal

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from search_service.cart import service
from search_service.cart.schemas import AgreedCents, AgreedCurrency, CartOut, CouponIn
from search_service.catalog.search.service import cards_in_order
from search_service.db.annotations import DbSession, SignedIn, Viewer
from search_service.insights.ids import QueryIds
from search_service.lib.errors import Conflict, DomainError, Invalid, SearchUnavailable
from search_service.lib.limits import Limiter
from search_service.lib.problems import problem, status_of
from search_service.merchandising import service as recommendations
from search_service.pages.errors import login_url
from search_service.pages.forms import (
    BLANK,
    FormData,
    FormState,
    NoFields,
    PageForm,
    Rerender,
    done,
    form_values,
    parse_form,
    submit,
)
from search_service.search.engine import SearchEngine

TOGETHER = 4  # "frequently bought together" in the cart


class CartItemForm(PageForm):
    page_fields = frozenset({"course_id", "back", "query_id"})
    course_id: uuid.UUID
    back: str | None = None  # the page the shopper added from
    query_id: str | None = None  # the search it was found with (ignored unless one of ours)


class CheckoutForm(PageForm):
    """What the cart page showed when "Buy now" was pressed: its total and its courses (ids
    separated by commas), so another tab's change is not bought unseen."""

    page_fields = frozenset({"expected_total_cents", "expected_currency", "expected_items"})
    expected_total_cents: AgreedCents | None = None
    expected_currency: AgreedCurrency | None = None
    expected_items: str | None = None

    def course_ids(self) -> list[uuid.UUID] | None:
        """The courses shown.

        Raises:
            Invalid: one is not an id.
        """
        if self.expected_items is None:
            return None
        try:
            return [uuid.UUID(i) for i in self.expected_items.split(",") if i]
        except ValueError as exc:
            raise Invalid("expected_items", "expected_items holds a wrong id") from exc


async def _cart_page(
    db_session: DbSession,
    user_id: uuid.UUID,
    *,
    forms: dict[str, FormState] | None = None,
    status: int = 200,
    engine: SearchEngine | None = None,
) -> Template:
    forms = forms or {}
    cart = await service.get_cart(db_session, user_id)
    together = []
    if engine is not None and cart.items:
        in_cart = [uuid.UUID(i.course_id) for i in cart.items]
        ids = await recommendations.bought_with(db_session, in_cart, user_id, TOGETHER)
        try:
            together = await cards_in_order(engine, ids)
        except SearchUnavailable:
            together = []
    # An empty cart after a purchase (this tab's or another's) leads to what was bought.
    bought = not cart.items and await service.has_bought(db_session, user_id)
    return Template(
        "cart/cart.html.jinja2",
        status_code=status,
        context={
            "bought": bought,
            "cart": cart,
            "together": together,
            "coupon_form": forms.get("coupon", BLANK),
            "cart_form": forms.get("items", BLANK),
        },
    )


def _again(
    db_session: DbSession,
    user_id: uuid.UUID,
    form: Literal["coupon", "items"],
    engine: SearchEngine,
) -> Rerender:
    """The cart page again, as it was, with ``form`` showing what went wrong."""

    async def rerender(state: FormState, status: int) -> Template:
        forms: dict[str, FormState] = {form: state}
        return await _cart_page(db_session, user_id, forms=forms, status=status, engine=engine)

    return rerender


def _wants_json(request: Request[Any, Any, Any]) -> bool:
    return request.accept.best_match(["text/html", "application/json"]) == "application/json"


def _cart(request: Request[Any, Any, Any]) -> str:
    return request.app.route_reverse("cart_page")


class CartPages(Controller):
    include_in_schema = False
    # Personal pages are never stored by a browser or a shared cache.
    cache_control = CacheControlHeader(no_store=True)
    path = "/cart"

    @get("", name="cart_page")
    async def show(
        self,
        db_session: DbSession,
        engine: NamedDependency[SearchEngine],
        user: SignedIn,
    ) -> Template:
        return await _cart_page(db_session, user.id, engine=engine)

    @post("/add", name="cart_add", status_code=303)
    async def add(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        engine: NamedDependency[SearchEngine],
        query_ids: NamedDependency[QueryIds],
        viewer: Viewer,
        data: FormData,
    ) -> Response[Any]:
        values = form_values(data)
        # A script asks for JSON and stays on its page; a plain form post goes to the cart.
        wants_json = _wants_json(request)
        if viewer is None:
            login = login_url(
                request, values.get("back"), values.get("course_id"), values.get("query_id")
            )
            if wants_json:
                detail = "Log in to add courses to your cart."
                return problem(request, 401, detail, login_url=login)
            return Redirect(login, status_code=303)
        shopper = viewer.id

        def add(form: CartItemForm) -> Awaitable[CartOut]:
            searched = query_ids.check(form.query_id) if form.query_id else None
            return service.add_item(db_session, shopper, form.course_id, searched)

        if wants_json:
            try:
                form = parse_form(CartItemForm, values)
                # An add from a tab opened before the course went in changes nothing: say so.
                held = await service.in_cart(db_session, shopper, form.course_id)
                cart = await add(form)
            except DomainError as error:
                return problem(request, status_of(error), error.detail)
            message = "Already in your cart" if held else "Added to cart"
            return Response(
                {"cart_count": len(cart.items), "message": message, "cart_url": _cart(request)},
                status_code=200,
            )
        return await submit(
            data, CartItemForm, add, _again(db_session, shopper, "items", engine), _cart(request)
        )

    @post("/remove", name="cart_remove", status_code=303)
    async def remove(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        engine: NamedDependency[SearchEngine],
        user: SignedIn,
        data: FormData,
    ) -> Response[Any]:
        return await submit(
            data,
            CartItemForm,
            lambda form: service.remove_item(db_session, user.id, form.course_id),
            _again(db_session, user.id, "items", engine),
            done(_cart(request), "removed"),
        )

    @post("/coupon", name="cart_coupon", status_code=303)
    async def coupon(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        engine: NamedDependency[SearchEngine],
        limiter: NamedDependency[Limiter],
        user: SignedIn,
        data: FormData,
    ) -> Response[Any]:
        return await submit(
            data,
            CouponIn,
            lambda form: service.apply_coupon(db_session, limiter, user.id, form.code),
            _again(db_session, user.id, "coupon", engine),
            _cart(request),
        )

    @post("/uncoupon", name="cart_uncoupon", status_code=303)
    async def uncoupon(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        engine: NamedDependency[SearchEngine],
        user: SignedIn,
        data: FormData,
    ) -> Response[Any]:
        return await submit(
            data,
            NoFields,
            lambda _: service.remove_coupon(db_session, user.id),
            _again(db_session, user.id, "coupon", engine),
            _cart(request),
        )

    @post("/checkout", name="cart_checkout", status_code=303)
    async def checkout(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        engine: NamedDependency[SearchEngine],
        user: SignedIn,
        data: FormData,
    ) -> Response[Any]:
        def receipt(order_id: str) -> str:
            return done(request.app.route_reverse("order_page", order_id=order_id), "bought")

        async def buy(form: CheckoutForm) -> str:
            try:
                bought = await service.checkout(
                    db_session,
                    user.id,
                    form.expected_total_cents,
                    form.expected_currency,
                    form.course_ids(),
                )
            except Conflict as exc:
                # Sent twice (a double click without script): the first bought these very
                # courses a moment ago, so this one leads to that receipt.
                ids = form.course_ids()
                if exc.detail != service.CHECKED_OUT or not ids:
                    raise
                placed = await service.just_bought(db_session, user.id, ids)
                if placed is None:
                    raise
                return str(placed)
            return bought.order_id

        return await submit(
            data, CheckoutForm, buy, _again(db_session, user.id, "items", engine), receipt
        )
