"""One run per inbox: the lock `<inbox>/.goalsheet.lock`, taken without waiting.

The lock is held by the operating system (`filelock`): a killed run releases it at once (its workers, which share
it, end with it), and the file left behind is harmless.  A second run on a busy inbox has nothing to do and says so
(exit 0), which is what cron starting a run while the last one is still busy wants.  A lock file the run cannot
open (another user's, a folder in its place) is a problem of the folders (exit 2).
"""
from __future__ import annotations

from pathlib import Path

LOCK_NAME = ".goalsheet.lock"


class InboxLock:
    def __init__(self, inbox: Path):
        from filelock import FileLock

        self.path = inbox / LOCK_NAME
        self._lock = FileLock(str(self.path), timeout=0)

    def take(self) -> bool:
        """True once taken; False when another run holds it.  An OSError when the lock file cannot be opened."""
        from filelock import Timeout

        try:
            self._lock.acquire()
        except Timeout:
            return False
        return True

    def release(self) -> None:
        self._lock.release()
