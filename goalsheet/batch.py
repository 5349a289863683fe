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

Outputs are named `<stem>-plan-<YYYY-MM>.xlsx`: the as-of month of the plan (the last
month of actuals) or, without actuals, the month of the run.  A plan of the same name
from an earlier input is replaced (that earlier input is in the archive).  Two inputs
of one pass with the same stem (`shop.xlsx`, `shop.ods`) would share the output name:
the second waits for the next pass.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path

import click

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
LOCK_NAME = ".goalsheet.lock"
TMP_DIR_NAME = ".goalsheet-tmp"
LOG_NAME = "goalsheet-run.log"
JOURNAL_NAME = "journal.jsonl"
PAUSE_ENV = "GOALSHEET_TEST_PAUSE"


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

    Ignored entirely (not even 'skipped'): folders, lock files, hidden files, other files.
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
            if not entry.is_file():
                continue
            st = entry.stat()
        except OSError:
            continue
        if _is_hidden(st):
            continue
        if last_change(st) > now - settle:
            skipped.append((Path(entry.path), "still being written"))
            continue
        ready.append(InboxFile(Path(entry.path), Fingerprint.of(st)))
    return ready, skipped


def output_name(stem: str, month: str) -> str:
    """`shop` planned as of 2026-03 -> `shop-plan-2026-03.xlsx`."""
    return f"{stem}-plan-{month}.xlsx"


def error_names(stem: str) -> tuple[str, str]:
    return f"{stem}-errors.txt", f"{stem}-errors.xlsx"


def as_of_month(headline: dict | None, run_time: datetime) -> str:
    """The month an output is named after: the plan's as-of month, else the month of the run."""
    value = (headline or {}).get("as_of")
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
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _copy_hashing(src: Path, dst: Path) -> str:
    """Copy src to dst (fsynced) and return the sha256 of exactly the bytes copied."""
    digest = hashlib.sha256()
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        for block in iter(lambda: fin.read(1 << 20), b""):
            digest.update(block)
            fout.write(block)
        fout.flush()
        os.fsync(fout.fileno())
    return digest.hexdigest()


def move_without_overwrite(src: Path, folder: Path) -> Path:
    """Move src into folder under its own name, or `name-2.ext`, `name-3.ext`, ... if taken.

    Never overwrites.  On one file system a hard link + unlink claims the name atomically
    (os.link fails if the name exists); a crash between the two leaves the same file under
    both names, which the next call recognises (same inode) and finishes.  Across file
    systems: copy to a hidden name, fsync, link into place, then remove the source.
    """
    folder.mkdir(parents=True, exist_ok=True)
    stem, suffix = src.stem, src.suffix
    n = 1
    while True:
        dst = folder / (src.name if n == 1 else f"{stem}-{n}{suffix}")
        if dst.exists():
            try:
                if os.path.samefile(src, dst):      # finished by a killed run's link
                    src.unlink()
                    _fsync_dir(src.parent)
                    return dst
            except OSError:
                pass
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
        sys.stderr.write(f"goalsheet: paused at {name}\n")
        sys.stderr.flush()
        time.sleep(3600)


# --------------------------------------------------------------------------------------------
# Planning one workbook (runs in a worker process)

@dataclass
class Job:
    input: Path
    fingerprint: Fingerprint
    work_dir: Path          # this job's own folder inside the working folder
    run_time: datetime


