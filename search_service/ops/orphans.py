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

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask for SIGTERM when the parent dies; if it already has, stop now."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took effect
        os.kill(os.getpid(), signal.SIGTERM)
