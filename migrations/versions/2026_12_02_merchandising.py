"""Merchandising rules (pin and hide courses for a query or a category, in a time window) and
co-purchase recommendations ("students also bought"), recomputed from enrollments.

Revision ID: 0008_merchandising
Revises: 0007_search_insights
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from search_service.db.ddl import moment, reference, uuid_id

revision: str = "0008_merchandising"
down_revision: str | None = "0007_search_insights"


def upgrade() -> None:
    op.create_table(
        "merchandising_rules",
        uuid_id(),
        sa.Column("query", sa.Text(), nullable=True),
        sa.Column("category", sa.Text(), nullable=True),
        sa.Column(
            "pin", postgresql.ARRAY(sa.Text()), nullable=False, server_default=sa.text("'{}'")
        ),
        sa.Column(
            "hide", postgresql.ARRAY(sa.Text()), nullable=False, server_default=sa.text("'{}'")
        ),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        moment("created_at"),
        sa.CheckConstraint(
            "(query IS NULL) <> (category IS NULL)", name="merchandising_rules_one_target"
        ),
        sa.CheckConstraint(
            "starts_at IS NULL OR ends_at IS NULL OR starts_at < ends_at",
            name="merchandising_rules_window",
        ),
    )
    op.create_table(
        "course_recommendations",
        reference("course_id", "courses.id", primary_key=True),
        reference("other_id", "courses.id", primary_key=True),
        sa.Column("buyers", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("score", sa.Float(), nullable=False, server_default="0"),
        moment("computed_at"),
        sa.CheckConstraint("course_id <> other_id", name="course_recommendations_other"),
    )


def downgrade() -> None:
    op.drop_table("course_recommendations")
    op.drop_table("merchandising_rules")
