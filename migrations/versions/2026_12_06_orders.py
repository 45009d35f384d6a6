"""Orders: each checkout's receipt (its courses, prices then, what was paid, the coupon and its
saving), and the currency of the total a cart last showed (checkout compares money, not
cents).

Revision ID: 0012_orders
Revises: 0011_insights_guards
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012_orders"
down_revision: str | None = "0011_insights_guards"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "carts",
        sa.Column("shown_currency", sa.String(3), nullable=False, server_default=sa.text("''")),
    )
    op.create_table(
        "orders",
        sa.Column(
            "id",
            postgresql.UUID(as_uuid=True),
            primary_key=True,
            server_default=sa.text("gen_random_uuid()"),
        ),
        sa.Column(
            "student_id",
            postgresql.UUID(as_uuid=True),
            sa.ForeignKey("students.user_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("currency", sa.String(3), nullable=False, server_default=sa.text("'USD'")),
        sa.Column("subtotal_cents", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("discount_cents", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("total_cents", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("coupon_code", sa.String(40), nullable=True),
    )
    op.create_index("ix_orders_student_id", "orders", ["student_id"])
    op.create_table(
        "order_items",
        sa.Column(
            "order_id",
            postgresql.UUID(as_uuid=True),
            sa.ForeignKey("orders.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "course_id",
            postgresql.UUID(as_uuid=True),
            sa.ForeignKey("courses.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("title", sa.Text(), nullable=False, server_default=sa.text("''")),
        sa.Column("price_cents", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("paid_cents", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("order_items")
    op.drop_index("ix_orders_student_id", table_name="orders")
    op.drop_table("orders")
    op.drop_column("carts", "shown_currency")
