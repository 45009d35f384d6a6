"""The cart use cases. Each call runs in the request's single transaction.

Two rules keep money right under concurrency and price changes: every change to a cart, and
its checkout, holds the cart's row lock (so an add racing a checkout, or two checkouts, happen
one after the other, and the loser is told); and checkout never charges more than the total
the cart last showed its shopper (or the total the client says it expects).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
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
from search_service.catalog.pictures import picture_url
from search_service.catalog.urls import instructor_url
from search_service.db.lookups import is_enrolled, is_student, owned
from search_service.insights import service as insights
from search_service.lib.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from search_service.lib.limits import Backoff, Limiter
from search_service.lib.people import full_name
from search_service.lib.pricing import coupon_discount, price_display

Row = Mapping[Any, Any]
# Guessing codes: a few mistakes are free, then each one waits longer.
COUPON_GUESSES = Backoff(
    "coupon-guesses",
    free=10,
    base=2.0,
    ceiling=600.0,
    reset=3600.0,
    message="Too many coupon codes tried; wait a moment before trying another.",
)
NOT_A_COUPON = "This code is not a coupon for the courses in your cart."
CHECKED_OUT = "This cart was just checked out (in another tab?). Reload your cart and try again."


def _applies(coupon: Row | None, item: Row) -> bool:
    return coupon is not None and coupon["mentor_id"] in (None, item["mentor_id"])


async def _open_cart(
    session: AsyncSession, user_id: uuid.UUID, lock: bool = False, create: bool = True
) -> Row:
    """The student's open cart, created on first use (unless not ``create``); with ``lock``,
    held until commit.

    Raises:
        Conflict: the cart was checked out while this request waited for its lock (or, not
            creating, there is no open cart because it was just checked out).
    """
    if not await is_student(session, user_id):
        raise Forbidden("Only student accounts have a cart.")
    if create:
        await session.execute(queries.CREATE_CART, {"student_id": user_id})
    query = queries.LOCK_CART if lock else queries.OPEN_CART
    cart = (await session.execute(query, {"student_id": user_id})).mappings().first()
    if cart is None:
        if create or await session.scalar(queries.HAS_BOUGHT, {"student_id": user_id}):
            raise Conflict(CHECKED_OUT)
        raise Invalid("cart", "Your cart is empty.")
    return cart


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
            mentor_name=full_name(i["first_name"], i["last_name"]),
            mentor_url=instructor_url(
                str(i["mentor_id"]), full_name(i["first_name"], i["last_name"])
            ),
            image_url=picture_url(i["slug"], i["thumbnail_url"]),
            added_price_cents=i["added_price_cents"],
            price_cents=i["price_cents"],
            list_price_cents=i["list_price_cents"],
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
    """The open cart at today's prices; what it shows is remembered for checkout."""
    cart = await _open_cart(session, user_id)
    shown = _cart_out(
        cart, await _items(session, cart["id"]), await _coupon(session, cart["coupon_id"])
    )
    await session.execute(
        queries.SHOWN,
        {"cart_id": cart["id"], "total": shown.total_cents, "currency": shown.currency},
    )
    return shown


async def add_item(
    session: AsyncSession,
    user_id: uuid.UUID,
    course_id: uuid.UUID,
    query_id: uuid.UUID | None = None,
) -> CartOut:
    """Add a published course at its current price; adding it again changes nothing. Added
    from a search (``query_id``), the add is recorded for that search's insights.

    Raises:
        NotFound: no published course has this id.
        Forbidden: the student is the course's mentor.
        Conflict: the student already owns the course, the cart holds courses in another
            currency, or the cart was checked out meanwhile.
    """
    cart = await _open_cart(session, user_id, lock=True)
    course = (await session.execute(queries.COURSE, {"course_id": course_id})).mappings().first()
    if course is None:
        raise NotFound("No published course has this id.", field="course_id")
    if course["mentor_id"] == user_id:
        raise Forbidden("You cannot buy your own course.", field="course_id")
    if await is_enrolled(session, user_id, course_id):
        raise Conflict("You already own this course.", field="course_id")
    currencies = {i["currency"] for i in await _items(session, cart["id"])}
    if currencies - {course["currency"]}:
        raise Conflict(
            f"Your cart holds courses priced in {', '.join(sorted(currencies))}; this one is "
            f"priced in {course['currency']}. Check out (or empty the cart) first.",
            field="course_id",
        )
    added = await session.execute(
        queries.ADD_ITEM,
        {
            "cart_id": cart["id"],
            "course_id": course_id,
            "price_cents": course["price_cents"],
            "currency": course["currency"],
            "query_id": query_id,
        },
    )
    if added.first() is not None:
        await insights.record_add(session, query_id, course_id)
    await session.execute(
        queries.TOUCH_CART, {"cart_id": cart["id"], "coupon_id": cart["coupon_id"]}
    )
    return await get_cart(session, user_id)


