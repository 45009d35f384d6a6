"""How hard accounts may be tried: log-in failures back off per account and per client
address, sign-ups are limited per address and overall.

Only failures count against an address: students signing in through one campus address or
one frontend server are never refused for each other's successes, and one account's failures
never refuse another account. Against an account, a try counts until it succeeds, so more
than ``ACCOUNT_FAILURES.free`` + 1 log-ins to one account at the same moment wait, right or
wrong. An account under attack makes only its own log-ins wait (checked before the password,
so a guess costs nothing; a try is counted when it starts, so guesses sent at once cannot all
pass the check); an address that fails too often is told to wait on each further failure,
while a right password from it still signs in; an address's password checks take turns.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
import weakref
from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from search_service.lib.errors import TooManyRequests
from search_service.lib.limits import Backoff, Limit, Limiter
from search_service.lib.web import wide_network
from search_service.settings import LimitSettings

_CREDENTIALS = text(
    "SELECT id, password_hash, status FROM users WHERE email = :email AND deleted_at IS NULL"
)


@dataclass(frozen=True, slots=True)
class Credentials:
    user_id: uuid.UUID
    password_hash: str | None
    status: str


ACCOUNT_FAILURES = Backoff(
    "login-account",
    free=5,
    base=1.0,
    ceiling=900.0,
    reset=3600.0,
    message="Too many failed log-ins for this account. Wait a moment, then try again.",
)
ADDRESS_FAILURES = Backoff(
    "login-address",
    free=20,
    base=1.0,
    ceiling=300.0,
    reset=3600.0,
    message="Too many failed log-ins from your network. Wait a moment, then try again.",
)


# The share of everyone's sign-ups a minute that one network (an IPv4 /24, an IPv6 /48) may
# take: one operator's addresses used them all and shut sign-ups for everyone else.
NETWORK_SHARE = 10


def signup_limits(settings: LimitSettings) -> tuple[Limit, Limit, Limit]:
    """(per client address per hour, per network per minute, for everyone per minute)."""
    return (
        Limit(
            "signup-address",
            settings.signups_per_address_hour,
            3600,
            "Too many new accounts from your network; try again later.",
        ),
        Limit(
            "signup-network",
            max(1, settings.signups_per_minute // NETWORK_SHARE),
            60,
            "Too many new accounts from your network right now; try again in a minute.",
        ),
        Limit(
            "signup-all",
            settings.signups_per_minute,
            60,
            "We are getting a lot of sign-ups right now; try again in a minute.",
        ),
    )


class AccountGuard:
    """The account limits over one app's limiter (emails come normalised), and the look-up of
    a password hash in a short side session, so that a log-in waiting for its turn to verify
    holds no connection of the request pool."""

    def __init__(
        self,
        limiter: Limiter,
        sessions: async_sessionmaker[AsyncSession],
        settings: LimitSettings | None = None,
    ) -> None:
        self.limiter = limiter
        self.sessions = sessions
        self.per_address, self.per_network, self.everywhere = signup_limits(
            settings or LimitSettings()
        )
        # Each address's turn at password checks and hashes (gone once nobody waits for it),
        # and the one turn of all addresses that failed too often.
        self._turns: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self._failing = asyncio.Lock()

    async def credentials(self, email: str) -> Credentials | None:
        """The account's id, password hash and status, or None."""
        async with self.sessions() as session:
            row = (await session.execute(_CREDENTIALS, {"email": email})).first()
        return None if row is None else Credentials(row.id, row.password_hash, row.status)

    async def signing_up(self, client: str) -> None:
        """Raises TooManyRequests past the sign-up limits (before any password is hashed)."""
        await self.limiter.hit(self.per_address, client)
        # A network past its share is refused before it counts against everyone's.
        await self.limiter.hit(self.per_network, wide_network(client))
        await self.limiter.hit(self.everywhere, "*")

    async def logging_in(self, email: str) -> None:
        """Claim a try at this account's password, counted as a failure until ``succeeded``:
        tries sent at once are counted one by one before any password is checked.

        Raises:
            TooManyRequests: this account's log-ins must wait.
        """
        await self.limiter.attempt(ACCOUNT_FAILURES, email)

    @contextlib.asynccontextmanager
    async def turn(self, client: str, failing: bool = False) -> AsyncIterator[None]:
        """Around a password check or hash: one client address's take turns (one at a time
        in this worker), and, ``failing`` (a log-in), those of every address that has failed
        too often take one turn between them. Hashes run one at a time anyway
        (``passwords.HASH_THREADS``), so an address loses nothing by it, and a flood of
        log-ins or sign-ups from one address, or wrong log-ins from many, queues behind
        itself instead of in front of everyone else's."""
        own = self._turns.get(client)
        if own is None:
            own = self._turns[client] = asyncio.Lock()
        async with own:
            if failing and await self.limiter.waiting(ADDRESS_FAILURES, client):
                async with self._failing:
                    yield
            else:
                yield

    async def failed(self, client: str) -> None:
        """Count a failed log-in against the client's address (the account's try was
        counted when it was claimed).

        Raises:
            TooManyRequests: the client's address has failed too often (its next failures
                wait too); otherwise the caller answers the failure as usual.
        """
        wait = await self.limiter.failed(ADDRESS_FAILURES, client)
        if wait > 0:
            raise TooManyRequests(ADDRESS_FAILURES.message, retry_after=int(wait) + 1)

    async def succeeded(self, email: str) -> None:
        await self.limiter.succeeded(ACCOUNT_FAILURES, email)
