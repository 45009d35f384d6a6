"""Request headers over ``MAX_HEADER_BYTES`` are refused with ``431`` and the connection closed.

granian refuses most of them before anything of ours runs (its HTTP/1 buffer is set to this
size in ``cli/commands_serve.py``), but hyper's limit is approximate: a head that arrives in
one read can pass it (one of 100 KB did). This check is exact, and costs a sum per request.
"""

from __future__ import annotations

import json

from litestar.types import ASGIApp, Receive, Scope, Send

MAX_HEADER_BYTES = 64 * 1024
TOO_LARGE = json.dumps(
    {
        "type": "about:blank",
        "title": "Request header fields too large",
        "status": 431,
        "detail": f"The request's headers are over {MAX_HEADER_BYTES // 1024} KB.",
    }
).encode()


def header_bytes(scope: Scope) -> int:
    """The size of the request's header lines as sent (``name: value`` and a line end)."""
    return sum(len(name) + len(value) + 4 for name, value in scope["headers"])


def oversized_headers(app: ASGIApp) -> ASGIApp:
    """Wrap ``app`` so that a request whose headers are over ``MAX_HEADER_BYTES`` answers
    431 and closes the connection, without reaching the app."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or header_bytes(scope) <= MAX_HEADER_BYTES:  # type: ignore[comparison-overlap]
            await app(scope, receive, send)
            return
        await send(
            {
                "type": "http.response.start",
                "status": 431,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(TOO_LARGE)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": TOO_LARGE, "more_body": False})

    return middleware
