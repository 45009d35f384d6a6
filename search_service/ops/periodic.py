"""A job a web worker runs every few seconds in the background (batched writes, chores): a
failure is logged and the job runs again at its next turn. A failure that repeats is logged
with its traceback once, then as one line a minute until the job works again."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

Job = Callable[[], Awaitable[object]]
REPEAT_SECONDS = 60.0  # a failure that repeats is told again this often


class Periodic:
    def __init__(self, seconds: float, job: Job, log: logging.Logger, failure: str) -> None:
        self.seconds = seconds
        self.job = job
        self.log = log
        self.failure = failure
        self._task: asyncio.Task[None] | None = None
        self._failing: str | None = None  # the repeating failure, as one line
        self._failures = 0
        self._told_at = 0.0

    async def run_once(self) -> None:
        try:
            await self.job()
        except Exception as exc:
            self._failed(exc)
        else:
            if self._failing is not None:
                self.log.info(
                    "%s: works again after %d failed run(s)", self.job_name, self._failures
                )
                self._failing, self._failures = None, 0

    @property
    def job_name(self) -> str:
        return getattr(self.job, "__qualname__", "a background job")

    def _failed(self, exc: Exception) -> None:
        line = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        now = time.monotonic()
        self._failures += 1
        if line != self._failing:
            self._failing, self._failures, self._told_at = line, 1, now
            self.log.exception(self.failure)
        elif now - self._told_at >= REPEAT_SECONDS:
            self._told_at = now
            self.log.error("%s (%d times in a row): %s", self.failure, self._failures, line)

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.seconds)  # a schedule, not synchronisation
            await self.run_once()

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
