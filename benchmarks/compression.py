"""What gzip costs a search answer, at three levels (the app uses
``gzip_compress_level=1``).

Usage: python -m benchmarks.compression [--rounds 200]

Uses the configured database and index (SKILLSPRING_*; seed and reindex first): takes the
search page and the search API's answer for ``q=python`` from the app in process, then prints
each body's size, and its size and compression time at gzip levels 1, 6 and 9.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import time

import httpx

from search_service.app import create_app
from search_service.db.connection import database_url
from search_service.settings import load_settings

PATHS = ("/search?q=python", "/api/v1/search?q=python")
LEVELS = (1, 6, 9)


async def measure(url: str, rounds: int) -> None:
    app = create_app(load_settings(), database_url=url)
    transport = httpx.ASGITransport(app=app)
    async with app.lifespan(), httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        for path in PATHS:
            body = (await c.get(path, headers={"accept-encoding": "identity"})).content
            row = [f"{path}: {len(body) / 1024:.1f} KB"]
            for level in LEVELS:
                started = time.perf_counter()
                for _ in range(rounds):
                    packed = gzip.compress(body, compresslevel=level)
                took = (time.perf_counter() - started) / rounds * 1e6
                row.append(f"level {level} {len(packed) / 1024:.1f} KB in {took:.0f} µs")
            print(" | ".join(row))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="compressions timed per level")
    args = parser.parse_args()
    with database_url(load_settings()) as url:
        asyncio.run(measure(url, args.rounds))


if __name__ == "__main__":
    main()
