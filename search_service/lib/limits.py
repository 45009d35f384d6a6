"""Limits and back-off shared by every worker and replica (they live in PostgreSQL).

Two tools:

- a ``Limit`` is at most N hits per fixed window for one subject (registrations per client
  address, helpful votes per account);
- a ``Backoff`` lets a subject fail a few times for free, then makes it wait, twice as long
  after each further failure (up to a ceiling), until a success or a quiet spell resets it
  (log-in failures per account and per address, coupon guesses per account).

Subjects are HMACs of what they name (keyed by the app's secret), so no address or email is
stored. Every count is written in its own short transaction, committed at once: a request that
fails afterwards (and rolls its own transaction back) still counts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from search_service.lib.errors import TooManyRequests

_HIT = text("""
INSERT INTO rate_counters (key, window_start, hits)
VALUES (:key, to_timestamp(floor(extract(epoch FROM now()) / :seconds) * :seconds), 1)
ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_counters.hits + 1
RETURNING hits, extract(epoch FROM window_start + make_interval(secs => :seconds) - now()) AS left
""")
_ENSURE = text("INSERT INTO backoff_states (key) VALUES (:key) ON CONFLICT (key) DO NOTHING")
_LOCK = text(
    "SELECT failures, extract(epoch FROM now() - updated_at) AS quiet, "
    "extract(epoch FROM blocked_until - now()) AS wait FROM backoff_states "
    "WHERE key = :key FOR UPDATE"
)
_SET = text(
    "UPDATE backoff_states SET failures = :failures, updated_at = now(), "
    "blocked_until = now() + make_interval(secs => :wait) WHERE key = :key"
)
_WAITING = text("""
SELECT extract(epoch FROM blocked_until - now()) AS wait FROM backoff_states
WHERE key = :key AND blocked_until > now()
""")
_CLEAR = text("DELETE FROM backoff_states WHERE key = :key")
_SWEEP_COUNTERS = text(
    "DELETE FROM rate_counters WHERE window_start < now() - make_interval(secs => :keep)"
)
_SWEEP_BACKOFF = text(
    "DELETE FROM backoff_states WHERE updated_at < now() - make_interval(secs => :keep) "
    "AND (blocked_until IS NULL OR blocked_until < now())"
)
KEEP_SECONDS = 2 * 24 * 3600


@dataclass(frozen=True, slots=True)
class Limit:
    """At most ``hits`` per ``seconds`` for one subject; ``message`` says what was limited."""

    name: str
    hits: int
    seconds: int
    message: str


@dataclass(frozen=True, slots=True)
class Backoff:
    """``free`` failures, then waits of ``base``, 2 × ``base``, … seconds up to ``ceiling``;
    ``reset`` seconds without a failure start the count again."""

    name: str
    free: int
    base: float = 1.0
    ceiling: float = 900.0
    reset: float = 3600.0
    message: str = "Too many failed attempts; wait a moment and try again."

    def wait(self, failures: int) -> float:
        """Seconds to wait after ``failures`` failures in a row."""
        if failures <= self.free:
            return 0.0
        doublings = min(failures - self.free - 1, 64)  # 2.0 ** 1024 overflows a float
        return float(min(self.ceiling, self.base * 2.0**doublings))


def _seconds(value: float | None) -> int:
    return max(1, math.ceil(float(value or 1)))


class Limiter:
    """The limits and back-offs of one app: one secret, one sessionmaker."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], secret: str) -> None:
        self.sessions = sessions
        self.secret = hashlib.sha256(b"skillspring-limits\0" + secret.encode()).digest()

    def subject(self, name: str, value: str) -> bytes:
        """The stored key for ``value`` under a limit or back-off named ``name``."""
        return hmac.new(self.secret, f"{name}\0{value}".encode(), hashlib.sha256).digest()

    async def hit(self, limit: Limit, value: str) -> None:
        """Count one hit.

        Raises:
            TooManyRequests: this hit is over the limit (it is counted all the same).
        """
        async with self.sessions.begin() as session:
            row = (
                await session.execute(
                    _HIT, {"key": self.subject(limit.name, value), "seconds": limit.seconds}
                )
            ).one()
        if row.hits > limit.hits:
            raise TooManyRequests(limit.message, retry_after=_seconds(row.left))

    async def waiting(self, backoff: Backoff, value: str) -> float:
        """The seconds ``value`` must still wait (0: none)."""
        async with self.sessions() as session:
            wait = (
                await session.execute(_WAITING, {"key": self.subject(backoff.name, value)})
            ).scalar()
        return max(0.0, float(wait)) if wait is not None else 0.0

    async def failed(self, backoff: Backoff, value: str) -> float:
        """Count a failure; returns the seconds ``value`` must now wait (0: none yet)."""
        return await self._count(backoff, value, refuse_waiting=False)

    async def attempt(self, backoff: Backoff, value: str) -> None:
        """Claim one try for ``value``, counted as a failure until ``succeeded`` forgets them:
        tries made at once are counted one by one before any is checked, so a burst cannot
        pass the check together (only the first ``free`` + 1 of it are tried).

        Raises:
            TooManyRequests: ``value`` must wait (nothing is counted).
        """
        await self._count(backoff, value, refuse_waiting=True)

    async def _count(self, backoff: Backoff, value: str, *, refuse_waiting: bool) -> float:
        key = self.subject(backoff.name, value)
        async with self.sessions.begin() as session:
            # The row lock makes concurrent failures (and tries) count one by one.
            await session.execute(_ENSURE, {"key": key})
            row = (await session.execute(_LOCK, {"key": key})).one()
            if refuse_waiting and row.wait is not None and float(row.wait) > 0:
                raise TooManyRequests(backoff.message, retry_after=_seconds(row.wait))
            fresh = row.failures == 0 or float(row.quiet) > backoff.reset
            failures = 1 if fresh else row.failures + 1
            wait = backoff.wait(failures)
            await session.execute(_SET, {"key": key, "failures": failures, "wait": wait})
        return wait

    async def succeeded(self, backoff: Backoff, value: str) -> None:
        """A success forgets the failures."""
        async with self.sessions.begin() as session:
            await session.execute(_CLEAR, {"key": self.subject(backoff.name, value)})

    async def sweep(self, keep: dt.timedelta = dt.timedelta(seconds=KEEP_SECONDS)) -> None:
        """Forget windows and back-offs long past (run now and then)."""
        async with self.sessions.begin() as session:
            await session.execute(_SWEEP_COUNTERS, {"keep": keep.total_seconds()})
            await session.execute(_SWEEP_BACKOFF, {"keep": keep.total_seconds()})
