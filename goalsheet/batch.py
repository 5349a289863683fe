"""Scheduled runs: plan every workbook dropped into an inbox (SPEC.md section 7).

`goalsheet run --inbox IN --outbox OUT` is meant for cron / Task Scheduler and for
`--watch`.  One pass:

1. take the inbox lock `<inbox>/.goalsheet.lock` (non-blocking; a second run on the
   same inbox says so and exits 0);
2. finish what a killed run left half done (the journal, below), then clear the
   leftovers of the hidden working folder `<outbox>/.goalsheet-tmp/<inbox key>/`;
3. take every workbook of the inbox (.xlsx .xlsm .xls .ods) that has settled: not an
   Office lock file (`~$*`, `.~lock*`), not hidden, not a folder, not changed within
   `settle` seconds (the later of mtime and ctime, so a copy that keeps the source's
   mtime still counts as fresh);
4. plan each one (in `jobs` worker processes) from a snapshot copied into the working
   folder, writing the plan -- or `<stem>-errors.txt` and `<stem>-errors.xlsx` --
   into that folder and fsyncing it;
5. commit, one workbook at a time, in this process: append a *commit* record to the
   journal (fsynced), rename the finished files into the outbox (`os.replace`, atomic
   on one file system), move the input to the archive (`<inbox>/processed/`) or to
   `<inbox>/failed/` without overwriting anything there, append *done*, log a line.

Crash safety (SIGKILL at any point).  Before the commit record nothing outside the
working folder has changed: the next run clears that folder and plans the input again.
After the commit record the work is *rolled forward* by the next run: files still in
the working folder are renamed into place, the input (if it is still in the inbox with
the same sha256) is moved on -- it is never planned a second time, so a run that died
between the rename and the archive move cannot leave two different plans (say, of two
different run months) for one input.  A reader of the outbox only ever sees complete
files under their final names.

Isolation.  Every workbook is planned in a child process of its own (forked on Linux, spawned
elsewhere) with a time budget and, where the system enforces one, a memory budget: a workbook
that crashes the reader, hangs or needs too much memory is failed on its own (its report says
why) and the rest of the inbox is planned; this process never runs the reader.  A child ends
with this process (Linux: the kernel's parent-death signal; elsewhere a thread of the child
waits for the parent to end).

Outputs are named `<stem>-plan-<YYYY-MM>.xlsx`: the as-of month of the plan (the last
month of actuals) or, without actuals, the month of the run.  A plan of the same name
from an earlier input is replaced (that earlier input is in the archive).  Two inputs
of one pass with the same stem (`shop.xlsx`, `shop.ods`) would share the output name:
the second waits for the next pass.  A name the outbox or the log cannot take as it is (too
long, not UTF-8, control characters) gives outputs named after a cleaned, shortened stem and a
short hash of the name; the log and the console show such a name escaped.
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import multiprocessing
import multiprocessing.connection
import os
import shutil
import signal
import stat
import sys
import threading
import time
import unicodedata
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import click

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
LOCK_NAME = ".goalsheet.lock"
TMP_DIR_NAME = ".goalsheet-tmp"
LOG_NAME = "goalsheet-run.log"
JOURNAL_NAME = "journal.jsonl"
PAUSE_ENV = "GOALSHEET_TEST_PAUSE"
WORKER_ERR_NAME = "worker-stderr.txt"     # a child's own stderr, read back to explain a crash
SET_ASIDE_NAME = "set-aside.jsonl"        # journal records recovery could not finish, kept for a person
RESERVED_NAMES = ("processed", "failed")  # folders the batch keeps inside the inbox

# Per-workbook budgets (docs/limits.md, "Unattended runs"): far above the largest seller Excel can
# hold (1,048,575 Sales rows: about 1.3 GiB of address space and some 10-25 s to plan).
DEFAULT_TIME_BUDGET = 600.0      # seconds
DEFAULT_MEMORY_BUDGET = 4.0      # GiB of address space (RLIMIT_AS), enforced on Linux

# The longest a file name may be on common file systems (ext4, NTFS, APFS: 255 bytes or UTF-16 units;
# a name's UTF-8 length is never below its UTF-16 length, so bytes are the stricter measure).
NAME_MAX_BYTES = 255
_LONGEST_OUTPUT_SUFFIX = len("-plan-0000-00.xlsx")     # longer than -errors.xlsx and -errors.txt
STEM_MAX_BYTES = NAME_MAX_BYTES - _LONGEST_OUTPUT_SUFFIX

# Errors of writing that say nothing about the workbook (the outbox's disk or its rights): the input
# stays in the inbox for the next run instead of being failed.
WRITE_ERRNOS = frozenset(getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EROFS", "EACCES", "EPERM", "EFBIG")
                         if hasattr(errno, name))

# Every message of the batch that is new with the per-workbook budgets, names and folder checks, in one place.
SAY = {
    "outbox_is_inbox": "--outbox must not be the inbox (plans would be taken as new inputs)",
    "outbox_in_inbox": "--outbox {outbox} is inside the inbox {inbox}; keep them apart",
    "inbox_in_outbox": "the inbox {inbox} is inside --outbox {outbox}; keep them apart",
    "archive_is_inbox": "--archive must not be the inbox (every planned input would be removed from it)",
    "archive_in_outbox": "--archive {archive} is inside --outbox {outbox}; choose a folder outside it",
    "archive_is_failed": "--archive must not be {failed} (where failed workbooks go)",
    "in_the_way": "{path} is in the way: goalsheet keeps {what} in a folder of that name; move or rename it",
    "archive_under_file": "--archive {archive} cannot be made: {path} is a file, not a folder",
    "lock_unusable": "cannot take the lock {path} ({why}); if another user made it (a run as root?), "
                     "delete it or run as that user",
    "link_skipped": "a link, not a file (links are not followed; put the workbook itself in the inbox)",
    "write_failed": "the outbox could not be written ({why}); the workbook stays in the inbox for the next run",
    "write_failed_summary": "the outbox could not be written ({why}); {n} workbook(s) stay in the inbox "
                            "for the next run",
    "time": "planning stopped: the workbook took more than {seconds:g} s (the time budget, --time-budget)",
    "memory": "planning stopped: the workbook needed more than {gib:g} GiB of memory "
              "(the memory budget, --memory-budget)",
    "killed": "planning stopped: the system killed the worker (SIGKILL), most likely for lack of memory",
    "crashed": "planning stopped: the reader crashed ({signal})",
    "ended": "planning stopped: the worker ended without an answer (exit code {code})",
    "stopped_note": "the workbook was set aside so the rest of the inbox could be planned",
    "set_aside": "could not finish {name} from an interrupted run ({why}); its record is kept in {path}; "
                 "the input, if still in the inbox, is planned again",
}


# --------------------------------------------------------------------------------------------
# Which files a pass takes

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


def settled_workbooks(inbox: Path, settle: float, now: float | None = None
                      ) -> tuple[list[InboxFile], list[tuple[Path, str]]]:
    """The inbox's workbooks ready to plan, and those skipped for now (with why).

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
                skipped.append((Path(entry.path), SAY["link_skipped"]))
                continue
            if not entry.is_file(follow_symlinks=False):
                continue
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if _is_hidden(st):
            continue
        if last_change(st) > now - settle:
            skipped.append((Path(entry.path), "still being written"))
            continue
        ready.append(InboxFile(Path(entry.path), Fingerprint.of(st)))
    return ready, skipped


