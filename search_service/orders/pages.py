"""The receipt page, where a checkout leads, and the buyer's purchase history."""

from __future__ import annotations

from litestar import Controller, get
from litestar.datastructures import CacheControlHeader
from litestar.response import Template

from search_service.db.annotations import DbSession, SignedIn
from search_service.lib.web import PageNumber
from search_service.orders import service
from search_service.orders.controllers import OrderId


class OrderPages(Controller):
    include_in_schema = False
    cache_control = CacheControlHeader(no_store=True)

    @get("/orders", name="orders_page")
    async def orders(self, db_session: DbSession, user: SignedIn, page: PageNumber = 1) -> Template:
        orders = await service.history(db_session, user.id, page)
        more = len(orders) == service.ORDERS_PER_PAGE
        return Template(
            "orders/history.html.jinja2",
            context={"orders": orders, "page": page, "more": more},
        )

    @get("/orders/{order_id:uuid}", name="order_page")
    async def order(self, db_session: DbSession, user: SignedIn, order_id: OrderId) -> Template:
        order = await service.receipt(db_session, user.id, order_id)
        return Template("orders/receipt.html.jinja2", context={"order": order})
