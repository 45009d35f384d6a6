"""argon2id password hashing, off the event loop.

A hash or a verification is slow on purpose (argon2id's cost): done inline it would stall
every other request on the worker. They run in worker threads instead, at most
``HASH_THREADS`` at a time, so a flood of log-ins or registrations queues here rather than
starving search.
"""

from __future__ import annotations

import asyncio
import weakref

import anyio.to_thread
from anyio import CapacityLimiter
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
HASH_THREADS = 1
_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter] = (
    weakref.WeakKeyDictionary()
)
# Verified when the email is unknown, so both cases take the same time.
_DUMMY_HASH = HASHER.hash("not-a-real-password")


def _threads() -> CapacityLimiter:
    # One per event loop: a limiter belongs to the loop that uses it.
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = CapacityLimiter(HASH_THREADS)
    return limiter


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(HASHER.hash, password, limiter=_threads())


def _verify(stored: str | None, password: str) -> bool:
    try:
        return HASHER.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(stored: str | None, password: str) -> bool:
    """True when ``password`` matches ``stored``; with no stored hash, takes as long and is
    False (so an unknown account cannot be told from a wrong password by timing)."""
    return await anyio.to_thread.run_sync(_verify, stored, password, limiter=_threads())


def needs_rehash(stored: str) -> bool:
    return HASHER.check_needs_rehash(stored)
