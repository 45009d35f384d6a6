"""A small keep-alive HTTP/1.1 GET client on asyncio streams, and the two load shapes.

The load generator shares the machine's two cores with the server, so its own cost per
request must be small: it parses only the status line, ``Content-Length`` and
``Connection``. A connection the server closed (keep-alive timeout, ``Connection: close``,
a restart) is replaced and the request sent again once, so a long run never dies on a
stale socket.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import uvloop

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a load generator on uvloop (installed with granian[uvloop]): its timers and sockets cost
    the client about half of what asyncio's do, so less of the client's own time is counted
    as the server's (a steady 100 requests/s to /health: p50 1.2 ms against 2.0 ms)."""
    return uvloop.run(coroutine)


RETRYABLE = (asyncio.IncompleteReadError, ConnectionError, EOFError)


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.open = True

    async def get(self, host: str, path: str) -> tuple[int, bytes]:
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                self.open = False
        body = await self.reader.readexactly(length)
        return status, body

    def close(self) -> None:
        self.open = False
        self.writer.close()


class Pool:
    """Connections opened on demand and reused; at most ``size`` at once."""

    def __init__(self, host: str, port: int, size: int = 64) -> None:
        self.host, self.port = host, port
        self.idle: list[Connection] = []
        self.slots = asyncio.Semaphore(size)
        self.reconnects = 0

    async def _connect(self) -> Connection:
        return Connection(*await asyncio.open_connection(self.host, self.port))

    async def get(self, path: str) -> tuple[int, bytes]:
        async with self.slots:
            conn = self.idle.pop() if self.idle else await self._connect()
            try:
                result = await conn.get(f"{self.host}:{self.port}", path)
            except RETRYABLE:
                # The server closed this idle connection: once more on a new one.
                conn.close()
                self.reconnects += 1
                conn = await self._connect()
                result = await conn.get(f"{self.host}:{self.port}", path)
            if conn.open:
                self.idle.append(conn)
            else:
                conn.close()
            return result

    def close(self) -> None:
        for conn in self.idle:
            conn.close()
        self.idle.clear()


class BadAnswer(Exception):
    """A benchmark request was not answered with 200."""


@dataclass
class Run:
    """Latencies (ms) of one load run, and how long it took."""

    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    reconnects: int = 0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def _check(path: str, status: int, body: bytes) -> None:
    if status != 200:
        raise BadAnswer(f"{path} answered {status}: {body[:200]!r}")


async def steady_rate(
    port: int, paths: Sequence[str], rate: float, seconds: float, warm: int = 20
) -> Run:
    """Open loop: request i is due at start + i/rate; latency counts from when it was due
    (so a slow response delays nothing and hides nothing: no coordinated omission)."""
    total = int(rate * seconds)
    pool = Pool("127.0.0.1", port, size=256)
    run = Run()
    for path in paths[:warm]:
        await pool.get(path)

    async def one(path: str, due: float) -> None:
        status, body = await pool.get(path)
        _check(path, status, body)
        run.latencies.append((time.perf_counter() - due) * 1000)

    start = time.perf_counter() + 0.05
    tasks = []
    for i in range(total):
        due = start + i / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        tasks.append(asyncio.create_task(one(paths[(warm + i) % len(paths)], due)))
    await asyncio.gather(*tasks)
    run.seconds = time.perf_counter() - start
    run.reconnects = pool.reconnects
    pool.close()
    return run


async def closed_loop(port: int, paths: Sequence[str], connections: int, seconds: float) -> Run:
    """Saturation: ``connections`` clients, each sending its next request as soon as the last
    is answered, walking the list from its own offset."""
    pool = Pool("127.0.0.1", port, size=connections)
    run = Run()
    deadline = time.perf_counter() + seconds

    async def client(offset: int) -> None:
        i = offset
        while time.perf_counter() < deadline:
            path = paths[i % len(paths)]
            started = time.perf_counter()
            status, body = await pool.get(path)
            _check(path, status, body)
            run.latencies.append((time.perf_counter() - started) * 1000)
            i += 1

    started = time.perf_counter()
    step = max(1, len(paths) // connections)
    await asyncio.gather(*(client(c * step) for c in range(connections)))
    run.seconds = time.perf_counter() - started
    run.reconnects = pool.reconnects
    pool.close()
    return run


def sequential(port: int, paths: Sequence[str], rounds: int = 1) -> list[float]:
    """One connection, one request at a time: each request's own latency (ms)."""

    async def go() -> list[float]:
        pool = Pool("127.0.0.1", port, size=1)
        out = []
        for _ in range(rounds):
            for path in paths:
                started = time.perf_counter()
                status, body = await pool.get(path)
                _check(path, status, body)
                out.append((time.perf_counter() - started) * 1000)
        pool.close()
        return out

    return run(go())
