"""Every error the API can return, as RFC 9457 problem details (``application/problem+json``).

Services raise domain errors; ``STATUS_OF`` is the one place that gives each its HTTP status
(the pages use it too), and ``api_exception_handlers`` the one place that turns them (and
Litestar's own errors) into problem details. Nothing here is raised, only mapped.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotFoundException,
    ValidationException,
)
from litestar.openapi import ResponseSpec
from litestar.openapi.spec import Example
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)
from sqlalchemy.exc import DBAPIError

from search_service.lib.decoding import describe
from search_service.lib.errors import (
    Conflict,
    DomainError,
    FieldError,
    Forbidden,
    Invalid,
    NotFound,
    SearchUnavailable,
    TooManyRequests,
    Unauthorized,
)

PROBLEM_JSON = "application/problem+json"
STATUS_OF: dict[type[DomainError], int] = {
    Invalid: 400,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    TooManyRequests: 429,
}
TITLES = {
    400: "Invalid request",
    401: "Not signed in",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request too large",
    415: "Unsupported media type",
    429: "Too many requests",
    431: "Request headers too large",
    499: "Client closed the request",
    500: "Internal server error",
    503: "Service unavailable",
}
UNAVAILABLE = "Search is temporarily unavailable. Please try again shortly."
log = logging.getLogger("skillspring.errors")
Handler = Callable[[Request[Any, Any, Any], Exception], Response[Any]]


class Problem(msgspec.Struct, kw_only=True):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str
    invalid_params: list[FieldError] | None = None


def status_of(error: DomainError) -> int:
    """The HTTP status of a domain error."""
    return next((s for kind, s in STATUS_OF.items() if isinstance(error, kind)), 400)


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI documentation of the problem responses a handler can give."""
    return {
        status: ResponseSpec(
            data_container=Problem,
            media_type=PROBLEM_JSON,
            description=TITLES.get(status, "Error"),
            # One plain example, not values made up from the types ("status": 6165).
            generate_examples=False,
            examples=[
                Example(
                    summary=TITLES.get(status, "Error"),
                    value={
                        "type": "about:blank",
                        "title": TITLES.get(status, "Error"),
                        "status": status,
                        "detail": "What went wrong, in words.",
                        "instance": "/api/v1/…",
                    },
                )
            ],
        )
        for status in statuses
    }


# Every API write may answer 415: a body not declared JSON is refused before the handler
# (``lib/web.json_bodies_only``), so each POST, PUT and PATCH documents it beside its own.
BODY_REFUSED = problem_responses(415)


def problem(
    request: Request[Any, Any, Any], status: int, detail: str, **extra: Any
) -> Response[Any]:
    """A problem-details response."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    body.update({k: v for k, v in extra.items() if v is not None})
    return Response(body, status_code=status, media_type=PROBLEM_JSON)


def _domain(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, DomainError)
    response = problem(
        request, status_of(exc), exc.detail, invalid_params=exc.fields or None, **exc.extra
    )
    if isinstance(exc, TooManyRequests):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def _search_down(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.error("search engine unavailable on %s: %s", request.url.path, exc)
    return problem(request, HTTP_503_SERVICE_UNAVAILABLE, UNAVAILABLE)


def _allowed(request: Request[Any, Any, Any], key: str) -> str | None:
    """What the handler's parameter (or body field) ``key`` allows, from its declared type."""
    handler = request.scope.get("route_handler")
    if handler is None or not key:
        return None
    parameters = handler.parsed_fn_signature.parameters
    field = parameters.get(key)
    if field is not None:
        declared = getattr(field.kwarg_definition, "description", None)
        return declared or _describe(field.annotation)
    body = parameters.get("data")
    kind = body.annotation if body is not None else None
    if isinstance(kind, type) and issubclass(kind, msgspec.Struct):
        struct_fields = {f.encode_name: f for f in msgspec.structs.fields(kind)}
        top = key.split(".", 1)[0]
        if top in struct_fields:
            return _describe(struct_fields[top].type)
    return None


def _describe(annotation: Any) -> str | None:
    try:
        return describe(annotation)
    except TypeError:  # a type msgspec cannot inspect: say nothing rather than guess
        return None


_MISSING = re.compile(r"^Object missing required field `([^`]+)`")
_UNKNOWN = re.compile(r"^Object contains unknown field `([^`]+)`")


