"""A shopper's log-in while other addresses flood the log-in (or sign-up) endpoint.

Usage: python -m benchmarks.login_flood [--url http://127.0.0.1:8000] [--attackers 150]
       [--addresses 1] [--network 127.0.7] [--sign-ups] [--shopper-address 127.0.0.88]

Against a running server (``skillspring demo`` serves one with the demo admin this signs in
as). ``--attackers`` clients, spread over ``--addresses`` loopback addresses
(``NETWORK.1`` …), send log-ins with random emails and a wrong password as fast as they are
answered (with ``--sign-ups``: new accounts, each address at most its hourly sign-ups, all at
once); after 3 s the shopper signs in twice, 3 s apart, from ``--shopper-address``. Prints
the shopper's log-in time alone, then during the flood, and the flood's status codes.
Loopback addresses 127.0.0.0/8 all reach a local server; addresses keep their failures for an
hour and their sign-ups for the hour, so give each run a new ``--network``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import string
import time

import httpx

LOGIN = "/api/v1/auth/login"
REGISTER = "/api/v1/auth/register"
SIGN_UPS_PER_ADDRESS = 10  # SKILLSPRING_SIGNUPS_PER_ADDRESS_HOUR's default


def _anyone() -> str:
    return "".join(random.choices(string.ascii_lowercase, k=12)) + "@nobody.test"


async def _log_ins(url: str, address: str, stop: asyncio.Event, counts: dict[int, int]) -> None:
    transport = httpx.AsyncHTTPTransport(local_address=address)
    async with httpx.AsyncClient(base_url=url, transport=transport, timeout=120) as client:
        while not stop.is_set():
            answer = await client.post(LOGIN, json={"email": _anyone(), "password": "wrong-1"})
            counts[answer.status_code] = counts.get(answer.status_code, 0) + 1


async def _sign_ups(url: str, address: str, counts: dict[int, int]) -> None:
    transport = httpx.AsyncHTTPTransport(local_address=address)
    body = {"password": "a-flooding-password-1", "first_name": "Flood"}
    async with httpx.AsyncClient(base_url=url, transport=transport, timeout=120) as client:
        answers = await asyncio.gather(
            *(
                client.post(REGISTER, json={**body, "email": _anyone()})
                for _ in range(SIGN_UPS_PER_ADDRESS)
            )
        )
    for answer in answers:
        counts[answer.status_code] = counts.get(answer.status_code, 0) + 1


async def _sign_in(url: str, address: str, email: str, password: str) -> tuple[int, float]:
    transport = httpx.AsyncHTTPTransport(local_address=address)
    async with httpx.AsyncClient(base_url=url, transport=transport, timeout=120) as client:
        started = time.perf_counter()
        answer = await client.post(LOGIN, json={"email": email, "password": password})
        return answer.status_code, time.perf_counter() - started


async def _run(args: argparse.Namespace) -> None:
    status, alone = await _sign_in(args.url, args.shopper_address, args.email, args.password)
    print(f"shopper's log-in alone: {status} in {alone:.2f} s")
    stop, counts = asyncio.Event(), {}
    addresses = [f"{args.network}.{n % args.addresses + 1}" for n in range(args.attackers)]
    if args.sign_ups:
        flood = [asyncio.create_task(_sign_ups(args.url, a, counts)) for a in set(addresses)]
    else:
        flood = [asyncio.create_task(_log_ins(args.url, a, stop, counts)) for a in addresses]
    await asyncio.sleep(3)  # the flood under way
    for n in (1, 2):
        status, took = await _sign_in(args.url, args.shopper_address, args.email, args.password)
        print(f"shopper's log-in {n} during the flood: {status} in {took:.2f} s")
        await asyncio.sleep(3)
    stop.set()
    await asyncio.gather(*flood)
    print("the flood's answers:", dict(sorted(counts.items())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--attackers", type=int, default=150)
    parser.add_argument("--addresses", type=int, default=1)
    parser.add_argument("--network", default="127.0.7", help="the attackers' /24, as a.b.c")
    parser.add_argument("--sign-ups", action="store_true", help="flood sign-ups instead")
    parser.add_argument("--shopper-address", default="127.0.0.88")
    parser.add_argument("--email", default="admin@demo.skillspring.test")
    parser.add_argument("--password", default="run-the-shop")
    asyncio.run(_run(parser.parse_args()))


if __name__ == "__main__":
    main()
