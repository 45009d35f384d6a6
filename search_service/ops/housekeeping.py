"""Chores a web worker runs now and then: forgetting what is no longer needed (old limit
windows and back-offs, yesterday's page-view visitors). Each is idempotent, so several workers
running them is harmless."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence

EVERY_SECONDS = 600.0
log = logging.getLogger("skillspring.housekeeping")
Chore = Callable[[], Awaitable[None]]


class Housekeeping:
    def __init__(self, chores: Sequence[Chore], every: float = EVERY_SECONDS) -> None:
        self.chores = list(chores)
        self.every = every
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> None:
        for chore in self.chores:
            try:
                await chore()
            except Exception:
                log.exception("housekeeping chore failed; will retry")

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.every)  # a schedule, not synchronisation
            await self.run_once()

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
