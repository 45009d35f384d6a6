"""Search insights: every search (normalised text, how many it found), the clicks, adds to cart
and purchases attributed to it, and the query a cart item was added from.

No personal data: no user ids, no addresses; rows are forgotten after
SKILLSPRING_INSIGHTS_DAYS.

Revision ID: 0007_search_insights
Revises: 0006_guards
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from search_service.db.ddl import moment, reference

revision: str = "0007_search_insights"
down_revision: str | None = "0006_guards"


def upgrade() -> None:
    op.create_table(
        "search_queries",
        sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True),
        moment("searched_at"),
        sa.Column("query", sa.Text(), nullable=False, server_default=""),
        sa.Column("total", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("page", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("filtered", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.CheckConstraint("total >= 0 AND page >= 1", name="search_queries_counts"),
    )
    op.create_index("search_queries_searched_at", "search_queries", ["searched_at"])
    op.create_index("search_queries_query", "search_queries", ["query", "searched_at"])
    op.create_table(
        "search_events",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("query_id", postgresql.UUID(as_uuid=True), nullable=False),
        reference("course_id", "courses.id", nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("revenue_cents", sa.BigInteger(), nullable=False, server_default="0"),
        moment("created_at"),
        sa.CheckConstraint(
            "type IN ('click', 'add_to_cart', 'purchase')", name="search_events_type"
        ),
        sa.CheckConstraint("position IS NULL OR position >= 1", name="search_events_position"),
        sa.CheckConstraint("revenue_cents >= 0", name="search_events_revenue"),
        # One of each kind per query and course: a link click and its beacon count once.
        sa.UniqueConstraint("query_id", "course_id", "type", name="search_events_once"),
    )
    op.create_index("search_events_created_at", "search_events", ["created_at"])
    op.add_column("cart_items", sa.Column("query_id", postgresql.UUID(as_uuid=True)))


def downgrade() -> None:
    op.drop_column("cart_items", "query_id")
    op.drop_table("search_events")
    op.drop_table("search_queries")
