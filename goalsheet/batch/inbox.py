"""Which files of the inbox a pass takes (SPEC.md section 7).

A workbook (.xlsx .xlsm .xls .ods) is taken once it has settled: not an Office lock file (`~$*`, `.~lock*`), not
hidden, not a folder, not changed within `settle` seconds.  A file still being copied in is skipped for now, and a
symbolic link is skipped with a reason, since following it would plan (and archive) a file from outside the inbox.
"""
from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from goalsheet.words import console

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


@dataclass(frozen=True)
class Fingerprint:
    """What we saw of an inbox file when we took it; if it changes, the file is not settled."""
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, st: os.stat_result) -> "Fingerprint":
        return cls(st.st_size, st.st_mtime_ns)


@dataclass(frozen=True)
class InboxFile:
    path: Path
    fingerprint: Fingerprint


def is_ignored_name(name: str) -> bool:
    """Office lock files (`~$x.xlsx`, LibreOffice `.~lock.x.xlsx#`), hidden files, non-workbooks."""
    if name.startswith(("~$", ".")):
        return True
    return not name.lower().endswith(WORKBOOK_SUFFIXES)


def _is_hidden(st: os.stat_result) -> bool:
    attributes = getattr(st, "st_file_attributes", 0)   # Windows only
    return bool(attributes & getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0))


def last_change(st: os.stat_result) -> float:
    """Seconds since the epoch of the last change we can see.

    mtime alone is not enough: a copy (Explorer, `cp -p`, rsync) keeps the source's old
    mtime while it is still writing.  ctime is the inode change time on POSIX and the
    creation time on Windows; both are 'now' for a file that is still arriving.
    """
    return max(st.st_mtime, st.st_ctime)


def settled_workbooks(inbox: Path, settle: float, now: float | None = None, lang: str = "en"
                      ) -> tuple[list[InboxFile], list[tuple[Path, str]]]:
    """The inbox's workbooks ready to plan, and those skipped for now (with why, in `lang`).

    Ignored entirely (not even 'skipped'): folders, lock files, hidden files, other files, anything
    that is not a regular file (a FIFO named `x.xlsx`).  A symbolic link is skipped with a reason:
    following it would plan (and archive) a file from outside the inbox.
    """
    now = time.time() if now is None else now
    ready: list[InboxFile] = []
    skipped: list[tuple[Path, str]] = []
    try:
        entries = sorted(os.scandir(inbox), key=lambda e: e.name)
    except FileNotFoundError:
        return [], []
    for entry in entries:
        if is_ignored_name(entry.name):
            continue
        try:
            if entry.is_symlink():
                skipped.append((Path(entry.path), console("run_link_skipped", lang)))
                continue
            if not entry.is_file(follow_symlinks=False):
                continue
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if _is_hidden(st):
            continue
        if last_change(st) > now - settle:
            skipped.append((Path(entry.path), console("run_still_written", lang)))
            continue
        ready.append(InboxFile(Path(entry.path), Fingerprint.of(st)))
    return ready, skipped