async def in_cart(session: AsyncSession, user_id: uuid.UUID, course_id: uuid.UUID) -> bool:
    """Whether the student's open cart holds the course."""
    params = {"student_id": user_id, "course_id": course_id}
    return bool((await session.execute(queries.IN_CART, params)).scalar_one())


async def just_bought(
    session: AsyncSession, student_id: uuid.UUID, course_ids: Sequence[uuid.UUID]
) -> uuid.UUID | None:
    """The order of exactly ``course_ids`` the student placed in the last minute, if any."""
    params = {"student_id": student_id, "course_ids": list(course_ids)}
    found: uuid.UUID | None = await session.scalar(queries.JUST_BOUGHT, params)
    return found


async def has_bought(session: AsyncSession, student_id: uuid.UUID) -> bool:
    """Whether the student has checked out a cart before."""
    return bool(await session.scalar(queries.HAS_BOUGHT, {"student_id": student_id}))


async def add_pending(
    session: AsyncSession,
    user_id: uuid.UUID,
    course_id: uuid.UUID,
    query_id: uuid.UUID | None = None,
) -> bool:
    """Finish an add to cart started before signing in, credited to the search it was found
    with (``query_id``, checked by the caller); False (and nothing written) when it cannot
    be added now (owned meanwhile, unpublished, the student's own course)."""
    try:
        async with session.begin_nested():
            await add_item(session, user_id, course_id, query_id)
    except DomainError:
        return False
    return True


async def remove_item(session: AsyncSession, user_id: uuid.UUID, course_id: uuid.UUID) -> CartOut:
    cart = await _open_cart(session, user_id, lock=True)
    removed = await session.execute(
        queries.REMOVE_ITEM, {"cart_id": cart["id"], "course_id": course_id}
    )
    if removed.rowcount == 0:  # type: ignore[attr-defined]
        raise NotFound("This course is not in your cart.", field="course_id")
    return await get_cart(session, user_id)


async def apply_coupon(
    session: AsyncSession, limiter: Limiter, user_id: uuid.UUID, code: str
) -> CartOut:
    """Attach a coupon. A code that is no coupon, or no coupon for these courses, gets one
    message (codes cannot be told apart by guessing), and guesses back off.

    Raises:
        TooManyRequests: too many wrong codes lately.
        Invalid: no such coupon, or none for the courses in the cart.
        Conflict: a coupon is already applied, or this one is not active yet, expired or
            used up.
    """
    guesser = str(user_id)
    # Counted as a wrong guess until the coupon applies: guesses sent at once count one by one.
    await limiter.attempt(COUPON_GUESSES, guesser)
    cart = await _open_cart(session, user_id, lock=True)
    coupon = (
        (await session.execute(queries.COUPON_BY_CODE, {"code": code.strip()})).mappings().first()
    )
    items = await _items(session, cart["id"])
    if coupon is None or not any(_applies(coupon, i) for i in items):
        raise Invalid("code", NOT_A_COUPON)
    if cart["coupon_id"] is not None and cart["coupon_id"] != coupon["id"]:
        raise Conflict(
            "Your cart already has a coupon; remove it first (one per cart).", field="code"
        )
    if not coupon["started"]:
        raise Conflict(f"Coupon {coupon['code']} is not active yet.", field="code")
    if coupon["expired"]:
        raise Conflict(f"Coupon {coupon['code']} has expired.", field="code")
    if coupon["redeemed_count"] >= coupon["max_redemptions"]:
        raise Conflict(f"Coupon {coupon['code']} has been fully redeemed.", field="code")
    await limiter.succeeded(COUPON_GUESSES, guesser)
    await session.execute(queries.TOUCH_CART, {"cart_id": cart["id"], "coupon_id": coupon["id"]})
    return await get_cart(session, user_id)


async def remove_coupon(session: AsyncSession, user_id: uuid.UUID) -> CartOut:
    cart = await _open_cart(session, user_id, lock=True)
    await session.execute(queries.TOUCH_CART, {"cart_id": cart["id"], "coupon_id": None})
    return await get_cart(session, user_id)