def _unsafe_char(ch: str) -> bool:
    """Characters a file name shown in a log line or used for an output must not carry as they are:
    control characters (a tab or newline would forge log lines), lone surrogates (a name that is not
    UTF-8), line separators and the bidirectional overrides that make a name read differently."""
    return unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") or ch in _BIDI_CONTROLS


_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _split_name(name: str) -> tuple[str, str]:
    """`shop.xlsx` -> (`shop`, `.xlsx`); no suffix -> (name, "")."""
    dot = name.rfind(".")
    return (name[:dot], name[dot:]) if dot > 0 else (name, "")


def output_stem(name: str) -> str:
    """The stem an input's outputs are named after: its own stem when that is safe, else the stem
    with unsafe characters replaced by `_`, cut to fit the longest output name into NAME_MAX_BYTES,
    and a short hash of the original name (so two such names do not meet)."""
    stem, _ = _split_name(name)
    clean = "".join("_" if _unsafe_char(ch) else ch for ch in stem)
    if clean == stem and len(stem.encode("utf-8")) <= STEM_MAX_BYTES:
        return stem
    tag = hashlib.sha256(os.fsencode(name)).hexdigest()[:8]
    head = clean.encode("utf-8")[:STEM_MAX_BYTES - len(tag) - 1].decode("utf-8", "ignore")
    return f"{head}-{tag}"


def shown(name: str) -> str:
    """A file name as the log and the console show it: bytes that are not UTF-8 as `\\xff`, control
    and direction characters as `\\t`, `\\n`, `\\x1b`, `\\u202e`; any other name as it is."""
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    return "".join(ch.encode("unicode_escape").decode("ascii") if _unsafe_char(ch) else ch for ch in text)


def _one_line(text: str) -> str:
    """A detail for the log's one line: control characters escaped, as in `shown`."""
    return "".join(ch.encode("unicode_escape").decode("ascii") if _unsafe_char(ch) else ch for ch in text)


def output_name(stem: str, month: str) -> str:
    """`shop` planned as of 2026-03 -> `shop-plan-2026-03.xlsx`."""
    return f"{stem}-plan-{month}.xlsx"


def error_names(stem: str) -> tuple[str, str]:
    return f"{stem}-errors.txt", f"{stem}-errors.xlsx"


def as_of_month(headline, run_time: datetime) -> str:
    """The month an output is named after: the plan's as-of month (`Headline.as_of`), else the month of the run."""
    value = getattr(headline, "as_of", None)
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return run_time.strftime("%Y-%m")
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m")
    text = str(value).strip().replace("/", "-")
    year, _, month = text.partition("-")
    return f"{int(year):04d}-{int(month[:2]):02d}"


# --------------------------------------------------------------------------------------------
# Small durable-file primitives

def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _append_line(path: Path, line: str, *, durable: bool) -> None:
    """One write of one line with O_APPEND, so concurrent appenders do not interleave."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line.rstrip("\n") + "\n").encode("utf-8"))
        if durable:
            os.fsync(fd)
    finally:
        os.close(fd)


def sha256_of(path: Path) -> str:
    """The sha256 of a regular file (never read through a link: see _open_regular)."""
    digest = hashlib.sha256()
    with _open_regular(path) as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class NotRegularFile(OSError):
    """The inbox entry is no longer a regular file (replaced by a link or a FIFO after it was listed)."""


class WriteFailed(Exception):
    """Writing into the outbox's working folder failed: a fault of the outbox, not of the workbook."""

    def __init__(self, error: OSError):
        super().__init__(str(error))
        self.error = error


