"""Readiness, metrics, request logs, and the course/media lifecycle commands."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from search_service.db.connection import asyncpg_dsn
from search_service.ops.log_writer import BatchedStreamHandler
from search_service.ops.logs import JsonFormatter
from search_service.search.request import SearchRequest
from search_service.search.tantivy import TantivyEngine
from search_service.settings import ServerSettings, Settings
from tests.support.processes import assert_one_line_error, skillspring

Client = Any


async def _client(
    url: str, engine: TantivyEngine, settings: Settings | None = None
) -> AsyncIterator[Client]:
    from litestar.testing import AsyncTestClient

    from search_service.app import create_app

    async with AsyncTestClient(
        app=create_app(settings or Settings(), database_url=url, engine=engine)
    ) as client:
        yield client


async def test_ready_when_everything_is_up(api: Client) -> None:
    response = await api.get("/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "search": "ok"}}


async def test_not_ready_names_the_search_engine(
    indexed_catalog: tuple[str, Path], tmp_path: Path
) -> None:
    async for client in _client(indexed_catalog[0], TantivyEngine(tmp_path / "none")):
        response = await client.get("/ready")
        assert response.status_code == 503
        body = response.json()
        assert body["checks"]["database"] == "ok"
        assert "search engine" in body["checks"]["search"] and "reindex" in body["detail"]


async def test_not_ready_names_postgres(indexed_catalog: tuple[str, Path]) -> None:
    engine = TantivyEngine(indexed_catalog[1])
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


async def test_metrics(indexed_catalog: tuple[str, Path]) -> None:
    settings = Settings(server=ServerSettings(metrics_token="scrape-token"))
    url, root = indexed_catalog
    async for api in _client(url, TantivyEngine(root), settings):
        await api.get("/api/v1/search?q=python")
        await api.get("/api/v1/search?level=expert")
        await api.get("/no/such/page")
        await api.delete("/api/v1/search")
        assert (await api.get("/metrics")).status_code == 403, "not public"
        wrong = await api.get("/metrics", headers={"authorization": "Bearer guess"})
        assert wrong.status_code == 403
        response = await api.get("/metrics", headers={"authorization": "Bearer scrape-token"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert (
        'skillspring_http_requests_total{method="GET",route="/api/v1/search",status="200"}' in text
    )
    assert 'route="/api/v1/search",status="400"' in text
    assert "skillspring_search_seconds_count" in text
    assert "skillspring_sync_outbox_backlog" in text and "skillspring_sync_lag_seconds" in text
    assert "skillspring_search_engine_errors_total" in text
    # Requests no route took are counted too.
    assert 'route="unmatched",status="404"' in text
    assert 'method="DELETE",route="unmatched",status="405"' in text


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
    generated = await api.get("/health", headers={"x-request-id": "bad id\n!"})
    assert generated.headers["x-request-id"] != "bad id\n!"


def test_json_log_format() -> None:
    record = logging.LogRecord(
        "skillspring.requests", logging.INFO, __file__, 1, "GET /x 200", None, None
    )
    record.fields = {"request_id": "r1", "status": 200}
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "GET /x 200" and line["request_id"] == "r1"
    assert line["level"] == "info"


class _Stream:
    """A stream that keeps each write apart, and says when one came."""

    def __init__(self) -> None:
        self.writes: list[str] = []
        self.wrote = threading.Event()

    def write(self, text: str) -> None:
        self.writes.append(text)
        self.wrote.set()

    def flush(self) -> None:
        pass


def test_log_lines_from_many_threads_are_written_whole_in_order_in_one_write() -> None:
    stream = _Stream()
    handler = BatchedStreamHandler(stream, delay=3600)  # the writer waits: flush writes
    handler.setFormatter(logging.Formatter("%(message)s"))
    log = logging.getLogger("tests.batched")
    log.handlers[:], log.propagate = [handler], False
    log.setLevel(logging.INFO)

    def speak(thread: int) -> None:
        for n in range(250):
            log.info("thread %d line %d", thread, n)

    threads = [threading.Thread(target=speak, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert stream.writes == []  # queued, not written yet
    handler.flush()
    assert len(stream.writes) == 1
    lines = stream.writes[0].splitlines()
    assert len(lines) == 2000
    for thread in range(8):
        own = [line for line in lines if line.startswith(f"thread {thread} ")]
        assert own == [f"thread {thread} line {n}" for n in range(250)]
    log.handlers[:] = []


def test_a_log_line_reads_as_its_arguments_were_when_logged() -> None:
    stream = _Stream()
    handler = BatchedStreamHandler(stream, delay=3600)
    handler.setFormatter(logging.Formatter("%(message)s"))
    batch = ["a", "b"]
    handler.handle(logging.makeLogRecord({"msg": "batch %s", "args": (batch,), "levelno": 20}))
    batch.clear()
    handler.flush()
    assert stream.writes == ["batch ['a', 'b']\n"]


def test_the_log_writer_writes_without_being_asked() -> None:
    stream = _Stream()
    handler = BatchedStreamHandler(stream, delay=0)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.handle(
        logging.makeLogRecord(
            {"msg": "hello %s", "args": ("there",), "levelno": 20, "levelname": "INFO"}
        )
    )
    assert stream.wrote.wait(timeout=30)
    assert "".join(stream.writes) == "INFO hello there\n"
    handler.close()


def test_a_line_not_batched_is_written_at_once_after_the_queued_ones() -> None:
    stream = _Stream()
    handler = BatchedStreamHandler(stream, delay=3600)  # the writer waits: nothing else writes
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    for n in range(3):
        handler.handle(
            logging.makeLogRecord({"msg": f"queued {n}", "levelno": 20, "levelname": "INFO"})
        )
    assert stream.writes == []
    handler.handle(logging.makeLogRecord({"msg": "trouble", "levelno": 40, "levelname": "ERROR"}))
    assert "".join(stream.writes).splitlines() == [
        "INFO queued 0",
        "INFO queued 1",
        "INFO queued 2",
        "ERROR trouble",
    ]


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


def test_a_worker_killed_by_its_own_sigterm_after_its_last_line_has_written_them_all() -> None:
    """uvicorn ends a worker that shut down by raising SIGTERM again: no exit handler runs,
    so whatever waits to be written would be lost. Its last line is not a request line, so
    it is written at once, with the request lines queued before it."""
    status, messages = _log_in_a_process(
        "for n in range(3): requests.info('request %d', n)",
        "logging.getLogger('uvicorn.error').info('Finished server process')",
        "signal.signal(signal.SIGTERM, signal.SIG_DFL)",
        "signal.raise_signal(signal.SIGTERM)",
    )
    assert status == -15
    assert messages == ["request 0", "request 1", "request 2", "Finished server process"]


def test_a_service_process_writes_its_queued_request_lines_as_it_exits() -> None:
    status, messages = _log_in_a_process("for n in range(3): requests.info('request %d', n)")
    assert status == 0 and messages == [f"request {n}" for n in range(3)]


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


async def test_a_response_goes_out_in_one_write_per_loop_turn() -> None:
    import asyncio

    from search_service.ops.coalesce import CoalescingTransport

    inner = _Transport()
    transport = CoalescingTransport(inner, asyncio.get_running_loop())  # type: ignore[arg-type]
    transport.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
    transport.write(b"")
    transport.write(memoryview(b"ok"))
    assert inner.writes == [] and transport.get_write_buffer_size() == 40
    await asyncio.sleep(0)  # one turn of the loop
    assert inner.writes == [b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"]
    transport.write(b"second")
    await asyncio.sleep(0)
    assert inner.writes[1:] == [b"second"]
    transport.write(b"last words")
    transport.close()  # what is pending goes first
    assert inner.writes[2:] == [b"last words"] and inner.closed
    await asyncio.sleep(0)
    assert len(inner.writes) == 3
    assert transport.get_extra_info("peername") == "info peername"


def test_serve_answers_keep_alive_and_closing_requests_whole(tmp_path: Path) -> None:
    """The coalescing protocol in uvicorn, over a real socket: several answers on one
    connection, then one the client closes, each byte for byte what the app sent."""
    import socket

    import uvicorn

    from search_service.ops.coalesce import CoalescingHttpToolsProtocol

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = ("x" * int(scope["path"].strip("/"))).encode()
        headers = [(b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    # A socket listening before the server runs: the client's connection waits in its backlog.
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen()
    port = listening.getsockname()[1]
    config = uvicorn.Config(app, http=CoalescingHttpToolsProtocol, log_config=None, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]})
    thread.start()
    try:
        with socket.create_connection(("127.0.0.1", port)) as conn:
            reader = conn.makefile("rb")
            for size in (0, 5, 70_000):
                conn.sendall(f"GET /{size} HTTP/1.1\r\nhost: x\r\n\r\n".encode())
                assert reader.readline() == b"HTTP/1.1 200 OK\r\n"
                headers = {}
                while (line := reader.readline()) != b"\r\n":
                    name, value = line.decode().split(":", 1)
                    headers[name.lower()] = value.strip()
                assert reader.read(int(headers["content-length"])) == b"x" * size
            conn.sendall(b"GET /3 HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
            rest = reader.read()
            assert rest.startswith(b"HTTP/1.1 200 OK\r\n") and rest.endswith(b"\r\n\r\nxxx")
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listening.close()
