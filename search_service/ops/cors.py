"""Cross-origin requests, for the API only: a storefront on its own domain may call search,
suggest and the rest from the browser when its origin is listed (SKILLSPRING_CORS_ORIGINS;
none by default: same origin only). Exact origins; no credentials (the API takes a bearer
token, never a cookie); preflights cached by the browser for ``MAX_AGE`` seconds.

Litestar's CORS support is app-wide (its middleware is not public API), so this wraps the
app for the API's paths, with the headers Litestar's own ``CORSConfig`` computes.
"""

from __future__ import annotations

from collections.abc import Sequence

from litestar.config.cors import CORSConfig
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from search_service.ops.limits import problem_body

MAX_AGE = 600
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
HEADERS = ["Authorization", "Content-Type", "If-None-Match", "X-Request-Id"]
EXPOSED = ["ETag", "X-Request-Id", "Retry-After"]
REFUSED = (400, "Bad request", "This origin may not call the API from a browser.")


def _encoded(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(k.lower().encode(), v.encode()) for k, v in headers.items()]


def cors(app: ASGIApp, origins: Sequence[str], prefix: str) -> ASGIApp:
    """Wrap ``app`` so requests under ``prefix`` from ``origins`` may cross origins."""
    if not origins:
        return app
    config = CORSConfig(
        allow_origins=list(origins),
        allow_methods=METHODS,  # type: ignore[arg-type]
        allow_headers=HEADERS,
        expose_headers=EXPOSED,
        allow_credentials=False,
        max_age=MAX_AGE,
    )
    preflight = _encoded(config.preflight_headers)
    simple = _encoded(config.simple_headers)

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        under = path == prefix or path.startswith(prefix + "/")  # not /api/v10 beside /api/v1
        if scope["type"] != "http" or not under:  # type: ignore[comparison-overlap]
            await app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        origin = headers.get(b"origin", b"").decode("latin-1")
        allowed = bool(origin) and config.is_origin_allowed(origin)
        is_preflight = (
            scope.get("method") == "OPTIONS" and b"access-control-request-method" in headers
        )
        if is_preflight:
            body = b""
            answer = [(b"vary", b"Origin")]
            if allowed:  # Litestar's preflight headers say Vary: Origin too: once is enough
                answer = [*preflight, (b"access-control-allow-origin", origin.encode())]
            else:  # said as every other refusal is, in a problem document
                body = problem_body(scope, *REFUSED)
                answer += [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                ]
            status = 204 if allowed else 400
            await send({"type": "http.response.start", "status": status, "headers": answer})
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return

        async def with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Every answer says it varies with the origin, allowed or not: a shared cache
                # must not hand an allowed storefront the copy made without its header.
                extra = [(b"vary", b"Origin")]
                if allowed:
                    extra += [*simple, (b"access-control-allow-origin", origin.encode())]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await app(scope, receive, with_cors)

    return middleware
