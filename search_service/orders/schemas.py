"""What an order's receipt shows."""

from __future__ import annotations

import datetime as dt

import msgspec


class OrderLine(msgspec.Struct, kw_only=True):
    course_id: str
    slug: str
    title: str
    mentor_name: str
    mentor_url: str  # the instructor's page
    image_url: str
    price_cents: int  # its price when bought, before the coupon
    paid_cents: int
    price_display: str
    paid_display: str


class OrderOut(msgspec.Struct, kw_only=True):
    """A checkout's receipt: each course, the price paid, the coupon and the total."""

    id: str
    created_at: dt.datetime
    currency: str
    lines: list[OrderLine]
    subtotal_cents: int
    discount_cents: int
    total_cents: int
    coupon_code: str | None
    subtotal_display: str
    discount_display: str
    total_display: str


class OrderSummary(msgspec.Struct, kw_only=True):
    """One order in the buyer's history (its receipt: ``GET /api/v1/orders/{id}``)."""

    id: str
    created_at: dt.datetime
    courses: int
    currency: str
    total_cents: int
    total_display: str
