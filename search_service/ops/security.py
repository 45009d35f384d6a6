"""Security headers on every response (pages, API, errors, even a request no route took).

Pages get a Content-Security-Policy that allows no inline script and no framing; the API docs
page may load Swagger UI's pinned files from its CDN. HSTS is sent when cookies are Secure
(the service is behind HTTPS).
"""

from __future__ import annotations

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from search_service.ops.docs import CDN_ORIGIN

PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
    "media-src 'self' https:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_POLICY = (
    f"default-src 'self'; script-src 'self' {CDN_ORIGIN}; style-src 'self' {CDN_ORIGIN} "
    "'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'none'"
)
HSTS = b"max-age=31536000; includeSubDomains"


PERSONAL = (b"cache-control", b"private, no-store")


def _personal(scope: Scope, cookie: bytes) -> bool:
    """Whether the request says who asks (a bearer token, or the pages' session cookie)."""
    for name, value in scope["headers"]:
        if name == b"authorization" or (name == b"cookie" and cookie in value):
            return True
    return False


def security_headers(app: ASGIApp, *, docs_path: str, hsts: bool, session_cookie: str) -> ASGIApp:
    """Wrap ``app`` so that every response carries the security headers, and an answer to a
    request that says who asks, which did not say how it may be cached, is kept by no cache
    (a signed-in page shows the shopper's name and "because you bought")."""
    cookie = f"{session_cookie}=".encode()
    common = [
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
        (b"x-frame-options", b"DENY"),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]
    if hsts:
        common.append((b"strict-transport-security", HSTS))

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # type: ignore[comparison-overlap]
            await app(scope, receive, send)
            return
        policy = DOCS_POLICY if scope["path"].startswith(docs_path) else PAGE_POLICY
        personal = _personal(scope, cookie)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in common if k not in present]
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", policy.encode()))
                if personal and b"cache-control" not in present:
                    headers.append(PERSONAL)
                message = {**message, "headers": headers}
            await send(message)

        await app(scope, receive, send_with_headers)

    return middleware
