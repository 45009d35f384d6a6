"""review_reports: one report per student per review (course_reviews.reported_count counts them).

Revision ID: 0005_review_reports
Revises: 0004_auth_tokens
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_review_reports"
down_revision: str | None = "0004_auth_tokens"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review_reports",
        sa.Column("review_id", sa.UUID(), nullable=False),
        sa.Column("student_id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["course_reviews.id"],
            name=op.f("fk_review_reports_review_id_course_reviews"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["students.user_id"],
            name=op.f("fk_review_reports_student_id_students"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("review_id", "student_id", name=op.f("pk_review_reports")),
    )
    op.create_index(
        op.f("ix_review_reports_student_id"), "review_reports", ["student_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_review_reports_student_id"), table_name="review_reports")
    op.drop_table("review_reports")
