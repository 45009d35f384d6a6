"""What ``Accept-Encoding`` refuses is refused: a coding with ``q=0`` is "not acceptable"
(RFC 9110 12.5.3), while Litestar's compression looks for the coding's name anywhere in the
header and sent gzip to a client that refused it (``gzip;q=0``)."""

from __future__ import annotations

from litestar.types import ASGIApp, Receive, Scope, Send


def _refused(part: str) -> bool:
    """Whether one element of ``Accept-Encoding`` (``gzip;q=0.0``) gives its coding q=0."""
    for parameter in part.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value.strip()) == 0
            except ValueError:
                return False
    return False


def acceptable(header: str) -> str:
    """``header`` without the codings it refuses (the rest as sent)."""
    return ", ".join(p.strip() for p in header.split(",") if p.strip() and not _refused(p))


def accepted_encodings(app: ASGIApp) -> ASGIApp:
    """Wrap ``app`` so that it sees only the codings the client accepts."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and any(  # type: ignore[comparison-overlap]
            name == b"accept-encoding" and b"q" in value.lower() for name, value in scope["headers"]
        ):
            scope["headers"] = [
                (name, acceptable(value.decode("latin-1")).encode("latin-1"))
                if name == b"accept-encoding"
                else (name, value)
                for name, value in scope["headers"]
            ]
        await app(scope, receive, send)

    return middleware