def _open_regular(path: Path):
    """`path` opened for reading only if it is a regular file: never through a symbolic link, and a
    FIFO is neither waited on nor read (O_NONBLOCK lets the open return, the check then refuses it)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == getattr(errno, "ELOOP", None):
            raise NotRegularFile(exc.errno, "a link, not a file", str(path)) from exc
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise NotRegularFile(errno.EINVAL, "not a regular file", str(path))
    return os.fdopen(fd, "rb")


def _copy_hashing(src: Path, dst: Path) -> str:
    """Copy src to dst (fsynced) and return the sha256 of exactly the bytes copied.  A failure to
    write dst is raised as WriteFailed (the outbox's fault); one to read src as it is."""
    digest = hashlib.sha256()
    with _open_regular(src) as fin:
        try:
            fout = open(dst, "wb")
        except OSError as exc:
            raise WriteFailed(exc) from exc
        with fout:
            for block in iter(lambda: fin.read(1 << 20), b""):
                digest.update(block)
                try:
                    fout.write(block)
                except OSError as exc:
                    raise WriteFailed(exc) from exc
            try:
                fout.flush()
                os.fsync(fout.fileno())
            except OSError as exc:
                raise WriteFailed(exc) from exc
    return digest.hexdigest()


def _numbered(name: str, n: int) -> str:
    """`shop.xlsx`, `shop-2.xlsx`, ...; the stem cut short where the number would make the name longer
    than a file system takes."""
    if n == 1:
        return name
    stem, suffix = _split_name(name)
    while stem and len(os.fsencode(f"{stem}-{n}{suffix}")) > NAME_MAX_BYTES:
        stem = stem[:-1]
    return f"{stem}-{n}{suffix}"


def _linked_elsewhere(src: Path, dst: Path) -> bool:
    """Whether dst is a second name, in another folder, of src's file (what a run killed between the
    link and the unlink of a move leaves): only then does removing src lose nothing."""
    try:
        a, b = os.lstat(src), os.lstat(dst)
        same_folder = os.path.samefile(src.parent, dst.parent)
    except OSError:
        return False
    return (not same_folder and stat.S_ISREG(a.st_mode) and a.st_nlink >= 2
            and (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino))


def move_without_overwrite(src: Path, folder: Path) -> Path:
    """Move src into folder under its own name, or `name-2.ext`, `name-3.ext`, ... if taken.

    Never overwrites.  On one file system a hard link + unlink claims the name atomically
    (os.link fails if the name exists); a crash between the two leaves the same file under
    both names, which the next call recognises (same inode) and finishes.  Across file
    systems: copy to a hidden name, fsync, link into place, then remove the source.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if os.path.samefile(src.parent, folder):
        # The start-up checks refuse such folders; a move within one folder would only rename.
        raise OSError(errno.EINVAL, "refusing to move a file into the folder it is in", str(folder))
    n = 1
    while True:
        dst = folder / _numbered(src.name, n)
        if os.path.lexists(dst):
            if _linked_elsewhere(src, dst):          # finished by a killed run's link
                src.unlink()
                _fsync_dir(src.parent)
                return dst
            n += 1
            continue
        try:
            _claim(src, dst)
        except FileExistsError:
            n += 1
            continue
        _fsync_dir(folder)
        _fsync_dir(src.parent)
        return dst


def _claim(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except FileExistsError:
        raise
    except OSError:
        # No hard links here (FAT, some network shares) or another file system.
        if os.name == "nt":
            try:
                os.rename(src, dst)          # fails if dst exists: never overwrites
                return
            except FileExistsError:
                raise
            except OSError:
                pass
        staging = dst.with_name(f".{dst.name}.{uuid.uuid4().hex[:8]}.part")
        shutil.copyfile(src, staging)
        _fsync_file(staging)
        try:
            if os.name == "nt":
                os.rename(staging, dst)
            else:
                os.link(staging, dst)
                staging.unlink()
        except FileExistsError:
            staging.unlink(missing_ok=True)
            raise
    src.unlink()


# --------------------------------------------------------------------------------------------
# Test hook: park the process at a named point so a test can SIGKILL it there

def pause_point(name: str) -> None:
    """With GOALSHEET_TEST_PAUSE=<name> set, announce on stderr and sleep until killed.

    Points: after-snapshot, after-plan (worker: files written to the working folder),
    after-commit-record, after-output-rename, after-archive.
    """
    if os.environ.get(PAUSE_ENV) == name:
        message = f"goalsheet: paused at {name} (pid {os.getpid()})\n"
        if _announce_fd is not None:       # a worker, whose own stderr goes to a file
            os.write(_announce_fd, message.encode("utf-8"))
        else:
            sys.stderr.write(message)
            sys.stderr.flush()
        time.sleep(3600)


_announce_fd: int | None = None     # in a worker: the run's stderr, kept when the worker's own is redirected


# --------------------------------------------------------------------------------------------
# Planning one workbook (runs in a worker process)

@dataclass(frozen=True)
class Budget:
    """What one workbook may take: wall-clock seconds, and GiB of address space (where enforced)."""
    seconds: float = DEFAULT_TIME_BUDGET
    memory_gib: float = DEFAULT_MEMORY_BUDGET


@dataclass
class Job:
    input: Path
    fingerprint: Fingerprint
    work_dir: Path          # this job's own folder inside the working folder
    run_time: datetime
    stem: str = ""          # what outputs are named after (output_stem of the input's name)

    def __post_init__(self):
        if not self.stem:
            self.stem = output_stem(self.input.name)

    @property
    def snapshot_name(self) -> str:
        """The copy the planner reads: the safe stem and the input's own suffix (the reader needs it)."""
        return self.stem + _split_name(self.input.name)[1]


@dataclass
class Outcome:
    input: Path
    status: str               # "ok", "failed", "skipped" (changed, busy), "retry" (the outbox could not be
                              # written), "stopped" (a worker's MemoryError: the parent reports it)
    sha256: str = ""
    files: list[tuple[str, str]] = field(default_factory=list)   # (path in work_dir, final name)
    lines: list[str] = field(default_factory=list)               # problems, `Sheet!Cell: message`
    detail: str = ""
    seconds: float = 0.0
    work_dir: Path | None = None


def plan_one(job: Job) -> Outcome:
    """Snapshot, plan and write one workbook's outputs into its work folder (never the outbox)."""
    start = time.monotonic()
    outcome = Outcome(input=job.input, status="skipped", work_dir=job.work_dir)
    try:
        (job.work_dir / "input").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return _retry(outcome, exc)
    snapshot = job.work_dir / "input" / job.snapshot_name
    try:
        outcome.sha256 = _copy_hashing(job.input, snapshot)
        if Fingerprint.of(os.lstat(job.input)) != job.fingerprint:
            outcome.detail = "changed while being read; will retry"
            return outcome
    except WriteFailed as exc:
        return _retry(outcome, exc.error)
    except FileNotFoundError:
        outcome.detail = "gone before it could be read"
        return outcome
    except NotRegularFile:
        outcome.detail = SAY["link_skipped"]
        return outcome
    except OSError as exc:     # e.g. still open for writing on Windows
        outcome.detail = f"cannot be read yet ({exc.strerror or exc}); will retry"
        return outcome
    pause_point("after-snapshot")

    stem = job.stem
    try:
        from goalsheet.pipeline import PlanRequest, run_plan
        result = run_plan(PlanRequest(input=snapshot, output=job.work_dir / "plan.xlsx", force=True))
        ok, problems, usage_error = result.ok, list(result.problems), result.usage_error
        headline, lang = getattr(result.plan, "headline", None), result.lang
    except MemoryError:
        raise                 # the worker reports the memory budget (see _worker_main)
    except Exception as exc:  # a workbook must never stop the batch
        failure = write_failure(exc)
        if failure is not None:
            return _retry(outcome, failure)
        ok, problems, headline, lang = False, [], None, "en"
        usage_error = f"could not plan this workbook ({type(exc).__name__}: {exc})"
    try:
        _write_outcome(job, outcome, snapshot, stem, ok, problems, usage_error, headline, lang)
    except OSError as exc:
        failure = write_failure(exc)
        if failure is None:
            raise
        return _retry(outcome, failure)
    pause_point("after-plan")
    outcome.seconds = time.monotonic() - start
    return outcome


def _write_outcome(job: Job, outcome: Outcome, snapshot: Path, stem: str, ok: bool, problems: list,
                   usage_error: str | None, headline, lang: str = "en") -> None:
    """The plan fsynced, or the error report written (its problems in the workbook's language): outcome filled
    in for the commit."""
    outcome.lines = [p.line(lang) for p in problems]
    if usage_error:
        outcome.lines.append(f"file: {usage_error}")
    if ok:
        final = output_name(stem, as_of_month(headline, job.run_time))
        plan_path = job.work_dir / "plan.xlsx"
        _fsync_file(plan_path)
        outcome.status, outcome.files, outcome.detail = "ok", [(str(plan_path), final)], final
    else:
        txt_name, xlsx_name = error_names(stem)
        if not outcome.lines:
            outcome.lines = ["file: the workbook could not be planned (no details were given)"]
        errors = [p for p in problems if p.severity != "warning"] + outcome.lines[len(problems):]
        txt_path, xlsx_path = job.work_dir / txt_name, job.work_dir / xlsx_name
        note = write_error_workbook(snapshot, problems, outcome.lines, xlsx_path, shown(job.input.name), lang)
        text = "\n".join(outcome.lines + ([f"note: {note}"] if note else [])) + "\n"
        txt_path.write_text(text, encoding="utf-8")
        _fsync_file(txt_path)
        _fsync_file(xlsx_path)
        outcome.status = "failed"
        outcome.files = [(str(txt_path), txt_name), (str(xlsx_path), xlsx_name)]
        outcome.detail = f"{len(errors)} error(s)"


def write_failure(exc: BaseException) -> OSError | None:
    """The OSError of writing behind `exc` (itself, or what caused it) when it is the outbox's fault --
    a full disk, a quota, no permission, a read-only file system -- else None."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, WriteFailed):
            return exc.error
        if isinstance(exc, OSError) and exc.errno in WRITE_ERRNOS:
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def _retry(outcome: Outcome, error: OSError) -> Outcome:
    why = str(error.strerror or error)
    outcome.status = "retry"
    outcome.detail = SAY["write_failed"].format(why=why)
    outcome.lines = [why]
    outcome.files = []
    return outcome


def write_error_workbook(snapshot: Path, problems: list, lines: list[str], out: Path, input_name: str,
                         lang: str = "en") -> str:
    """The annotated copy of the input (`goalsheet.inputs.annotate`); when that cannot be made
    (a file that is not a workbook at all, or annotate is unavailable), a workbook that lists
    the problems instead.  Returns a note for errors.txt when the fallback was used."""
    try:
        from goalsheet.inputs import annotate
        annotate(snapshot, problems, out, lang)
        if out.exists() and out.stat().st_size > 0:
            return ""
        reason = "the annotated copy came out empty"
    except Exception as exc:
        reason = f"no annotated copy could be made ({type(exc).__name__}: {exc})"
    problem_list_workbook(lines, out, input_name, reason)
    return reason


def problem_list_workbook(lines: list[str], out: Path, input_name: str, reason: str) -> None:
    """A workbook listing the problems (`where`, `problem`), for an input that could not be annotated."""
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Problems"
    rows = [[f"Problems found in {input_name}"], ["where", "problem"]]
    for line in lines:
        where, sep, message = line.partition(": ")
        rows.append([where, message] if sep else ["", line])
    rows += [[], [reason]]
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if cell.value is not None:
                cell.data_type = "s"      # data, never formulas: a name or message quoting '=...' stays text
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 100
    book.save(out)


# --------------------------------------------------------------------------------------------
# Worker processes: each workbook planned in a child of its own, under its budgets

_PR_SET_PDEATHSIG = 1       # linux/prctl.h
_MEMORY_WORDS = ("memory allocation of", "MemoryError", "Cannot allocate memory", "out of memory", "bad_alloc")


def _worker_context():
    """fork on Linux while this process runs one thread; spawn elsewhere (macOS's system libraries do
    not support fork without exec, Windows has no fork) and while another thread runs (a lock it holds
    at the fork would stay held).  Before the first fork, the planner's modules (pandas, openpyxl, the
    planner, the renderer: some 0.7 s of CPU) are imported here once, so that a worker starts with them
    instead of importing them again for every workbook."""
    if not sys.platform.startswith("linux") or threading.active_count() != 1:
        return multiprocessing.get_context("spawn")
    import goalsheet.inputs  # noqa: F401
    import goalsheet.pipeline  # noqa: F401
    import goalsheet.plan.assemble  # noqa: F401
    import goalsheet.render  # noqa: F401
    import goalsheet.report  # noqa: F401
    return multiprocessing.get_context("fork" if threading.active_count() == 1 else "spawn")


def _worker_main(conn, job: Job, budget: Budget, parent_pid: int) -> None:
    """In the child: end with the parent, take the budget, plan `job`, send the Outcome back."""
    _end_with_parent(parent_pid)
    if hasattr(os, "setpgid"):
        with contextlib.suppress(OSError):
            os.setpgid(0, 0)     # its own process group: a stop takes anything it started too
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)    # not the --watch handler a fork inherits
    _limit_memory(budget.memory_gib)
    _redirect_stderr(job.work_dir / WORKER_ERR_NAME)
    try:
        outcome = plan_one(job)
    except MemoryError:
        outcome = Outcome(job.input, "stopped", detail="memory", work_dir=job.work_dir)
    conn.send(outcome)
    conn.close()


def _end_with_parent(parent_pid: int) -> None:
    """Make this worker end when the run that started it ends, even by SIGKILL.

    Linux: the kernel sends SIGKILL to the worker when its parent dies (prctl PR_SET_PDEATHSIG; a
    parent already gone by then is caught by the getppid check).  Elsewhere a daemon thread waits on
    multiprocessing's handle of the parent and ends the worker once the parent has ended (Windows:
    TerminateProcess)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0:
                if os.getppid() != parent_pid:
                    os.kill(os.getpid(), signal.SIGKILL)
                return
        except (OSError, AttributeError):
            pass
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def end_with_parent():
        parent.join()
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))

    threading.Thread(target=end_with_parent, name="goalsheet-parent-watch", daemon=True).start()


