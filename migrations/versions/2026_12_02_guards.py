"""Guards against hostile and concurrent traffic.

Shared limit counters and log-in back-off (every worker and replica sees the same), page-view
visitors (one view per visitor per course per day), the total a cart last showed, who wrote an
answer, safe URLs only, tokens revoked when an account stops being active, and app_state.

Revision ID: 0006_guards
Revises: 0005_review_reports
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from search_service.db.ddl import foreign_key, moment

revision: str = "0006_guards"
down_revision: str | None = "0005_review_reports"

# As search_service/safe_urls.py says today (a migration keeps the rule it was written with):
# https://…, or a path on this site.
SAFE_URL_PATTERN = r'^(https://[^\s<>"]+|/([^/\\\s][^\s<>"]*)?)$'


def url_check(column: str) -> str:
    return f"{column} IS NULL OR {column} ~ '{SAFE_URL_PATTERN}'"


# (table, column): every URL the catalog and its people carry.
URL_COLUMNS = (
    ("courses", "hero_video_url"),
    ("courses", "thumbnail_url"),
    ("lectures", "video_url"),
    ("lectures", "resource_url"),
    ("users", "avatar_url"),
    ("students", "resume_url"),
    ("media_assets", "url"),
)

# A suspended, deactivated or deleted account ends every session: tokens issued before do not
# come back if the account is re-activated.
REVOKE_FUNCTION = """
CREATE FUNCTION skillspring_revoke_tokens() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (OLD.status = 'active' AND NEW.status <> 'active')
       OR (OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL)
    THEN
        UPDATE auth_tokens SET revoked_at = now()
        WHERE user_id = NEW.id AND revoked_at IS NULL;
    END IF;
    RETURN NEW;
END $$
"""
REVOKE_TRIGGER = """
CREATE TRIGGER users_revoke_tokens AFTER UPDATE OF status, deleted_at ON users
FOR EACH ROW EXECUTE FUNCTION skillspring_revoke_tokens()
"""


def upgrade() -> None:
    op.create_table(
        "app_state",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        moment("updated_at"),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_app_state")),
    )
    op.create_table(
        "backoff_states",
        sa.Column("key", sa.LargeBinary(), nullable=False),
        sa.Column("failures", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        moment("updated_at"),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_backoff_states")),
    )
    op.create_index("ix_backoff_states_updated_at", "backoff_states", ["updated_at"])
    op.create_table(
        "rate_counters",
        sa.Column("key", sa.LargeBinary(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hits", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("key", "window_start", name=op.f("pk_rate_counters")),
    )
    op.create_index("ix_rate_counters_window_start", "rate_counters", ["window_start"])
    op.create_table(
        "course_view_visitors",
        sa.Column("course_id", sa.UUID(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("visitor", sa.LargeBinary(), nullable=False),
        foreign_key("course_view_visitors", "course_id", "courses.id", "CASCADE"),
        sa.PrimaryKeyConstraint(
            "course_id", "day", "visitor", name=op.f("pk_course_view_visitors")
        ),
    )
    op.create_index("ix_course_view_visitors_day", "course_view_visitors", ["day"])
    op.add_column("carts", sa.Column("shown_total_cents", sa.Integer(), nullable=True))
    op.add_column("course_answers", sa.Column("answered_by", sa.UUID(), nullable=True))
    op.create_index(op.f("ix_course_answers_answered_by"), "course_answers", ["answered_by"])
    op.create_foreign_key(
        op.f("fk_course_answers_answered_by_users"),
        "course_answers",
        "users",
        ["answered_by"],
        ["id"],
        ondelete="SET NULL",
    )
    for table, column in URL_COLUMNS:
        op.create_check_constraint(op.f(f"ck_{table}_{column}_safe"), table, url_check(column))
    op.execute(REVOKE_FUNCTION)
    op.execute(REVOKE_TRIGGER)


def downgrade() -> None:
    op.execute("DROP TRIGGER users_revoke_tokens ON users")
    op.execute("DROP FUNCTION skillspring_revoke_tokens()")
    for table, column in URL_COLUMNS:
        op.drop_constraint(op.f(f"ck_{table}_{column}_safe"), table, type_="check")
    op.drop_constraint(
        op.f("fk_course_answers_answered_by_users"), "course_answers", type_="foreignkey"
    )
    op.drop_index(op.f("ix_course_answers_answered_by"), table_name="course_answers")
    op.drop_column("course_answers", "answered_by")
    op.drop_column("carts", "shown_total_cents")
    op.drop_index("ix_course_view_visitors_day", table_name="course_view_visitors")
    op.drop_table("course_view_visitors")
    op.drop_index("ix_rate_counters_window_start", table_name="rate_counters")
    op.drop_table("rate_counters")
    op.drop_index("ix_backoff_states_updated_at", table_name="backoff_states")
    op.drop_table("backoff_states")
    op.drop_table("app_state")
