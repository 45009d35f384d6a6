"""Catalog tables: courses, sections, lectures, categories and tags."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import CHAR, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from search_service.db.models.base import (
    NOW,
    Base,
    CourseRef,
    CreatedAt,
    Timestamp,
    UuidPk,
    course_level,
    course_status,
    lecture_content_type,
    lecture_status,
)
from search_service.lib.safe_urls import url_check

CURRENCY_CHECK = "currency ~ '^[A-Z]{3}$'"


class Course(Base):
    __tablename__ = "courses"

    id: Mapped[UuidPk]
    mentor_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mentors.user_id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(140))
    subtitle: Mapped[str | None] = mapped_column(String(220))
    slug: Mapped[str] = mapped_column(String(180), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    language_code: Mapped[str] = mapped_column(CHAR(5), server_default=text("'en'"))
    level: Mapped[str] = mapped_column(course_level, server_default=text("'all'"))
    status: Mapped[str] = mapped_column(course_status, server_default=text("'draft'"))
    list_price_cents: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    sale_price_cents: Mapped[int | None] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(CHAR(3), server_default=text("'USD'"))
    total_duration_minutes: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    lecture_count: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    last_updated_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), server_default=NOW
    )
    hero_video_url: Mapped[str | None] = mapped_column(Text)
    thumbnail_url: Mapped[str | None] = mapped_column(Text)
    is_bestseller: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    meta: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[CreatedAt]
    deleted_at: Mapped[Timestamp | None]

    __table_args__ = (
        CheckConstraint("list_price_cents >= 0", name="list_price_non_negative"),
        CheckConstraint("sale_price_cents >= 0", name="sale_price_non_negative"),
        CheckConstraint("sale_price_cents <= list_price_cents", name="sale_not_above_list"),
        CheckConstraint(CURRENCY_CHECK, name="currency_iso"),
        CheckConstraint("total_duration_minutes >= 0", name="duration_non_negative"),
        CheckConstraint("lecture_count >= 0", name="lecture_count_non_negative"),
        CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name="slug_format"),
        CheckConstraint(url_check("hero_video_url"), name="hero_video_url_safe"),
        CheckConstraint(url_check("thumbnail_url"), name="thumbnail_url_safe"),
        Index("ix_courses_status_level_language_code", "status", "level", "language_code"),
    )


class CourseSection(Base):
    __tablename__ = "course_sections"

    id: Mapped[UuidPk]
    course_id: Mapped[CourseRef]
    title: Mapped[str] = mapped_column(String(140))
    position: Mapped[int] = mapped_column(SmallInteger)
    total_duration_minutes: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    lecture_count: Mapped[int] = mapped_column(Integer, server_default=text("0"))

    __table_args__ = (
        CheckConstraint("position >= 0", name="position_non_negative"),
        CheckConstraint("total_duration_minutes >= 0", name="duration_non_negative"),
        CheckConstraint("lecture_count >= 0", name="lecture_count_non_negative"),
        Index("ix_course_sections_course_id_position", "course_id", "position"),
    )


class Lecture(Base):
    __tablename__ = "lectures"

    id: Mapped[UuidPk]
    section_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("course_sections.id", ondelete="CASCADE")
    )
    title: Mapped[str] = mapped_column(String(160))
    position: Mapped[int] = mapped_column(SmallInteger)
    content_type: Mapped[str] = mapped_column(lecture_content_type, server_default=text("'video'"))
    duration_minutes: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    video_url: Mapped[str | None] = mapped_column(Text)
    resource_url: Mapped[str | None] = mapped_column(Text)
    is_preview: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    status: Mapped[str] = mapped_column(lecture_status, server_default=text("'published'"))

    __table_args__ = (
        CheckConstraint("position >= 0", name="position_non_negative"),
        CheckConstraint("duration_minutes >= 0", name="duration_non_negative"),
        CheckConstraint(url_check("video_url"), name="video_url_safe"),
        CheckConstraint(url_check("resource_url"), name="resource_url_safe"),
        Index("ix_lectures_section_id_position", "section_id", "position"),
    )


class Category(Base):
    __tablename__ = "categories"

    id: Mapped[UuidPk]
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("categories.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(80))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    level: Mapped[int] = mapped_column(SmallInteger, server_default=text("0"))
    description: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint(
            "(level = 0 AND parent_id IS NULL) OR (level = 1 AND parent_id IS NOT NULL)",
            name="level_matches_parent",
        ),
        CheckConstraint("parent_id <> id", name="not_own_parent"),
        CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name="slug_format"),
    )


class CourseCategory(Base):
    __tablename__ = "course_categories"

    course_id: Mapped[CourseRef] = mapped_column(primary_key=True)
    category_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("categories.id", ondelete="RESTRICT"), primary_key=True
    )

    __table_args__ = (
        Index("ix_course_categories_category_id_course_id", "category_id", "course_id"),
    )


class CourseTag(Base):
    __tablename__ = "course_tags"

    id: Mapped[UuidPk]
    name: Mapped[str] = mapped_column(String(40), unique=True)

    __table_args__ = (CheckConstraint("length(btrim(name)) > 0", name="name_not_blank"),)


class CourseTagMap(Base):
    __tablename__ = "course_tag_map"

    course_id: Mapped[CourseRef] = mapped_column(primary_key=True)
    tag_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("course_tags.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )
