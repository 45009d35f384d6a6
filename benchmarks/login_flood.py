"""A shopper's log-in while one address floods the log-in endpoint with wrong passwords.

Usage: python -m benchmarks.login_flood [--url http://127.0.0.1:8000] [--attackers 150]
       [--attacker-address 127.0.0.77] [--shopper-address 127.0.0.88]

Against a running server (``skillspring demo`` serves one with the demo admin this signs in
as). ``--attackers`` clients send log-ins with random emails and a wrong password from
``--attacker-address`` as fast as they are answered; after 3 s the shopper signs in twice, 3 s
apart, from ``--shopper-address``. Prints the shopper's log-in time alone, then during the
flood, and the flood's status codes. Loopback addresses 127.0.0.0/8 all reach a local server;
the attacker's address keeps its failures for an hour, so give each run a new one.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import string
import time

import httpx

LOGIN = "/api/v1/auth/login"


async def _attacker(url: str, address: str, stop: asyncio.Event, counts: dict[int, int]) -> None:
    transport = httpx.AsyncHTTPTransport(local_address=address)
    async with httpx.AsyncClient(base_url=url, transport=transport, timeout=120) as client:
        while not stop.is_set():
            email = "".join(random.choices(string.ascii_lowercase, k=10)) + "@nobody.test"
            answer = await client.post(LOGIN, json={"email": email, "password": "wrong-guess-1"})
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
    flood = [
        asyncio.create_task(_attacker(args.url, args.attacker_address, stop, counts))
        for _ in range(args.attackers)
    ]
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
    parser.add_argument("--attacker-address", default="127.0.0.77")
    parser.add_argument("--shopper-address", default="127.0.0.88")
    parser.add_argument("--email", default="admin@demo.skillspring.test")
    parser.add_argument("--password", default="run-the-shop")
    asyncio.run(_run(parser.parse_args()))


if __name__ == "__main__":
    main()
