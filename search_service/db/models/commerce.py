"""enrollments, carts, cart_items, wishlists, wishlist_items, coupons."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import CHAR, UUID
from sqlalchemy.orm import Mapped, mapped_column

from search_service.db.models.base import (
    NOW,
    Base,
    CourseRef,
    CreatedAt,
    StudentRef,
    Timestamp,
    UuidPk,
    cart_status,
)
from search_service.db.models.catalog import CURRENCY_CHECK


class Enrollment(Base):
    __tablename__ = "enrollments"

    id: Mapped[UuidPk]
    course_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("courses.id", ondelete="RESTRICT"), index=True
    )
    student_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("students.user_id", ondelete="RESTRICT")
    )
    purchase_price_cents: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    currency: Mapped[str] = mapped_column(CHAR(3), server_default=text("'USD'"))
    purchased_at: Mapped[CreatedAt]
    progress_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), server_default=text("0"))
    last_watched_lecture: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("lectures.id", ondelete="SET NULL")
    )
    completed_at: Mapped[Timestamp | None]

    __table_args__ = (
        CheckConstraint("purchase_price_cents >= 0", name="price_non_negative"),
        CheckConstraint(CURRENCY_CHECK, name="currency_iso"),
        CheckConstraint("progress_percent BETWEEN 0 AND 100", name="progress_range"),
        Index("uq_enrollments_student_id_course_id", "student_id", "course_id", unique=True),
    )


class Coupon(Base):
    __tablename__ = "coupons"

    id: Mapped[UuidPk]
    mentor_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mentors.user_id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(40), unique=True)
    discount_percent: Mapped[int] = mapped_column(SmallInteger)
    max_redemptions: Mapped[int] = mapped_column(Integer)
    redeemed_count: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=NOW)
    expires_at: Mapped[Timestamp | None]

    __table_args__ = (
        CheckConstraint("discount_percent BETWEEN 1 AND 100", name="discount_range"),
        CheckConstraint("max_redemptions >= 0", name="max_redemptions_non_negative"),
        CheckConstraint("redeemed_count >= 0", name="redeemed_non_negative"),
        CheckConstraint("redeemed_count <= max_redemptions", name="not_over_redeemed"),
        CheckConstraint("expires_at IS NULL OR expires_at > starts_at", name="window_order"),
        CheckConstraint("code ~ '^[A-Za-z0-9_-]+$'", name="code_format"),
    )


class Cart(Base):
    __tablename__ = "carts"

    id: Mapped[UuidPk]
    student_id: Mapped[StudentRef] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(cart_status, server_default=text("'open'"))
    coupon_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("coupons.id", ondelete="SET NULL")
    )
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[CreatedAt]
    # Beyond the data model: the total the cart last showed its shopper, and its currency;
    # checkout never charges more (or in another currency) without showing it first.
    shown_total_cents: Mapped[int | None] = mapped_column(Integer)
    shown_currency: Mapped[str] = mapped_column(
        String(3), nullable=False, server_default=text("''")
    )

    __table_args__ = (
        Index(
            "uq_carts_one_open_per_student",
            "student_id",
            unique=True,
            postgresql_where=text("status = 'open'"),
        ),
    )


class CartItem(Base):
    __tablename__ = "cart_items"

    cart_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("carts.id", ondelete="CASCADE"), primary_key=True
    )
    course_id: Mapped[CourseRef] = mapped_column(primary_key=True, index=True)
    price_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(CHAR(3), server_default=text("'USD'"))
    added_at: Mapped[CreatedAt]
    # The search it was added from (search_queries.id; no foreign key: searches are written
    # in batches and forgotten after the insights retention).
    query_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))

    __table_args__ = (
        CheckConstraint("price_cents >= 0", name="price_non_negative"),
        CheckConstraint(CURRENCY_CHECK, name="currency_iso"),
    )


class Wishlist(Base):
    __tablename__ = "wishlists"

    id: Mapped[UuidPk]
    student_id: Mapped[StudentRef]
    name: Mapped[str] = mapped_column(String(120), server_default=text("'Favorites'"))

    __table_args__ = (
        Index("uq_wishlists_student_id_name", "student_id", "name", unique=True),
        CheckConstraint("length(btrim(name)) > 0", name="name_not_blank"),
    )


class WishlistItem(Base):
    __tablename__ = "wishlist_items"

    wishlist_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("wishlists.id", ondelete="CASCADE"), primary_key=True
    )
    course_id: Mapped[CourseRef] = mapped_column(primary_key=True, index=True)
    added_at: Mapped[CreatedAt]


class Order(Base):
    """A checkout's receipt (beyond the data model): what was bought, paid and saved."""

    __tablename__ = "orders"

    id: Mapped[UuidPk]
    student_id: Mapped[StudentRef] = mapped_column(index=True)
    created_at: Mapped[CreatedAt]
    currency: Mapped[str] = mapped_column(String(3), nullable=False, server_default=text("'USD'"))
    subtotal_cents: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("0"))
    discount_cents: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("0"))
    total_cents: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("0"))
    coupon_code: Mapped[str | None] = mapped_column(String(40))


class OrderItem(Base):
    """One course of an order: its title then, its price then, what was paid for it."""

    __tablename__ = "order_items"

    order_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True
    )
    course_id: Mapped[CourseRef] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text, nullable=False, server_default=text("''"))
    price_cents: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("0"))
    paid_cents: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("0"))
    position: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("0"))


class LectureProgress(Base):
    """A lecture a student completed (beyond the data model): the learning page marks it,
    and ``enrollments.progress_percent`` counts them."""

    __tablename__ = "lecture_progress"

    enrollment_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("enrollments.id", ondelete="CASCADE"), primary_key=True
    )
    lecture_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("lectures.id", ondelete="CASCADE"), primary_key=True
    )
    completed_at: Mapped[CreatedAt]