@dataclass
class Outcome:
    input: Path
    status: str                                  # "ok", "failed", or "skipped" (changed, busy)
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
    (job.work_dir / "input").mkdir(parents=True, exist_ok=True)
    snapshot = job.work_dir / "input" / job.input.name
    try:
        outcome.sha256 = _copy_hashing(job.input, snapshot)
        if Fingerprint.of(os.stat(job.input)) != job.fingerprint:
            outcome.detail = "changed while being read; will retry"
            return outcome
    except FileNotFoundError:
        outcome.detail = "gone before it could be read"
        return outcome
    except OSError as exc:     # e.g. still open for writing on Windows
        outcome.detail = f"cannot be read yet ({exc.strerror or exc}); will retry"
        return outcome
    pause_point("after-snapshot")

    stem = job.input.stem
    try:
        from goalsheet.pipeline import PlanRequest, run_plan
        result = run_plan(PlanRequest(input=snapshot, output=job.work_dir / "plan.xlsx", force=True))
        ok, problems, usage_error = result.ok, list(result.problems), result.usage_error
        headline = getattr(result.plan, "headline", None)
    except Exception as exc:  # a workbook must never stop the batch
        ok, problems, headline = False, [], None
        usage_error = f"could not plan this workbook ({type(exc).__name__}: {exc})"

    outcome.lines = [("warning: " if p.severity == "warning" else "") + str(p) for p in problems]
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
        errors = [line for line in outcome.lines if not line.startswith("warning: ")]
        txt_path, xlsx_path = job.work_dir / txt_name, job.work_dir / xlsx_name
        note = write_error_workbook(snapshot, problems, outcome.lines, xlsx_path, job.input.name)
        text = "\n".join(outcome.lines + ([f"note: {note}"] if note else [])) + "\n"
        txt_path.write_text(text, encoding="utf-8")
        _fsync_file(txt_path)
        _fsync_file(xlsx_path)
        outcome.status = "failed"
        outcome.files = [(str(txt_path), txt_name), (str(xlsx_path), xlsx_name)]
        outcome.detail = f"{len(errors)} error(s)"
    pause_point("after-plan")
    outcome.seconds = time.monotonic() - start
    return outcome


def write_error_workbook(snapshot: Path, problems: list, lines: list[str], out: Path, input_name: str) -> str:
    """The annotated copy of the input (`goalsheet.inputs.annotate`); when that cannot be made
    (a file that is not a workbook at all, or annotate is unavailable), a workbook that lists
    the problems instead.  Returns a note for errors.txt when the fallback was used."""
    try:
        from goalsheet.inputs import annotate
        annotate(snapshot, problems, out)
        if out.exists() and out.stat().st_size > 0:
            return ""
        reason = "the annotated copy came out empty"
    except Exception as exc:
        reason = f"no annotated copy could be made ({type(exc).__name__}: {exc})"
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
    return reason


# --------------------------------------------------------------------------------------------
# The journal, committing, and recovery

