"""Litestar annotations every controller shares (explicit, as Litestar 3 requires): path and
query parameters, and the client's address. The session and the user are ``db/annotations.py``'s."""

from __future__ import annotations

import ipaddress
import uuid
from typing import Annotated, Any

from litestar import Request
from litestar.exceptions import ClientException
from litestar.params import PathParameter, QueryParameter

from search_service.lib.errors import Invalid

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
CourseSlug = Annotated[
    str,
    PathParameter(
        pattern=SLUG_PATTERN,
        max_length=180,
        description="a course slug: lower-case letters, digits and hyphens",
    ),
]
InstructorSlug = Annotated[
    str,
    PathParameter(
        pattern=SLUG_PATTERN,
        max_length=200,
        description="an instructor's address: their name and the start of their id",
    ),
]
ReviewId = Annotated[uuid.UUID, PathParameter(description="a review id (UUID)")]
QuestionId = Annotated[uuid.UUID, PathParameter(description="a question id (UUID)")]
AnswerId = Annotated[uuid.UUID, PathParameter(description="an answer id (UUID)")]
CourseId = Annotated[uuid.UUID, PathParameter(description="a course id (UUID)")]
WishlistId = Annotated[uuid.UUID, PathParameter(description="a wishlist id (UUID)")]
PageNumber = Annotated[
    int,
    QueryParameter(ge=1, le=10_000, required=False, description="a whole number from 1 to 10,000"),
]
CategorySlugPath = Annotated[
    str,
    PathParameter(
        pattern=SLUG_PATTERN,
        max_length=80,
        description="a category slug: lower-case letters, digits and hyphens",
    ),
]


def client_address(request: Request[Any, Any, Any]) -> str:
    """The client's address: the peer's, or the one a trusted proxy forwarded (granian
    rewrites it only for the proxies SKILLSPRING_TRUSTED_PROXIES names)."""
    return request.client.host if request.client else "unknown"


# Where a browser shows nothing of ours: every page refuses to be framed (frame-ancestors).
_UNSEEN_DESTINATIONS = frozenset({"iframe", "frame", "embed", "object", "fencedframe"})


def looked_at(request: Request[Any, Any, Any]) -> bool:
    """Whether a person asked for this answer, rather than another site making each of its
    visitors' browsers send it, unseen: a page's image, script or style load
    (``Sec-Fetch-Mode: no-cors``), a frame (which our pages refuse to be shown in), or a
    cross-origin ``fetch`` from an origin that may not read the answer (not in
    SKILLSPRING_CORS_ORIGINS), or a ``HEAD`` request (a monitor or link checker: no answer is
    read)."""
    if request.state.get("head"):
        return False
    headers = request.headers
    mode = headers.get("sec-fetch-mode", "").lower()
    if mode == "no-cors" or headers.get("sec-fetch-dest", "").lower() in _UNSEEN_DESTINATIONS:
        return False
    if mode == "cors" and headers.get("sec-fetch-site", "").lower() != "same-origin":
        allowed = request.app.state.settings.server.cors_list
        return headers.get("origin", "") in allowed
    return True


def client_key(request: Request[Any, Any, Any]) -> str:
    """Whom a per-client count counts (popular searches, course views, sign-ups and failed
    log-ins per address): the client's IPv4 address, or the /64 network of its IPv6 one, since
    one host is commonly given a whole /64 and could otherwise count as endless clients."""
    return network_of(client_address(request))


def network_of(address: str) -> str:
    """An IPv6 address's /64 network (an IPv4 one, mapped or not, as itself)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address  # not an address ("unknown", a test client's name)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def wide_network(key: str) -> str:
    """The wider network of a client key (``client_key``): an IPv4 address's /24, an IPv6
    network's /48, as one operator commonly holds; anything else as it is."""
    try:
        network = ipaddress.ip_network(key, strict=False)
    except ValueError:
        return key
    prefix = 24 if network.version == 4 else 48
    return str(network.supernet(new_prefix=min(prefix, network.prefixlen)))


async def api_request(request: Request[Any, Any, Any]) -> None:
    """The API router's ``before_request``: bodies declared JSON, one value per parameter."""
    json_bodies_only(request)
    await one_value_each(request)


def json_bodies_only(request: Request[Any, Any, Any]) -> None:
    """Refuse a body not declared JSON (415): a cross-site form or a no-cors ``fetch`` sends
    ``text/plain`` or a form with no CORS preflight, so taking it would let any page a shopper
    opens act through the API from their browser (sign up, log in, send events).

    Raises:
        ClientException: 415, when a body comes with another media type or none.
    """
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    headers = request.headers
    has_body = headers.get("content-length", "0") != "0" or "transfer-encoding" in headers
    media = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if has_body and media != "application/json" and not media.endswith("+json"):
        raise ClientException(
            status_code=415, detail="The body must be JSON, sent as Content-Type: application/json."
        )


async def one_value_each(request: Request[Any, Any, Any]) -> None:
    """Refuse a query parameter the handler takes as one value but that came more than once
    (``?rating=5&rating=1``): which one was meant is not ours to guess. The API router's
    ``before_request``; Litestar runs only the closest layer's, so a controller or handler
    that sets its own must call this one too.

    Raises:
        Invalid: naming the parameter.
    """
    handler = request.route_handler
    parameters = handler.parsed_fn_signature.parameters
    for name, values in request.query_params.dict().items():
        taken = parameters.get(name)
        if len(values) < 2 or taken is None or taken.is_non_string_sequence:
            continue
        if name not in handler.resolve_dependencies():  # a query parameter, not ``user``
            raise Invalid(name, f"{name} may be given only once", allowed="one value")


# The API's bearer token (POST /api/v1/auth/login), as the OpenAPI document names it: every
# operation that needs one says so (``security=BEARER``), so Swagger UI offers "Authorize".
BEARER_SCHEME = "BearerToken"
BEARER: list[dict[str, list[str]]] = [{BEARER_SCHEME: []}]


def link_number(text: str | None, low: int, high: int) -> int | None:
    """A whole number from ``low`` to ``high`` in a link's parameter, written in ASCII digits,
    or None. ``str.isdigit`` alone lets "²" (which ``int`` refuses) and 5,000 digits (past
    ``int``'s limit) through: both were a 500."""
    if text is None or not (text.isascii() and text.isdigit()):
        return None
    digits = text.lstrip("0") or "0"  # "05" is 5
    if len(digits) > len(str(high)):
        return None
    value = int(digits)
    return value if low <= value <= high else None
