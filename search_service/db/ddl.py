"""The column and constraint shapes that the migrations in ``migrations/versions`` repeat.

Applied revisions call these, so changing one changes what an old revision creates: add a new
function rather than change one. ``tests/db/test_migrations.py`` checks that the revisions
still build what the models declare.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


def moment(name: str) -> sa.Column[Any]:
    """A required ``timestamptz`` column that defaults to ``now()``."""
    return sa.Column(
        name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
    )


def uuid_id() -> sa.Column[Any]:
    """An ``id`` primary key that the database fills with a random UUID."""
    return sa.Column(
        "id",
        postgresql.UUID(as_uuid=True),
        primary_key=True,
        server_default=sa.text("gen_random_uuid()"),
    )


def reference(name: str, target: str, **options: Any) -> sa.Column[Any]:
    """A UUID column referring to ``target`` (``table.column``), deleted with it."""
    return sa.Column(
        name, postgresql.UUID(as_uuid=True), sa.ForeignKey(target, ondelete="CASCADE"), **options
    )


def foreign_key(
    table: str, column: str, target: str, ondelete: str | None
) -> sa.ForeignKeyConstraint:
    """``table.column`` refers to ``target`` (``table.column``), under the naming convention's
    name ``fk_<table>_<column>_<target table>``."""
    name = op.f(f"fk_{table}_{column}_{target.split('.')[0]}")
    return sa.ForeignKeyConstraint([column], [target], name=name, ondelete=ondelete)
