"""media_assets.archived_at: set by ``skillspring media archive`` for archived courses' media.

Revision ID: 0003_media_archived_at
Revises: 0002_search_outbox
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003_media_archived_at"
down_revision: str | None = "0002_search_outbox"


def upgrade() -> None:
    op.add_column(
        "media_assets", sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("media_assets", "archived_at")
