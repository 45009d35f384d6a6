"""search_events.currency: the currency a purchase was paid in, so the search insights add up
revenue per currency (a checkout is in one currency; a catalog may price in several).
Purchases recorded before it take their course's currency.

Revision ID: 0014_event_currency
Revises: 0013_lecture_progress
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision: str = "0014_event_currency"
down_revision: str | None = "0013_lecture_progress"


def upgrade() -> None:
    op.execute(
        "ALTER TABLE search_events ADD COLUMN currency VARCHAR(3) NOT NULL DEFAULT '' "
        "CONSTRAINT ck_search_events_search_events_currency "
        "CHECK (currency = '' OR currency ~ '^[A-Z]{3}$')"
    )
    op.execute(
        "UPDATE search_events e SET currency = c.currency FROM courses c "
        "WHERE e.type = 'purchase' AND c.id = e.course_id"
    )


def downgrade() -> None:
    op.drop_column("search_events", "currency")  # and its check
