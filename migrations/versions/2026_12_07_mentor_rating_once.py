"""mentors.average_rating: the mean of the mentor's reviews rounded once, to the one decimal
pages show (4.149 is 4.1; stored as 4.15 it was shown as 4.2). Recounted from the reviews;
later review writes keep it so (reviews/queries.py).

Revision ID: 0015_mentor_rating_once
Revises: 0014_event_currency
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision: str = "0015_mentor_rating_once"
down_revision: str | None = "0014_event_currency"

RECOUNT = """
UPDATE mentors m SET average_rating = s.average
FROM (SELECT c.mentor_id, round(avg(r.rating), {digits}) AS average
      FROM course_reviews r JOIN courses c ON c.id = r.course_id GROUP BY c.mentor_id) s
WHERE m.user_id = s.mentor_id
"""


def upgrade() -> None:
    op.execute(RECOUNT.format(digits=1))


def downgrade() -> None:
    op.execute(RECOUNT.format(digits=2))
