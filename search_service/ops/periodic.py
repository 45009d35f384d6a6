"""A job a web worker runs every few seconds in the background (batched writes, chores): a
failure is logged and the job runs again at its next turn."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

Job = Callable[[], Awaitable[object]]


class Periodic:
    def __init__(self, seconds: float, job: Job, log: logging.Logger, failure: str) -> None:
        self.seconds = seconds
        self.job = job
        self.log = log
        self.failure = failure
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> None:
        try:
            await self.job()
        except Exception:
            self.log.exception(self.failure)

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
