"""ASGI entry point for server processes (``skillspring serve`` runs granian on it):
``search_service.asgi:create_from_env``."""

from __future__ import annotations

from granian.utils.proxies import wrap_asgi_with_proxy_headers
from litestar.types import ASGIApp
from threadpoolctl import threadpool_limits

from search_service.app import create_app
from search_service.ops.collector import settle
from search_service.ops.logs import configure_logging
from search_service.ops.orphans import die_with_parent
from search_service.settings import load_settings


def create_from_env() -> ASGIApp:
    """The app for the settings in the environment (``skillspring serve`` sets the URL).
    ``X-Forwarded-For`` is believed from SKILLSPRING_TRUSTED_PROXIES only (granian's own
    middleware for it)."""
    die_with_parent()
    # The workers are the parallelism: numpy's BLAS threads in each of them (one per core by
    # default, set when the server imported numpy before forking) only fight over the same
    # cores (docs/performance.md).
    threadpool_limits(limits=1, user_api="blas")
    settings = load_settings()
    configure_logging(settings.server.log_format)
    app = create_app(settings)
    settle()
    return wrap_asgi_with_proxy_headers(app, trusted_hosts=settings.server.trusted_list)  # type: ignore[no-any-return]
