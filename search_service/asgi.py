"""ASGI entry point for server processes: ``uvicorn search_service.asgi:create_from_env``."""

from __future__ import annotations

from litestar import Litestar

from search_service.app import create_app
from search_service.ops.collector import settle
from search_service.ops.logs import configure_logging
from search_service.settings import load_settings


def create_from_env() -> Litestar:
    """The app for the settings in the environment (``skillspring serve`` sets the URL)."""
    settings = load_settings()
    configure_logging(settings.server.log_format)
    app = create_app(settings)
    settle()
    return app
