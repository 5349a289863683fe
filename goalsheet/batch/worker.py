"""Worker processes: every workbook is planned in a child process of its own, under a time and a memory budget.

A workbook that crashes the reader, hangs or needs too much memory is failed on its own (its report says why) and
the rest of the inbox is planned; the run itself never runs the reader.  A child is forked on Linux and spawned
elsewhere; it ends with the run that started it (Linux: the kernel's parent-death signal; elsewhere a thread of the
child waits for the parent to end).  Its own stderr goes to a file in its job folder, read back only to say why it
died.  The budgets and where each holds: docs/limits.md, "Unattended runs".
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from goalsheet.batch import pause
from goalsheet.batch.names import one_line
from goalsheet.batch.workbook import Job, Outcome, plan_one
from goalsheet.words import console

# Per-workbook budgets (docs/limits.md, "Unattended runs"): far above the largest seller Excel can
# hold (1,048,575 Sales rows: about 1.3 GiB of address space and some 10-25 s to plan).
DEFAULT_TIME_BUDGET = 600.0      # seconds
DEFAULT_MEMORY_BUDGET = 4.0      # GiB of address space (RLIMIT_AS), enforced on Linux

WORKER_ERR_NAME = "worker-stderr.txt"     # a child's own stderr, read back to explain a crash

_PR_SET_PDEATHSIG = 1       # linux/prctl.h
_MEMORY_WORDS = ("memory allocation of", "MemoryError", "Cannot allocate memory", "out of memory", "bad_alloc")


@dataclass(frozen=True)
class Budget:
    """What one workbook may take: wall-clock seconds, and GiB of address space (where enforced)."""
    seconds: float = DEFAULT_TIME_BUDGET
    memory_gib: float = DEFAULT_MEMORY_BUDGET


def context():
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
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    except OSError:
        return                  # the outbox cannot be written: plan_one says so
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    pause.announce_fd = os.dup(2)
    os.dup2(fd, 2)
    os.close(fd)


@dataclass
class Running:
    """A worker at work on one job: its process, the read end of its answer pipe, and its deadline."""
    job: Job
    process: object             # a multiprocessing Process
    conn: object                # the read end of its answer pipe
    started: float
    deadline: float


def start(mp_context, job: Job, budget: Budget) -> Running:
    """A worker started on `job` (a process of `mp_context`, see `context`), its deadline the time budget away."""
    reader, writer = mp_context.Pipe(duplex=False)
    process = mp_context.Process(target=_worker_main, args=(writer, job, budget, os.getpid()),
                                 name=f"goalsheet-{job.work_dir.name}", daemon=True)
    process.start()
    writer.close()              # the worker's end only: an answer or, if it dies, end of file
    now = time.monotonic()
    return Running(job, process, reader, now, now + budget.seconds)


def end(running: Running) -> None:
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


def answer(running: Running, budget: Budget, lang: str) -> tuple[Outcome | None, str | None]:
    """What the worker has come to, once it has: (its Outcome, None), or (None, why it stopped without a plan,
    in `lang`); (None, None) while it works.  A worker that has come to an end is ended and reaped."""
    if running.conn.poll():
        try:
            outcome = running.conn.recv()
        except Exception:        # end of file (it died) or an answer that cannot be read
            outcome = None
        if outcome is None:
            running.process.join(5)    # its own exit status, not the SIGKILL of end()
        end(running)
        if outcome is None:
            return None, crash_reason(running, budget, lang)
        if outcome.status == "stopped":
            return None, console("run_memory", lang, gib=budget.memory_gib)
        return outcome, None
    if running.process.exitcode is not None:
        end(running)
        return None, crash_reason(running, budget, lang)
    if time.monotonic() >= running.deadline:
        end(running)
        return None, console("run_time", lang, seconds=budget.seconds)
    return None, None


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
    return one_line(line[:200])


def crash_reason(running: Running, budget: Budget, lang: str = "en") -> str:
    """Why a worker ended without an answer, from its exit status and its stderr, in `lang`."""
    text = _tail_text(running.job.work_dir / WORKER_ERR_NAME)
    if any(word in text for word in _MEMORY_WORDS):
        return console("run_memory", lang, gib=budget.memory_gib)
    code = running.process.exitcode
    if code is not None and code < 0:
        if -code == getattr(signal, "SIGKILL", None):
            return console("run_killed", lang)
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        reason = console("run_crashed", lang, signal=name)
    else:
        reason = console("run_ended", lang, code=code)
    line = _telling_line(text)
    return console("run_reason_line", lang, reason=reason, line=line) if line else reason
