"""Anonymous catalog answers that caches may keep: an ``ETag`` tied to the index generation and
a short ``Cache-Control``, and ``304 Not Modified`` for an ``If-None-Match`` that still holds.

A browser or a CDN may serve a repeat for ``MAX_AGE`` seconds without asking; after that, or
whenever it asks, the tag tells whether anything searchable changed (every commit and every
switch moves the generation) or a category's name (the tree, read again every 5 seconds).
Answers to a signed-in viewer (personal: owned courses) are never cached.
"""

from __future__ import annotations

import hashlib
from typing import Any, TypeVar

from litestar import Request, Response

from search_service.search.engine import SearchEngine

MAX_AGE = 5
T = TypeVar("T")


class Conditional:
    """One request's cache validator: its tag, and whether the client already has it."""

    def __init__(self, tag: str | None, fresh: bool) -> None:
        self.tag = tag
        self.fresh = fresh

    def headers(self) -> dict[str, str]:
        if self.tag is None:
            return {"Cache-Control": "private, no-store"}
        return {
            "ETag": self.tag,
            "Cache-Control": f"public, max-age={MAX_AGE}",
            # Accept-Encoding is added by the compression that varies with it.
            "Vary": "Authorization",
        }

    def not_modified(self) -> Response[Any]:
        return Response(None, status_code=304, headers=self.headers())

    def answer(self, content: T) -> Response[T]:
        return Response(content, headers=self.headers())


async def conditional(
    request: Request[Any, Any, Any], engine: SearchEngine, shown: str = ""
) -> Conditional:
    """The validator of an anonymous GET (none for a signed-in one, or an engine that cannot
    tell its generation): of the index generation and the rules in force (the engine's
    ``generation``), ``shown`` (whatever else the answer shows: the category tree's version,
    the popular searches of suggestions) and the request."""
    if "authorization" in request.headers:
        return Conditional(None, False)
    generation = await engine.generation()
    if generation is None:
        return Conditional(None, False)
    key = f"{generation}|{shown}|{request.url.path}?{request.url.query}".encode()
    # Weak (RFC 9110 8.8.1): the gzip and identity answers are one representation's two
    # encodings under one tag; If-None-Match compares weakly, with or without W/.
    opaque = f'"{hashlib.sha256(key).hexdigest()[:32]}"'
    asked = request.headers.get("if-none-match", "")
    given = {t.strip().removeprefix("W/") for t in asked.split(",")}
    fresh = opaque in given or asked.strip() == "*"
    return Conditional(f"W/{opaque}", fresh)
