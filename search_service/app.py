"""The composition root: ``create_app(settings)`` builds the whole service.

Nothing connects at import time: the database pool and the search engine are created on
startup and closed on shutdown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from advanced_alchemy.extensions.litestar import (
    AsyncSessionConfig,
    EngineConfig,
    SQLAlchemyAsyncConfig,
    SQLAlchemyPlugin,
)
from jinja2 import StrictUndefined
from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.openapi import OpenAPIConfig
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from search_service.accounts.controllers import LOGIN_PATH, AuthController, current_user
from search_service.cart.controllers import CartController
from search_service.catalog.categories import CategoryDirectory
from search_service.catalog.controllers import CatalogController
from search_service.catalog.params import ALLOWED
from search_service.catalog.service import CatalogSearch
from search_service.catalog.suggest import Suggester
from search_service.courses.controllers import CourseController
from search_service.errors import UsageError
from search_service.ops.controllers import OpsController
from search_service.ops.logs import request_log_middleware
from search_service.ops.metrics import metrics_middleware
from search_service.pages.controllers import PagesController
from search_service.pages.session import csrf_secret
from search_service.pages.shop import ShopPages
from search_service.pages.views import ViewCounter
from search_service.problems import exception_handlers
from search_service.questions.controllers import QuestionController
from search_service.reviews.controllers import ReviewController
from search_service.search.engine import SearchEngine
from search_service.search.factory import make_engine
from search_service.settings import Settings
from search_service.wishlists.controllers import WishlistController

LOGIN_ATTEMPTS_PER_MINUTE = 10  # per client address
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
STATIC = Path(__file__).resolve().parent / "static"


def _jinja(engine: JinjaTemplateEngine) -> None:
    engine.engine.undefined = StrictUndefined
    engine.engine.autoescape = True


def create_app(
    settings: Settings, *, database_url: str | None = None, engine: SearchEngine | None = None
) -> Litestar:
    """Build the app for ``settings`` (``engine`` replaces the configured one, for tests)."""
    url = database_url or settings.database.url
    if url is None:
        raise UsageError("no database URL: start the service with `skillspring serve`")
    db = SQLAlchemyAsyncConfig(
        connection_string=url,
        session_config=AsyncSessionConfig(expire_on_commit=False),
        before_send_handler="autocommit_include_redirects",
        engine_config=EngineConfig(pool_size=10, max_overflow=10, pool_pre_ping=True),
    )

    async def start(app: Litestar) -> None:
        search = engine or make_engine(settings)
        directory = CategoryDirectory(db.get_engine())
        app.state.settings = settings
        app.state.search = search
        app.state.directory = directory
        app.state.catalog = CatalogSearch(search, directory)
        app.state.suggester = Suggester(search, directory)
        app.state.views = ViewCounter(db.get_engine())
        app.state.views.start()

    async def stop(app: Litestar) -> None:
        views = app.state.get("views")
        if views is not None:
            await views.stop()
        search = app.state.get("search")
        if search is not None:
            await search.close()

    def from_state(name: str) -> Provide:
        def provide(state: State) -> Any:
            return state[name]

        return Provide(provide, sync_to_thread=False)

    return Litestar(
        route_handlers=[
            CatalogController,
            CourseController,
            AuthController,
            CartController,
            WishlistController,
            ReviewController,
            QuestionController,
            PagesController,
            ShopPages,
            OpsController,
            create_static_files_router(path="/static", directories=[STATIC], name="static"),
        ],
        csrf_config=CSRFConfig(
            secret=csrf_secret(settings),
            cookie_secure=settings.server.secure_cookies,
            cookie_samesite="lax",
            exclude=["/api"],
        ),
        template_config=TemplateConfig(
            directory=TEMPLATES,
            engine=JinjaTemplateEngine,
            engine_callback=_jinja,
        ),
        plugins=[SQLAlchemyPlugin(config=db)],
        on_startup=[start],
        on_shutdown=[stop],
        dependencies={
            "catalog": from_state("catalog"),
            "suggester": from_state("suggester"),
            "directory": from_state("directory"),
            "engine": from_state("search"),
            "views": from_state("views"),
            "user": Provide(current_user),
        },
        middleware=[
            request_log_middleware,
            metrics_middleware,
            RateLimitConfig(
                rate_limit=("minute", LOGIN_ATTEMPTS_PER_MINUTE),
                check_throttle_handler=lambda request: (
                    request.method == "POST" and request.url.path in (LOGIN_PATH, "/login")
                ),
            ).middleware,
        ],
        exception_handlers=exception_handlers(ALLOWED),  # type: ignore[arg-type]
        openapi_config=OpenAPIConfig(
            title="Skillspring catalog API",
            version="1.0.0",
            path="/schema",
        ),
        debug=False,
    )
