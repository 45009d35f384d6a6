"""Declarative base, naming convention, shared column types and PostgreSQL enums."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from sqlalchemy import DateTime, ForeignKey, MetaData, text
from sqlalchemy.dialects.postgresql import ENUM, UUID
from sqlalchemy.orm import DeclarativeBase, MappedColumn, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model; one MetaData with a constraint naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


UUID_DEFAULT = text("gen_random_uuid()")
NOW = text("now()")

UuidPk = Annotated[
    uuid.UUID, mapped_column(UUID(as_uuid=True), primary_key=True, server_default=UUID_DEFAULT)
]
Timestamp = Annotated[dt.datetime, mapped_column(DateTime(timezone=True))]
CreatedAt = Annotated[
    dt.datetime, mapped_column(DateTime(timezone=True), nullable=False, server_default=NOW)
]


def _owned_by(target: str) -> MappedColumn[uuid.UUID]:
    """A UUID column referring to ``target`` (``table.column``), deleted with its row."""
    return mapped_column(UUID(as_uuid=True), ForeignKey(target, ondelete="CASCADE"))


CourseRef = Annotated[uuid.UUID, _owned_by("courses.id")]
StudentRef = Annotated[uuid.UUID, _owned_by("students.user_id")]
UserRef = Annotated[uuid.UUID, _owned_by("users.id")]


def pg_enum(name: str, *values: str) -> ENUM:
    """A named PostgreSQL ENUM type (created by the migrations, not by the model)."""
    return ENUM(*values, name=name, create_type=False)


user_role = pg_enum("user_role", "student", "mentor", "admin")
user_status = pg_enum("user_status", "pending", "active", "suspended")
course_level = pg_enum("course_level", "beginner", "intermediate", "advanced", "all")
course_status = pg_enum("course_status", "draft", "submitted", "published", "archived")
lecture_content_type = pg_enum(
    "lecture_content_type", "video", "article", "quiz", "assignment", "download"
)
lecture_status = pg_enum("lecture_status", "draft", "published")
cart_status = pg_enum("cart_status", "open", "converted", "abandoned")
review_vote = pg_enum("review_vote", "helpful", "not_helpful")
media_file_type = pg_enum("media_file_type", "image", "video", "document")
transcoding_status = pg_enum("transcoding_status", "pending", "processing", "ready", "failed")

ALL_ENUMS = (
    user_role,
    user_status,
    course_level,
    course_status,
    lecture_content_type,
    lecture_status,
    cart_status,
    review_vote,
    media_file_type,
    transcoding_status,
)
