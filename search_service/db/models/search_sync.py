"""search_outbox, search_sync_state and course_embeddings: how catalog changes reach the search
engine."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, DateTime, Index, LargeBinary, Text, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from search_service.db.models.base import Base, CourseRef, CreatedAt, Timestamp

# The writing transaction's id (xid8 as bigint), so a reindex can tell which changes its
# snapshot saw: pg_visible_in_snapshot(txid::text::xid8, snapshot).
TXID_DEFAULT = text("(pg_current_xact_id()::text)::bigint")


class SearchOutbox(Base):
    """One row per course touched by a committed statement; deleted once the engine has it."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    course_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    txid: Mapped[int] = mapped_column(BigInteger, server_default=TXID_DEFAULT)
    created_at: Mapped[CreatedAt]
    processed_at: Mapped[Timestamp | None]

    __table_args__ = (
        Index("ix_search_outbox_pending", "id", postgresql_where=text("processed_at IS NULL")),
    )


class SearchSyncState(Base):
    """Small key/value facts of the sync: the running reindex's snapshot, last sync time."""

    __tablename__ = "search_sync_state"

    name: Mapped[str] = mapped_column(Text, primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=text("now()")
    )


class CourseEmbedding(Base):
    """A course's vector for one embedding model, with a hash of the text it was made from:
    ``reindex`` and ``sync`` embed a course again only when its text or the model changed."""

    __tablename__ = "course_embeddings"

    course_id: Mapped[CourseRef] = mapped_column(primary_key=True)
    model: Mapped[str] = mapped_column(Text, primary_key=True)
    text_hash: Mapped[bytes] = mapped_column(LargeBinary)
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # little-endian float32
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=text("now()")
    )
