"""media_assets, course_metrics."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Index,
    Integer,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from search_service.db.models.base import (
    Base,
    CourseRef,
    UuidPk,
    media_file_type,
    transcoding_status,
)
from search_service.lib.safe_urls import url_check


class MediaAsset(Base):
    __tablename__ = "media_assets"

    id: Mapped[UuidPk]
    owner_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    file_type: Mapped[str] = mapped_column(media_file_type)
    url: Mapped[str] = mapped_column(Text)
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    transcoding_status: Mapped[str] = mapped_column(
        transcoding_status, server_default=text("'pending'")
    )
    # Beyond the data model: when the archival job marked this asset (its course archived).
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("duration_seconds >= 0", name="duration_non_negative"),
        CheckConstraint("size_bytes >= 0", name="size_non_negative"),
        CheckConstraint(url_check("url"), name="url_safe"),
    )


class CourseMetric(Base):
    __tablename__ = "course_metrics"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    course_id: Mapped[CourseRef]
    date: Mapped[dt.date] = mapped_column(Date)
    views: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    enrollments: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    completions: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    revenue_cents: Mapped[int] = mapped_column(Integer, server_default=text("0"))

    __table_args__ = (
        Index("uq_course_metrics_course_id_date", "course_id", "date", unique=True),
        CheckConstraint("views >= 0", name="views_non_negative"),
        CheckConstraint("enrollments >= 0", name="enrollments_non_negative"),
        CheckConstraint("completions >= 0", name="completions_non_negative"),
        CheckConstraint("revenue_cents >= 0", name="revenue_non_negative"),
    )
