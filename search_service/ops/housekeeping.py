"""Chores a web worker runs now and then: forgetting what is no longer needed (old limit
windows and back-offs, yesterday's page-view visitors). Each is idempotent, so several workers
running them is harmless."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from search_service.ops.periodic import Periodic

EVERY_SECONDS = 600.0
log = logging.getLogger("skillspring.housekeeping")
Chore = Callable[[], Awaitable[None]]


class Housekeeping:
    def __init__(self, chores: Sequence[Chore], every: float = EVERY_SECONDS) -> None:
        self.chores = list(chores)
        self._every = Periodic(every, self.run_once, log, "housekeeping failed; will retry")

    async def run_once(self) -> None:
        for chore in self.chores:
            try:
                await chore()
            except Exception:
                log.exception("housekeeping chore failed; will retry")

    def start(self) -> None:
        self._every.start()

    async def stop(self) -> None:
        await self._every.stop()
