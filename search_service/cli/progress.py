"""A rich progress bar with throughput, for long CLI work."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class _Rate(ProgressColumn):
    """Items per second, averaged over the whole run so far."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        elapsed = task.finished_time if task.finished else task.elapsed
        speed = task.completed / elapsed if elapsed else 0.0
        return Text(f"{speed:,.0f} {self.unit}/s")


@contextlib.contextmanager
def progress_bar(
    label: str, total: int, unit: str = "courses"
) -> Iterator[tuple[Callable[[int], None], Callable[[int], None]]]:
    """Yield ``(advance(n), set_total(n))``; draws on stderr, quietly off a terminal, from
    the first call on: work refused before it starts ("another reindex is running", a
    catalog already seeded) draws no bar ("indexing 0/0" stood above the refusal)."""
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _Rate(unit),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        transient=False,
        console=Console(stderr=True),
    )
    task = progress.add_task(label, total=total)
    started = False

    def drawn() -> None:
        nonlocal started
        if not started:
            progress.start()
            started = True

    def advance(n: int) -> None:
        drawn()
        progress.advance(task, n)

    def set_total(n: int) -> None:
        drawn()
        progress.update(task, total=n)

    try:
        yield advance, set_total
    finally:
        if started:
            progress.stop()
