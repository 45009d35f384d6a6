"""course_embeddings: each course's vector per embedding model, with the hash of its text, so a
reindex or a sync embeds only courses whose text (or the model) changed.

Revision ID: 0009_course_embeddings
Revises: 0008_merchandising
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from search_service.db.ddl import moment, reference

revision: str = "0009_course_embeddings"
down_revision: str | None = "0008_merchandising"


def upgrade() -> None:
    op.create_table(
        "course_embeddings",
        reference("course_id", "courses.id", primary_key=True),
        sa.Column("model", sa.Text(), primary_key=True),
        sa.Column("text_hash", sa.LargeBinary(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        moment("updated_at"),
    )


def downgrade() -> None:
    op.drop_table("course_embeddings")
