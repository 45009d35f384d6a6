"""The composition root: ``create_app(settings)`` builds the whole service.

Two layers, each a Litestar ``Router`` with its own errors and its own idea of who is asking:
the JSON API under ``/api/v1`` (problem details, bearer tokens) and the pages (HTML error
pages, the session cookie, CSRF on every form). Nothing connects at import time: the database
pool and the search engine are created on startup and closed on shutdown.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from advanced_alchemy.extensions.litestar import (
    AsyncSessionConfig,
    EngineConfig,
    SQLAlchemyAsyncConfig,
    SQLAlchemyPlugin,
)
from jinja2 import Environment, StrictUndefined
from litestar import Litestar, Request, Response, Router
from litestar.config.compression import CompressionConfig
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import CacheControlHeader, State
from litestar.di import Provide
from litestar.exceptions import (
    InternalServerException,
    MethodNotAllowedException,
    NotFoundException,
)
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Redirect
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from sqlalchemy.ext.asyncio import AsyncSession

from search_service.accounts.controllers import AuthController
from search_service.accounts.identity import (
    SESSION_COOKIE,
    load_page_viewer,
    provide_api_user,
    provide_api_viewer,
    provide_page_user,
    provide_page_viewer,
    request_session,
)
from search_service.accounts.pages import AccountPages, PendingAdds
from search_service.cart import service as cart_service
from search_service.cart.controllers import CartController
from search_service.cart.pages import CartPages
from search_service.catalog.controllers import CatalogController
from search_service.catalog.labels import value_label
from search_service.catalog.pages import CatalogPages
from search_service.catalog.search.query_string import (
    provide_page_search_request,
    provide_search_request,
)
from search_service.catalog.urls import instructor_url
from search_service.courses.controllers import CourseController
from search_service.courses.pages import CoursePages, provide_course_form
from search_service.db.lookups import Account, account
from search_service.insights.controllers import InsightsController
from search_service.insights.ids import QueryIds
from search_service.insights.pages import InsightsPages
from search_service.instructors.controllers import InstructorController
from search_service.instructors.pages import InstructorPages
from search_service.learning.controllers import LearningController
from search_service.learning.pages import LearningPages
from search_service.lib.errors import UsageError
from search_service.lib.pricing import amount_display, price_display
from search_service.lib.problems import api_exception_handlers, log_failure, problem
from search_service.lib.safe_urls import safe_url
from search_service.lib.web import BEARER_SCHEME, api_request
from search_service.merchandising.controllers import RulesController
from search_service.merchandising.pages import RulesPages
from search_service.ops.controllers import OpsController
from search_service.ops.cors import cors
from search_service.ops.docs import PinnedSwagger
from search_service.ops.encodings import accepted_encodings
from search_service.ops.head import answer_head
from search_service.ops.limits import refused_heads, stalled_bodies
from search_service.ops.logs import request_log
from search_service.ops.metrics import request_metrics
from search_service.ops.security import security_headers
from search_service.orders.controllers import OrderController
from search_service.orders.pages import OrderPages
from search_service.pages.csrf import TextTokenCSRFMiddleware, csrf_secret
from search_service.pages.errors import error_page, page_exception_handlers
from search_service.pages.forms import DONE, done
from search_service.pages.static import ONE_YEAR, favicon, static_url
from search_service.questions.controllers import QuestionController
from search_service.questions.pages import QuestionPages
from search_service.reviews.controllers import ReviewController
from search_service.reviews.pages import ReviewPages
from search_service.search.engine import SearchEngine
from search_service.services import build_services, close
from search_service.settings import Settings
from search_service.wishlists import service as wishlist_service
from search_service.wishlists.controllers import WishlistController
from search_service.wishlists.pages import WishlistPages

API_PREFIX = "/api/v1"
# What handlers ask for by name, and where the app keeps it (``services.Services``).
DEPENDENCIES = {
    "catalog": "catalog",
    "suggester": "suggester",
    "directory": "directory",
    "engine": "search",
    "views": "views",
    "limiter": "limiter",
    "account_guard": "account_guard",
    "query_ids": "query_ids",
    "recorder": "recorder",
    "popular": "popular",
    "rules": "rules",
}
DOCS_PATH = "/schema"
# Request bodies: JSON and forms are small; a 9 MB form is refused before anything parses it.
API_BODY_LIMIT = 64 * 1024
FORM_BODY_LIMIT = 64 * 1024
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
STATIC = Path(__file__).resolve().parent / "static"


def configure_templates(environment: Environment) -> None:
    """What every template may use beside its context (the app's environment, and any a test
    renders a macro with)."""
    environment.undefined = StrictUndefined
    environment.autoescape = True
    # Every URL that comes from data goes through it: https: and site paths only.
    environment.filters["safe_url"] = safe_url
    # Money as every page shows it: "$84.99", "Free", "19.99 CHF".
    environment.filters["money"] = price_display
    # An amount taken off or paid, which is never "Free": "−$0.00".
    environment.filters["amount"] = amount_display
    # A course's level as the filters name it: "All levels", not "All" beside "English".
    environment.filters["level"] = partial(value_label, "level")
    environment.globals["static_url"] = static_url
    environment.globals["done_messages"] = DONE
    # A page no route took has not read the session: its header goes by the cookie alone.
    environment.globals["session_cookie"] = SESSION_COOKIE


def _jinja(engine: JinjaTemplateEngine) -> None:
    configure_templates(engine.engine)


def _from_state(name: str) -> Provide:
    def provide(state: State) -> Any:
        return state[name]

    return Provide(provide, sync_to_thread=False)


def _api() -> Router:
    return Router(
        path=API_PREFIX,
        route_handlers=[
            CatalogController,
            CourseController,
            ReviewController,
            QuestionController,
            AuthController,
            CartController,
            WishlistController,
            InsightsController,
            RulesController,
            OrderController,
            LearningController,
            InstructorController,
        ],
        dependencies={
            "user": Provide(provide_api_user),
            "viewer": Provide(provide_api_viewer),
            "search_request": Provide(provide_search_request, sync_to_thread=False),
        },
        exception_handlers=api_exception_handlers(),  # type: ignore[arg-type]
        request_max_body_size=API_BODY_LIMIT,
        before_request=api_request,
    )


async def _before_page(request: Request[Any, Any, Any]) -> None:
    """Every page knows its viewer (signed in, or None), what their account offers (a cart,
    an instructor's page) and their cart count."""
    await load_page_viewer(request)
    viewer = request.state.viewer
    held = Account()
    if viewer is not None:
        held = await account(request_session(request), viewer.id)
    request.state.account = held
    request.state.cart_count = held.cart_count
    request.state.instructor_url = None
    if viewer is not None and held.mentor:
        name = " ".join(p for p in (viewer.first_name, viewer.last_name) if p)
        request.state.instructor_url = instructor_url(str(viewer.id), name)


def _finish_add(state: State) -> PendingAdds:
    """Log-in and sign-up finish an add started signed out: to the cart, credited to the
    search it was found with when its query id is one of ours, or to the wishlist."""
    query_ids: QueryIds = state.query_ids

    async def to_cart(
        session: AsyncSession, student: uuid.UUID, course: uuid.UUID, token: str | None
    ) -> bool:
        searched = query_ids.check(token) if token else None
        return await cart_service.add_pending(session, student, course, searched)

    async def to_wishlist(
        session: AsyncSession, student: uuid.UUID, course: uuid.UUID, _: str | None
    ) -> bool:
        return await wishlist_service.add_pending(session, student, course)

    def in_cart(course: uuid.UUID, _: str) -> str:
        return f"/cart?added={course}"

    def wished(_: uuid.UUID, back: str) -> str:  # back to the page saved from
        return done(back if back != "/" else "/wishlists", "wished")

    return {"cart": (to_cart, in_cart), "wishlist": (to_wishlist, wished)}


def _pages(settings: Settings, secret: str, search_request: Provide) -> Router:
    csrf = CSRFConfig(
        secret=secret,
        cookie_secure=settings.server.secure_cookies,
        cookie_samesite="lax",
    )
    return Router(
        path="/",
        route_handlers=[
            CatalogPages,
            CoursePages,
            ReviewPages,
            QuestionPages,
            AccountPages,
            CartPages,
            WishlistPages,
            InsightsPages,
            RulesPages,
            LearningPages,
            OrderPages,
            InstructorPages,
        ],
        dependencies={
            "user": Provide(provide_page_user, sync_to_thread=False),
            "viewer": Provide(provide_page_viewer, sync_to_thread=False),
            "search_request": search_request,
            "finish_add": Provide(_finish_add, sync_to_thread=False),
        },
        before_request=_before_page,
        middleware=[DefineMiddleware(TextTokenCSRFMiddleware, config=csrf)],
        exception_handlers=page_exception_handlers(),  # type: ignore[arg-type]
        include_in_schema=False,
        request_max_body_size=FORM_BODY_LIMIT,
    )


def _unrouted(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A path no route matched (404) or a method a route does not take (405): no layer has
    claimed the request yet, so its address says which layer's error it gets."""
    status = getattr(exc, "status_code", 404)
    detail = str(getattr(exc, "detail", "")) or "Not found"
    path = request.url.path
    if path.startswith(API_PREFIX + "/") or path.startswith(
        (DOCS_PATH, "/health", "/ready", "/metrics")
    ):
        response = problem(request, status, detail)
    elif status == 405 and request.method in ("GET", "HEAD"):
        # A form's own address (a refused form leaves it in the address bar: /cart/coupon)
        # opened as a page: the page above it, where the form is.
        return Redirect(path.rstrip("/").rsplit("/", 1)[0] or "/", status_code=303)
    elif status == 405:
        response = error_page(status, "This page does not take that kind of request.")
    else:
        response = error_page(status, "There is no page at this address.")
    # A 405 says which methods the address takes (RFC 9110: ``Allow``), as Litestar found
    # them, with HEAD beside GET (ops/head.py answers it).
    headers = dict(getattr(exc, "headers", None) or {})
    if "allow" in headers:
        methods = [m.strip() for m in headers["allow"].split(",")]
        methods += ["HEAD"] if "GET" in methods and "HEAD" not in methods else []
        headers["allow"] = ", ".join(methods)
    response.headers.update(headers)
    return response


def _app_exception_handlers() -> dict[Any, Any]:
    """The operations endpoints answer problem details; unrouted requests get their layer's
    error (the routers name these two exceptions themselves, so theirs win)."""
    return {
        **api_exception_handlers(),
        NotFoundException: _unrouted,
        MethodNotAllowedException: _unrouted,
    }


def _database(settings: Settings, url: str) -> SQLAlchemyAsyncConfig:
    """Requests' sessions: one transaction each, committed for 2xx and 3xx answers."""
    return SQLAlchemyAsyncConfig(
        connection_string=url,
        session_config=AsyncSessionConfig(expire_on_commit=False),
        before_send_handler="autocommit_include_redirects",
        engine_config=EngineConfig(
            pool_size=settings.database.pool_size,
            max_overflow=settings.database.max_overflow,
            pool_pre_ping=True,
            # Errors never write bound values (emails, password hashes…) into logs.
            hide_parameters=True,
        ),
    )


def _no_such_file(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    if isinstance(exc.__cause__, OSError):
        return problem(request, 404, "There is no such file.")
    log_failure(request, exc)
    return problem(request, 500, "Something went wrong on our side.")


def _outside_routes(app: Litestar, settings: Settings) -> None:
    """The ASGI middleware outside every route, so requests no route took (404, 405) are
    logged, counted and get the security headers too."""
    app.asgi_handler = security_headers(
        request_metrics(
            request_log(
                refused_heads(
                    stalled_bodies(
                        cors(
                            answer_head(accepted_encodings(app.asgi_handler)),
                            settings.server.cors_list,
                            API_PREFIX,
                        ),
                        settings.server.body_timeout,
                    )
                )
            )
        ),
        docs_path=DOCS_PATH,
        hsts=settings.server.secure_cookies,
        session_cookie=SESSION_COOKIE,
    )


def create_app(
    settings: Settings,
    *,
    database_url: str | None = None,
    open_engine: Callable[[], SearchEngine] | None = None,
) -> Litestar:
    """Build the app for ``settings``. Each start opens the search engine ``open_engine``
    gives (tests open their own index) or else the configured one, so an app can be started
    again after a stop."""
    url = database_url or settings.database.url
    if url is None:
        raise UsageError("no database URL: start the service with `skillspring serve`")
    db = _database(settings, url)
    secret = csrf_secret(settings)

    async def start(app: Litestar) -> None:
        engine = open_engine() if open_engine is not None else None
        services = await build_services(settings, url, secret, engine)
        for name, value in services.items():
            app.state[name] = value
        app.state.services = services

    async def stop(app: Litestar) -> None:
        services = app.state.get("services")
        try:
            if services is not None:
                # Closed and forgotten: a start after this stop (tests) sees none of them.
                del app.state.services
                for name, _ in services.items():
                    del app.state[name]
                await close(services)
        finally:
            # advanced_alchemy disposes its engine only under the first state key a process
            # gives out ("db_engine"): a second app in one process (tests) kept its pool,
            # whose connections outlived the database and the event loop they were opened on.
            await db.get_engine().dispose()

    app = Litestar(
        route_handlers=[
            _api(),
            _pages(settings, secret, Provide(provide_page_search_request)),
            OpsController,
            favicon,
            create_static_files_router(
                path="/static",
                directories=[STATIC],
                name="static",
                # Pages link every file by its content hash (pages/static.py).
                cache_control=CacheControlHeader(public=True, max_age=ONE_YEAR, immutable=True),
                # A name the file system refuses (app.css/x, 300 letters) is a file not there
                # (Litestar raises its 500 from the OSError).
                exception_handlers={InternalServerException: _no_such_file},
            ),
        ],
        state=State({"settings": settings, "sqlalchemy": db}),
        template_config=TemplateConfig(
            directory=TEMPLATES,
            engine=JinjaTemplateEngine,
            engine_callback=_jinja,
        ),
        plugins=[SQLAlchemyPlugin(config=db)],
        # HTML, JSON and static files, gzip when the client accepts it; level 1, as nginx's
        # default: most of level 6's saving for a third of its time (docs/performance.md).
        compression_config=CompressionConfig(
            backend="gzip", gzip_compress_level=1, minimum_size=1024
        ),
        on_startup=[start],
        on_shutdown=[stop],
        dependencies={
            **{name: _from_state(state) for name, state in DEPENDENCIES.items()},
            "course_form": Provide(provide_course_form, sync_to_thread=False),
        },
        exception_handlers=_app_exception_handlers(),
        openapi_config=OpenAPIConfig(
            title="Skillspring catalog API",
            version="1.0.0",
            path=DOCS_PATH,
            components=Components(
                security_schemes={
                    BEARER_SCHEME: SecurityScheme(
                        type="http",
                        scheme="bearer",
                        description="a token from POST /api/v1/auth/login",
                    )
                }
            ),
            render_plugins=[
                PinnedSwagger(
                    init_script=static_url("swagger-init.js"),
                    spec_url=f"{DOCS_PATH}/openapi.json",
                    path="/swagger",
                )
            ],
        ),
        # Logging is configured by the process (ops/logs.py), not by Litestar.
        logging_config=None,
        debug=False,
    )
    _outside_routes(app, settings)
    return app
