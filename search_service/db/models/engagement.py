"""course_reviews, review_helpful_votes, course_questions, course_answers."""

from __future__ import annotations

import uuid

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from search_service.db.models.base import (
    Base,
    CourseRef,
    CreatedAt,
    StudentRef,
    Timestamp,
    UuidPk,
    review_vote,
)


class CourseReview(Base):
    __tablename__ = "course_reviews"

    id: Mapped[UuidPk]
    course_id: Mapped[CourseRef]
    student_id: Mapped[StudentRef] = mapped_column(index=True)
    rating: Mapped[int] = mapped_column(SmallInteger)
    title: Mapped[str | None] = mapped_column(String(140))
    body: Mapped[str | None] = mapped_column(Text)
    would_recommend: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[CreatedAt]
    is_verified: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    helpful_count: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    reported_count: Mapped[int] = mapped_column(Integer, server_default=text("0"))

    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        CheckConstraint("helpful_count >= 0", name="helpful_non_negative"),
        CheckConstraint("reported_count >= 0", name="reported_non_negative"),
        Index("uq_course_reviews_course_id_student_id", "course_id", "student_id", unique=True),
        Index(
            "ix_course_reviews_course_id_created_at",
            "course_id",
            text("created_at DESC"),
        ),
    )


class ReviewHelpfulVote(Base):
    __tablename__ = "review_helpful_votes"

    review_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("course_reviews.id", ondelete="CASCADE"), primary_key=True
    )
    student_id: Mapped[StudentRef] = mapped_column(primary_key=True, index=True)
    vote: Mapped[str] = mapped_column(review_vote)


class CourseQuestion(Base):
    __tablename__ = "course_questions"

    id: Mapped[UuidPk]
    course_id: Mapped[CourseRef]
    student_id: Mapped[StudentRef] = mapped_column(index=True)
    question: Mapped[str] = mapped_column(Text)
    created_at: Mapped[CreatedAt]
    resolved_at: Mapped[Timestamp | None]

    __table_args__ = (
        CheckConstraint("length(btrim(question)) > 0", name="question_not_blank"),
        Index("ix_course_questions_course_id_created_at", "course_id", text("created_at DESC")),
    )


class CourseAnswer(Base):
    __tablename__ = "course_answers"

    id: Mapped[UuidPk]
    question_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("course_questions.id", ondelete="CASCADE"), index=True
    )
    mentor_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mentors.user_id", ondelete="CASCADE"), index=True
    )
    answer: Mapped[str] = mapped_column(Text)
    created_at: Mapped[CreatedAt]
    is_marked_solution: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    # Beyond the data model: who wrote it when that was not the course's mentor (an admin).
    answered_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    __table_args__ = (CheckConstraint("length(btrim(answer)) > 0", name="answer_not_blank"),)


class ReviewReport(Base):
    """Beyond the data model: who reported a review (one report per student per review)."""

    __tablename__ = "review_reports"

    review_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("course_reviews.id", ondelete="CASCADE"), primary_key=True
    )
    student_id: Mapped[StudentRef] = mapped_column(primary_key=True, index=True)
    created_at: Mapped[CreatedAt]
