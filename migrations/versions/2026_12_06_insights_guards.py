"""Search insights that one client cannot bend: each search keeps a keyed hash of its client
(an address, per day), whether it may count towards popular searches (it found courses with
every word, and its text is not link- or markup-shaped), and the course ids its page showed
(so a click or an add names a course the search returned, at the position it was shown);
queries an admin hid from trending and suggestions.

Revision ID: 0011_insights_guards
Revises: 0010_rules_updated_at
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from search_service.db.ddl import moment

revision: str = "0011_insights_guards"
down_revision: str | None = "0010_rules_updated_at"


def upgrade() -> None:
    op.add_column(
        "search_queries",
        sa.Column("client", sa.LargeBinary(), nullable=False, server_default=sa.text("''::bytea")),
    )
    op.add_column(
        "search_queries",
        sa.Column("popular", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "search_queries",
        sa.Column(
            "shown",
            postgresql.ARRAY(postgresql.UUID(as_uuid=True)),
            nullable=False,
            server_default=sa.text("'{}'"),
        ),
    )
    op.add_column(
        "search_queries",
        sa.Column("shown_from", sa.Integer(), nullable=False, server_default="1"),
    )
    op.create_table(
        "hidden_queries",
        sa.Column("query", sa.Text(), primary_key=True),
        moment("hidden_at"),
    )


def downgrade() -> None:
    op.drop_table("hidden_queries")
    for column in ("shown_from", "shown", "popular", "client"):
        op.drop_column("search_queries", column)