def _limit_memory(gib: float) -> None:
    """RLIMIT_AS: an allocation past the budget fails (Python: MemoryError; Rust: an abort that names
    it).  Address space, not resident memory: the largest seller's plan peaks at about 1.3 GiB of it.
    Windows has no `resource` module and macOS does not enforce the limit: no memory budget there."""
    try:
        import resource
    except ImportError:
        return
    limit = int(gib * 2 ** 30)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _redirect_stderr(path: Path) -> None:
    """The worker's stderr (a Rust abort's backtrace, a library's warnings) to a file in its job folder:
    the run shows one line per workbook, and reads the file back to say why a worker died."""
    global _announce_fd
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    except OSError:
        return                  # the outbox cannot be written: plan_one says so
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    _announce_fd = os.dup(2)
    os.dup2(fd, 2)
    os.close(fd)


@dataclass
class _Running:
    job: Job
    process: object             # a multiprocessing Process
    conn: object                # the read end of its answer pipe
    started: float
    deadline: float


def _start_worker(context, job: Job, budget: Budget) -> _Running:
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(target=_worker_main, args=(writer, job, budget, os.getpid()),
                              name=f"goalsheet-{job.work_dir.name}", daemon=True)
    process.start()
    writer.close()              # the worker's end only: an answer or, if it dies, end of file
    now = time.monotonic()
    return _Running(job, process, reader, now, now + budget.seconds)


