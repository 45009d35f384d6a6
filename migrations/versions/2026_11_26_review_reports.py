"""review_reports: one report per student per review (course_reviews.reported_count counts them).

Revision ID: 0005_review_reports
Revises: 0004_auth_tokens
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from search_service.db.ddl import foreign_key, moment

revision: str = "0005_review_reports"
down_revision: str | None = "0004_auth_tokens"


def upgrade() -> None:
    op.create_table(
        "review_reports",
        sa.Column("review_id", sa.UUID(), nullable=False),
        sa.Column("student_id", sa.UUID(), nullable=False),
        moment("created_at"),
        foreign_key("review_reports", "review_id", "course_reviews.id", "CASCADE"),
        foreign_key("review_reports", "student_id", "students.user_id", "CASCADE"),
        sa.PrimaryKeyConstraint("review_id", "student_id", name=op.f("pk_review_reports")),
    )
    op.create_index(
        op.f("ix_review_reports_student_id"), "review_reports", ["student_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_review_reports_student_id"), table_name="review_reports")
    op.drop_table("review_reports")
