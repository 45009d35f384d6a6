"""The cart use cases. Each call runs in the request's single transaction."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from search_service.cart import queries
from search_service.cart.schemas import (
    CartItemOut,
    CartOut,
    CheckoutOut,
    CouponOut,
    PurchaseOut,
)
from search_service.db.lookups import is_enrolled, is_student, owned
from search_service.errors import Conflict, Forbidden, Invalid, NotFound
from search_service.pricing import coupon_discount

Row = Mapping[Any, Any]


def _applies(coupon: Row | None, item: Row) -> bool:
    return coupon is not None and coupon["mentor_id"] in (None, item["mentor_id"])


async def _open_cart(session: AsyncSession, user_id: uuid.UUID, lock: bool = False) -> Row:
    """The student's open cart, created on first use."""
    if not await is_student(session, user_id):
        raise Forbidden("Only student accounts have a cart.")
    await session.execute(queries.CREATE_CART, {"student_id": user_id})
    query = queries.LOCK_CART if lock else queries.OPEN_CART
    return (await session.execute(query, {"student_id": user_id})).mappings().one()


async def _items(session: AsyncSession, cart_id: uuid.UUID) -> list[Row]:
    return list((await session.execute(queries.ITEMS, {"cart_id": cart_id})).mappings())


async def _coupon(session: AsyncSession, coupon_id: uuid.UUID | None) -> Row | None:
    if coupon_id is None:
        return None
    return (
        (await session.execute(queries.COUPON_BY_ID, {"coupon_id": coupon_id})).mappings().first()
    )


def _cart_out(cart: Row, items: Sequence[Row], coupon: Row | None) -> CartOut:
    lines = [
        CartItemOut(
            course_id=str(i["course_id"]),
            slug=i["slug"],
            title=i["title"],
            added_price_cents=i["added_price_cents"],
            price_cents=i["price_cents"],
            price_changed=i["added_price_cents"] != i["price_cents"],
            discount_cents=coupon_discount(i["price_cents"], coupon["discount_percent"])
            if coupon is not None and _applies(coupon, i)
            else 0,
            currency=i["currency"],
        )
        for i in items
    ]
    subtotal = sum(line.price_cents for line in lines)
    off = sum(line.discount_cents for line in lines)
    return CartOut(
        id=str(cart["id"]),
        items=lines,
        coupon=CouponOut(
            code=coupon["code"],
            discount_percent=coupon["discount_percent"],
            mentor_only=coupon["mentor_id"] is not None,
        )
        if coupon
        else None,
        subtotal_cents=subtotal,
        discount_cents=off,
        total_cents=subtotal - off,
        currency=lines[0].currency if lines else "USD",
    )


async def get_cart(session: AsyncSession, user_id: uuid.UUID) -> CartOut:
    cart = await _open_cart(session, user_id)
    return _cart_out(
        cart, await _items(session, cart["id"]), await _coupon(session, cart["coupon_id"])
    )


async def add_item(session: AsyncSession, user_id: uuid.UUID, course_id: uuid.UUID) -> CartOut:
    """Add a published course at its current price; adding it again changes nothing.

    Raises:
        NotFound: no published course has this id.
        Forbidden: the student is the course's mentor.
        Conflict: the student already owns the course.
    """
    cart = await _open_cart(session, user_id)
    course = (await session.execute(queries.COURSE, {"course_id": course_id})).mappings().first()
    if course is None:
        raise NotFound("No published course has this id.")
    if course["mentor_id"] == user_id:
        raise Forbidden("You cannot buy your own course.")
    if await is_enrolled(session, user_id, course_id):
        raise Conflict("You already own this course.")
    await session.execute(
        queries.ADD_ITEM,
        {
            "cart_id": cart["id"],
            "course_id": course_id,
            "price_cents": course["price_cents"],
            "currency": course["currency"],
        },
    )
    await session.execute(
        queries.TOUCH_CART, {"cart_id": cart["id"], "coupon_id": cart["coupon_id"]}
    )
    return await get_cart(session, user_id)