def _end_worker(running: _Running) -> None:
    """SIGKILL the worker and its process group (the planner's helper child with it), then reap it.
    Killed before it is reaped, so its pid (the group's id) cannot have been given to another process."""
    process = running.process
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except OSError:             # not (yet) a group of its own, or already gone
        with contextlib.suppress(OSError):
            process.kill()
    process.join()
    running.conn.close()


def _tail_text(path: Path, limit: int = 64 * 1024) -> str:
    try:
        with open(path, "rb") as fh:
            size = fh.seek(0, os.SEEK_END)
            fh.seek(max(0, size - limit))
            return fh.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _telling_line(text: str) -> str:
    """The line of a dead worker's stderr that says most: a Python traceback's last line, else the
    first (a Rust abort or panic message comes before its backtrace)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    line = lines[-1] if any(line.startswith("Traceback (most recent call last)") for line in lines) else lines[0]
    return _one_line(line[:200])


def _crash_reason(running: _Running, budget: Budget) -> str:
    """Why a worker ended without an answer, from its exit status and its stderr."""
    text = _tail_text(running.job.work_dir / WORKER_ERR_NAME)
    if any(word in text for word in _MEMORY_WORDS):
        return SAY["memory"].format(gib=budget.memory_gib)
    code = running.process.exitcode
    if code is not None and code < 0:
        if -code == getattr(signal, "SIGKILL", None):
            return SAY["killed"]
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        reason = SAY["crashed"].format(signal=name)
    else:
        reason = SAY["ended"].format(code=code)
    line = _telling_line(text)
    return f"{reason}: {line}" if line else reason


# --------------------------------------------------------------------------------------------
# The journal, committing, and recovery

class Journal:
    """Append-only JSON lines in the working folder: `commit` before anything visible moves,
    `done` once the input has left the inbox.  Read back only by recovery."""

    def __init__(self, path: Path):
        self.path = path

    def append(self, record: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(record, ensure_ascii=True)   # a name that is not UTF-8 round-trips as \\udcxx
        if self._ends_torn():
            line = "\n" + line        # never glue a record onto a line a killed run left half-written
        _append_line(self.path, line, durable=True)

    def _ends_torn(self) -> bool:
        try:
            with open(self.path, "rb") as fh:
                fh.seek(-1, os.SEEK_END)
                return fh.read(1) != b"\n"
        except OSError:            # missing or empty
            return False

    def pending(self) -> list[dict]:
        """Commit records without a done record (a torn last line is a commit never made; a line that is
        not a record with a text id is skipped the same way)."""
        if not self.path.exists():
            return []
        commits: dict[str, dict] = {}
        done: set[str] = set()
        for raw in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                record = json.loads(raw)
            except json.JSONDecodeError:
                continue
            if not isinstance(record, dict):
                continue
            if isinstance(record.get("commit"), str):
                commits[record["commit"]] = record
            elif isinstance(record.get("done"), str):
                done.add(record["done"])
        return [r for key, r in commits.items() if key not in done]


@dataclass
class Batch:
    """One `goalsheet run`: its folders, its journal, its log, its counts."""
    inbox: Path
    outbox: Path
    archive: Path
    failed_dir: Path
    work_root: Path
    echo: callable = click.echo
    budget: Budget = field(default_factory=Budget)
    processed: int = 0
    failed: int = 0
    skipped: int = 0
    recovered: int = 0
    unwritten: int = 0          # workbooks left in the inbox because the outbox could not be written
    write_error: str = ""       # the last such reason
    _skips_reported: set = field(default_factory=set)

    @property
    def journal(self) -> Journal:
        return Journal(self.work_root / JOURNAL_NAME)

    def log(self, name: str, sha256: str, result: str, seconds: float, detail: str, job_id: str) -> None:
        """`time  file  sha256  ok|failed  seconds  detail  job`, tab-separated, one line per workbook."""
        stamp = datetime.now().astimezone().isoformat(timespec="seconds")
        line = f"{stamp}\t{shown(name)}\t{sha256}\t{result}\t{seconds:.2f}s\t{_one_line(detail)}\t{job_id}"
        _append_line(self.outbox / LOG_NAME, line, durable=True)

    def logged(self, job_id: str) -> bool:
        """Whether a killed run got as far as the log line for this job (recovery only)."""
        try:
            text = (self.outbox / LOG_NAME).read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return False
        return any(line.endswith("\t" + job_id) for line in text.splitlines())

    def recover(self) -> None:
        """Roll forward what a killed run committed, then clear the working folder.  A record that
        cannot be rolled forward (written by another version, naming what this file system cannot take)
        is set aside with one line instead of stopping every later run; a fault of the outbox itself
        (full, read-only) stops this run, and the next one tries again."""
        for record in self.journal.pending():
            try:
                self._roll_forward(record)
            except OSError as exc:
                if exc.errno in WRITE_ERRNOS:
                    raise
                self._set_aside(record, exc)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                self._set_aside(record, exc)
        self.tidy()

    def _roll_forward(self, record: dict) -> None:
        for tmp, final in record["files"]:
            if Path(tmp).exists():
                os.replace(tmp, self.outbox / final)
        _fsync_dir(self.outbox)
        source = self.inbox / record["input"]
        if os.path.lexists(source) and self._same_bytes(source, record["sha256"]):
            move_without_overwrite(source, Path(record["dest"]))
        detail = f"{record['detail']} (finished after an interrupted run)"
        if not self.logged(record["commit"]):
            self.log(record["input"], record["sha256"], record["result"], record["seconds"], detail,
                     record["commit"])
        self.journal.append({"done": record["commit"]})
        self.recovered += 1
        if record["result"] == "ok":
            self.processed += 1
        else:
            self.failed += 1
        self.echo(f"recovered {shown(record['input'])}: {record['result']}, {_one_line(str(record['detail']))}")

    @staticmethod
    def _same_bytes(path: Path, sha256: str) -> bool:
        """Whether `path` is still the committed input (a link or FIFO put in its place is not)."""
        try:
            return sha256_of(path) == sha256
        except NotRegularFile:
            return False

    def _set_aside(self, record: dict, exc: Exception) -> None:
        """Keep the record for a person (`<outbox>/.goalsheet-tmp/set-aside.jsonl`, outside the working
        folder that is cleared), mark it done, say so in one line and in the log."""
        why = (exc.strerror if isinstance(exc, OSError) and exc.strerror else f"{type(exc).__name__}: {exc}")
        keep = self.work_root.parent / SET_ASIDE_NAME
        stamp = datetime.now().astimezone().isoformat(timespec="seconds")
        _append_line(keep, json.dumps({"set_aside": stamp, "why": why, "record": record}, ensure_ascii=True),
                     durable=True)
        name = record.get("input") if isinstance(record.get("input"), str) else "?"
        self.journal.append({"done": record["commit"]})
        self.log(name, str(record.get("sha256", "")), "set-aside", 0.0, why, record["commit"])
        self.echo("recovery: " + SAY["set_aside"].format(name=shown(name), why=_one_line(why), path=keep))

    def tidy(self) -> None:
        """Clear this inbox's working folder: uncommitted leftovers, finished journal."""
        if self.work_root.exists():
            shutil.rmtree(self.work_root, ignore_errors=True)

    def commit(self, job: Job, outcome: Outcome) -> None:
        name = job.input.name
        if outcome.status == "skipped":
            self._skip(name, outcome.detail)
            shutil.rmtree(job.work_dir, ignore_errors=True)
            return
        if outcome.status == "retry":
            self._unwritten(job, outcome)
            return
        try:
            unchanged = Fingerprint.of(os.lstat(job.input)) == job.fingerprint
        except FileNotFoundError:
            unchanged = False
        if not unchanged:
            self._skip(name, "changed or removed while it was being planned; will retry")
            shutil.rmtree(job.work_dir, ignore_errors=True)
            return
        ok = outcome.status == "ok"
        dest = self.archive if ok else self.failed_dir
        result = "ok" if ok else "failed"
        record = {"commit": job.work_dir.name, "input": name, "sha256": outcome.sha256, "result": result,
                  "files": outcome.files, "dest": str(dest), "detail": outcome.detail,
                  "seconds": round(outcome.seconds, 3)}
        self.journal.append(record)
        pause_point("after-commit-record")
        for tmp, final in outcome.files:
            os.replace(tmp, self.outbox / final)
            _fsync_dir(self.outbox)
            pause_point("after-output-rename")
        moved_to = move_without_overwrite(job.input, dest)
        pause_point("after-archive")
        self.log(name, outcome.sha256, result, outcome.seconds, outcome.detail, job.work_dir.name)
        self.journal.append({"done": job.work_dir.name})
        shutil.rmtree(job.work_dir, ignore_errors=True)
        if ok:
            self.processed += 1
            self.echo(f"ok      {shown(name)} -> {outcome.detail} ({outcome.seconds:.1f} s)")
        else:
            self.failed += 1
            files = ", ".join(final for _, final in outcome.files)
            self.echo(f"FAILED  {shown(name)}: {_one_line(outcome.detail)} -> {files}; input moved to "
                      f"{shown(_shown(moved_to, self.inbox))}")
            for line in outcome.lines[:5]:
                self.echo(f"        {_one_line(line)}")
            if len(outcome.lines) > 5:
                self.echo(f"        ... {len(outcome.lines) - 5} more in {outcome.files[0][1]}")

    def _unwritten(self, job: Job, outcome: Outcome) -> None:
        """The outbox could not take this workbook's outputs: the input stays in the inbox for the next
        run; the reason goes to the console and, if the log can still be written, to the log."""
        self.unwritten += 1
        self.write_error = outcome.lines[0] if outcome.lines else outcome.detail
        self.echo(f"skipped {shown(job.input.name)}: {outcome.detail}")
        with contextlib.suppress(OSError):
            self.log(job.input.name, outcome.sha256, "retry", outcome.seconds, outcome.detail, job.work_dir.name)
        shutil.rmtree(job.work_dir, ignore_errors=True)

    def _skip(self, name: str, why: str) -> None:
        """Count and say it once per file and reason (--watch would repeat it every poll)."""
        if (name, why) in self._skips_reported:
            return
        self._skips_reported.add((name, why))
        self.skipped += 1
        self.echo(f"skipped {shown(name)}: {why}")

    @contextlib.contextmanager
    def _clearing_bar(self, bar):
        """While a progress bar is drawn on the terminal, clear its line before each message."""
        if isinstance(bar, _NoBar):
            yield
            return
        plain = self.echo

        def echo(message="", **kwargs):
            click.echo("\r\033[K", nl=False, err=True)
            plain(message, **kwargs)

        self.echo = echo
        try:
            yield
        finally:
            self.echo = plain

    def run_pass(self, jobs: int, settle: float) -> int:
        """One look at the inbox; returns how many workbooks were taken."""
        ready, skipped = settled_workbooks(self.inbox, settle)
        for path, why in skipped:
            self._skip(path.name, why)
        run_time = datetime.now()
        taken, stems = [], set()
        for item in ready:
            job = Job(item.path, item.fingerprint, self.work_root / f"job-{uuid.uuid4().hex[:12]}", run_time)
            stem = job.stem.casefold()
            if stem in stems:     # same output name as a workbook earlier in this pass
                self._skip(item.path.name, "same name as another workbook in this pass; next pass")
                continue
            stems.add(stem)
            taken.append(job)
        if not taken:
            return 0
        self.work_root.mkdir(parents=True, exist_ok=True)
        with _progress(len(taken)) as bar, self._clearing_bar(bar):
            self._plan_in_workers(taken, jobs, bar)
        return len(taken)

    def _plan_in_workers(self, batch_jobs: list[Job], jobs: int, bar) -> None:
        """Each workbook in a worker process of its own, at most `jobs` at a time; outcomes committed
        here, one at a time, as they come.  A worker that dies, or outlives the time budget, fails its
        workbook alone (`_stopped`); every worker still running when this ends (Ctrl-C, an outbox that
        cannot be written) is killed."""
        context = _worker_context()
        waiting = deque(batch_jobs)
        running: list[_Running] = []
        try:
            while waiting or running:
                while waiting and len(running) < jobs:
                    running.append(_start_worker(context, waiting.popleft(), self.budget))
                timeout = max(0.0, min(r.deadline for r in running) - time.monotonic())
                multiprocessing.connection.wait([r.conn for r in running] + [r.process.sentinel for r in running],
                                                timeout)
                for r in list(running):
                    outcome = self._collect(r)
                    if outcome is not None:
                        running.remove(r)
                        self.commit(r.job, outcome)
                        bar.update(1)
        finally:
            for r in running:
                _end_worker(r)

    def _collect(self, r: _Running) -> Outcome | None:
        """The worker's outcome once it has one (its answer, or why it stopped); None while it works."""
        if r.conn.poll():
            try:
                outcome = r.conn.recv()
            except Exception:        # end of file (it died) or an answer that cannot be read
                outcome = None
            if outcome is None:
                r.process.join(5)    # its own exit status, not the SIGKILL of _end_worker
            _end_worker(r)
            if outcome is None:
                return self._stopped(r, _crash_reason(r, self.budget))
            if outcome.status == "stopped":
                return self._stopped(r, SAY["memory"].format(gib=self.budget.memory_gib))
            return outcome
        if r.process.exitcode is not None:
            _end_worker(r)
            return self._stopped(r, _crash_reason(r, self.budget))
        if time.monotonic() >= r.deadline:
            _end_worker(r)
            return self._stopped(r, SAY["time"].format(seconds=self.budget.seconds))
        return None

    def _stopped(self, r: _Running, reason: str) -> Outcome:
        """A workbook whose worker stopped without a plan: a failure report made here (errors.txt and a
        workbook listing the reason; the input is not read again), so it goes to failed/ like any other."""
        job = r.job
        lines = [f"file: {reason}"]
        outcome = Outcome(job.input, "failed", lines=lines, detail=reason, work_dir=job.work_dir,
                          seconds=time.monotonic() - r.started)
        try:
            outcome.sha256 = sha256_of(job.input)
        except FileNotFoundError:
            return Outcome(job.input, "skipped", detail="gone before it could be read", work_dir=job.work_dir)
        except OSError as exc:
            return Outcome(job.input, "skipped", detail=f"cannot be read ({exc.strerror or exc}); will retry",
                           work_dir=job.work_dir)
        txt_name, xlsx_name = error_names(job.stem)
        txt, xlsx = job.work_dir / txt_name, job.work_dir / xlsx_name
        try:
            job.work_dir.mkdir(parents=True, exist_ok=True)
            txt.write_text("\n".join(lines + [f"note: {SAY['stopped_note']}"]) + "\n", encoding="utf-8")
            problem_list_workbook(lines, xlsx, shown(job.input.name), SAY["stopped_note"])
            _fsync_file(txt)
            _fsync_file(xlsx)
        except OSError as exc:
            return _retry(outcome, write_failure(exc) or exc)
        outcome.files = [(str(txt), txt_name), (str(xlsx), xlsx_name)]
        return outcome


