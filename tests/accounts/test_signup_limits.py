"""Log-in back-off and sign-up limits, against ``skillspring serve`` with two workers and real
PostgreSQL: every worker sees the same counts; only failures count; one account's failures
never refuse another; X-Forwarded-For is believed only from a trusted proxy."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from search_service.accounts.limits import ACCOUNT_FAILURES, ADDRESS_FAILURES
from search_service.db.connection import make_engine
from search_service.lib.errors import TooManyRequests
from search_service.lib.limits import Backoff, Limiter
from search_service.settings import LimitSettings
from tests.support.catalogs import Catalog
from tests.support.servers import Served, serve
from tests.support.shoppers import PASSWORD, account


@pytest.fixture
def server(shop: Catalog, tmp_path: Path) -> Iterator[Served]:
    """Two workers; its own data folder, so its own secret and so its own counters."""
    with serve(shop, tmp_path / "server") as served:
        yield served


@pytest.fixture
def proxied(shop: Catalog, tmp_path: Path) -> Iterator[Served]:
    """The same, behind a trusted proxy at 127.0.0.1 (the tests' own address)."""
    env = {"SKILLSPRING_TRUSTED_PROXIES": "127.0.0.1"}
    with serve(shop, tmp_path / "proxied", env=env) as served:
        yield served


async def _limiter(url: str, secret: str) -> AsyncIterator[Limiter]:
    engine = make_engine(url, pool_size=2)
    yield Limiter(async_sessionmaker(engine), secret)
    await engine.dispose()


@pytest.fixture
async def limiter(server: Served, shop: Catalog, tmp_path: Path) -> AsyncIterator[Limiter]:
    """A limiter on the shop catalog with the running ``server``'s secret."""
    secret = (tmp_path / "server" / "secret_key").read_text().strip()
    async for made in _limiter(shop.url, secret):
        yield made


@pytest.fixture
async def bare_limiter(shop: Catalog) -> AsyncIterator[Limiter]:
    async for made in _limiter(shop.url, uuid.uuid4().hex):
        yield made


async def login(
    client: httpx.AsyncClient, email: str, password: str, **headers: str
) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/login", json={"email": email, "password": password}, headers=headers
    )


@pytest.mark.system
async def test_failures_back_off_per_account_across_workers(
    server: Served, limiter: Limiter, db: asyncpg.Connection
) -> None:
    victim, other = await account(db), await account(db)
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        # The free failures, and the first that sets a wait, are answered as usual.
        for _ in range(ACCOUNT_FAILURES.free + 1):
            assert (await login(client, victim, "wrong guess 123")).status_code == 401
        # (More failures, as from another worker or replica: the wait is long now.)
        for _ in range(4):
            await limiter.failed(ACCOUNT_FAILURES, victim)
        refused = await login(client, victim, "wrong guess 123")
        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert int(refused.headers["retry-after"]) > ACCOUNT_FAILURES.wait(6)
        # Even the right password waits while the account backs off (nothing is checked).
        assert (await login(client, victim, PASSWORD)).status_code == 429
        # Another account, from the same address, signs in at once.
        assert (await login(client, other, PASSWORD)).status_code == 200


async def test_the_wait_doubles_after_the_free_failures(bare_limiter: Limiter) -> None:
    limiter = bare_limiter
    policy = Backoff("test-doubling", free=2, base=1.0, ceiling=8.0, reset=3600.0)
    subject = uuid.uuid4().hex
    waits = [await limiter.failed(policy, subject) for _ in range(7)]
    assert [round(w) for w in waits] == [0, 0, 1, 2, 4, 8, 8]
    await limiter.succeeded(policy, subject)
    assert await limiter.failed(policy, subject) == 0, "a success forgets the failures"
    # An address that keeps failing for hours: its wait stays at the ceiling (2.0 ** 1024, a
    # float overflow, answered 500 after about a thousand failures).
    assert policy.wait(1_000_000) == policy.ceiling


async def test_concurrent_failures_are_all_counted(bare_limiter: Limiter) -> None:
    limiter = bare_limiter
    policy = Backoff("test-concurrent", free=100, base=1.0)
    subject = uuid.uuid4().hex
    await asyncio.gather(*(limiter.failed(policy, subject) for _ in range(30)))
    # The 31st failure is the 31st: none was lost to a race.
    assert await limiter.failed(policy, subject) == 0
    failures = Backoff("test-concurrent", free=30, base=1.0)
    assert await limiter.failed(failures, subject) > 0


async def test_tries_sent_at_once_are_counted_before_any_is_checked(bare_limiter: Limiter) -> None:
    # A try is claimed before its password (or coupon code) is checked: of thirty sent at
    # once, only the free ones and the one that sets the wait are let through.
    policy = Backoff("test-burst", free=5, base=60.0)
    subject = uuid.uuid4().hex
    tried = await asyncio.gather(
        *(bare_limiter.attempt(policy, subject) for _ in range(30)), return_exceptions=True
    )
    assert sum(t is None for t in tried) == policy.free + 1
    assert all(isinstance(t, TooManyRequests) for t in tried if t is not None)
    await bare_limiter.succeeded(policy, subject)  # a right password forgets them
    assert await bare_limiter.attempt(policy, subject) is None


async def _at_once(server: Served, tries: list[tuple[str, str]]) -> list[int]:
    """The statuses of log-ins (email, password) sent all at once from one address."""
    async with httpx.AsyncClient(base_url=server.url, timeout=120) as client:
        answers = await asyncio.gather(*(login(client, e, p) for e, p in tries))
    return [a.status_code for a in answers]


