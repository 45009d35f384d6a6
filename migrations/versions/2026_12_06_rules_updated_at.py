"""merchandising_rules.updated_at: moves with every change, so each worker reloads the rules
only when one was added, replaced or deleted.

Revision ID: 0010_rules_updated_at
Revises: 0009_course_embeddings
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_rules_updated_at"
down_revision: str | None = "0009_course_embeddings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "merchandising_rules",
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )


def downgrade() -> None:
    op.drop_column("merchandising_rules", "updated_at")
