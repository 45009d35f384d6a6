"""Request and response shapes of the cart API."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec

from search_service.insights.schemas import QueryIdText

# Letters, digits, "-" and "_"; spaces around it (a code pasted from an e-mail) are dropped
# (one inside is no coupon's).
CouponCode = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=48,
        pattern=r"^[A-Za-z0-9_ -]+$",
        description="a coupon code: up to 40 letters, digits, '-' or '_' (spaces around it "
        "are dropped; 48 characters in all)",
    ),
]


class AddItemIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    course_id: uuid.UUID
    # The search the course was added from (its query_id): the add, and the purchase at
    # checkout, are attributed to it.
    query_id: QueryIdText | None = None


class CouponIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    code: CouponCode


AgreedCents = Annotated[
    int, msgspec.Meta(ge=0, le=10**9, description="a whole number of cents, 0 or more")
]
AgreedCurrency = Annotated[
    str, msgspec.Meta(pattern=r"^[A-Za-z]{3}$", description="the total's currency, e.g. USD")
]


class CheckoutIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Optional: the total the shopper agreed to, checkout refuses (409) to charge more; and
    the courses they saw, checkout refuses (409) to buy another set."""

    expected_total_cents: AgreedCents | None = None
    expected_currency: AgreedCurrency | None = None
    expected_course_ids: (
        Annotated[
            list[uuid.UUID],
            msgspec.Meta(max_length=1000, description="the course ids the cart showed"),
        ]
        | None
    ) = None


class CartItemOut(msgspec.Struct, kw_only=True):
    course_id: str
    slug: str
    title: str
    mentor_name: str
    mentor_url: str  # the instructor's page
    image_url: str  # its own picture, or one drawn from its category
    added_price_cents: int  # what it cost when added
    price_cents: int  # what it costs now: checkout charges this
    list_price_cents: int  # its price before any sale
    price_changed: bool
    discount_cents: int
    currency: str


class CouponOut(msgspec.Struct, kw_only=True):
    code: str
    discount_percent: int
    mentor_only: bool


class CartOut(msgspec.Struct, kw_only=True):
    id: str
    items: list[CartItemOut]
    coupon: CouponOut | None
    subtotal_cents: int
    discount_cents: int
    total_cents: int
    currency: str


class PurchaseOut(msgspec.Struct, kw_only=True):
    course_id: str
    slug: str
    paid_cents: int
    currency: str


class CheckoutOut(msgspec.Struct, kw_only=True):
    order_id: Annotated[str, msgspec.Meta(description="the receipt: GET /api/v1/orders/{id}")]
    purchases: list[PurchaseOut]
    total_cents: int
    currency: str