def _charges(items: Sequence[Row], coupon: Row | None) -> list[int]:
    return [
        i["price_cents"]
        - (coupon_discount(i["price_cents"], coupon["discount_percent"]) if coupon else 0)
        * _applies(coupon, i)
        for i in items
    ]


async def checkout(
    session: AsyncSession,
    user_id: uuid.UUID,
    expected_total_cents: int | None = None,
    expected_currency: str | None = None,
    expected_course_ids: Collection[uuid.UUID] | None = None,
) -> CheckoutOut:
    """Buy what is in the cart at today's prices, in this one transaction, never for more
    than ``expected_total_cents`` in ``expected_currency`` (or, without them, than the total
    the cart last showed, in its currency): money is cents and a currency.

    Raises:
        Invalid: the cart is empty. Conflict: the total rose since it was shown (the answer
        carries the new total), the cart holds other courses than ``expected_course_ids``
        (changed in another tab), a course is gone or already owned, the coupon can no longer
        be redeemed, or the cart was just checked out. Nothing is written then.
    """
    # A checkout never makes a cart: racing a checkout that just bought it, there is none.
    cart = await _open_cart(session, user_id, lock=True, create=False)
    items = await _items(session, cart["id"])
    seen = None if expected_course_ids is None else {str(c) for c in expected_course_ids}
    if seen is not None and {str(i["course_id"]) for i in items} != seen:  # emptied too
        raise Conflict(
            "Your cart changed since this page showed it (in another tab?). Review it, then"
            " buy again."
        )
    if not items:
        raise Invalid("cart", "Your cart is empty.")
    gone = [i["title"] for i in items if not i["available"]]
    if gone:
        raise Conflict(f"No longer available, remove it to continue: {', '.join(gone)}.")
    ids = [i["course_id"] for i in items]
    if await owned(session, user_id, ids):
        raise Conflict("You already own a course in your cart; remove it to continue.")
    currency = items[0]["currency"]
    if any(i["currency"] != currency for i in items):
        raise Conflict("Your cart mixes currencies; remove the courses in the other currency.")
    coupon = await _coupon(session, cart["coupon_id"])
    paid = _charges(items, coupon)
    total = sum(paid)
    limit = expected_total_cents if expected_total_cents is not None else cart["shown_total_cents"]
    agreed = expected_currency or cart["shown_currency"] or currency
    if agreed.upper() != currency:
        shown = price_display(limit or 0, agreed.upper())
        raise Conflict(
            f"Your cart's total is now {price_display(total, currency)} (it was {shown})."
            " Review your cart, then check out again.",
            total_cents=total,
            currency=currency,
        )
    if limit is None or total > limit:
        shown = price_display(limit or 0, currency)
        raise Conflict(
            f"Your cart's total is now {price_display(total, currency)}"
            + (f" (it was {shown})" if limit is not None else "")
            + ". Review your cart, then check out again.",
            total_cents=total,
            currency=currency,
        )
    # Only a coupon that takes something off is redeemed (and counted).
    discounted = coupon is not None and sum(i["price_cents"] for i in items) > total
    redeem = {"coupon_id": cart["coupon_id"]}
    if discounted and (await session.execute(queries.REDEEM, redeem)).first() is None:
        raise Conflict("The coupon in your cart can no longer be used; remove it to buy.")
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
    await insights.record_purchases(session, cart["id"], ids, paid, currency)
    await session.execute(queries.CONVERT, {"cart_id": cart["id"]})
    subtotal = sum(i["price_cents"] for i in items)
    order = {
        "student_id": user_id,
        "currency": currency,
        "subtotal": subtotal,
        "discount": subtotal - total,
        "total": total,
        "coupon": coupon["code"] if coupon is not None and discounted else None,
    }
    order_id = (await session.execute(queries.CREATE_ORDER, order)).scalar_one()
    await session.execute(
        queries.ORDER_ITEMS,
        {
            "order_id": order_id,
            "course_ids": ids,
            "titles": [i["title"] for i in items],
            "prices": [i["price_cents"] for i in items],
            "paid": paid,
        },
    )
    return CheckoutOut(
        order_id=str(order_id),
        purchases=[
            PurchaseOut(
                course_id=str(i["course_id"]), slug=i["slug"], paid_cents=p, currency=i["currency"]
            )
            for i, p in zip(items, paid, strict=True)
        ],
        total_cents=total,
        currency=currency,
    )
