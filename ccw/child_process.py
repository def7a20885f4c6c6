"""Make a child process stop when the process that started it dies.

`ccw run` starts dbt as a child process. If `ccw run` is killed (`kill -9`, the
machine's out-of-memory killer), the child would go on writing to the warehouse, and
the next run would find the warehouse locked. On Linux the kernel can send the child
a signal when its parent dies (``PR_SET_PDEATHSIG``); the child asks for it itself,
first thing, since dagster-dbt starts it.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def stop_with_parent(parent_pid: int | None = None) -> bool:
    """Ask for SIGTERM when the parent dies; exit now if it already has. False where
    the platform cannot (not Linux)."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        return False
    if parent_pid is not None and os.getppid() != parent_pid:
        sys.exit("ccw: the run that started this process has already stopped")
    return True
