"""auth_tokens: opaque bearer tokens and session ids, stored only as SHA-256 hashes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, LargeBinary, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from search_service.db.models.base import Base, CreatedAt, Timestamp, UserRef, UuidPk


class AuthToken(Base):
    __tablename__ = "auth_tokens"

    id: Mapped[UuidPk]
    user_id: Mapped[UserRef] = mapped_column(index=True)
    token_hash: Mapped[bytes] = mapped_column(LargeBinary, unique=True)
    kind: Mapped[str] = mapped_column(Text, server_default=text("'api'"))
    created_at: Mapped[CreatedAt]
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[Timestamp | None]
