"""lecture_progress: which lectures a student has completed, so a course's learning page can
mark them, resume at the last one and keep enrollments.progress_percent exact.

Revision ID: 0013_lecture_progress
Revises: 0012_orders
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from search_service.db.ddl import reference

revision: str = "0013_lecture_progress"
down_revision: str | None = "0012_orders"


def upgrade() -> None:
    op.create_table(
        "lecture_progress",
        reference("enrollment_id", "enrollments.id", primary_key=True),
        reference("lecture_id", "lectures.id", primary_key=True),
        sa.Column(
            "completed_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
    )


def downgrade() -> None:
    op.drop_table("lecture_progress")