class Journal:
    """Append-only JSON lines in the working folder: `commit` before anything visible moves,
    `done` once the input has left the inbox.  Read back only by recovery."""

    def __init__(self, path: Path):
        self.path = path

    def append(self, record: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(record, ensure_ascii=False)
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
        """Commit records without a done record (a torn last line is a commit never made)."""
        if not self.path.exists():
            return []
        commits: dict[str, dict] = {}
        done: set[str] = set()
        for raw in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                record = json.loads(raw)
            except json.JSONDecodeError:
                continue
            if "commit" in record:
                commits[record["commit"]] = record
            elif "done" in record:
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
    processed: int = 0
    failed: int = 0
    skipped: int = 0
    recovered: int = 0
    _skips_reported: set = field(default_factory=set)

    @property
    def journal(self) -> Journal:
        return Journal(self.work_root / JOURNAL_NAME)

    def log(self, name: str, sha256: str, result: str, seconds: float, detail: str, job_id: str) -> None:
        """`time  file  sha256  ok|failed  seconds  detail  job`, tab-separated, one line per workbook."""
        stamp = datetime.now().astimezone().isoformat(timespec="seconds")
        line = f"{stamp}\t{name}\t{sha256}\t{result}\t{seconds:.2f}s\t{detail}\t{job_id}"
        _append_line(self.outbox / LOG_NAME, line, durable=True)

    def logged(self, job_id: str) -> bool:
        """Whether a killed run got as far as the log line for this job (recovery only)."""
        try:
            text = (self.outbox / LOG_NAME).read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return False
        return any(line.endswith("\t" + job_id) for line in text.splitlines())

    def recover(self) -> None:
        """Roll forward what a killed run committed, then clear the working folder."""
        for record in self.journal.pending():
            for tmp, final in record["files"]:
                if Path(tmp).exists():
                    os.replace(tmp, self.outbox / final)
            _fsync_dir(self.outbox)
            source = self.inbox / record["input"]
            if source.exists() and sha256_of(source) == record["sha256"]:
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
            self.echo(f"recovered {record['input']}: {record['result']}, {record['detail']}")
        self.tidy()

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
        try:
            unchanged = Fingerprint.of(os.stat(job.input)) == job.fingerprint
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
            self.echo(f"ok      {name} -> {outcome.detail} ({outcome.seconds:.1f} s)")
        else:
            self.failed += 1
            files = ", ".join(final for _, final in outcome.files)
            self.echo(f"FAILED  {name}: {outcome.detail} -> {files}; input moved to "
                      f"{_shown(moved_to, self.inbox)}")
            for line in outcome.lines[:5]:
                self.echo(f"        {line}")
            if len(outcome.lines) > 5:
                self.echo(f"        ... {len(outcome.lines) - 5} more in {outcome.files[0][1]}")

    def _skip(self, name: str, why: str) -> None:
        """Count and say it once per file and reason (--watch would repeat it every poll)."""
        if (name, why) in self._skips_reported:
            return
        self._skips_reported.add((name, why))
        self.skipped += 1
        self.echo(f"skipped {name}: {why}")

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
        taken, stems = [], set()
        for item in ready:
            stem = item.path.stem.casefold()
            if stem in stems:     # same output name as a workbook earlier in this pass
                self._skip(item.path.name, "same name as another workbook in this pass; next pass")
                continue
            stems.add(stem)
            taken.append(item)
        if not taken:
            return 0
        run_time = datetime.now()
        batch_jobs = [Job(item.path, item.fingerprint, self.work_root / f"job-{uuid.uuid4().hex[:12]}", run_time)
                      for item in taken]
        self.work_root.mkdir(parents=True, exist_ok=True)
        with _progress(len(batch_jobs)) as bar, self._clearing_bar(bar):
            if jobs <= 1 or len(batch_jobs) == 1:
                for job in batch_jobs:
                    self.commit(job, plan_one(job))
                    bar.update(1)
            else:
                # spawn, not fork: workers must not inherit the inbox lock, and must not
                # outlive a killed parent holding it.
                with ProcessPoolExecutor(max_workers=min(jobs, len(batch_jobs)),
                                         mp_context=get_context("spawn")) as pool:
                    futures = {pool.submit(plan_one, job): job for job in batch_jobs}
                    for future in as_completed(futures):
                        job = futures[future]
                        try:
                            outcome = future.result()
                        except Exception as exc:     # a worker died (out of memory, ...)
                            outcome = Outcome(job.input, "skipped",
                                              detail=f"worker failed ({type(exc).__name__}: {exc}); will retry")
                            shutil.rmtree(job.work_dir, ignore_errors=True)
                        self.commit(job, outcome)
                        bar.update(1)
        return len(batch_jobs)


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


def run_batch(inbox: Path, outbox: Path, archive: Path | None = None, jobs: int = 1, watch: bool = False,
              interval: float = 60.0, settle: float = 2.0, *, echo=click.echo) -> int:
    """Plan every settled workbook in `inbox` into `outbox`; returns the exit code.

    0: nothing failed (an idle run, or another run already holding the inbox, included);
    1: at least one workbook failed (its report is in the outbox, the input in
    `<inbox>/failed/`); 2: the folders are unusable (missing inbox, outbox = inbox, or a
    write to the outbox/archive failed).
    """
    from filelock import FileLock, Timeout

    # absolute: the journal must mean the same folders to a later run started elsewhere (cron's cwd)
    inbox, outbox = Path(inbox).absolute(), Path(outbox).absolute()
    if not inbox.is_dir():
        echo(f"error: inbox {inbox} is not a folder", err=True)
        return 2
    outbox.mkdir(parents=True, exist_ok=True)
    if outbox.resolve() == inbox.resolve():
        echo("error: --outbox must not be the inbox (plans would be taken as new inputs)", err=True)
        return 2
    archive = Path(archive).absolute() if archive is not None else inbox / "processed"
    batch = Batch(inbox=inbox, outbox=outbox, archive=archive, failed_dir=inbox / "failed",
                  work_root=work_root_for(inbox, outbox), echo=echo)

    lock = FileLock(str(inbox / LOCK_NAME), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        echo(f"another goalsheet run is already working on {inbox}; nothing to do")
        return 0
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

    if taken == 0 and batch.recovered == 0 and batch.skipped == 0:
        echo("nothing to do")
    else:
        echo(f"processed {batch.processed}, failed {batch.failed}, skipped {batch.skipped}"
             + (f", recovered {batch.recovered}" if batch.recovered else ""))
    return 1 if batch.failed else 0
