"""Search outbox: statement-level triggers record every course a change touches.

Revision ID: 0002_search_outbox
Revises: 0001_initial
Create Date: 2026-11-26

Each trigger is FOR EACH STATEMENT with a transition table, so a COPY of a million lectures
costs one INSERT … SELECT DISTINCT, not a million trigger calls.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from search_service.db.ddl import moment

revision: str = "0002_search_outbox"
down_revision: str | None = "0001_initial"

CHANNEL = "search_outbox"

# (table, event, SELECT of affected course ids; `n` is the new rows, `o` the old rows)
CAPTURES: tuple[tuple[str, str, str], ...] = (
    ("courses", "INSERT", "SELECT id FROM n"),
    ("courses", "UPDATE", "SELECT id FROM n"),
    ("courses", "DELETE", "SELECT id FROM o"),
    ("course_sections", "INSERT", "SELECT course_id FROM n"),
    ("course_sections", "UPDATE", "SELECT course_id FROM n UNION SELECT course_id FROM o"),
    ("course_sections", "DELETE", "SELECT course_id FROM o"),
    (
        "lectures",
        "INSERT",
        "SELECT s.course_id FROM n JOIN course_sections s ON s.id = n.section_id",
    ),
    (
        "lectures",
        "UPDATE",
        "SELECT s.course_id FROM (SELECT section_id FROM n UNION SELECT section_id FROM o) x "
        "JOIN course_sections s ON s.id = x.section_id",
    ),
    (
        "lectures",
        "DELETE",
        "SELECT s.course_id FROM o JOIN course_sections s ON s.id = o.section_id",
    ),
    ("course_categories", "INSERT", "SELECT course_id FROM n"),
    ("course_categories", "UPDATE", "SELECT course_id FROM n UNION SELECT course_id FROM o"),
    ("course_categories", "DELETE", "SELECT course_id FROM o"),
    (
        "categories",
        "UPDATE",
        "SELECT cc.course_id FROM course_categories cc JOIN categories c ON c.id = cc.category_id "
        "WHERE c.id IN (SELECT id FROM n) OR c.parent_id IN (SELECT id FROM n)",
    ),
    ("course_tag_map", "INSERT", "SELECT course_id FROM n"),
    ("course_tag_map", "DELETE", "SELECT course_id FROM o"),
    (
        "course_tags",
        "UPDATE",
        "SELECT course_id FROM course_tag_map WHERE tag_id IN (SELECT id FROM n)",
    ),
    (
        "mentors",
        "UPDATE",
        "SELECT c.id FROM courses c JOIN n ON n.user_id = c.mentor_id "
        "JOIN o ON o.user_id = n.user_id "
        "WHERE n.headline IS DISTINCT FROM o.headline "
        "OR n.average_rating IS DISTINCT FROM o.average_rating",
    ),
    (
        "users",
        "UPDATE",
        "SELECT c.id FROM courses c JOIN n ON n.id = c.mentor_id "
        "JOIN o ON o.id = n.id "
        "WHERE n.first_name IS DISTINCT FROM o.first_name "
        "OR n.last_name IS DISTINCT FROM o.last_name",
    ),
    ("course_reviews", "INSERT", "SELECT course_id FROM n"),
    ("course_reviews", "UPDATE", "SELECT course_id FROM n UNION SELECT course_id FROM o"),
    ("course_reviews", "DELETE", "SELECT course_id FROM o"),
    ("enrollments", "INSERT", "SELECT course_id FROM n"),
    ("enrollments", "DELETE", "SELECT course_id FROM o"),
    ("course_metrics", "INSERT", "SELECT course_id FROM n"),
    ("course_metrics", "UPDATE", "SELECT course_id FROM n"),
)


def _name(table: str, event: str) -> str:
    return f"search_outbox_{table}_{event.lower()}"


def _transition_tables(event: str) -> str:
    return {
        "INSERT": "REFERENCING NEW TABLE AS n",
        "UPDATE": "REFERENCING NEW TABLE AS n OLD TABLE AS o",
        "DELETE": "REFERENCING OLD TABLE AS o",
    }[event]


def upgrade() -> None:
    op.create_table(
        "search_outbox",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("course_id", sa.UUID(), nullable=False),
        sa.Column(
            "txid",
            sa.BigInteger(),
            server_default=sa.text("(pg_current_xact_id()::text)::bigint"),
            nullable=False,
        ),
        moment("created_at"),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_outbox")),
    )
    op.create_index(
        "ix_search_outbox_pending",
        "search_outbox",
        ["id"],
        unique=False,
        postgresql_where=sa.text("processed_at IS NULL"),
    )
    op.create_table(
        "search_sync_state",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        moment("updated_at"),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_search_sync_state")),
    )
    for table, event, select in CAPTURES:
        name = _name(table, event)
        op.execute(
            f"""
            CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                -- Bulk loads (skillspring seed) switch capture off for their own transaction
                -- and are followed by a full reindex.
                IF current_setting('skillspring.capture', true) = 'off' THEN
                    RETURN NULL;
                END IF;
                INSERT INTO search_outbox (course_id)
                SELECT DISTINCT changed.course_id FROM ({select}) AS changed(course_id)
                WHERE changed.course_id IS NOT NULL;
                IF FOUND THEN
                    PERFORM pg_notify('{CHANNEL}', '');
                END IF;
                RETURN NULL;
            END $$
            """  # noqa: S608 - built from this module's constants only
        )
        op.execute(
            f"CREATE TRIGGER trg_{name} AFTER {event} ON {table} {_transition_tables(event)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )


def downgrade() -> None:
    for table, event, _ in CAPTURES:
        name = _name(table, event)
        op.execute(f"DROP TRIGGER IF EXISTS trg_{name} ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_table("search_sync_state")
    op.drop_index("ix_search_outbox_pending", table_name="search_outbox")
    op.drop_table("search_outbox")
