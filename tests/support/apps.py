"""The app in process, as the tests drive it."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar

from search_service.app import create_app
from search_service.search.tantivy.engine import TantivyEngine
from search_service.settings import LimitSettings, Settings

# Every in-process request comes from one address ("testclient"): the whole session's
# sign-ups would trip the per-address limit, which tests/test_limits.py tests on its own.
IN_PROCESS = Settings(limits=LimitSettings(signups_per_address_hour=1_000_000))


def in_process_app(url: str, index: Path, settings: Settings = IN_PROCESS) -> Litestar:
    return create_app(settings, database_url=url, engine=TantivyEngine(index))
