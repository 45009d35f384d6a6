"""Archiving a course (it leaves search through sync) and marking its media for archival."""

from __future__ import annotations

from collections.abc import Callable

import asyncpg

from search_service.lib.errors import NotFound

MEDIA_BATCH = 1000

ARCHIVE_COURSE = """
UPDATE courses SET status = 'archived', deleted_at = coalesce(deleted_at, now())
WHERE slug = $1
RETURNING id
"""

# Media of archived courses not yet marked, a keyset batch at a time.
NEXT_MEDIA = """
SELECT m.id FROM media_assets m JOIN courses c ON c.id = m.owner_id
WHERE c.status = 'archived' AND m.archived_at IS NULL AND m.id > $1
ORDER BY m.id LIMIT $2
"""
MARK_MEDIA = "UPDATE media_assets SET archived_at = now() WHERE id = ANY($1::uuid[])"
COUNT_MEDIA = """
SELECT count(*) FROM media_assets m JOIN courses c ON c.id = m.owner_id
WHERE c.status = 'archived' AND m.archived_at IS NULL
"""


async def archive_course(conn: asyncpg.Connection, slug: str) -> None:
    """Set ``status = 'archived'`` and ``deleted_at``; the outbox trigger queues the removal.

    Raises:
        NotFound: no course has this slug.
    """
    if await conn.fetchrow(ARCHIVE_COURSE, slug) is None:
        raise NotFound(f"no course with slug {slug!r}")


async def pending_media(conn: asyncpg.Connection) -> int:
    return int(await conn.fetchval(COUNT_MEDIA))


async def archive_media(
    conn: asyncpg.Connection, progress: Callable[[int], None] | None = None
) -> int:
    """Mark every media asset of an archived course, one committed batch at a time.

    Idempotent (only unmarked assets are touched) and resumable (a batch that committed
    stays done; a killed run picks up where it stopped). Returns how many were marked.
    """
    import uuid

    marked = 0
    after = uuid.UUID(int=0)
    while True:
        ids = [r["id"] for r in await conn.fetch(NEXT_MEDIA, after, MEDIA_BATCH)]
        if not ids:
            return marked
        async with conn.transaction():
            await conn.execute(MARK_MEDIA, ids)
        marked += len(ids)
        after = ids[-1]
        if progress is not None:
            progress(len(ids))
