"""Request bodies that stall are cut off: a body not complete within SKILLSPRING_BODY_TIMEOUT
seconds of the app's first read gets ``408 Request Timeout`` and the connection is closed, so
neither a pause nor a trickle of bytes can hold a worker's connection open. (Headers that are
too large or too slow are the server's to refuse: ``cli/commands_serve.py``.)"""

from __future__ import annotations

import asyncio
import json

from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send

TIMED_OUT = json.dumps(
    {
        "type": "about:blank",
        "title": "Request timeout",
        "status": 408,
        "detail": "The request body stopped arriving.",
    }
).encode()


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
                await send(
                    {
                        "type": "http.response.start",
                        "status": 408,
                        "headers": [
                            (b"content-type", b"application/problem+json"),
                            (b"content-length", str(len(TIMED_OUT)).encode()),
                            (b"connection", b"close"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": TIMED_OUT, "more_body": False})

        await app(scope, timed_receive, answer)

    return middleware
