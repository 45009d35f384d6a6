"""Log lines written by a thread of their own, many lines per write.

A request logs one line; written at once, each line was a write to stderr (a pipe to the
journal or to docker), which cost a busy worker more than its metrics and middleware together
(measured: 7.6 % of the event loop's time at saturation). Here a record is queued in the
request with its message fixed (no line formatted, no system call) and a writer thread formats
what was queued and writes it in one call, ``FLUSH_SECONDS`` after the first of them: a line
reaches stderr at most that late. The
standard library's ``QueueListener`` moves the work to a thread too, but still writes once per
line. Only the records ``batched`` picks wait (``configure_logging``: the request lines); any
other one (uvicorn's start and stop lines, warnings, errors) is written at once, after what
was queued, so lines keep their order and a process that dies right after a line (uvicorn
ends a worker by raising SIGTERM again once it has shut down: no exit handlers run) has
written every line before it. ``flush`` (which ``logging.shutdown`` calls at a normal exit)
writes whatever is still queued.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import TextIO

FLUSH_SECONDS = 0.05
BACKLOG = 10_000  # lines queued at most: past it the thread that logs writes them itself


class BatchedStreamHandler(logging.Handler):
    """A ``StreamHandler`` whose lines a writer thread writes, in batches."""

    def __init__(
        self,
        stream: TextIO | None = None,
        delay: float = FLUSH_SECONDS,
        batched: Callable[[logging.LogRecord], bool] | None = None,
    ) -> None:
        super().__init__()
        self.stream = stream if stream is not None else sys.stderr
        self.delay = delay
        self.batched = batched or (lambda record: record.levelno <= logging.INFO)
        self._queued: list[logging.LogRecord] = []
        self._queue_lock = threading.Lock()  # held to append or take lines: never to write
        self._write_lock = threading.Lock()  # batches are written one at a time, in order
        self._wake = threading.Event()
        self._closed = False
        self._start()
        if hasattr(os, "register_at_fork"):  # a forked child has no writer until it starts one
            os.register_at_fork(after_in_child=self._after_fork)

    def _start(self) -> None:
        self._writer = threading.Thread(target=self._run, name="log-writer", daemon=True)
        self._writer.start()

    def _after_fork(self) -> None:
        self._queue_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._wake = threading.Event()
        if self._queued:
            self._wake.set()
        if not self._closed:
            self._start()

    def emit(self, record: logging.LogRecord) -> None:
        # The message as it reads now: its arguments may change before the writer formats it.
        try:
            record.msg, record.args = record.getMessage(), None
        except Exception:
            self.handleError(record)
            return
        with self._queue_lock:
            self._queued.append(record)
            queued = len(self._queued)
        if not self.batched(record) or queued >= BACKLOG:
            self.flush()
        elif queued == 1:
            self._wake.set()

    def flush(self) -> None:
        """Write every line queued so far, now."""
        with self._write_lock:
            with self._queue_lock:
                records, self._queued = self._queued, []
                self._wake.clear()
            lines = []
            for record in records:
                try:
                    lines.append(self.format(record) + "\n")
                except Exception:
                    self.handleError(record)
            if not lines:
                return
            try:
                self.stream.write("".join(lines))
                self.stream.flush()
            except Exception:
                self.handleError(records[-1])

    def close(self) -> None:
        self._closed = True
        self.flush()
        self._wake.set()
        super().close()

    def _run(self) -> None:
        while not self._closed:
            self._wake.wait()
            if self._closed:
                break
            time.sleep(self.delay)  # what else is logged meanwhile goes in the same write
            self.flush()
