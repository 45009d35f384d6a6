"""A server worker never outlives its server: if the process that started it dies without
stopping it (``kill -9``, an out-of-memory kill), the kernel sends the worker SIGTERM and it
stops as it would on a normal shutdown. Linux only (``prctl(PR_SET_PDEATHSIG)``); elsewhere a
no-op."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 1.0  # how often a worker looks whether its server is still there
GRACE_SECONDS = 10.0  # then how long it may take to stop on its own
SERVER_PID = "SKILLSPRING_SERVER_PID"  # set by `skillspring serve` for its workers


def _prctl() -> Any:
    """libc's ``prctl`` (looked up once per call: in a parent, never between fork and exec)."""
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).prctl


def signalled_with_parent() -> Callable[[], None] | None:
    """For ``Popen(preexec_fn=…)``: a child that gets SIGTERM when this process dies (the
    demo's follower outlived a ``kill -9`` of the demo, keeping its cluster up and writing to
    its index). libc is looked up here, in the parent: between fork and exec the child only
    calls ``prctl``, then exits at once if this process died meanwhile. None off Linux."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = _prctl()
    parent = os.getpid()

    def in_child() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)

    return in_child


def die_with_parent() -> None:
    """Ask for SIGTERM when the parent dies; if it already has, stop now.

    The worker keeps the server's own SIGTERM handler (a flag) until granian installs its
    loop's: until then the kernel's signal would only set that flag, so SIGTERM is put back
    to its default first. The parent is the server whose pid ``serve`` exported
    (``SKILLSPRING_SERVER_PID``): a worker whose parent is no longer that server exits."""
    if not sys.platform.startswith("linux"):
        return
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _prctl()(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    server = os.environ.get(SERVER_PID)
    if server is not None and server.isdigit():
        if os.getppid() != int(server):
            os._exit(1)  # the server died before the request took effect
        threading.Thread(
            target=_watch, args=(int(server),), name="server-watch", daemon=True
        ).start()


def _watch(server: int) -> None:
    """The kernel's SIGTERM can come while granian is still setting up the worker's loop, and
    be lost there (a CI run saw a worker outlive its killed server): once the server is gone,
    the worker is sent SIGTERM again, and stops for good if it is still there
    ``GRACE_SECONDS`` later."""
    while os.getppid() == server:
        time.sleep(WATCH_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(GRACE_SECONDS)
    os._exit(1)
