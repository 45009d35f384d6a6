"""Schemathesis against the running service's own OpenAPI schema: every read endpoint, no 5xx,
no response that breaks the schema."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.test_follow import _lines, _wait_for
from tests.test_serve import free_port


@pytest.fixture(scope="module")
def live_server(indexed_catalog: tuple[str, Path], tmp_path_factory: Any) -> Iterator[str]:
    url, root = indexed_catalog
    data_dir = tmp_path_factory.mktemp("live")
    (data_dir / "search").mkdir()
    (data_dir / "search" / "courses").symlink_to(root)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKILLSPRING_")}
    env.update(SKILLSPRING_DATABASE_URL=url, SKILLSPRING_DATA_DIR=str(data_dir))
    process = subprocess.Popen(
        [sys.executable, "-m", "search_service.cli", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        lines = _lines(process)
        # One worker: uvicorn runs the app's startup, then binds and says so.
        _wait_for(lines, "Uvicorn running on", anywhere=True)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=60)


def test_read_endpoints_conform(live_server: str) -> None:
    # Driven through Schemathesis' Python API: its pytest fixture loader does not work
    # with pytest 9 (it reads a private attribute pytest no longer has).
    schema = schemathesis.openapi.from_url(f"{live_server}/schema/openapi.json")
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() != "GET":
            continue

        @given(case=operation.as_strategy())
        @settings(
            max_examples=80,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        def conforms(case: Any) -> None:
            # Schema-valid requests may still be refused for cross-parameter rules the schema
            # cannot state (price_min above price_max): those 400s are correct.
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        conforms()
        checked.append(operation.path)
    assert {"/api/v1/search", "/api/v1/suggest", "/api/v1/categories", "/health"} <= set(checked)
