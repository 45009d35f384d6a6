"""Look-ups every feature shares: the published predicate, a published course by slug, and
whether a student owns a course. One place, so "published" means one thing everywhere."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import msgspec
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from search_service.lib.errors import NotFound

# Over a ``courses c`` row: what shoppers may see, search and buy.
PUBLISHED = "c.status = 'published' AND c.deleted_at IS NULL"

_BY_SLUG = text(
    f"SELECT c.id, c.mentor_id FROM courses c WHERE c.slug = :slug AND {PUBLISHED}"  # noqa: S608 - constants only
)
_OWNED = text(
    "SELECT course_id FROM enrollments WHERE student_id = :student_id "
    "AND course_id = ANY(:course_ids)"
)


# Where a course stands for one shopper: bought, in the open cart, on a wishlist.
_HELD = text(
    "SELECT EXISTS (SELECT 1 FROM enrollments WHERE student_id = :student_id "
    "AND course_id = :course_id) AS owned, "
    "EXISTS (SELECT 1 FROM cart_items ci JOIN carts c ON c.id = ci.cart_id "
    "WHERE c.student_id = :student_id AND c.status = 'open' AND ci.course_id = :course_id) "
    "AS in_cart, "
    "EXISTS (SELECT 1 FROM wishlist_items i JOIN wishlists w ON w.id = i.wishlist_id "
    "WHERE w.student_id = :student_id AND i.course_id = :course_id) AS wished"
)
_IS_STUDENT = text("SELECT 1 FROM students WHERE user_id = :user_id")
_ACCOUNT = text(
    "SELECT EXISTS (SELECT 1 FROM students WHERE user_id = :user_id) AS student, "
    "EXISTS (SELECT 1 FROM mentors WHERE user_id = :user_id) AS mentor, "
    "(SELECT count(*) FROM cart_items ci JOIN carts c ON c.id = ci.cart_id "
    "WHERE c.student_id = :user_id AND c.status = 'open') AS cart_count"
)


class PublishedCourse(msgspec.Struct, frozen=True):
    id: uuid.UUID
    mentor_id: uuid.UUID


async def published_course(session: AsyncSession, slug: str) -> PublishedCourse:
    """The published, non-deleted course at ``slug``.

    Raises:
        NotFound: there is none.
    """
    row = (await session.execute(_BY_SLUG, {"slug": slug})).first()
    if row is None:
        raise NotFound(f"No published course at /courses/{slug}.")
    return PublishedCourse(row.id, row.mentor_id)


class Held(msgspec.Struct, frozen=True):
    """Where a course stands for a shopper (nothing, for one signed out)."""

    owned: bool = False
    in_cart: bool = False
    wished: bool = False


async def held(session: AsyncSession, student_id: uuid.UUID, course_id: uuid.UUID) -> Held:
    """Whether the student bought the course, holds it in the open cart, or on a wishlist
    (one query)."""
    params = {"student_id": student_id, "course_id": course_id}
    row = (await session.execute(_HELD, params)).one()
    return Held(row.owned, row.in_cart, row.wished)


async def owned(
    session: AsyncSession, student_id: uuid.UUID, course_ids: Sequence[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of ``course_ids`` the student is enrolled in (one query)."""
    if not course_ids:
        return set()
    rows = await session.execute(_OWNED, {"student_id": student_id, "course_ids": list(course_ids)})
    return {row.course_id for row in rows}


async def is_enrolled(session: AsyncSession, student_id: uuid.UUID, course_id: uuid.UUID) -> bool:
    """The student bought the course."""
    return course_id in await owned(session, student_id, [course_id])


async def is_student(session: AsyncSession, user_id: uuid.UUID) -> bool:
    """The user has a student profile (carts and wishlists are theirs)."""
    return (await session.execute(_IS_STUDENT, {"user_id": user_id})).first() is not None


class Account(msgspec.Struct, frozen=True):
    """What a signed-in user's pages offer them: a shopper's cart, wishlists and learning
    (a student profile), an instructor's page (a mentor profile)."""

    student: bool = True
    mentor: bool = False
    cart_count: int = 0


async def account(session: AsyncSession, user_id: uuid.UUID) -> Account:
    """The user's profiles and open cart's size (one query, for every page's header)."""
    row = (await session.execute(_ACCOUNT, {"user_id": user_id})).one()
    return Account(row.student, row.mentor, int(row.cart_count))
