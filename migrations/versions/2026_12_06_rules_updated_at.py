"""merchandising_rules.updated_at: moves with every change, so each worker reloads the rules
only when one was added, replaced or deleted.

Revision ID: 0010_rules_updated_at
Revises: 0009_course_embeddings
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

from search_service.db.ddl import moment

revision: str = "0010_rules_updated_at"
down_revision: str | None = "0009_course_embeddings"


def upgrade() -> None:
    op.add_column(
        "merchandising_rules",
        moment("updated_at"),
    )


def downgrade() -> None:
    op.drop_column("merchandising_rules", "updated_at")
