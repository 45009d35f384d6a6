"""lecture_progress: which lectures a student has completed, so a course's learning page can
mark them, resume at the last one and keep enrollments.progress_percent exact.

Revision ID: 0013_lecture_progress
Revises: 0012_orders
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013_lecture_progress"
down_revision: str | None = "0012_orders"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lecture_progress",
        sa.Column(
            "enrollment_id",
            postgresql.UUID(as_uuid=True),
            sa.ForeignKey("enrollments.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "lecture_id",
            postgresql.UUID(as_uuid=True),
            sa.ForeignKey("lectures.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "completed_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
    )


def downgrade() -> None:
    op.drop_table("lecture_progress")
