"""users, mentors, students."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from search_service.db.models.base import (
    Base,
    CreatedAt,
    Timestamp,
    UserRef,
    UuidPk,
    user_role,
    user_status,
)
from search_service.lib.safe_urls import url_check


class User(Base):
    __tablename__ = "users"

    id: Mapped[UuidPk]
    email: Mapped[str] = mapped_column(String(255), unique=True)
    password_hash: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str] = mapped_column(user_role, server_default=text("'student'"))
    status: Mapped[str] = mapped_column(user_status, server_default=text("'active'"))
    first_name: Mapped[str | None] = mapped_column(String(80))
    last_name: Mapped[str | None] = mapped_column(String(80))
    avatar_url: Mapped[str | None] = mapped_column(Text)
    bio: Mapped[str | None] = mapped_column(Text)
    timezone: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[CreatedAt]
    last_login_at: Mapped[Timestamp | None]
    deleted_at: Mapped[Timestamp | None]

    __table_args__ = (
        CheckConstraint("position('@' in email) > 1", name="email_has_at"),
        CheckConstraint(url_check("avatar_url"), name="avatar_url_safe"),
    )


class Mentor(Base):
    __tablename__ = "mentors"

    user_id: Mapped[UserRef] = mapped_column(primary_key=True)
    headline: Mapped[str | None] = mapped_column(String(180))
    about: Mapped[str | None] = mapped_column(Text)
    experience_years: Mapped[int | None] = mapped_column(SmallInteger)
    languages: Mapped[list[str] | None] = mapped_column(ARRAY(Text))
    average_rating: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    total_reviews: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    total_students: Mapped[int] = mapped_column(Integer, server_default=text("0"))

    __table_args__ = (
        CheckConstraint("experience_years >= 0", name="experience_years_non_negative"),
        CheckConstraint("average_rating BETWEEN 0 AND 5", name="average_rating_range"),
        CheckConstraint("total_reviews >= 0", name="total_reviews_non_negative"),
        CheckConstraint("total_students >= 0", name="total_students_non_negative"),
    )


class Student(Base):
    __tablename__ = "students"

    user_id: Mapped[UserRef] = mapped_column(primary_key=True)
    occupation: Mapped[str | None] = mapped_column(String(120))
    goals: Mapped[str | None] = mapped_column(Text)
    preferred_categories: Mapped[list[uuid.UUID] | None] = mapped_column(ARRAY(UUID(as_uuid=True)))
    resume_url: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (CheckConstraint(url_check("resume_url"), name="resume_url_safe"),)


__all__ = ["Mentor", "Student", "User"]