class _NoBar:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n: int) -> None:
        pass


def _progress(n: int):
    if n > 1 and sys.stderr.isatty():
        return click.progressbar(length=n, label="planning", file=sys.stderr)
    return _NoBar()


def _shown(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def work_root_for(inbox: Path, outbox: Path) -> Path:
    """`<outbox>/.goalsheet-tmp/<inbox key>/`: one working folder per inbox, so two inboxes
    sharing an outbox never clear each other's work (each is guarded by its own inbox lock)."""
    key = hashlib.sha256(str(inbox.resolve()).encode("utf-8")).hexdigest()[:12]
    return outbox / TMP_DIR_NAME / key


# --------------------------------------------------------------------------------------------
# Entry point

def _watch(batch: Batch, jobs: int, interval: float, settle: float, echo) -> int:
    """Poll until Ctrl-C or SIGTERM (a service manager stopping us): both end the loop between
    workbooks where possible; a stop that lands mid-commit is finished by the next run."""
    import signal

    stopping = []

    def on_term(signum, frame):
        stopping.append(signum)

    previous = None
    try:
        previous = signal.signal(signal.SIGTERM, on_term)
    except ValueError:        # not the main thread (a test calling us): no handler
        pass
    echo(f"watching {batch.inbox} every {interval:g} s (Ctrl-C to stop)")
    taken = 0
    try:
        while not stopping:
            taken += batch.run_pass(jobs, settle)
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(0.2, interval))
    except KeyboardInterrupt:
        pass
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    echo("stopped")
    return taken


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


