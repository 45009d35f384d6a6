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


def security_headers(app: ASGIApp, *, docs_path: str, hsts: bool) -> ASGIApp:
    """Wrap ``app`` so that every response carries the security headers."""
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

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in common if k not in present]
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", policy.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await app(scope, receive, send_with_headers)

    return middleware
