"""A background job that keeps failing says so once with its traceback, then one line a minute
until it works again (a worker on a broken database must not write a traceback a second)."""

from __future__ import annotations

import logging

import pytest

from search_service.ops import periodic
from search_service.ops.periodic import Periodic


class Flaky:
    def __init__(self) -> None:
        self.error: Exception | None = None

    async def __call__(self) -> None:
        if self.error is not None:
            raise self.error


async def test_a_repeating_failure_is_told_once_then_a_line_a_minute(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(periodic.time, "monotonic", lambda: clock[0])
    job = Flaky()
    log = logging.getLogger("test.periodic")
    every = Periodic(1, job, log, "could not load rules")
    job.error = RuntimeError('relation "merchandising_rules" does not exist')
    with caplog.at_level(logging.INFO, logger="test.periodic"):
        for _ in range(30):  # half a minute of failures, one a second
            clock[0] += 1
            await every.run_once()
        told = [r for r in caplog.records if r.name == "test.periodic"]
        assert len(told) == 1 and told[0].exc_info is not None
        clock[0] += 31  # a minute after the first
        await every.run_once()
        again = [r for r in caplog.records if r.name == "test.periodic"][1:]
        assert len(again) == 1 and again[0].exc_info is None
        assert "31 times in a row" in again[0].getMessage()
        job.error = ValueError("another fault")  # a new failure is told at once, in full
        await every.run_once()
        job.error = None
        await every.run_once()
    lines = [r for r in caplog.records if r.name == "test.periodic"]
    assert lines[2].exc_info is not None and isinstance(lines[2].exc_info[1], ValueError)
    assert "works again after 1 failed run" in lines[3].getMessage()
