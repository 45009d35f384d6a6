"""Wishlist use cases; each runs in the request's one transaction."""

from __future__ import annotations

import unicodedata
import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from search_service.cart import service as cart
from search_service.cart.schemas import CartOut
from search_service.catalog.pictures import picture_url
from search_service.db.lookups import PUBLISHED, is_student
from search_service.lib.constraints import public_text
from search_service.lib.errors import Conflict, DomainError, Forbidden, NotFound
from search_service.lib.pricing import effective_price_cents, price_display
from search_service.wishlists.schemas import WishlistItemOut, WishlistOut

DEFAULT = "Favorites"
NAME_MOST = 120  # the name's column
CREATE_DEFAULT = text(
    "INSERT INTO wishlists (student_id, name) SELECT :student_id, :name "
    "WHERE NOT EXISTS (SELECT 1 FROM wishlists WHERE student_id = :student_id) "
    "ON CONFLICT DO NOTHING"
)
LISTS = text("""
SELECT w.id, w.name, i.course_id, c.slug, c.title, c.thumbnail_url,
       c.list_price_cents, c.sale_price_cents, c.currency,
       EXISTS (SELECT 1 FROM enrollments e WHERE e.student_id = w.student_id
               AND e.course_id = i.course_id) AS owned
FROM wishlists w
LEFT JOIN wishlist_items i ON i.wishlist_id = w.id
LEFT JOIN courses c ON c.id = i.course_id
WHERE w.student_id = :student_id AND (CAST(:wishlist_id AS uuid) IS NULL OR w.id = :wishlist_id)
ORDER BY w.name = :default DESC, w.name, i.added_at, i.course_id
""")
OWNS = text("SELECT name FROM wishlists WHERE id = :wishlist_id AND student_id = :student_id")
# A name the student has not used in any case ("favorites" beside "Favorites" is one list to
# a shopper); two creates racing with names differing only in case can both pass.
CREATE = text(
    "INSERT INTO wishlists (student_id, name) SELECT CAST(:student_id AS uuid), "
    "CAST(:name AS text) WHERE NOT EXISTS (SELECT 1 FROM wishlists "
    "WHERE student_id = :student_id AND lower(name) = lower(CAST(:name AS text))) RETURNING id"
)
RENAME = text(
    "UPDATE wishlists SET name = CAST(:name AS text) WHERE id = :wishlist_id AND NOT EXISTS "
    "(SELECT 1 FROM wishlists WHERE student_id = :student_id AND id <> :wishlist_id "
    "AND lower(name) = lower(CAST(:name AS text))) RETURNING id"
)
NAMES = text("SELECT id, name FROM wishlists WHERE student_id = :student_id")
DELETE_LIST = text("DELETE FROM wishlists WHERE id = :wishlist_id RETURNING id")  # items cascade
PUBLISHED_COURSE = text(
    f"SELECT 1 FROM courses c WHERE c.id = :course_id AND {PUBLISHED}"  # noqa: S608 - constants only
)
ADD = text(
    "INSERT INTO wishlist_items (wishlist_id, course_id) VALUES (:wishlist_id, :course_id) "
    "ON CONFLICT DO NOTHING"
)
REMOVE = text(
    "DELETE FROM wishlist_items WHERE wishlist_id = :wishlist_id AND course_id = :course_id"
)


async def _student(session: AsyncSession, student_id: uuid.UUID) -> None:
    if not await is_student(session, student_id):
        raise Forbidden("Only student accounts have wishlists.")
    await session.execute(CREATE_DEFAULT, {"student_id": student_id, "name": DEFAULT})


async def _lists(
    session: AsyncSession, student_id: uuid.UUID, wishlist_id: uuid.UUID | None = None
) -> list[WishlistOut]:
    rows = (
        await session.execute(
            LISTS, {"student_id": student_id, "wishlist_id": wishlist_id, "default": DEFAULT}
        )
    ).mappings()
    lists: dict[Any, WishlistOut] = {}
    for row in rows:
        wishlist = lists.setdefault(
            row["id"], WishlistOut(id=str(row["id"]), name=row["name"], items=[])
        )
        if row["course_id"] is not None:
            wishlist.items.append(
                WishlistItemOut(
                    course_id=str(row["course_id"]),
                    slug=row["slug"],
                    title=row["title"],
                    owned=row["owned"],
                    image_url=picture_url(row["slug"], row["thumbnail_url"]),
                    price_display=price_display(
                        effective_price_cents(row["list_price_cents"], row["sale_price_cents"]),
                        row["currency"],
                    ),
                )
            )
    return list(lists.values())


async def _own(session: AsyncSession, student_id: uuid.UUID, wishlist_id: uuid.UUID) -> str:
    """The list's name. Another student's list is as good as missing (404, not 403: ids are
    not disclosed)."""
    await _student(session, student_id)
    params = {"wishlist_id": wishlist_id, "student_id": student_id}
    name = (await session.execute(OWNS, params)).scalar_one_or_none()
    if name is None:
        raise NotFound("No such wishlist.")
    return str(name)


async def all_lists(session: AsyncSession, student_id: uuid.UUID) -> list[WishlistOut]:
    """Every list of the student; "Favorites" exists from the first call."""
    await _student(session, student_id)
    return await _lists(session, student_id)


