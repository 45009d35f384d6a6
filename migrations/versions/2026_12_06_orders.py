"""Orders: each checkout's receipt (its courses, prices then, what was paid, the coupon and its
saving), and the currency of the total a cart last showed (checkout compares money, not
cents).

Revision ID: 0012_orders
Revises: 0011_insights_guards
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from search_service.db.ddl import moment, reference, uuid_id

revision: str = "0012_orders"
down_revision: str | None = "0011_insights_guards"


def upgrade() -> None:
    op.add_column(
        "carts",
        sa.Column("shown_currency", sa.String(3), nullable=False, server_default=sa.text("''")),
    )
    op.create_table(
        "orders",
        uuid_id(),
        reference("student_id", "students.user_id", nullable=False),
        moment("created_at"),
        sa.Column("currency", sa.String(3), nullable=False, server_default=sa.text("'USD'")),
        sa.Column("subtotal_cents", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("discount_cents", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("total_cents", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("coupon_code", sa.String(40), nullable=True),
    )
    op.create_index("ix_orders_student_id", "orders", ["student_id"])
    op.create_table(
        "order_items",
        reference("order_id", "orders.id", primary_key=True),
        reference("course_id", "courses.id", primary_key=True),
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
