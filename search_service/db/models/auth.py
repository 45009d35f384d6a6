"""auth_tokens: opaque bearer tokens and session ids, stored only as SHA-256 hashes."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import DateTime, ForeignKey, LargeBinary, Text, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from search_service.db.models.base import Base, CreatedAt, Timestamp, UuidPk


class AuthToken(Base):
    __tablename__ = "auth_tokens"

    id: Mapped[UuidPk]
    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[bytes] = mapped_column(LargeBinary, unique=True)
    kind: Mapped[str] = mapped_column(Text, server_default=text("'api'"))
    created_at: Mapped[CreatedAt]
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[Timestamp | None]
