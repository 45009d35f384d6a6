"""Merchandising rules and co-purchase recommendations."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import CheckConstraint, DateTime, Float, Integer, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from search_service.db.models.base import NOW, Base, CourseRef


class MerchandisingRule(Base):
    """Pin and hide courses (by slug) for one normalised query or one category."""

    __tablename__ = "merchandising_rules"

    id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")
    )
    query: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(Text)
    pin: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False, server_default=text("'{}'"))
    hide: Mapped[list[str]] = mapped_column(
        ARRAY(Text), nullable=False, server_default=text("'{}'")
    )
    starts_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=NOW
    )
    # Moves with every change, so workers can tell when to reload the rules.
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=NOW
    )

    __table_args__ = (
        CheckConstraint(
            "(query IS NULL) <> (category IS NULL)", name="merchandising_rules_one_target"
        ),
        CheckConstraint(
            "starts_at IS NULL OR ends_at IS NULL OR starts_at < ends_at",
            name="merchandising_rules_window",
        ),
    )


class CourseRecommendation(Base):
    """Students who bought ``course_id`` also bought ``other_id``: how many, and how strongly."""

    __tablename__ = "course_recommendations"

    course_id: Mapped[CourseRef] = mapped_column(primary_key=True)
    other_id: Mapped[CourseRef] = mapped_column(primary_key=True)
    buyers: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("0"))
    score: Mapped[float] = mapped_column(Float, nullable=False, server_default=text("0"))
    computed_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=NOW
    )

    __table_args__ = (
        CheckConstraint("course_id <> other_id", name="course_recommendations_other"),
    )
