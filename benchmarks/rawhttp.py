"""A minimal keep-alive HTTP/1.1 GET client on asyncio streams.

The load generator shares the machine's two cores with the server, so its own cost per
request must be small: this one parses only the status line and Content-Length.
"""

from __future__ import annotations

import asyncio


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    async def get(self, host: str, path: str) -> tuple[int, bytes]:
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        body = await self.reader.readexactly(length)
        return status, body


class Pool:
    """Connections opened on demand and reused; at most ``size`` at once."""

    def __init__(self, host: str, port: int, size: int = 64) -> None:
        self.host, self.port = host, port
        self.idle: list[Connection] = []
        self.slots = asyncio.Semaphore(size)

    async def get(self, path: str) -> tuple[int, bytes]:
        async with self.slots:
            conn = (
                self.idle.pop()
                if self.idle
                else Connection(*await asyncio.open_connection(self.host, self.port))
            )
            result = await conn.get(f"{self.host}:{self.port}", path)
            self.idle.append(conn)
            return result

    def close(self) -> None:
        for conn in self.idle:
            conn.writer.close()
