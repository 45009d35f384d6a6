"""The orders API: a receipt, for its buyer."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, get
from litestar.datastructures import CacheControlHeader
from litestar.params import PathParameter

from search_service.db.annotations import DbSession, SignedIn
from search_service.lib.problems import problem_responses
from search_service.lib.web import BEARER, PageNumber
from search_service.orders import service
from search_service.orders.schemas import OrderOut, OrderSummary

OrderId = Annotated[uuid.UUID, PathParameter(description="an order id (UUID)")]


class OrderController(Controller):
    path = "/orders"
    tags = ("cart",)
    cache_control = CacheControlHeader(no_store=True)

    @get(
        "",
        summary="Your orders, newest first",
        name="api_orders",
        responses=problem_responses(400, 401),
        security=BEARER,
    )
    async def orders(
        self, db_session: DbSession, user: SignedIn, page: PageNumber = 1
    ) -> list[OrderSummary]:
        """50 a page (``page``); each one's receipt is ``GET /api/v1/orders/{id}``."""
        return await service.history(db_session, user.id, page)

    @get(
        "/{order_id:uuid}",
        summary="An order's receipt (its buyer only)",
        name="api_order",
        responses=problem_responses(400, 401, 404),
        security=BEARER,
    )
    async def order(self, db_session: DbSession, user: SignedIn, order_id: OrderId) -> OrderOut:
        """Each course with its price and what was paid, the coupon and its saving, the
        total. Another student's order is a 404, as one that does not exist."""
        return await service.receipt(db_session, user.id, order_id)
