"""Logs: one line per request with a request id, as text or JSON (SKILLSPRING_LOG_FORMAT).

Only the method, path, status, duration and id are logged: never headers, cookies, bodies or
query strings (they can carry tokens or personal data). Every line is one line: control
characters in a message (a ``%0a`` in a path, say) are escaped, in text as in JSON, so nobody
can write a fake log line. The service's own loggers and granian's go through the same handler.
"""

from __future__ import annotations

import json
import logging
import logging.config
import re
import time
import uuid
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = b"x-request-id"
log = logging.getLogger("skillspring.requests")
# Control characters, and those that change how a line reads without being seen: bidi
# marks and overrides (U+202E shows the rest of a line reversed), zero-width characters.
_CONTROL = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
_UNSEEN = re.compile(r"[\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def escape_controls(text: str) -> str:
    """``\\n`` for a line feed, ``\\x1b`` for an escape…: the line stays one line."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class TextFormatter(logging.Formatter):
    """``time level logger message``, with control characters escaped."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def formatException(self, ei: Any) -> str:
        # A traceback keeps its lines; what is in them (an exception quoting a path) is escaped.
        return "\n".join(escape_controls(line) for line in super().formatException(ei).split("\n"))

    def format(self, record: logging.LogRecord) -> str:
        # The message is escaped; a traceback (our own code's) keeps its lines.
        message = record.getMessage()
        if not _CONTROL.search(message):
            return super().format(record)
        escaped = logging.makeLogRecord(
            {**record.__dict__, "msg": escape_controls(message), "args": None}
        )
        return super().format(escaped)


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object per line (json.dumps escapes control characters)."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        payload.update(getattr(record, "fields", {}))
        if record.exc_info:
            payload["error"] = self.formatException(record.exc_info)
        text = json.dumps(payload, ensure_ascii=False, default=str)
        # JSON escapes control characters; these it leaves as they are, and a viewer shows.
        return _UNSEEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def log_config(log_format: str) -> dict[str, Any]:
    """The ``logging.config.dictConfig`` of a service process: one handler on stderr, text or
    JSON lines each written when logged; granian's own loggers hand their records to it."""
    formatter = JsonFormatter if log_format == "json" else TextFormatter
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": {"()": f"{__name__}.{formatter.__name__}"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "line",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": "INFO"},
        "loggers": {
            "_granian": {"handlers": [], "level": "INFO", "propagate": True},
            "granian.access": {"handlers": [], "level": "WARNING", "propagate": True},
            "httpx": {"level": "WARNING"},
        },
    }


def configure_logging(log_format: str) -> None:
    """Root logging for a service process (see ``log_config``)."""
    logging.config.dictConfig(log_config(log_format))


def _valid_id(raw: bytes) -> str | None:
    text = raw.decode("latin-1")[:64]
    return text if text and all(c.isalnum() or c in "-_." for c in text) else None


def request_log(app: ASGIApp) -> ASGIApp:
    """Wrap ``app``: give every request an id (kept from ``X-Request-ID`` when sane), send it
    back, and log the request once, whether a route took it or not."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # type: ignore[comparison-overlap]
            await app(scope, receive, send)
            return
        incoming = dict(scope.get("headers", [])).get(REQUEST_ID_HEADER, b"")
        request_id = _valid_id(incoming) or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        method = str(scope.get("method", "GET"))

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER, request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            fields = {
                "request_id": request_id,
                "method": method,
                "path": scope["path"],
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            }
            log.info(
                "%s %s %s %.2f ms id=%s",
                method,
                scope["path"],
                status,
                fields["duration_ms"],
                request_id,
                extra={"fields": fields},
            )

    return middleware
