"""Query ids: every search gets one, signed, so an event can name its search without a lookup.

An id is 16 bytes (6 bytes of milliseconds since the epoch, then 10 random bytes: it sorts by
time, like a UUIDv7) followed by the first 10 bytes of an HMAC-SHA256 of them under the app's
secret, in URL-safe base64 without padding (35 characters). Every worker and replica with the
same secret checks ids the others gave out; an id nobody gave out, or one older than the
insights retention, is refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import time
import uuid

SIGNATURE_BYTES = 10
ID_LENGTH = 35  # characters: base64 of 16 + 10 bytes
CLIENT_PERIOD_SECONDS = 30 * 86_400  # as long as the popular searches' window


class QueryIds:
    def __init__(self, secret: str, max_age_days: int) -> None:
        self._key = hashlib.sha256(b"skillspring query id\0" + secret.encode()).digest()
        self.max_age_ms = max_age_days * 86_400_000

    def client(self, address: str, at: float | None = None) -> bytes:
        """A keyed hash of a client's address and the 30-day period (since the Unix epoch) of
        ``at`` (now by default): one address is one client in any 30 days' count, two at most
        across a period's end (a daily one made it 5 clients in 5 days); the address cannot
        be read back, and the next period's is another."""
        period = int((time.time() if at is None else at) // CLIENT_PERIOD_SECONDS)
        message = f"client\0{period}\0{address}".encode()
        return hmac.new(self._key, message, "sha256").digest()[:8]

    def _sign(self, raw: bytes) -> bytes:
        return hmac.new(self._key, raw, hashlib.sha256).digest()[:SIGNATURE_BYTES]

    def new(self, at: float | None = None) -> tuple[uuid.UUID, str]:
        """A fresh id (made ``at`` a Unix time, now by default): the UUID stored with the
        search, and the token handed out."""
        when = time.time() if at is None else at
        raw = int(when * 1000).to_bytes(6, "big") + os.urandom(10)
        token = base64.urlsafe_b64encode(raw + self._sign(raw)).rstrip(b"=").decode()
        return uuid.UUID(bytes=raw), token

    def check(self, token: str) -> uuid.UUID | None:
        """The UUID of a token we gave out and still keep, else None."""
        if len(token) != ID_LENGTH:
            return None
        try:
            data = base64.urlsafe_b64decode(token + "=")
        except (binascii.Error, ValueError):
            return None
        if base64.urlsafe_b64encode(data).rstrip(b"=").decode() != token:
            return None  # one spelling per id (the last character has spare bits)
        raw, signature = data[:16], data[16:]
        if len(raw) != 16 or not hmac.compare_digest(signature, self._sign(raw)):
            return None
        age = int(time.time() * 1000) - int.from_bytes(raw[:6], "big")
        if age > self.max_age_ms or age < -60_000:
            return None
        return uuid.UUID(bytes=raw)


def searched_seconds_ago(query_id: uuid.UUID) -> float:
    """How long ago the search of ``query_id`` was made (its first 6 bytes are its time)."""
    made_ms = int.from_bytes(query_id.bytes[:6], "big")
    return time.time() - made_ms / 1000
