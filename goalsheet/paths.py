"""Where a command may write (SPEC section 1; the rules are listed in docs/limits.md, "Output files").

- An output is never one of the command's inputs (the workbook, `--template`, `--baseline`), whatever the
  options say, `--force` included; two outputs of one command are never the same file.
- An existing file is replaced only when goalsheet wrote it (each command recognises its own kind of file:
  `Output.ours`), or with `--force`.
- A file that cannot be written (its folder missing, a file where the folder should be, a read-only folder, the
  file open in Excel on Windows, the disk full) is one line naming the path; `OutputError` is an `OSError`
  (its errno kept) so a caller that retries on a full disk still can.

`refusal` and `check_folder` run before a command reads anything, so a refused command costs nothing.
"""
from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from goalsheet.words import Phrase, Term


class OutputError(OSError):
    """A file could not be written; str() is one line naming the path (in English; `text(lang)` says it in the
    run's language).  Nothing of it was left behind."""

    def __init__(self, path: Path, phrase: Phrase, errno_: int | None = None):
        super().__init__(errno_ or 0, phrase.text("en"))
        self.path = Path(path)
        self.phrase = phrase

    @property
    def message(self) -> str:
        return self.phrase.text("en")

    def text(self, lang: str = "en") -> str:
        return self.phrase.text(lang)

    def __str__(self) -> str:
        return self.message


@dataclass
class Output:
    """One file a command is about to write: how the user named it (for messages) and how goalsheet recognises
    a file it wrote there before (which it may replace without --force)."""
    path: Path
    option: str | Term   # "-o", "--json" ... or Term("output_name", "plan") for the default plan workbook
    ours: Callable[[Path], bool]


@dataclass
class Input:
    path: Path
    what: Term           # Term("input_name", "input" | "template" | "baseline")


def same_file(a: Path, b: Path) -> bool:
    """True when both names reach one file: the same inode (a hard link, a symlink, another case of the name on
    a case-insensitive disk) or, for a file not there yet, the same absolute path."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def refusal(outputs: list[Output], inputs: list[Input], force: bool) -> Phrase | None:
    """Why the command must not write these outputs (a usage error, said in the run's language), or None."""
    for out in outputs:
        for inp in inputs:
            if inp.path is not None and same_file(out.path, inp.path):
                return Phrase("output_is_input", {"option": out.option, "path": out.path, "what": inp.what})
    for i, first in enumerate(outputs):
        for second in outputs[i + 1:]:
            if same_file(first.path, second.path):
                return Phrase("outputs_same", {"first": first.option, "second": second.option, "path": second.path})
    if not force:
        for out in outputs:
            if os.path.lexists(out.path) and not os.path.isdir(out.path) and not out.ours(out.path):
                return Phrase("output_not_ours", {"path": out.path})
    return None


def check_folder(path: Path) -> None:
    """Raise `OutputError` when `path` cannot be a file here: it is a folder, or its folder is missing or is a
    file.  (Permission and a locked file show only when writing: see `error_writing`.)"""
    path = Path(path)
    if path.is_dir():
        raise OutputError(path, Phrase("output_is_folder", {"path": path}), errno.EISDIR)
    folder = path.parent
    for above in [folder, *folder.parents]:
        if above.is_dir():
            break
        if os.path.lexists(above):
            raise OutputError(path, Phrase("output_not_a_folder", {"path": path, "folder": above}), errno.ENOTDIR)
    if not folder.is_dir():
        raise OutputError(path, Phrase("output_no_folder", {"path": path, "folder": folder}), errno.ENOENT)


def error_writing(path: Path, exc: OSError) -> OutputError:
    """The one line for an OSError met while writing `path`."""
    if isinstance(exc, OutputError):
        return exc
    path = Path(path)
    if isinstance(exc, IsADirectoryError):
        return OutputError(path, Phrase("output_is_folder", {"path": path}), exc.errno)
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        try:
            check_folder(path)
        except OutputError as named:
            return named
    if isinstance(exc, PermissionError):
        return OutputError(path, Phrase("output_denied", {"path": path}), exc.errno)
    if exc.errno == errno.ENOSPC:
        return OutputError(path, Phrase("output_no_space", {"path": path}), exc.errno)
    if exc.errno == errno.EROFS:
        return OutputError(path, Phrase("output_read_only", {"path": path}), exc.errno)
    reason = exc.strerror or type(exc).__name__
    return OutputError(path, Phrase("output_other", {"path": path, "reason": reason}), exc.errno)


_PLAN_JSON_HEAD = re.compile(rb'^(?:\xef\xbb\xbf)?\s*\{\s*"goalsheet_plan"\s*:')


def is_plan_json(path: Path) -> bool:
    """True for a `plan --json` file: a JSON object whose first key is "goalsheet_plan" (Plan.to_json)."""
    if not os.path.isfile(path):        # a FIFO or a device is nobody's JSON (and would block the read)
        return False
    try:
        with open(path, "rb") as f:
            head = f.read(64)
    except OSError:
        return False
    return _PLAN_JSON_HEAD.match(head) is not None


def never(path: Path) -> bool:
    """For outputs that replace nothing without --force (init's blank workbook becomes the seller's own)."""
    return False
