"""The cart API (bearer token required)."""

from __future__ import annotations

from litestar import Controller, delete, get, post
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK

from search_service.cart import service
from search_service.cart.schemas import AddItemIn, CartOut, CheckoutIn, CheckoutOut, CouponIn
from search_service.db.annotations import DbSession, SignedIn
from search_service.insights.ids import QueryIds
from search_service.insights.service import query_uuid
from search_service.lib.limits import Limiter
from search_service.lib.problems import BODY_REFUSED, problem_responses
from search_service.lib.web import BEARER, CourseId

ERRORS = problem_responses(400, 401, 403, 404, 409, 429)


class CartController(Controller):
    path = "/cart"
    tags = ("cart",)
    cache_control = CacheControlHeader(no_store=True)  # tokens and personal data

    @get("", name="api_cart", responses=ERRORS, security=BEARER)
    async def show(self, db_session: DbSession, user: SignedIn) -> CartOut:
        """The open cart (created on first use), with today's prices."""
        return await service.get_cart(db_session, user.id)

    @post(
        "/items",
        name="api_cart_add",
        status_code=HTTP_200_OK,
        responses=ERRORS | BODY_REFUSED,
        security=BEARER,
    )
    async def add(
        self,
        db_session: DbSession,
        query_ids: NamedDependency[QueryIds],
        user: SignedIn,
        data: JSONBody[AddItemIn],
    ) -> CartOut:
        """Add a course; ``query_id`` (from the search it was found with) attributes the add,
        and its purchase, to that search."""
        query_id = query_uuid(query_ids, data.query_id)
        return await service.add_item(db_session, user.id, data.course_id, query_id)

    @delete(
        "/items/{course_id:uuid}",
        name="api_cart_remove",
        status_code=HTTP_200_OK,
        responses=ERRORS,
        security=BEARER,
    )
    async def remove(self, db_session: DbSession, user: SignedIn, course_id: CourseId) -> CartOut:
        return await service.remove_item(db_session, user.id, course_id)

    @post(
        "/coupon",
        name="api_cart_coupon",
        status_code=HTTP_200_OK,
        responses=ERRORS | BODY_REFUSED,
        security=BEARER,
    )
    async def coupon(
        self,
        db_session: DbSession,
        limiter: NamedDependency[Limiter],
        user: SignedIn,
        data: JSONBody[CouponIn],
    ) -> CartOut:
        """Apply a coupon (codes are case-insensitive; one per cart). Wrong codes back off."""
        return await service.apply_coupon(db_session, limiter, user.id, data.code)

    @delete(
        "/coupon",
        name="api_cart_uncoupon",
        status_code=HTTP_200_OK,
        responses=ERRORS,
        security=BEARER,
    )
    async def uncoupon(self, db_session: DbSession, user: SignedIn) -> CartOut:
        return await service.remove_coupon(db_session, user.id)

    @post(
        "/checkout",
        name="api_checkout",
        status_code=HTTP_200_OK,
        responses=ERRORS | BODY_REFUSED,
        security=BEARER,
    )
    async def checkout(
        self, db_session: DbSession, user: SignedIn, data: JSONBody[CheckoutIn | None] = None
    ) -> CheckoutOut:
        """Buy everything in the cart (no payment provider: checkout is the purchase). Never
        charges more than ``expected_total_cents`` in ``expected_currency``, or without them
        than the total the cart last showed in its currency: a rise (or another currency) is a
        409 carrying the new total, and nothing is bought; with ``expected_course_ids``, a
        cart holding other courses (changed in another tab) is a 409 too. The answer names the
        order, whose receipt is ``GET /api/v1/orders/{order_id}``."""
        agreed = data or CheckoutIn()
        return await service.checkout(
            db_session,
            user.id,
            agreed.expected_total_cents,
            agreed.expected_currency,
            agreed.expected_course_ids,
        )
