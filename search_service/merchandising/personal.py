"""A signed-in student's search: courses they own marked and moved down, and a small, bounded
lift for courses in the categories they prefer or have bought from.

Bounded by construction: only the order *within the page* changes (nothing enters or leaves
a page, totals and facets are untouched); an owned course goes after the page's others
(unless the query names it: every word of its title is in the query); a
course in a liked category moves up past at most ``LIFT_PLACES`` others, on the relevance
sort only; courses a merchandising rule pinned never move. ``SKILLSPRING_PERSONALIZE=false``
turns the reordering off (owned courses are still marked). Anonymous shoppers get the
engine's order.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import msgspec
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

LIFT_PLACES = 2

PROFILE = text("""
WITH liked AS (
    SELECT unnest(preferred_categories) AS category_id FROM students WHERE user_id = :viewer
    UNION
    SELECT cc.category_id FROM enrollments e
    JOIN course_categories cc ON cc.course_id = e.course_id
    WHERE e.student_id = :viewer
)
SELECT c.id::text AS id,
       EXISTS (SELECT 1 FROM enrollments e
               WHERE e.student_id = :viewer AND e.course_id = c.id) AS owned,
       EXISTS (SELECT 1 FROM course_categories cc
               WHERE cc.course_id = c.id AND cc.category_id IN (SELECT category_id FROM liked))
           AS liked
FROM unnest(CAST(:ids AS uuid[])) AS c(id)
""")

LATEST_PURCHASES = text("""
SELECT e.course_id, c.title FROM enrollments e
JOIN courses c ON c.id = e.course_id
WHERE e.student_id = :viewer
ORDER BY e.purchased_at DESC NULLS LAST, e.course_id
LIMIT :limit
""")


class Profile(msgspec.Struct, frozen=True):
    owned: frozenset[str] = frozenset()
    liked: frozenset[str] = frozenset()


class Personaliser:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], enabled: bool = True) -> None:
        self.sessions = sessions
        self.enabled = enabled

    async def profile(self, viewer: uuid.UUID, ids: Sequence[str]) -> Profile:
        """Which of ``ids`` the viewer owns, and which are in categories they like."""
        if not ids:
            return Profile()
        async with self.sessions() as session:
            rows = (await session.execute(PROFILE, {"viewer": viewer, "ids": list(ids)})).all()
        return Profile(
            owned=frozenset(r[0] for r in rows if r[1]),
            liked=frozenset(r[0] for r in rows if r[2]),
        )

    def order(
        self,
        ids: Sequence[str],
        profile: Profile,
        fixed: int,
        lift: bool,
        named: frozenset[str] = frozenset(),
    ) -> list[int]:
        """The page's new order (indexes into ``ids``): the first ``fixed`` stay, then the
        others with liked ones lifted (at most LIFT_PLACES places), then the owned, but for
        those the query ``named`` (searching a title bought is going back to that course)."""
        if not self.enabled:
            return list(range(len(ids)))
        head = list(range(min(fixed, len(ids))))
        moved = profile.owned - named
        rest = [i for i in range(len(head), len(ids)) if ids[i] not in moved]
        owned = [i for i in range(len(head), len(ids)) if ids[i] in moved]
        if lift:
            for place in range(len(rest)):
                if ids[rest[place]] not in profile.liked:
                    continue
                target = place
                while (
                    target > 0
                    and place - target < LIFT_PLACES
                    and ids[rest[target - 1]] not in profile.liked
                ):
                    target -= 1
                rest.insert(target, rest.pop(place))
        return head + rest + owned


async def latest_purchases(
    session: AsyncSession, viewer: uuid.UUID, limit: int
) -> list[tuple[uuid.UUID, str]]:
    """The viewer's most recent purchases: (course id, title)."""
    rows = await session.execute(LATEST_PURCHASES, {"viewer": viewer, "limit": limit})
    return [(r[0], r[1]) for r in rows]
