"""Headers, documentation page, logs that cannot be forged or leak, secrets in errors, and the
embedded PostgreSQL letting go of dead users."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path
from queue import Empty
from typing import Any

import asyncpg
import httpx
import psutil
import pytest
from sqlalchemy import text

from tests.support.apps import in_process_app
from tests.support.catalogs import Catalog
from tests.support.processes import skillspring
from tests.support.servers import serve
from tests.support.shoppers import PASSWORD

Client = Any


async def test_every_response_carries_the_security_headers(api: Client) -> None:
    for path in ("/", "/search?q=python", "/api/v1/search?q=python", "/no/such/page", "/login"):
        response = await api.get(path)
        headers = response.headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style")[0]
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert headers["x-frame-options"] == "DENY"
        assert "strict-transport-security" not in headers, "plain http: no HSTS"


async def test_pages_have_no_inline_script_or_style(api: Client) -> None:
    for path in ("/", "/search?q=python", "/login"):
        html = (await api.get(path)).text
        scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", html)
        assert scripts == [], path
        assert " style=" not in html, path


async def test_personal_pages_are_never_cached(api: Client) -> None:
    for path in ("/login", "/register", "/cart", "/wishlists"):
        response = await api.get(path)
        assert response.headers.get("cache-control") == "no-store", path


async def test_answers_to_a_signed_in_shopper_are_kept_by_no_cache(
    api: Client, db: asyncpg.Connection, shop: Catalog
) -> None:
    # A signed-in home page shows the shopper's name and "because you bought"; a bearer's
    # "also bought" leaves out what they own. Said nothing of caching, a cache could keep them.
    from litestar.testing import AsyncTestClient

    from tests.support.pages import sign_up
    from tests.support.shoppers import auth, courses, student

    async with AsyncTestClient(app=in_process_app(shop.url, shop.index)) as client:
        client.follow_redirects = False
        await sign_up(client)
        for path in ("/", "/search?q=python", "/categories"):
            assert (await client.get(path)).headers["cache-control"] == "private, no-store", path
    (course,) = await courses(db, 1)
    bearer = auth(await student(db))
    also = await api.get(f"/api/v1/courses/{course['slug']}/also-bought", headers=bearer)
    assert also.headers["cache-control"] == "private, no-store"
    # Anonymous answers keep what their handlers say (none, or public with a validator).
    assert "cache-control" not in (await api.get("/")).headers
    assert "public" in (await api.get("/api/v1/search?q=python")).headers["cache-control"]


async def test_hsts_with_secure_cookies(shop: Catalog) -> None:
    from litestar.testing import AsyncTestClient

    from search_service.settings import ServerSettings, Settings

    settings = Settings(server=ServerSettings(secure_cookies=True))
    async with AsyncTestClient(app=in_process_app(shop.url, shop.index, settings=settings)) as c:
        assert "max-age=" in (await c.get("/")).headers["strict-transport-security"]


async def test_api_docs_load_pinned_scripts_and_no_inline_code(api: Client) -> None:
    response = await api.get("/schema/swagger")
    assert response.status_code == 200
    html = response.text
    srcs = re.findall(r'<script src="([^"]+)"([^>]*)>', html)
    cdn = [(src, rest) for src, rest in srcs if src.startswith("https://")]
    assert len(cdn) == 2 and all('integrity="sha384-' in rest for _, rest in cdn)
    assert 'integrity="sha384-' in re.search(r"<link[^>]+stylesheet[^>]+>", html).group(0)  # type: ignore[union-attr]
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    init = next(src for src, _ in srcs if src.startswith("/static/"))
    assert (await api.get(init)).status_code == 200
    spec = await api.get("/schema/openapi.json")
    assert spec.status_code == 200 and spec.json()["info"]["title"]


async def test_the_openapi_document_says_which_operations_need_a_token(api: Client) -> None:
    """Swagger UI offers "Authorize" and generated clients know where the bearer token goes:
    every operation that answers 401 for want of one declares it (log-in answers 401 for a
    wrong password, and needs none)."""
    spec = (await api.get("/schema/openapi.json")).json()
    assert spec["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or path == "/api/v1/auth/login":
                continue
            needs = "401" in operation.get("responses", {})
            declared = operation.get("security") == [{"BearerToken": []}]
            assert needs == declared, (method, path)


def test_text_logs_escape_control_characters() -> None:
    from search_service.ops.logs import TextFormatter

    record = logging.LogRecord("x", logging.INFO, "f", 1, "GET %s 404", ("/a\nFAKE ERROR b",), None)
    line = TextFormatter().format(record)
    assert "\n" not in line and "/a\\nFAKE ERROR b" in line


@pytest.mark.system
def test_json_logs_are_real_json_and_cannot_be_forged(shop: Catalog, tmp_path: Path) -> None:
    with serve(shop, tmp_path, workers=1, env={"SKILLSPRING_LOG_FORMAT": "json"}) as served:
        with httpx.Client(base_url=served.url) as client:
            # A control character in the path is refused before any route (400), and logged.
            assert client.get("/x%0a%7B%22level%22%3A%22error%22%7D").status_code == 400
            assert client.get("/health").status_code == 200
        assert served.stop() in (0, 143)
        lines = []
        while True:
            try:
                lines.append(served.lines.get(timeout=5))
            except Empty:
                break
    records = [json.loads(line) for line in lines if line.startswith("{")]
    for line in lines:  # everything but the CLI's own plain lines is one JSON object
        assert line.startswith("{") or line.startswith(("serving on", "warning:")), line
    forged = [r for r in records if r.get("path", "").startswith("/x")]
    assert len(forged) == 1
    assert forged[0]["path"] == '/x\n{"level":"error"}' and forged[0]["status"] == 400
    assert all(r.get("level") != "error" for r in records)
    assert any(r["logger"].startswith("_granian") for r in records), "granian's lines too"


async def test_database_errors_do_not_log_personal_data(
    api: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A database error nobody expected (here: planted in the log-in path) is a 500 whose log
    line names the error, not the values: neither the email nor a password hash."""
    from search_service.accounts import service

    async def failing(session: Any, user: Any, kind: str = "api") -> Any:
        await session.execute(
            text("SELECT CAST(:email AS int), :hash"),
            {"email": user.email, "hash": user.password_hash},
        )

    email = f"leak-{uuid.uuid4().hex[:8]}@example.com"
    registered = await api.post(
        "/api/v1/auth/register", json={"email": email, "password": PASSWORD, "first_name": "L"}
    )
    assert registered.status_code == 201
    monkeypatch.setattr(service, "issue_token", failing)
    failed = await api.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert failed.status_code == 500
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert "database error on POST /api/v1/auth/login" in logged and "(SQLSTATE 22" in logged
    assert email not in logged and "$argon2" not in logged


