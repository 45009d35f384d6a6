"""Search insights: each search (normalised text, how many it found) and what shoppers did with
its results. No user ids and no addresses; rows older than SKILLSPRING_INSIGHTS_DAYS go."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Identity,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from search_service.db.models.base import NOW, Base, CourseRef


class SearchQuery(Base):
    __tablename__ = "search_queries"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    searched_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=NOW
    )
    query: Mapped[str] = mapped_column(Text, nullable=False, server_default=text("''"))
    total: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("0"))
    page: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))
    filtered: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    # A keyed hash of the client's address and the day: popular searches count clients.
    client: Mapped[bytes] = mapped_column(
        LargeBinary, nullable=False, server_default=text("''::bytea")
    )
    # Found courses with every word, and its text is not link- or markup-shaped.
    popular: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("false"))
    # The course ids its page showed, the first at position ``shown_from``.
    shown: Mapped[list[uuid.UUID]] = mapped_column(
        ARRAY(UUID(as_uuid=True)), nullable=False, server_default=text("'{}'")
    )
    shown_from: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))

    __table_args__ = (
        CheckConstraint("total >= 0 AND page >= 1", name="search_queries_counts"),
        Index("search_queries_searched_at", "searched_at"),
        Index("search_queries_query", "query", "searched_at"),
    )


class SearchEvent(Base):
    __tablename__ = "search_events"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    query_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    course_id: Mapped[CourseRef] = mapped_column(nullable=False)
    type: Mapped[str] = mapped_column(Text, nullable=False)
    position: Mapped[int | None] = mapped_column(Integer)
    revenue_cents: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default=text("0"))
    # What a purchase was paid in ('' for clicks and adds): revenue adds up per currency.
    currency: Mapped[str] = mapped_column(String(3), nullable=False, server_default=text("''"))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=NOW
    )

    __table_args__ = (
        CheckConstraint("type IN ('click', 'add_to_cart', 'purchase')", name="search_events_type"),
        CheckConstraint("position IS NULL OR position >= 1", name="search_events_position"),
        CheckConstraint("revenue_cents >= 0", name="search_events_revenue"),
        CheckConstraint("currency = '' OR currency ~ '^[A-Z]{3}$'", name="search_events_currency"),
        UniqueConstraint("query_id", "course_id", "type", name="search_events_once"),
        Index("search_events_created_at", "created_at"),
    )


class HiddenQuery(Base):
    """A query an admin keeps out of trending searches and suggestions."""

    __tablename__ = "hidden_queries"

    query: Mapped[str] = mapped_column(Text, primary_key=True)
    hidden_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=NOW
    )