def _name_key(name: str) -> str:
    """A list's name as the student tells names apart: compatibility forms, case ("Straße"
    is "STRASSE", "ſ" an "s") and invisible characters (a soft hyphen) set aside."""
    folded = unicodedata.normalize("NFKC", name)
    shown = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")
    return unicodedata.normalize("NFKC", shown.casefold()).strip()


async def _name_free(
    session: AsyncSession, student_id: uuid.UUID, name: str, renaming: uuid.UUID | None = None
) -> None:
    """Raises Conflict when another of the student's lists has this name in any spelling
    (the database's own check compares ``lower()``, which misses these)."""
    key = _name_key(name)
    for other_id, other in (await session.execute(NAMES, {"student_id": student_id})).all():
        if other_id != renaming and _name_key(other) == key:
            raise Conflict(f"You already have a list called “{other}”.", field="name")


async def create(session: AsyncSession, student_id: uuid.UUID, name: str) -> WishlistOut:
    await _student(session, student_id)
    name = public_text("name", name, most=NAME_MOST)  # nothing invisible or blank alone
    await _name_free(session, student_id, name)
    taken = Conflict(f"You already have a list called “{name.strip()}”.", field="name")
    try:
        async with session.begin_nested():
            new_id = (
                await session.execute(CREATE, {"student_id": student_id, "name": name.strip()})
            ).scalar_one_or_none()
    except IntegrityError as exc:
        raise taken from exc
    if new_id is None:
        raise taken
    return (await _lists(session, student_id, new_id))[0]


async def _named_list(
    session: AsyncSession, student_id: uuid.UUID, wishlist_id: uuid.UUID, doing: str
) -> None:
    """The student's own list, not Favorites (where "Add to wishlist" saves).

    Raises:
        NotFound: not the student's list. Conflict: it is Favorites.
    """
    if await _own(session, student_id, wishlist_id) == DEFAULT:
        raise Conflict(f"“{DEFAULT}” is where Add to wishlist saves: it cannot be {doing}.")


async def rename(
    session: AsyncSession, student_id: uuid.UUID, wishlist_id: uuid.UUID, name: str
) -> WishlistOut:
    """Give one of the student's own lists (not Favorites) another name, unused in any case.

    Raises:
        NotFound: not the student's list. Conflict: Favorites, or the name is taken.
    """
    await _named_list(session, student_id, wishlist_id, "renamed")
    name = public_text("name", name, most=NAME_MOST).strip()
    await _name_free(session, student_id, name, renaming=wishlist_id)
    params = {"wishlist_id": wishlist_id, "student_id": student_id, "name": name}
    try:
        async with session.begin_nested():
            renamed = (await session.execute(RENAME, params)).first()
    except IntegrityError:
        renamed = None
    if renamed is None:
        raise Conflict(f"You already have a list called “{name}”.", field="name")
    return (await _lists(session, student_id, wishlist_id))[0]


async def delete_list(session: AsyncSession, student_id: uuid.UUID, wishlist_id: uuid.UUID) -> None:
    """Delete one of the student's own lists (not Favorites) with what it holds.

    Raises:
        NotFound: not the student's list. Conflict: Favorites.
    """
    await _named_list(session, student_id, wishlist_id, "deleted")
    # Deleted by a request sent at the same time, after the check: that one answers 204.
    if (await session.execute(DELETE_LIST, {"wishlist_id": wishlist_id})).first() is None:
        raise NotFound("No such wishlist.")


async def add(
    session: AsyncSession, student_id: uuid.UUID, wishlist_id: uuid.UUID, course_id: uuid.UUID
) -> WishlistOut:
    await _own(session, student_id, wishlist_id)
    if (await session.execute(PUBLISHED_COURSE, {"course_id": course_id})).first() is None:
        raise NotFound("No published course has this id.")
    await session.execute(ADD, {"wishlist_id": wishlist_id, "course_id": course_id})
    return (await _lists(session, student_id, wishlist_id))[0]


async def add_pending(session: AsyncSession, student_id: uuid.UUID, course_id: uuid.UUID) -> bool:
    """Finish an add to the wishlist started before signing in: to the first list
    (Favorites); False (and nothing written) when the course cannot be added now."""
    try:
        async with session.begin_nested():
            first = uuid.UUID((await all_lists(session, student_id))[0].id)
            await add(session, student_id, first, course_id)
    except DomainError:
        return False
    return True


async def remove(
    session: AsyncSession, student_id: uuid.UUID, wishlist_id: uuid.UUID, course_id: uuid.UUID
) -> WishlistOut:
    await _own(session, student_id, wishlist_id)
    removed = await session.execute(REMOVE, {"wishlist_id": wishlist_id, "course_id": course_id})
    if removed.rowcount == 0:  # type: ignore[attr-defined]
        raise NotFound("This course is not on that list.")
    return (await _lists(session, student_id, wishlist_id))[0]


async def move_to_cart(
    session: AsyncSession, student_id: uuid.UUID, wishlist_id: uuid.UUID, course_id: uuid.UUID
) -> CartOut:
    """Off the list and into the cart, together or not at all (the cart's rules apply)."""
    await remove(session, student_id, wishlist_id, course_id)
    return await cart.add_item(session, student_id, course_id)


async def move_from_cart(
    session: AsyncSession, student_id: uuid.UUID, course_id: uuid.UUID
) -> WishlistOut:
    """Out of the cart and onto the first list ("Favorites"), together or not at all."""
    await cart.remove_item(session, student_id, course_id)
    first = (await all_lists(session, student_id))[0]
    return await add(session, student_id, uuid.UUID(first.id), course_id)
