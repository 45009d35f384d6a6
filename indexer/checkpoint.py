"""The outbox as the sync's checkpoint: rows leave it only after the engine confirmed them.

While a full reindex runs, confirmed rows are marked instead of deleted; when the reindex
switches, the rows its snapshot did not see are put back, so the new index gets them too.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import asyncpg

SYNC_LOCK = 0x5EA2C4_01  # held per sync batch (and by the reindex switch)
REINDEX_LOCK = 0x5EA2C4_02  # held by a running reindex for its whole run
REINDEX_MARKER = "reindex_snapshot"
LAST_SYNC = "last_sync_at"


@dataclass(frozen=True, slots=True)
class Claimed:
    """Outbox rows claimed by one batch."""

    outbox_ids: list[int]
    course_ids: list[uuid.UUID]


async def lock_batch(conn: asyncpg.Connection) -> None:
    """Serialise this transaction with other sync batches and the reindex switch."""
    await conn.execute("SELECT pg_advisory_xact_lock($1)", SYNC_LOCK)


async def claim(conn: asyncpg.Connection, limit: int) -> Claimed:
    """The oldest pending rows, locked for this transaction."""
    rows = await conn.fetch(
        "SELECT id, course_id FROM search_outbox WHERE processed_at IS NULL "
        "ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
        limit,
    )
    course_ids = list(dict.fromkeys(r["course_id"] for r in rows))
    return Claimed([r["id"] for r in rows], course_ids)


async def _reindex_running(conn: asyncpg.Connection) -> bool:
    marker = await conn.fetchval("SELECT 1 FROM search_sync_state WHERE name = $1", REINDEX_MARKER)
    if not marker:
        return False
    # A marker nobody holds the reindex lock for was left by a killed reindex: clear it.
    if await conn.fetchval("SELECT pg_try_advisory_xact_lock($1)", REINDEX_LOCK):
        await abandon_reindex(conn)
        return False
    return True


async def acknowledge(conn: asyncpg.Connection, claimed: Claimed) -> None:
    """The engine confirmed these rows: take them out of the queue."""
    if await _reindex_running(conn):
        await conn.execute(
            "UPDATE search_outbox SET processed_at = now() WHERE id = ANY($1::bigint[])",
            claimed.outbox_ids,
        )
    else:
        await conn.execute(
            "DELETE FROM search_outbox WHERE id = ANY($1::bigint[])", claimed.outbox_ids
        )
    await conn.execute(
        "INSERT INTO search_sync_state (name, value, updated_at) VALUES ($1, now()::text, now()) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = now()",
        LAST_SYNC,
    )


async def mark_reindex_started(conn: asyncpg.Connection) -> None:
    """From now on sync marks rows instead of deleting them (committed before the snapshot)."""
    await conn.execute(
        "INSERT INTO search_sync_state (name, value) VALUES ($1, NULL) "
        "ON CONFLICT (name) DO UPDATE SET value = NULL, updated_at = now()",
        REINDEX_MARKER,
    )


async def record_snapshot(conn: asyncpg.Connection, snapshot: str) -> None:
    """Remember which transactions the reindex's snapshot sees."""
    await conn.execute(
        "UPDATE search_sync_state SET value = $2, updated_at = now() WHERE name = $1",
        REINDEX_MARKER,
        snapshot,
    )


async def finish_reindex(conn: asyncpg.Connection) -> int:
    """After the switch: drop rows the new index already reflects, requeue the rest.

    Returns how many rows were requeued for the catch-up sync.
    """
    snapshot = await conn.fetchval(
        "SELECT value FROM search_sync_state WHERE name = $1", REINDEX_MARKER
    )
    if snapshot is not None:
        await conn.execute(
            "DELETE FROM search_outbox "
            "WHERE pg_visible_in_snapshot(txid::text::xid8, $1::text::pg_snapshot)",
            snapshot,
        )
    status = await conn.execute(
        "UPDATE search_outbox SET processed_at = NULL WHERE processed_at IS NOT NULL"
    )
    await conn.execute("DELETE FROM search_sync_state WHERE name = $1", REINDEX_MARKER)
    return int(status.split()[-1])


async def abandon_reindex(conn: asyncpg.Connection) -> None:
    """A reindex failed or was killed: the marked rows are applied again to whichever index
    is live. The old one has them already (applying a row again is idempotent), but a run
    that failed after its switch made the new one live without them: deleting them lost
    those changes until the next full reindex."""
    await conn.execute(
        "UPDATE search_outbox SET processed_at = NULL WHERE processed_at IS NOT NULL"
    )
    await conn.execute("DELETE FROM search_sync_state WHERE name = $1", REINDEX_MARKER)
