"""The test hook that parks a run at a named point of the commit, so a test can SIGKILL it exactly there.

The crash-safety tests (tests/batch/test_run_subprocess.py) kill a run between each two durable steps and check
that the next run finishes the work.  Without GOALSHEET_TEST_PAUSE set, `pause_point` does nothing.
"""
from __future__ import annotations

import os
import sys
import time

PAUSE_ENV = "GOALSHEET_TEST_PAUSE"

# In a worker: the run's stderr, kept when the worker's own is redirected to a file (goalsheet.batch.worker).
announce_fd: int | None = None


def pause_point(name: str) -> None:
    """With GOALSHEET_TEST_PAUSE=<name> set, announce on stderr and sleep until killed.

    Points: after-snapshot, after-plan (worker: files written to the working folder),
    after-commit-record, after-output-rename, after-archive.
    """
    if os.environ.get(PAUSE_ENV) == name:
        message = f"goalsheet: paused at {name} (pid {os.getpid()})\n"
        if announce_fd is not None:       # a worker, whose own stderr goes to a file
            os.write(announce_fd, message.encode("utf-8"))
        else:
            sys.stderr.write(message)
            sys.stderr.flush()
        time.sleep(3600)
