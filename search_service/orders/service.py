"""Receipts: an order as its buyer sees it (nobody else finds it: 404, not 403)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from search_service.catalog.pictures import picture_url
from search_service.catalog.urls import instructor_url
from search_service.lib.errors import NotFound
from search_service.lib.pricing import amount_display, price_display
from search_service.orders import queries
from search_service.orders.schemas import OrderLine, OrderOut, OrderSummary


async def receipt(session: AsyncSession, student_id: uuid.UUID, order_id: uuid.UUID) -> OrderOut:
    """The order ``order_id`` of ``student_id``.

    Raises:
        NotFound: no such order, or it is someone else's.
    """
    params = {"order_id": order_id, "student_id": student_id}
    order = (await session.execute(queries.ORDER, params)).mappings().first()
    if order is None:
        raise NotFound("You have no order with this id.")
    currency = order["currency"]
    rows = (await session.execute(queries.ORDER_LINES, {"order_id": order_id})).mappings().all()
    return OrderOut(
        id=str(order["id"]),
        created_at=order["created_at"],
        currency=currency,
        lines=[
            OrderLine(
                course_id=str(r["course_id"]),
                slug=r["slug"],
                title=r["title"],
                mentor_name=r["mentor_name"],
                mentor_url=instructor_url(str(r["mentor_id"]), r["mentor_name"]),
                image_url=picture_url(r["slug"], r["thumbnail_url"]),
                price_cents=r["price_cents"],
                paid_cents=r["paid_cents"],
                price_display=price_display(r["price_cents"], currency),
                paid_display=price_display(r["paid_cents"], currency),
            )
            for r in rows
        ],
        subtotal_cents=order["subtotal_cents"],
        discount_cents=order["discount_cents"],
        total_cents=order["total_cents"],
        coupon_code=order["coupon_code"],
        subtotal_display=price_display(order["subtotal_cents"], currency),
        discount_display=amount_display(order["discount_cents"], currency),
        total_display=price_display(order["total_cents"], currency),
    )


ORDERS_PER_PAGE = 50


async def history(
    session: AsyncSession, student_id: uuid.UUID, page: int = 1
) -> list[OrderSummary]:
    """The student's orders, newest first, ``ORDERS_PER_PAGE`` a page."""
    params = {
        "student_id": student_id,
        "limit": ORDERS_PER_PAGE,
        "offset": (page - 1) * ORDERS_PER_PAGE,
    }
    rows = (await session.execute(queries.MY_ORDERS, params)).mappings()
    return [
        OrderSummary(
            id=str(row["id"]),
            created_at=row["created_at"],
            courses=int(row["courses"]),
            currency=row["currency"],
            total_cents=row["total_cents"],
            total_display=price_display(row["total_cents"], row["currency"]),
        )
        for row in rows
    ]
