"""Limits on the way in that the app enforces (the server's are in ``cli/commands_serve.py``).

- Request headers over ``MAX_HEADER_BYTES`` get ``431`` and the connection is closed. granian
  refuses most of them before anything of ours runs (its HTTP/1 buffer is set to this size),
  but hyper's limit is approximate: a head that arrives in one read can pass it (one of 100 KB
  did). This check is exact, and costs a sum per request.
- A path with a control character (``/static/app.css%00.py``: a NUL reached the file system
  as a 500) gets ``400``: no route has one.
- An HTTP/1.1 request without a ``Host`` header, or with more than one, gets ``400`` (RFC 9112
  3.2: a server must refuse it; granian passes it on).
- A request body not complete within SKILLSPRING_BODY_TIMEOUT seconds of the app's first read
  gets ``408 Request Timeout`` and the connection is closed, so neither a pause nor a trickle
  of bytes can hold a worker's connection open.
"""

from __future__ import annotations

import asyncio
import json
import re
from urllib.parse import quote

from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send

MAX_HEADER_BYTES = 64 * 1024


def problem_body(scope: Scope, status: int, title: str, detail: str) -> bytes:
    """A problem document as ``lib/problems.problem`` writes one; ``instance`` is the path
    as it was sent (percent-encoded, so a control character in it stays inert)."""
    raw = scope.get("raw_path") or quote(scope["path"]).encode()
    instance = raw.decode("latin-1").split("?", 1)[0]
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return json.dumps({**body, "instance": instance}).encode()


TOO_LARGE = (
    431,
    "Request header fields too large",
    f"The request's headers are over {MAX_HEADER_BYTES // 1024} KB.",
)
TIMED_OUT = (408, "Request timeout", "The request body stopped arriving.")
CONTROL_IN_PATH = (400, "Bad request", "The address holds a control character.")
NO_HOST = (400, "Bad request", "An HTTP/1.1 request names its host once, in a Host header.")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


async def _refuse(send: Send, scope: Scope, refusal: tuple[int, str, str]) -> None:
    """Answer with the problem ``refusal`` (status, title, detail) and close the connection."""
    status = refusal[0]
    body = problem_body(scope, *refusal)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})


def header_bytes(scope: Scope) -> int:
    """The size of the request's header lines as sent (``name: value`` and a line end)."""
    return sum(len(name) + len(value) + 4 for name, value in scope["headers"])


def _one_host(scope: Scope) -> bool:
    # granian gives a request that sent none an empty one: an http URI always has a host.
    hosts = [value for name, value in scope["headers"] if name == b"host"]
    return len(hosts) == 1 and bool(hosts[0].strip())


def refused_heads(app: ASGIApp) -> ASGIApp:
    """Wrap ``app`` so that a request whose headers are over ``MAX_HEADER_BYTES`` answers
    431 and closes the connection, and one whose path holds a control character, or an
    HTTP/1.1 one without exactly one ``Host``, answers 400, without reaching the app."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # type: ignore[comparison-overlap]
            await app(scope, receive, send)
        elif header_bytes(scope) > MAX_HEADER_BYTES:
            await _refuse(send, scope, TOO_LARGE)
        elif _CONTROL.search(scope["path"]):
            await _refuse(send, scope, CONTROL_IN_PATH)
        elif scope.get("http_version") == "1.1" and not _one_host(scope):
            await _refuse(send, scope, NO_HOST)
        else:
            await app(scope, receive, send)

    return middleware


def stalled_bodies(app: ASGIApp, seconds: float) -> ASGIApp:
    """Wrap ``app`` so that a request body still incomplete ``seconds`` after the app began
    reading it answers 408 and closes the connection."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # type: ignore[comparison-overlap]
            await app(scope, receive, send)
            return
        state = {"body_done": False, "timed_out": False, "started": False}
        loop = asyncio.get_running_loop()
        deadline: float | None = None

        async def timed_receive() -> ReceiveMessage:
            nonlocal deadline
            if state["body_done"]:
                return await receive()
            if deadline is None:
                deadline = loop.time() + seconds
            try:
                message = await asyncio.wait_for(receive(), max(deadline - loop.time(), 0))
            except TimeoutError:
                state["timed_out"] = True
                return {"type": "http.disconnect"}
            if message["type"] != "http.request" or not message.get("more_body", False):
                state["body_done"] = True
            return message

        async def answer(message: Message) -> None:
            if not state["timed_out"]:
                await send(message)
                return
            if message["type"] == "http.response.start" and not state["started"]:
                state["started"] = True
                await _refuse(send, scope, TIMED_OUT)

        await app(scope, timed_receive, answer)

    return middleware