async def test_metrics_are_local_only_without_a_token(api: Client) -> None:
    response = await api.get("/metrics")  # the test client is not a local address
    assert response.status_code == 403


def _postgres_of(pgdata: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = process.info["cmdline"] or []
        if process.info["name"] == "postgres" and str(pgdata) in " ".join(cmdline):
            found.append(process)
    return found


@pytest.mark.system
def test_embedded_postgres_stops_when_its_last_user_exits(tmp_path: Path) -> None:
    env = {"SKILLSPRING_DATA_DIR": str(tmp_path)}
    assert skillspring("db", "upgrade", env=env).returncode == 0
    pgdata = (tmp_path / "pg").resolve()
    assert _postgres_of(pgdata) == [], "stopped after a clean exit"
    # A user that died without letting go (killed) stays on the cluster's list of users...
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (pgdata / ".handle_pids.json").write_text(json.dumps([dead.pid]))
    # ...the next command still stops the server when it is done.
    assert skillspring("db", "upgrade", env=env).returncode == 0
    assert _postgres_of(pgdata) == []


@pytest.mark.system
def test_a_terminated_server_stops_embedded_postgres(tmp_path: Path) -> None:
    from tests.support.processes import SERVING, free_port, read_lines, wait_for_line

    env = {k: v for k, v in os.environ.items() if not k.startswith("SKILLSPRING_")}
    env["SKILLSPRING_DATA_DIR"] = str(tmp_path)
    assert skillspring("db", "upgrade", env={"SKILLSPRING_DATA_DIR": str(tmp_path)}).returncode == 0
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "search_service.cli", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    lines = read_lines(process)
    wait_for_line(lines, SERVING, anywhere=True)
    pgdata = (tmp_path / "pg").resolve()
    assert _postgres_of(pgdata), "the server runs the embedded cluster"
    process.terminate()  # SIGTERM, as `make demo` stopped by a supervisor would be
    assert process.wait(timeout=60) in (0, 143)
    assert _postgres_of(pgdata) == []


async def test_every_documented_error_is_a_problem_document(api: Client) -> None:
    """What the server sends (application/problem+json) is what the document says, for every
    4xx and 5xx of every operation, with a plain example rather than made-up values."""
    spec = (await api.get("/schema/openapi.json")).json()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            for status, response in operation.get("responses", {}).items():
                content = response.get("content") or {}
                if status[0] in "45" and content:
                    assert list(content) == ["application/problem+json"], (method, path, status)
                    examples = content["application/problem+json"].get("examples", {})
                    assert [e["value"]["status"] for e in examples.values()] == [int(status)]


async def test_api_bodies_must_say_they_are_json(api: Any, db: Any) -> None:
    """A body sent as text/plain (a cross-site form or a no-cors fetch sends it with no
    preflight) signed people up from any page their browser opened: the API takes bodies
    declared JSON only (415 otherwise), and writes nothing."""
    users = await db.fetchval("SELECT count(*) FROM users")
    body = '{"email":"csrf@probe.example","password":"a quiet harbour at dawn","first_name":"X"}'
    for kind in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data", None):
        headers = {"origin": "https://evil.example"} | ({"content-type": kind} if kind else {})
        answer = await api.post("/api/v1/auth/register", content=body, headers=headers)
        assert answer.status_code == 415, (kind, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["title"] == "Unsupported media type"
    assert await db.fetchval("SELECT count(*) FROM users") == users
    for kind in ("application/json", "application/json; charset=utf-8"):
        login = '{"email":"nobody@probe.example","password":"a quiet harbour at dawn"}'
        answer = await api.post("/api/v1/auth/login", content=login, headers={"content-type": kind})
        assert answer.status_code == 401, (kind, answer.text)


async def test_every_api_write_documents_its_refusal_of_a_body_not_json(api: Client) -> None:
    """Every POST, PUT and PATCH answers 415 for a body not declared JSON (before its handler),
    which no operation documented: a schemathesis run found the answer outside the schema."""
    spec = (await api.get("/schema/openapi.json")).json()
    writes = [
        (method, path, operation)
        for path, item in spec["paths"].items()
        if path.startswith("/api/v1/")
        for method, operation in item.items()
        if method in ("post", "put", "patch")
    ]
    assert len(writes) >= 20
    assert [(m, p) for m, p, op in writes if "415" not in op["responses"]] == []
    refused = await api.post(
        "/api/v1/auth/login", content=b"email=a", headers={"content-type": "text/plain"}
    )
    assert refused.status_code == 415
