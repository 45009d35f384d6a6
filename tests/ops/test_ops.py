"""Readiness, metrics, request logs, and the course/media lifecycle commands."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from search_service.db.connection import asyncpg_dsn
from search_service.ops.logs import JsonFormatter, TextFormatter
from search_service.search.request import SearchRequest
from search_service.search.tantivy.engine import TantivyEngine
from search_service.settings import ServerSettings, Settings
from tests.support.catalogs import Catalog
from tests.support.processes import assert_one_line_error, skillspring

Client = Any


async def _client(
    url: str, engine: TantivyEngine, settings: Settings | None = None
) -> AsyncIterator[Client]:
    from litestar.testing import AsyncTestClient

    from search_service.app import create_app

    async with AsyncTestClient(
        app=create_app(settings or Settings(), database_url=url, open_engine=lambda: engine)
    ) as client:
        yield client


async def test_ready_when_everything_is_up(api: Client) -> None:
    response = await api.get("/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "search": "ok"}}


async def test_not_ready_names_the_search_engine(shop: Catalog, tmp_path: Path) -> None:
    async for client in _client(shop.url, TantivyEngine(tmp_path / "none")):
        response = await client.get("/ready")
        assert response.status_code == 503
        body = response.json()
        assert body["checks"]["database"] == "ok"
        assert "search engine" in body["checks"]["search"] and "reindex" in body["detail"]


async def test_not_ready_names_postgres(shop: Catalog) -> None:
    engine = TantivyEngine(shop.index)
    async for client in _client("postgresql+asyncpg://nobody@127.0.0.1:1/none", engine):
        response = await client.get("/ready")
        assert response.status_code == 503
        assert response.json()["checks"] == {
            "database": response.json()["checks"]["database"],
            "search": "ok",
        }
        assert "PostgreSQL unreachable" in response.json()["detail"]
        # Health only says the process is up.
        assert (await client.get("/health")).status_code == 200


async def test_metrics(shop: Catalog) -> None:
    settings = Settings(server=ServerSettings(metrics_token="scrape-token"))
    url, root = shop.url, shop.index
    async for api in _client(url, TantivyEngine(root), settings):
        await api.get("/api/v1/search?q=python")
        await api.head("/api/v1/search?q=python")
        await api.get("/api/v1/search?level=expert")
        await api.get("/no/such/page")
        await api.delete("/api/v1/search")
        for made_up in ("FROBNICATEA", "FROBNICATEB"):
            await api.request(made_up, "/api/v1/search")
        assert (await api.get("/metrics")).status_code == 403, "not public"
        wrong = await api.get("/metrics", headers={"authorization": "Bearer guess"})
        assert wrong.status_code == 403
        response = await api.get("/metrics", headers={"authorization": "Bearer scrape-token"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; version=1.0.0; charset=utf-8"
    text = response.text
    assert (
        'skillspring_http_requests_total{method="GET",route="/api/v1/search",status="200"}' in text
    )
    assert 'route="/api/v1/search",status="400"' in text
    # A HEAD is counted as the HEAD it was, though answered as a GET inside.
    assert 'method="HEAD",route="/api/v1/search",status="200"' in text
    assert "skillspring_search_seconds_count" in text
    assert "skillspring_sync_outbox_backlog" in text and "skillspring_sync_lag_seconds" in text
    assert "skillspring_search_engine_errors_total" in text
    # Requests no route took are counted too.
    assert 'route="unmatched",status="404"' in text
    assert 'method="DELETE",route="unmatched",status="405"' in text
    # A made-up method is "other", not a series of its own per name.
    assert "FROBNICATE" not in text and 'method="other"' in text


async def test_request_id_and_one_log_line_without_query_strings(
    api: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="skillspring.requests")
    response = await api.get(
        "/api/v1/search?q=secret-token-123", headers={"x-request-id": "abc-123"}
    )
    assert response.headers["x-request-id"] == "abc-123"
    lines = [r for r in caplog.records if r.name == "skillspring.requests"]
    assert len(lines) == 1
    fields = lines[0].fields  # type: ignore[attr-defined]
    assert fields["request_id"] == "abc-123" and fields["status"] == 200
    assert fields["path"] == "/api/v1/search" and fields["duration_ms"] >= 0
    assert "secret-token-123" not in JsonFormatter().format(lines[0])
    # The text format's line says as much: "GET /api/v1/search 200 3.21 ms id=abc-123".
    said = lines[0].getMessage()
    assert said.startswith("GET /api/v1/search 200 ") and said.endswith(" ms id=abc-123")
    generated = await api.get("/health", headers={"x-request-id": "bad id\n!"})
    assert generated.headers["x-request-id"] != "bad id\n!"
    # What changes how a line reads is escaped: U+202E would show the rest reversed.
    caplog.clear()
    await api.get("/courses/abc\u202etxt.exe")
    record = next(r for r in caplog.records if r.name == "skillspring.requests")
    for line in (TextFormatter().format(record), JsonFormatter().format(record)):
        assert "\u202e" not in line and "abc\\u202etxt.exe" in line
    assert json.loads(JsonFormatter().format(record))["path"] == "/courses/abc\u202etxt.exe"


def test_json_log_format() -> None:
    record = logging.LogRecord(
        "skillspring.requests", logging.INFO, __file__, 1, "GET /x 200", None, None
    )
    record.fields = {"request_id": "r1", "status": 200}
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "GET /x 200" and line["request_id"] == "r1"
    assert line["level"] == "info"


def _log_in_a_process(*lines: str) -> tuple[int, list[str]]:
    """Run ``lines`` in a fresh service-logging process: its exit status and logged messages."""
    code = "\n".join(
        [
            "import logging, signal",
            "from search_service.ops.logs import configure_logging",
            "configure_logging('json')",
            "requests = logging.getLogger('skillspring.requests')",
            *lines,
        ]
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    return done.returncode, [json.loads(line)["message"] for line in done.stderr.splitlines()]


@pytest.mark.system
def test_a_worker_killed_by_a_signal_after_its_last_line_has_written_them_all() -> None:
    """A worker killed by a signal (granian kills one that outlives its grace period) runs no
    exit handler, so a line still waiting to be written would be lost: every line is written
    when logged."""
    status, messages = _log_in_a_process(
        "for n in range(3): requests.info('request %d', n)",
        "logging.getLogger('_granian').info('Finished server process')",
        "signal.signal(signal.SIGTERM, signal.SIG_DFL)",
        "signal.raise_signal(signal.SIGTERM)",
    )
    assert status == -15
    assert messages == ["request 0", "request 1", "request 2", "Finished server process"]


@pytest.mark.system
def test_a_service_process_writes_its_request_lines() -> None:
    status, messages = _log_in_a_process("for n in range(3): requests.info('request %d', n)")
    assert status == 0 and messages == [f"request {n}" for n in range(3)]


@pytest.mark.system
async def test_course_archive_leaves_search(catalog_url: str, tmp_path: Path) -> None:
    env = {"SKILLSPRING_DATABASE_URL": catalog_url, "SKILLSPRING_DATA_DIR": str(tmp_path)}
    assert skillspring("reindex", env=env).returncode == 0
    conn = await asyncpg.connect(asyncpg_dsn(catalog_url))
    slug = await conn.fetchval(
        "SELECT slug FROM courses WHERE status = 'published' AND deleted_at IS NULL "
        "ORDER BY id LIMIT 1"
    )
    result = skillspring("course", "archive", slug, env=env)
    assert result.returncode == 0, result.stderr
    row = await conn.fetchrow("SELECT status::text, deleted_at FROM courses WHERE slug = $1", slug)
    assert row["status"] == "archived" and row["deleted_at"] is not None
    assert skillspring("sync", env=env).returncode == 0
    engine = TantivyEngine(tmp_path / "search" / "courses")
    found = [
        h.document.slug
        for h in (
            await engine.search(SearchRequest(per_page=100, sort="newest", with_facets=False))
        ).hits
    ]
    assert slug not in found
    assert_one_line_error(skillspring("course", "archive", "no-such-course", env=env), "no course")

    # The media of archived courses get marked, once.
    pending = await conn.fetchval(
        "SELECT count(*) FROM media_assets m JOIN courses c ON c.id = m.owner_id "
        "WHERE c.status = 'archived' AND m.archived_at IS NULL"
    )
    assert pending >= 1
    first = skillspring("media", "archive", env=env)
    assert first.returncode == 0 and f"marked {pending:,} media" in first.stdout
    second = skillspring("media", "archive", env=env)
    assert "marked 0 media" in second.stdout
    assert (
        await conn.fetchval(
            "SELECT count(*) FROM media_assets m JOIN courses c ON c.id = m.owner_id "
            "WHERE c.status <> 'archived' AND m.archived_at IS NOT NULL"
        )
        == 0
    )
    await conn.close()


@pytest.mark.system
def test_a_server_process_freezes_its_startup_objects(tmp_path: Path) -> None:
    """The worker entry point leaves the objects of its imports and app out of every later
    collection, and collects the youngest generation less often (``ops/collector.py``); run
    in a fresh interpreter, as freezing is for the whole process (building the app connects
    to nothing)."""
    import os
    import subprocess
    import sys

    script = (
        "import gc\n"
        "from search_service.asgi import create_from_env\n"
        "from search_service.ops.collector import YOUNG_THRESHOLD\n"
        "assert gc.get_freeze_count() == 0\n"
        "create_from_env()\n"
        "assert gc.get_freeze_count() > 50_000, gc.get_freeze_count()\n"
        "assert gc.get_threshold()[0] == YOUNG_THRESHOLD\n"
    )
    env = {
        **os.environ,
        "SKILLSPRING_DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:9/none",
        "SKILLSPRING_DATA_DIR": str(tmp_path),
    }
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120, env=env)


class _Transport:
    """What a socket transport was asked to write, call by call."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        assert not self.closed
        self.writes.append(bytes(data))

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def get_write_buffer_size(self) -> int:
        return 0

    def get_extra_info(self, name: str) -> str:
        return f"info {name}"


def test_a_traceback_keeps_its_lines_and_escapes_what_it_quotes() -> None:
    # An error quoting what a client sent (a file name with U+202E) is written escaped.
    try:
        raise OSError("File name too long: '/static/\u202egpj.exe'")
    except OSError:
        record = logging.LogRecord(
            "skillspring.errors", logging.ERROR, __file__, 1, "server error", None, sys.exc_info()
        )
    text = TextFormatter().format(record)
    assert "\u202e" not in text and "\\u202egpj.exe" in text
    assert text.count("\n") >= 2, "a traceback keeps its lines"