@pytest.mark.system
async def test_guesses_sent_at_once_back_off_like_guesses_sent_in_turn(
    server: Served, db: asyncpg.Connection
) -> None:
    victim = await account(db)
    statuses = await _at_once(server, [(victim, f"guess number {n}") for n in range(40)])
    assert statuses.count(401) == ACCOUNT_FAILURES.free + 1, statuses
    assert statuses.count(429) == 40 - ACCOUNT_FAILURES.free - 1
    # The account waits after exactly those failures (the 34 refused were not counted):
    # read from its state, not from the clock (a right password sent next was 429 only while
    # the one-second wait lasted, which a loaded machine outran).
    waiting = await db.fetch(
        "SELECT failures, blocked_until - updated_at AS wait FROM backoff_states "
        "WHERE blocked_until > updated_at"
    )
    assert [r["failures"] for r in waiting] == [ACCOUNT_FAILURES.free + 1], waiting
    assert waiting[0]["wait"].total_seconds() == pytest.approx(ACCOUNT_FAILURES.base, abs=0.5)


@pytest.mark.system
async def test_successes_are_never_limited(server: Served, db: asyncpg.Connection) -> None:
    """Forty students signing in through one address (a campus, a frontend server)."""
    emails = [await account(db) for _ in range(40)]
    assert await _at_once(server, [(e, PASSWORD) for e in emails]) == [200] * 40


@pytest.mark.system
async def test_an_address_that_fails_too_often_waits_but_right_passwords_pass(
    server: Served, db: asyncpg.Connection
) -> None:
    student = await account(db)
    async with httpx.AsyncClient(base_url=server.url, timeout=120) as client:
        # Guesses sprayed over many accounts: no one account backs off...
        statuses = [
            (await login(client, f"nobody-{i}@example.com", "password guess")).status_code
            for i in range(ADDRESS_FAILURES.free + 2)
        ]
        assert statuses[: ADDRESS_FAILURES.free] == [401] * ADDRESS_FAILURES.free
        # ...but the address does: its further failures are told to wait.
        assert statuses[ADDRESS_FAILURES.free :] == [429, 429]
        # A student behind the same address with the right password signs in.
        assert (await login(client, student, PASSWORD)).status_code == 200


@pytest.mark.system
async def test_forwarded_addresses_count_only_from_a_trusted_proxy(
    server: Served, proxied: Served, db: asyncpg.Connection
) -> None:
    victim = await account(db)
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
        # Not trusted: rotating X-Forwarded-For changes nothing, the account backs off.
        statuses = [
            (
                await login(client, victim, "wrong again", **{"x-forwarded-for": f"203.0.113.{i}"})
            ).status_code
            for i in range(ACCOUNT_FAILURES.free + 2)
        ]
        assert statuses[-1] == 429
    spraying = {"x-forwarded-for": "198.51.100.7"}
    async with httpx.AsyncClient(base_url=proxied.url, timeout=120) as client:
        # Behind the trusted proxy, the forwarded address is the client's.
        for i in range(ADDRESS_FAILURES.free):
            response = await login(client, f"x{i}@example.com", "guess guess", **spraying)
            assert response.status_code == 401
        assert (await login(client, "y@example.com", "guess", **spraying)).status_code == 429
        elsewhere = {"x-forwarded-for": "198.51.100.8"}
        assert (await login(client, "y@example.com", "guess", **elsewhere)).status_code == 401


@pytest.mark.system
async def test_sign_ups_are_limited_per_address(server: Served, db: asyncpg.Connection) -> None:
    per_address = LimitSettings().signups_per_address_hour  # the server runs with the defaults
    before = await db.fetchval("SELECT count(*) FROM users")
    async with httpx.AsyncClient(base_url=server.url, timeout=120) as client:
        statuses = [
            (
                await client.post(
                    "/api/v1/auth/register",
                    json={
                        "email": f"new-{uuid.uuid4().hex[:10]}@example.com",
                        "password": PASSWORD,
                        "first_name": "Sam",
                    },
                )
            ).status_code
            for _ in range(per_address + 2)
        ]
    assert statuses == [201] * per_address + [429, 429]
    after = await db.fetchval("SELECT count(*) FROM users")
    assert after == before + per_address, "a refused sign-up writes nothing"


async def test_one_network_cannot_spend_everyone_s_sign_ups(bare_limiter: Limiter) -> None:
    """32 addresses of one network, 10 sign-ups each, used up the 300 a minute for everyone
    and shut sign-ups for all: a network (an IPv4 /24, an IPv6 /48) gets a tenth of them,
    and another network still signs up."""
    from search_service.accounts.limits import AccountGuard

    settings = LimitSettings(signups_per_address_hour=1_000, signups_per_minute=300)
    guard = AccountGuard(bare_limiter, None, settings)  # type: ignore[arg-type]  # no look-ups
    share = settings.signups_per_minute // 10
    for network in ("198.51.100.{}", "2001:db8:7:{}::/64"):
        for n in range(share):
            await guard.signing_up(network.format(n % 30 + 1))
        with pytest.raises(TooManyRequests) as refused:
            await guard.signing_up(network.format(31))
        assert "network" in refused.value.detail
    await guard.signing_up("203.0.113.9")  # another network: the rest is still there
