"""Prometheus metrics: requests and latency per route, sync lag and outbox backlog (the
engine's own metrics are kept by ``search/instrumented.py``). Works with several worker
processes (prometheus_client's multiprocess mode, set up by ``skillspring serve``)."""

from __future__ import annotations

import os
import time

from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

REQUESTS = Counter(
    "skillspring_http_requests_total", "HTTP requests", ["method", "route", "status"]
)
LATENCY = Histogram(
    "skillspring_http_request_seconds",
    "HTTP request latency",
    ["route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
SYNC_BACKLOG = Gauge(
    "skillspring_sync_outbox_backlog", "Catalog changes not yet indexed", multiprocess_mode="max"
)
SYNC_LAG = Gauge(
    "skillspring_sync_lag_seconds", "Age of the oldest unindexed change", multiprocess_mode="max"
)


METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def request_metrics(app: ASGIApp) -> ASGIApp:
    """Wrap ``app``: count requests and time them per route template (not per raw path;
    a request no route took counts as ``unmatched``)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # type: ignore[comparison-overlap]
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        method = str(scope.get("method", "GET"))  # as asked: HEAD is answered as GET inside
        # Any word is a method to HTTP: those no route answers count as one, "other", so a
        # client cannot add a series per made-up name.
        method = method if method in METHODS else "other"

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await app(scope, receive, capture)
        finally:
            # The route template (/api/v1/courses/{slug:str}), never the raw path: bounded labels.
            label = str(scope.get("path_template") or "unmatched")
            REQUESTS.labels(method, label, str(status)).inc()
            LATENCY.labels(label).observe(time.perf_counter() - started)

    return middleware


def exposition() -> tuple[bytes, str]:
    """Every process's metrics when several workers share PROMETHEUS_MULTIPROC_DIR."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
