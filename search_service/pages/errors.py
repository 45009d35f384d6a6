"""The pages router's errors: the site's own error pages, and "log in first" as a redirect.

The same domain errors as the API, with the same statuses (``problems.STATUS_OF``), shown as
pages. A form's own mistakes never get here: its handler re-renders the form (``forms.py``).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote, urlsplit

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotFoundException,
    ValidationException,
)
from litestar.response import Redirect, Template

from search_service.lib.errors import DomainError, SearchUnavailable, Unauthorized
from search_service.lib.problems import (
    CLIENT_CLOSED,
    TITLES,
    UNAVAILABLE,
    Handler,
    client_went_away,
    closing_if_unread,
    log_failure,
    status_of,
)
from search_service.search.text import typed

log = logging.getLogger("skillspring.errors")


def error_page(status: int, detail: str, query_text: str = "") -> Template:
    """The site's own error page for ``status`` (``query_text``: what the header's search
    box keeps, the words of a search whose link went wrong)."""
    name = "errors/404.html.jinja2" if status == 404 else "errors/error.html.jinja2"
    context = {"status": status, "title": TITLES.get(status, "Error"), "detail": detail}
    return Template(
        template_name=name, status_code=status, context={**context, "query_text": query_text}
    )


def _typed_query(request: Request[Any, Any, Any]) -> str:
    """The words of a search the request was (none for anything but a GET)."""
    return typed(request.query_params.get("q", ""))[:200] if request.method == "GET" else ""


def safe_next(value: str | None) -> str:
    """Only same-site paths: never an open redirect."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def login_url(
    request: Request[Any, Any, Any],
    back: str | None = None,
    add: str | None = None,
    query_id: str | None = None,
    to: str = "cart",
) -> str:
    """The log-in page, coming back to ``back`` (a page's own URL, or for a form the page it
    was sent from) afterwards, and finishing the add of course ``add`` if given: to the cart,
    credited to the search ``query_id`` it was found with, or ``to`` the wishlist."""
    if back is None:
        if request.method == "GET":
            back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        else:
            referer = urlsplit(request.headers.get("referer", ""))
            same_site = referer.netloc in ("", request.url.netloc)
            back = referer.path if same_site and referer.path else "/"
    login = request.app.route_reverse("login_page")
    pending = f"&add={quote(add, safe='')}" if add else ""
    if add and query_id:
        pending += f"&qid={quote(query_id, safe='')}"
    if add and to != "cart":
        pending += f"&to={quote(to, safe='')}"
    return f"{login}?next={quote(safe_next(back), safe='/')}{pending}"


def login_redirect(request: Request[Any, Any, Any], back: str | None = None) -> Redirect:
    """A redirect to ``login_url``."""
    return Redirect(login_url(request, back), status_code=303)


def _domain(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, DomainError)
    if isinstance(exc, Unauthorized):
        return login_redirect(request)
    return error_page(status_of(exc), exc.detail, _typed_query(request))


def _validation(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    detail = "Something in that link isn't right; please go back and try again."
    return error_page(400, detail, _typed_query(request))


def _search_down(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.error("search engine unavailable on %s: %s", request.url.path, exc)
    return error_page(503, UNAVAILABLE)


def _http(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, HTTPException)
    if client_went_away(exc):
        log.info("client disconnected during %s %s", request.method, request.url.path)
        return error_page(CLIENT_CLOSED, "The client closed the connection.")
    if exc.status_code >= 500:
        log.error("server error on %s %s", request.method, request.url.path, exc_info=exc)
    return closing_if_unread(error_page(exc.status_code, str(exc.detail)))


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log_failure(request, exc)
    return error_page(500, "Something went wrong on our side.")


def page_exception_handlers() -> dict[type[Exception], Handler]:
    """The pages router's mapping."""
    return {
        DomainError: _domain,
        SearchUnavailable: _search_down,
        ValidationException: _validation,
        RecursionError: _validation,
        # Named, so that they win over the app's handler for requests no route matched.
        NotFoundException: _http,
        MethodNotAllowedException: _http,
        HTTPException: _http,
        Exception: _unexpected,
    }
