"""The folders of a run -- inbox, outbox, archive, `failed/`, and the hidden working folder -- and why a set of them
cannot be used together.

Checked before anything is created or moved: an outbox inside the inbox would have its plans taken as new inputs;
an archive that is the inbox would remove every planned input; an archive in the outbox's working folder would be
cleared with it; a plain file named `failed` or `processed` in the inbox would stop every commit.  Folders are
compared by file identity where they exist, so another spelling of one folder (a link, another case on Windows or
macOS) counts as the same.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from goalsheet.words import Term, console

TMP_DIR_NAME = ".goalsheet-tmp"
RESERVED_NAMES = ("processed", "failed")  # folders the batch keeps inside the inbox


@dataclass(frozen=True)
class Folders:
    """Where a run reads, writes and moves things (absolute: a journal must mean the same folders to a later
    run started elsewhere, as cron's working folder is)."""
    inbox: Path
    outbox: Path
    archive: Path           # planned inputs (default `<inbox>/processed`)
    failed_dir: Path        # failed inputs, `<inbox>/failed`
    work_root: Path         # this inbox's working folder in the outbox
    default_archive: bool

    @classmethod
    def of(cls, inbox: Path, outbox: Path, archive: Path | None = None) -> "Folders":
        inbox, outbox = Path(inbox).absolute(), Path(outbox).absolute()
        default_archive = archive is None
        return cls(inbox=inbox, outbox=outbox,
                   archive=inbox / "processed" if default_archive else Path(archive).absolute(),
                   failed_dir=inbox / "failed", work_root=work_root_for(inbox, outbox),
                   default_archive=default_archive)

    def problem(self, lang: str = "en") -> str | None:
        return folder_problem(self.inbox, self.outbox, self.archive, self.failed_dir, self.default_archive, lang)


def work_root_for(inbox: Path, outbox: Path) -> Path:
    """`<outbox>/.goalsheet-tmp/<inbox key>/`: one working folder per inbox, so two inboxes
    sharing an outbox never clear each other's work (each is guarded by its own inbox lock)."""
    key = hashlib.sha256(str(inbox.resolve()).encode("utf-8")).hexdigest()[:12]
    return outbox / TMP_DIR_NAME / key


def _within(path: Path, folder: Path) -> bool:
    """Whether `path` is `folder` or lies below it: by file identity where the folders exist (so another
    spelling of one folder -- a link, a different case on Windows or macOS -- counts), else by name."""
    path, folder = path.resolve(), folder.resolve()
    if path == folder or folder in path.parents:
        return True
    try:
        target = os.stat(folder)
    except OSError:
        return False
    for candidate in (path, *path.parents):
        try:
            st = os.stat(candidate)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) == (target.st_dev, target.st_ino):
            return True
    return False


def folder_problem(inbox: Path, outbox: Path, archive: Path, failed_dir: Path, default_archive: bool,
                   lang: str = "en") -> str | None:
    """Why these folders cannot be used together (in `lang`), or None."""
    if _within(outbox, inbox) and _within(inbox, outbox):
        return console("run_outbox_is_inbox", lang)
    if _within(outbox, inbox):
        return console("run_outbox_in_inbox", lang, outbox=outbox, inbox=inbox)
    if _within(inbox, outbox):
        return console("run_inbox_in_outbox", lang, inbox=inbox, outbox=outbox)
    if _within(archive, inbox) and _within(inbox, archive):
        return console("run_archive_is_inbox", lang)
    if _within(archive, outbox):
        return console("run_archive_in_outbox", lang, archive=archive, outbox=outbox)
    if _within(archive, failed_dir) and _within(failed_dir, archive):
        return console("run_archive_is_failed", lang, failed=failed_dir)
    reserved = [(failed_dir, "failed")] + ([(archive, "processed")] if default_archive else [])
    for path, what in reserved:          # inside the inbox: a real folder, not a link, or nothing yet
        if os.path.lexists(path) and (os.path.islink(path) or not os.path.isdir(path)):
            return console("run_in_the_way", lang, path=path, what=Term("reserved_folder", what))
    if not default_archive:              # the archive, or the nearest folder above it that exists
        existing = next((p for p in (archive, *archive.parents) if os.path.lexists(p)), None)
        if existing is not None and not os.path.isdir(existing):
            return console("run_archive_under_file", lang, path=existing, archive=archive)
    return None