def folder_problem(inbox: Path, outbox: Path, archive: Path, failed_dir: Path, default_archive: bool) -> str | None:
    """Why these folders cannot be used together, or None.  Checked before anything is created or
    moved: an archive that is the inbox would remove every planned input; an archive in the outbox's
    working folder would be cleared with it; a plain file named `failed` or `processed` in the inbox
    would stop every commit."""
    if _within(outbox, inbox) and _within(inbox, outbox):
        return SAY["outbox_is_inbox"]
    if _within(outbox, inbox):
        return SAY["outbox_in_inbox"].format(outbox=outbox, inbox=inbox)
    if _within(inbox, outbox):
        return SAY["inbox_in_outbox"].format(inbox=inbox, outbox=outbox)
    if _within(archive, inbox) and _within(inbox, archive):
        return SAY["archive_is_inbox"]
    if _within(archive, outbox):
        return SAY["archive_in_outbox"].format(archive=archive, outbox=outbox)
    if _within(archive, failed_dir) and _within(failed_dir, archive):
        return SAY["archive_is_failed"].format(failed=failed_dir)
    reserved = [(failed_dir, "failed workbooks")] + ([(archive, "processed inputs")] if default_archive else [])
    for path, what in reserved:          # inside the inbox: a real folder, not a link, or nothing yet
        if os.path.lexists(path) and (os.path.islink(path) or not os.path.isdir(path)):
            return SAY["in_the_way"].format(path=path, what=what)
    if not default_archive:              # the archive, or the nearest folder above it that exists
        existing = next((p for p in (archive, *archive.parents) if os.path.lexists(p)), None)
        if existing is not None and not os.path.isdir(existing):
            return SAY["archive_under_file"].format(path=existing, archive=archive)
    return None


