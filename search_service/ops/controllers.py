"""/health, /ready and /metrics."""

from __future__ import annotations

import asyncio
import hmac
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.status_codes import HTTP_503_SERVICE_UNAVAILABLE
from sqlalchemy import text

from search_service.db.annotations import DbSession
from search_service.lib.errors import SearchUnavailable
from search_service.lib.problems import problem
from search_service.lib.web import client_address
from search_service.ops.metrics import SYNC_BACKLOG, SYNC_LAG, exposition
from search_service.search.engine import SearchEngine

CHECK_TIMEOUT_S = 2.0
BACKLOG = text(
    "SELECT count(*) AS n, extract(epoch FROM now() - min(created_at)) AS lag "
    "FROM search_outbox WHERE processed_at IS NULL"
)


async def _database(db_session: DbSession) -> str | None:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_S):
            await db_session.execute(text("SELECT 1"))
    except (TimeoutError, OSError, Exception) as exc:
        return f"PostgreSQL unreachable: {type(exc).__name__}"
    return None


async def _search(engine: SearchEngine) -> str | None:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_S):
            await engine.health()
    except SearchUnavailable as exc:
        return f"search engine: {exc}"
    except TimeoutError:
        return "search engine: no answer within 2 s"
    return None


LOCAL = ("127.0.0.1", "::1")


def _may_scrape(request: Request[Any, Any, Any]) -> bool:
    """With SKILLSPRING_METRICS_TOKEN, a request bearing it; without, only local ones."""
    token = request.app.state.settings.server.metrics_token
    if token:
        offered = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(offered.encode(), token.encode())
    return client_address(request) in LOCAL


class OpsController(Controller):
    tags = ("operations",)

    @get("/health", summary="The process is up", name="health")
    async def health(self) -> dict[str, str]:
        return {"status": "ok"}

    @get("/ready", summary="PostgreSQL, the engine and the index are all usable", name="ready")
    async def ready(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        engine: NamedDependency[SearchEngine],
    ) -> Response[Any]:
        database, search = await asyncio.gather(_database(db_session), _search(engine))
        failing = [f for f in (database, search) if f]
        if failing:
            return problem(
                request,
                HTTP_503_SERVICE_UNAVAILABLE,
                "; ".join(failing),
                checks={"database": database or "ok", "search": search or "ok"},
            )
        return Response({"status": "ready", "checks": {"database": "ok", "search": "ok"}})

    @get("/metrics", summary="Prometheus metrics", name="metrics", include_in_schema=False)
    async def metrics(
        self, request: Request[Any, Any, Any], db_session: DbSession
    ) -> Response[Any]:
        if not _may_scrape(request):
            return problem(request, 403, "Metrics are for the operators' scraper only.")
        try:
            async with asyncio.timeout(CHECK_TIMEOUT_S):
                row = (await db_session.execute(BACKLOG)).one()
            SYNC_BACKLOG.set(row.n)
            SYNC_LAG.set(float(row.lag or 0.0))
        except Exception:  # noqa: S110 - the rest of the metrics still matter
            pass
        body, content_type = exposition()
        # Litestar adds the charset of a text/* answer itself: named twice, some scrapers stop.
        return Response(body, media_type=content_type.split("; charset=")[0])
