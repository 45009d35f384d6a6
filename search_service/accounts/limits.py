"""How hard accounts may be tried: log-in failures back off per account and per client
address, sign-ups are limited per address and overall.

Only failures count: students signing in through one campus address or one frontend server
are never refused for each other's successes, and one account's failures never refuse another
account. An account under attack makes only its own log-ins wait (checked before the password,
so a guess costs nothing); an address that fails too often is told to wait on each further
failure, while a right password from it still signs in.
"""

from __future__ import annotations

from search_service.errors import TooManyRequests
from search_service.limits import Backoff, Limit, Limiter

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
SIGNUPS_PER_ADDRESS = Limit(
    "signup-address", 10, 3600, "Too many new accounts from your network; try again later."
)
SIGNUPS_EVERYWHERE = Limit(
    "signup-all", 300, 60, "We are getting a lot of sign-ups right now; try again in a minute."
)


class AccountGuard:
    """The account limits over one app's limiter (emails come normalised)."""

    def __init__(self, limiter: Limiter) -> None:
        self.limiter = limiter

    async def signing_up(self, client: str) -> None:
        """Raises TooManyRequests past the sign-up limits (before any password is hashed)."""
        await self.limiter.hit(SIGNUPS_PER_ADDRESS, client)
        await self.limiter.hit(SIGNUPS_EVERYWHERE, "*")

    async def logging_in(self, email: str) -> None:
        """Raises TooManyRequests while this account's log-ins must wait."""
        await self.limiter.check(ACCOUNT_FAILURES, email)

    async def failed(self, email: str, client: str) -> None:
        """Count a failed log-in.

        Raises:
            TooManyRequests: the client's address has failed too often (its next failures
                wait too); otherwise the caller answers the failure as usual.
        """
        await self.limiter.failed(ACCOUNT_FAILURES, email)
        wait = await self.limiter.failed(ADDRESS_FAILURES, client)
        if wait > 0:
            raise TooManyRequests(ADDRESS_FAILURES.message, retry_after=int(wait) + 1)

    async def succeeded(self, email: str) -> None:
        await self.limiter.succeeded(ACCOUNT_FAILURES, email)
