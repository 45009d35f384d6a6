"""Every error the API can return, as RFC 9457 problem details (``application/problem+json``).

Services raise domain errors; this module is the one place that turns them (and Litestar's own
HTTP errors) into responses. Nothing here is raised, only mapped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi import ResponseSpec
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_401_UNAUTHORIZED,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)

from search_service.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    SearchUnavailable,
)

PROBLEM_JSON = "application/problem+json"


class InvalidParam(msgspec.Struct, kw_only=True):
    name: str
    reason: str
    allowed: str | None = None


class Problem(msgspec.Struct, kw_only=True):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str
    invalid_params: list[InvalidParam] | None = None


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI documentation of the problem responses a handler can give."""
    return {
        status: ResponseSpec(
            data_container=Problem, media_type=PROBLEM_JSON, description=TITLES.get(status, "Error")
        )
        for status in statuses
    }


log = logging.getLogger("skillspring.errors")
Handler = Callable[[Request[Any, Any, Any], Exception], Response[Any]]


def _status_of() -> dict[type[DomainError], int]:
    from search_service.accounts.service import Unauthorized

    return {Unauthorized: HTTP_401_UNAUTHORIZED, **STATUS_OF}


STATUS_OF: dict[type[DomainError], int] = {
    Invalid: HTTP_400_BAD_REQUEST,
    NotFound: HTTP_404_NOT_FOUND,
    Conflict: HTTP_409_CONFLICT,
    Forbidden: HTTP_403_FORBIDDEN,
}
TITLES = {
    400: "Invalid request",
    401: "Not signed in",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


def wants_page(request: Request[Any, Any, Any]) -> bool:
    """Pages get friendly HTML errors; the API (and JSON clients) get problem details."""
    if request.url.path.startswith(("/api/", "/schema", "/health", "/ready", "/metrics")):
        return False
    return "application/json" not in request.headers.get("accept", "")


def problem(
    request: Request[Any, Any, Any], status: int, detail: str, **extra: Any
) -> Response[Any]:
    """A problem-details response, or the site's error page for a page request."""
    if wants_page(request):
        return error_page(status, detail, extra.get("invalid_params"))
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    body.update({k: v for k, v in extra.items() if v is not None})
    return Response(body, status_code=status, media_type=PROBLEM_JSON)


def error_page(status: int, detail: str, invalid: Any = None) -> Response[Any]:
    """The site's own error page for ``status``."""
    from litestar.response import Template

    name = "errors/404.html.jinja2" if status == 404 else "errors/error.html.jinja2"
    return Template(
        template_name=name,
        status_code=status,
        context={
            "status": status,
            "title": TITLES.get(status, "Error"),
            "detail": detail,
            "invalid_params": invalid or [],
        },
    )


def _domain(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, DomainError)
    status = next((s for t, s in _status_of().items() if isinstance(exc, t)), 400)
    return problem(request, status, exc.detail, **exc.extra)


def _search_down(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    from search_service.ops.metrics import ENGINE_ERRORS

    ENGINE_ERRORS.inc()
    log.error("search engine unavailable on %s: %s", request.url.path, exc)
    return problem(
        request,
        HTTP_503_SERVICE_UNAVAILABLE,
        "Search is temporarily unavailable. Please try again shortly.",
    )


def validation_handler(allowed: Mapping[str, str]) -> Handler:
    """Litestar's validation errors, each naming its parameter and what that allows."""

    def handle(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        assert isinstance(exc, ValidationException)
        params = []
        for item in exc.extra if isinstance(exc.extra, list) else []:
            name = str(item.get("key", "")) if isinstance(item, dict) else ""
            reason = str(item.get("message", "")) if isinstance(item, dict) else str(item)
            params.append({"name": name, "reason": reason, "allowed": allowed.get(name)})
        names = ", ".join(p["name"] for p in params if p["name"]) or "request"
        detail = f"Invalid value for {names}."
        if len(params) == 1 and params[0]["allowed"]:
            detail = f"Invalid value for {names}: {params[0]['allowed']}."
        return problem(request, HTTP_400_BAD_REQUEST, detail, invalid_params=params)

    return handle


def _http(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, HTTPException)
    if exc.status_code >= 500:
        log.error("server error on %s %s", request.method, request.url.path, exc_info=exc)
    headers = getattr(exc, "headers", None) or {}
    response = problem(request, exc.status_code, str(exc.detail))
    response.headers.update(headers)
    return response


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(request, HTTP_500_INTERNAL_SERVER_ERROR, "Something went wrong on our side.")


def exception_handlers(allowed: Mapping[str, str]) -> dict[type[Exception], Handler]:
    """The mapping ``create_app`` installs."""
    return {
        DomainError: _domain,
        SearchUnavailable: _search_down,
        ValidationException: validation_handler(allowed),
        HTTPException: _http,
        Exception: _unexpected,
    }


__all__ = ["PROBLEM_JSON", "exception_handlers", "problem"]
