"""``HEAD`` answered wherever ``GET`` is: the same status and headers, no body (monitors and
link checkers ask with it)."""

from __future__ import annotations

from litestar.types import ASGIApp, Message, Receive, Scope, Send


def answer_head(app: ASGIApp) -> ASGIApp:
    """Wrap ``app`` so a ``HEAD`` request is routed as ``GET`` and its body is left out."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "HEAD":  # type: ignore[comparison-overlap]
            await app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        # The same scope, changed in place: what closes the request's database session after
        # the response starts is keyed to this scope (a copy left every HEAD's session open,
        # holding a pooled connection idle in its transaction until the pool ran dry).
        scope["method"] = "GET"  # type: ignore[typeddict-unknown-key]
        # Handlers read it as request.state.head: nobody sees the answer (``looked_at``).
        scope.setdefault("state", {})["head"] = True
        await app(scope, receive, headers_only)

    return middleware
