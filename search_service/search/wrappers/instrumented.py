"""The engine port wrapped with timing and error counting, so no caller has to.

``InstrumentedEngine`` implements the same protocol as the engine it wraps; the composition
root wraps the configured engine once and everything else just calls the port.
"""

from __future__ import annotations

import time

from prometheus_client import Counter, Histogram

from search_service.lib.errors import SearchUnavailable
from search_service.search.request import SearchRequest
from search_service.search.results import EngineResult
from search_service.search.wrappers.base import EngineWrapper

SEARCH_LATENCY = Histogram(
    "skillspring_search_seconds",
    "Search engine call latency",
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25),
)
ENGINE_ERRORS = Counter(
    "skillspring_search_engine_errors_total",
    "Search requests that failed because the engine was unavailable",
)


class InstrumentedEngine(EngineWrapper):
    """Times every search and counts every time the engine was unavailable."""

    async def search(self, request: SearchRequest) -> EngineResult:
        started = time.perf_counter()
        try:
            return await self.inner.search(request)
        except SearchUnavailable:
            ENGINE_ERRORS.inc()
            raise
        finally:
            SEARCH_LATENCY.observe(time.perf_counter() - started)

    async def correct(self, query: str) -> str | None:
        try:
            return await self.inner.correct(query)
        except SearchUnavailable:
            ENGINE_ERRORS.inc()
            raise

    async def generation(self) -> str | None:
        try:
            return await self.inner.generation()
        except SearchUnavailable:
            ENGINE_ERRORS.inc()
            raise