def run_batch(inbox: Path, outbox: Path, archive: Path | None = None, jobs: int = 1, watch: bool = False,
              interval: float = 60.0, settle: float = 2.0, *, echo=click.echo,
              budget: Budget | None = None) -> int:
    """Plan every settled workbook in `inbox` into `outbox`; returns the exit code.

    0: nothing failed (an idle run, or another run already holding the inbox, included);
    1: at least one workbook failed (its report is in the outbox, the input in
    `<inbox>/failed/`); 2: the folders are unusable (missing inbox, overlapping folders, a file in
    the way of failed/ or processed/, a lock that cannot be taken) or a write to the outbox/archive
    failed (the inputs concerned stay in the inbox for the next run).
    """
    from filelock import FileLock, Timeout

    # absolute: the journal must mean the same folders to a later run started elsewhere (cron's cwd)
    inbox, outbox = Path(inbox).absolute(), Path(outbox).absolute()
    if not inbox.is_dir():
        echo(f"error: inbox {inbox} is not a folder", err=True)
        return 2
    default_archive = archive is None
    archive = inbox / "processed" if default_archive else Path(archive).absolute()
    failed_dir = inbox / "failed"
    problem = folder_problem(inbox, outbox, archive, failed_dir, default_archive)
    if problem:
        echo(f"error: {problem}", err=True)
        return 2
    try:
        outbox.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        echo(f"error: cannot make the outbox {outbox} ({exc.strerror or exc})", err=True)
        return 2
    batch = Batch(inbox=inbox, outbox=outbox, archive=archive, failed_dir=failed_dir,
                  work_root=work_root_for(inbox, outbox), echo=echo, budget=budget or Budget())

    lock_path = inbox / LOCK_NAME
    lock = FileLock(str(lock_path), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        echo(f"another goalsheet run is already working on {inbox}; nothing to do")
        return 0
    except OSError as exc:       # a lock file of another user (a run as root), a folder in its place
        echo("error: " + SAY["lock_unusable"].format(path=lock_path, why=exc.strerror or exc), err=True)
        return 2
    try:
        batch.recover()
        if not watch:
            taken = batch.run_pass(jobs, settle)
        else:
            taken = _watch(batch, jobs, interval, settle, echo)
        if not batch.journal.pending():
            batch.tidy()
    except OSError as exc:
        # The outbox or archive cannot be written (full disk, permissions, a plan of the same
        # name held open by Excel on Windows).  What was committed is finished by the next run.
        echo(f"error: {exc}; the next run will finish the work", err=True)
        echo(f"processed {batch.processed}, failed {batch.failed}, skipped {batch.skipped}")
        return 2
    finally:
        lock.release()

    if taken == 0 and batch.recovered == 0 and batch.skipped == 0 and batch.unwritten == 0:
        echo("nothing to do")
    else:
        echo(f"processed {batch.processed}, failed {batch.failed}, skipped {batch.skipped + batch.unwritten}"
             + (f", recovered {batch.recovered}" if batch.recovered else ""))
    if batch.unwritten:
        echo("error: " + SAY["write_failed_summary"].format(why=batch.write_error, n=batch.unwritten), err=True)
        return 2
    return 1 if batch.failed else 0
