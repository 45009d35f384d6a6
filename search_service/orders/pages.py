"""The receipt page, where a checkout leads."""

from __future__ import annotations

from litestar import Controller, get
from litestar.datastructures import CacheControlHeader
from litestar.response import Template

from search_service.db.annotations import DbSession, SignedIn
from search_service.orders import service
from search_service.orders.controllers import OrderId


class OrderPages(Controller):
    include_in_schema = False
    cache_control = CacheControlHeader(no_store=True)

    @get("/orders/{order_id:uuid}", name="order_page")
    async def order(self, db_session: DbSession, user: SignedIn, order_id: OrderId) -> Template:
        order = await service.receipt(db_session, user.id, order_id)
        return Template("orders/receipt.html.jinja2", context={"order": order})