async def remove_item(session: AsyncSession, user_id: uuid.UUID, course_id: uuid.UUID) -> CartOut:
    cart = await _open_cart(session, user_id)
    removed = await session.execute(
        queries.REMOVE_ITEM, {"cart_id": cart["id"], "course_id": course_id}
    )
    if removed.rowcount == 0:  # type: ignore[attr-defined]
        raise NotFound("This course is not in your cart.")
    return await get_cart(session, user_id)


async def apply_coupon(session: AsyncSession, user_id: uuid.UUID, code: str) -> CartOut:
    """Attach a coupon; each way it can fail says so.

    Raises:
        NotFound: unknown code. Conflict: a coupon is already applied, or this one is not
        active yet, expired, used up, or applies to nothing in the cart.
    """
    cart = await _open_cart(session, user_id)
    coupon = (await session.execute(queries.COUPON_BY_CODE, {"code": code})).mappings().first()
    if coupon is None:
        raise NotFound(f"There is no coupon {code.upper()}.")
    if cart["coupon_id"] is not None and cart["coupon_id"] != coupon["id"]:
        raise Conflict("Your cart already has a coupon; remove it first (one per cart).")
    if not coupon["started"]:
        raise Conflict(f"Coupon {coupon['code']} is not active yet.")
    if coupon["expired"]:
        raise Conflict(f"Coupon {coupon['code']} has expired.")
    if coupon["redeemed_count"] >= coupon["max_redemptions"]:
        raise Conflict(f"Coupon {coupon['code']} has been fully redeemed.")
    items = await _items(session, cart["id"])
    if coupon["mentor_id"] is not None and not any(_applies(coupon, i) for i in items):
        raise Conflict(f"Coupon {coupon['code']} applies to none of the courses in your cart.")
    await session.execute(queries.TOUCH_CART, {"cart_id": cart["id"], "coupon_id": coupon["id"]})
    return await get_cart(session, user_id)


async def remove_coupon(session: AsyncSession, user_id: uuid.UUID) -> CartOut:
    cart = await _open_cart(session, user_id)
    await session.execute(queries.TOUCH_CART, {"cart_id": cart["id"], "coupon_id": None})
    return await get_cart(session, user_id)


async def checkout(session: AsyncSession, user_id: uuid.UUID) -> CheckoutOut:
    """Buy what is in the cart at today's prices, in this one transaction.

    Raises:
        Invalid: the cart is empty. Conflict: a course is gone or already owned, or the
        coupon can no longer be redeemed (nothing is written then).
    """
    cart = await _open_cart(session, user_id, lock=True)
    items = await _items(session, cart["id"])
    if not items:
        raise Invalid("cart", "Your cart is empty.")
    gone = [i["title"] for i in items if not i["available"]]
    if gone:
        raise Conflict(f"No longer available, remove it to continue: {', '.join(gone)}.")
    ids = [i["course_id"] for i in items]
    if await owned(session, user_id, ids):
        raise Conflict("You already own a course in your cart; remove it to continue.")
    coupon = None
    if cart["coupon_id"] is not None:
        coupon = (
            (await session.execute(queries.REDEEM, {"coupon_id": cart["coupon_id"]}))
            .mappings()
            .first()
        )
        if coupon is None:
            raise Conflict("The coupon in your cart can no longer be used; remove it to buy.")
    paid = [
        i["price_cents"]
        - (
            coupon_discount(i["price_cents"], coupon["discount_percent"])
            if _applies(coupon, i) and coupon
            else 0
        )
        for i in items
    ]
    currency = items[0]["currency"]
    mentors = [
        r[0]
        for r in await session.execute(
            queries.NEW_MENTORS, {"course_ids": ids, "student_id": user_id}
        )
    ]
    await session.execute(
        queries.ENROLL,
        {"student_id": user_id, "currency": currency, "course_ids": ids, "paid": paid},
    )
    await session.execute(queries.COUNT_STUDENTS, {"mentor_ids": mentors})
    await session.execute(queries.RECORD_SALES, {"course_ids": ids, "paid": paid})
    await session.execute(queries.CONVERT, {"cart_id": cart["id"]})
    return CheckoutOut(
        purchases=[
            PurchaseOut(
                course_id=str(i["course_id"]), slug=i["slug"], paid_cents=p, currency=i["currency"]
            )
            for i, p in zip(items, paid, strict=True)
        ],
        total_cents=sum(paid),
        currency=currency,
    )
