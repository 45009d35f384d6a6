"""Beyond the data model: shared counters for limits and back-off, the page-view visitors
seen today, and small facts about the database itself.

Every web worker and replica shares these (they live in PostgreSQL), so a limit is one limit
however many processes serve. Keys are HMACs of what they count (an account, an address): no
personal data is stored.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Index, Integer, LargeBinary, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from search_service.db.models.base import NOW, Base, CourseRef


class RateCounter(Base):
    """Hits of one key in one fixed window (a limit: at most N per window)."""

    __tablename__ = "rate_counters"

    key: Mapped[bytes] = mapped_column(LargeBinary, primary_key=True)
    window_start: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer, server_default=text("0"))

    __table_args__ = (Index("ix_rate_counters_window_start", "window_start"),)


class BackoffState(Base):
    """Consecutive failures of one key (an account's log-ins, an address's), and until when
    the next attempt must wait."""

    __tablename__ = "backoff_states"

    key: Mapped[bytes] = mapped_column(LargeBinary, primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    blocked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=NOW)

    __table_args__ = (Index("ix_backoff_states_updated_at", "updated_at"),)


class CourseViewVisitor(Base):
    """A visitor (a keyed hash of the day and the client address) seen on a course page that
    day: a course page counts one view per visitor per day."""

    __tablename__ = "course_view_visitors"

    course_id: Mapped[CourseRef] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    visitor: Mapped[bytes] = mapped_column(LargeBinary, primary_key=True)

    __table_args__ = (Index("ix_course_view_visitors_day", "day"),)


class AppState(Base):
    """Facts about this database (say, that ``skillspring demo`` seeded it)."""

    __tablename__ = "app_state"

    name: Mapped[str] = mapped_column(Text, primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=NOW)


__all__ = ["AppState", "BackoffState", "CourseViewVisitor", "RateCounter"]
