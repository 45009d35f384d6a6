"""The app in process, as the tests drive it."""

from __future__ import annotations

import functools
from pathlib import Path

from litestar import Litestar

from search_service.app import create_app
from search_service.search.tantivy.engine import TantivyEngine
from search_service.settings import LimitSettings, Settings

# Every in-process request comes from one address ("testclient"): the whole session's
# sign-ups would trip the per-address limit, which tests/test_limits.py tests on its own.
IN_PROCESS = Settings(limits=LimitSettings(signups_per_address_hour=1_000_000))


def in_process_app(url: str, index: Path, settings: Settings = IN_PROCESS) -> Litestar:
    """A new app over the database at ``url`` and the tantivy index at ``index``."""
    return create_app(settings, database_url=url, open_engine=lambda: TantivyEngine(index))


@functools.cache
def shared_app(url: str, index: Path, client: str) -> Litestar:
    """The app over ``url`` and ``index`` for one of a test's clients (``api``, ``browser``),
    built once per test process: building the routes is most of a test's set-up (about a
    tenth of a second). What a test can change lives in what each start opens afresh and each
    stop closes and takes out of the app's state (services, pools, the engine); what stays is
    configuration: routes, the database plugin's settings, the templates. A test's ``shop``
    is at the same address each time; each client has its own app, as two starts of one app
    at once would share its state."""
    return in_process_app(url, index)