def _body_problem(reason: str) -> tuple[str, str]:
    """The field a whole-body error is about, and the reason in our words: msgspec says
    "Object missing required field `password`" of the body ``data``."""
    if found := _MISSING.match(reason):
        return found.group(1), f"{found.group(1)} is required"
    if found := _UNKNOWN.match(reason):
        return found.group(1), f"{found.group(1)} is not expected here"
    if reason.startswith("Expected"):
        return "body", f"The body must be a JSON object ({reason[0].lower()}{reason[1:]})"
    return "body", "The body is empty or not JSON: send a JSON object"


def _validation(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Litestar's own validation errors (path, body), each naming its parameter and what
    that parameter of this endpoint allows."""
    assert isinstance(exc, ValidationException)
    params = []
    said = ""  # our own words for a whole-body error ("password is required.")
    for item in exc.extra if isinstance(exc.extra, list) else []:
        name = str(item.get("key", "")) if isinstance(item, dict) else ""
        reason = str(item.get("message", "")) if isinstance(item, dict) else str(item)
        if name in ("", "data"):  # the body as a whole: name the field msgspec names
            name, reason = _body_problem(reason)
            said = f"{reason}."
        allowed = _allowed(request, name)
        if "matching regex" in reason:  # msgspec shows the pattern: say what it allows
            reason = f"{name} must be {allowed}" if allowed else f"{name} is not valid"
        params.append(FieldError(name=name, reason=reason, allowed=allowed))
    names = ", ".join(p.name for p in params) or "request"
    detail = f"Invalid value for {names}."
    if len(params) == 1 and said:
        detail = said
    elif len(params) == 1 and params[0].allowed:
        detail = f"Invalid value for {names}: {params[0].allowed}."
    return problem(request, HTTP_400_BAD_REQUEST, detail, invalid_params=params or None)


TOO_DEEP = "The request body is nested too deeply to read."


def _too_deep(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    # Reading a JSON body nested thousands of levels deep exhausts the decoder's recursion.
    return problem(request, HTTP_400_BAD_REQUEST, TOO_DEEP)


# nginx's status for a request its client gave up on: not a server error, and nobody reads it.
CLIENT_CLOSED = 499


def client_went_away(exc: Exception) -> bool:
    """Litestar's error for a client that disconnected while its body was being read."""
    return isinstance(exc, HTTPException) and str(exc.detail).startswith("client disconnected")


def _http(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, HTTPException)
    if client_went_away(exc):
        log.info("client disconnected during %s %s", request.method, request.url.path)
        return problem(request, CLIENT_CLOSED, "The client closed the connection.")
    if exc.status_code >= 500:
        log.error("server error on %s %s", request.method, request.url.path, exc_info=exc)
    response = problem(request, exc.status_code, str(exc.detail))
    response.headers.update(getattr(exc, "headers", None) or {})
    return closing_if_unread(response)


def closing_if_unread(response: Response[Any]) -> Response[Any]:
    """A 413's body was never read to its end: the server closes the connection, and says
    so, or a client sends its next request on it and finds it gone."""
    if response.status_code == HTTP_413_REQUEST_ENTITY_TOO_LARGE:
        response.headers["Connection"] = "close"
    return response


def log_failure(request: Request[Any, Any, Any], exc: Exception) -> None:
    """Log an unexpected error. A database error is logged by its kind and SQLSTATE and the
    frames it passed, never its message: drivers quote the values they choked on (an email,
    a password hash), and SQLAlchemy would add every bound parameter."""
    where = f"{request.method} {request.url.path}"
    if isinstance(exc, DBAPIError):
        driver: BaseException = exc.orig if exc.orig is not None else exc
        state = getattr(driver, "sqlstate", None) or "?"
        frames = "".join(traceback.format_tb(exc.__traceback__))
        log.error(
            "database error on %s: %s (SQLSTATE %s)\n%s",
            where,
            type(driver).__name__,
            state,
            frames,
        )
        return
    log.error("unhandled error on %s", where, exc_info=exc)


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log_failure(request, exc)
    return problem(request, HTTP_500_INTERNAL_SERVER_ERROR, "Something went wrong on our side.")


def api_exception_handlers() -> dict[type[Exception], Handler]:
    """The API router's mapping (and the operations endpoints')."""
    return {
        DomainError: _domain,
        SearchUnavailable: _search_down,
        ValidationException: _validation,
        RecursionError: _too_deep,
        # Named, so that they win over the app's handler for requests no route matched.
        NotFoundException: _http,
        MethodNotAllowedException: _http,
        HTTPException: _http,
        Exception: _unexpected,
    }


__all__ = [
    "PROBLEM_JSON",
    "STATUS_OF",
    "api_exception_handlers",
    "closing_if_unread",
    "problem",
    "status_of",
]
