"""A computation run in a forked child process, on the machine's second CPU, while this process goes on.

    job = forked.start(fn, *args)      # the child starts on fn(*args) at once
    ...                                # this process does other work meanwhile
    value = job.result()               # fn's return value (or its exception, raised here)

Python runs one thread of Python code at a time, so work that is Python code (the planner's search for the
largest fundable target is ~40 small steps of it) can only use a second CPU from another process.  A forked
child starts with this process's memory as it is (nothing is pickled on the way in, and the pages are shared
until either side writes to them); only fn's result comes back, pickled through a pipe.

The answer is the same either way: the child computes exactly what this process would.  The fork is skipped,
and fn runs in this process when `result()` is called, where it is not safe or not possible:
- not on Linux (macOS's system libraries do not support fork without exec; Windows has no fork);
- while another thread runs (a lock held by that thread at the fork would stay held in the child forever);
- with GOALSHEET_FORK=0 in the environment;
- and when the child ends without an answer (killed, out of memory, a result that cannot be pickled).
The child never flushes or closes what it inherited: it ends with `os._exit`, so buffered output, temporary
files and atexit handlers are this process's alone.

The standard library's `multiprocessing` does the same with more machinery: its import and a process start
cost ~20 ms, a tenth of a mid-sized seller's plan, for one call.
"""
from __future__ import annotations

import atexit
import os
import pickle
import signal
import struct
import sys
import threading
from typing import Any, Callable


def can_fork() -> bool:
    """Whether `start` forks here and now (see the module docstring)."""
    return (sys.platform.startswith("linux") and hasattr(os, "fork")
            and os.environ.get("GOALSHEET_FORK", "1") != "0" and threading.active_count() == 1)


class Job:
    """fn(*args) running in a child process (or, where no child could be started, to run at `result()`)."""

    def __init__(self, fn: Callable[..., Any], args: tuple):
        self._fn, self._args = fn, args
        self._pid: int | None = None
        self._fd: int | None = None
        self._outcome: tuple[Any, BaseException | None] | None = None
        self.forked = False                  # whether a child process was started for this job
        if can_fork():
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:                     # the child: never returns
                os.close(read_fd)
                _run_child(write_fd, fn, args)
            os.close(write_fd)
            self._pid, self._fd = pid, read_fd
            self.forked = True

    def cancel(self) -> None:
        """Stop a child whose answer is no longer wanted (the caller failed before collecting it): killed and
        reaped, its pipe closed.  Nothing to do once collected, or without a child."""
        pid, fd = self._pid, self._fd
        self._pid = self._fd = None
        if pid is None:
            return
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
        os.close(fd)

    def result(self) -> Any:
        """fn's return value; fn's exception is raised here.  Waits for the child the first time."""
        if self._outcome is None:
            outcome = self._collect() if self._pid is not None else None
            if outcome is None:              # no child, or it ended without an answer: the same work, here
                try:
                    outcome = (self._fn(*self._args), None)
                except Exception as exc:     # noqa: BLE001 - kept and raised below, as the child's would be
                    outcome = (None, exc)
            self._outcome = outcome
            self._fn = self._args = None     # the inputs may be large; nothing needs them now
        value, error = self._outcome
        if error is not None:
            raise error
        return value

    def _collect(self) -> tuple[Any, BaseException | None] | None:
        """The child's pickled (value, exception), or None when it ended without one.

        The answer is read as soon as it is written, not when the child has exited: a process that shares a
        planner's memory takes some milliseconds to end.  The child is reaped once it has (`_reap`)."""
        pid, fd = self._pid, self._fd
        self._pid = self._fd = None
        data = None
        try:
            with os.fdopen(fd, "rb") as pipe:
                head = pipe.read(_HEAD.size)
                if len(head) == _HEAD.size:
                    (size,) = _HEAD.unpack(head)
                    body = pipe.read(size)
                    data = body if len(body) == size else None
            _unreaped.append(pid)
            pid = None
        finally:
            if pid is not None:              # interrupted while waiting (Ctrl-C): no child left behind
                try:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                except OSError:
                    pass
        _reap(wait=data is None)             # an answer missing: the child has ended, or is ending
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:                    # noqa: BLE001 - a damaged answer is no answer
            return None


# An answer: its length (8 bytes), then the pickled (value, exception).
_HEAD = struct.Struct("<Q")
# Children that answered and may still be ending: reaped by later jobs, or at exit.
_unreaped: list[int] = []


def _reap(wait: bool = False) -> None:
    """Reap the children that have ended (all of them, waiting, with `wait`)."""
    for pid in list(_unreaped):
        try:
            done, _ = os.waitpid(pid, 0 if wait else os.WNOHANG)
        except ChildProcessError:            # reaped elsewhere already
            done = pid
        if done:
            _unreaped.remove(pid)


atexit.register(_reap, True)


def start(fn: Callable[..., Any], *args: Any) -> Job:
    """fn(*args) started in a forked child where that is possible; `Job.result()` gives its result."""
    return Job(fn, args)


def _run_child(fd: int, fn: Callable[..., Any], args: tuple) -> None:
    """In the child: run fn, write the pickled (value, exception) to the pipe, and end the process at once."""
    code = 1
    try:
        try:
            outcome: tuple[Any, BaseException | None] = (fn(*args), None)
        except Exception as exc:             # noqa: BLE001 - the parent raises it
            outcome = (None, exc)
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(_HEAD.pack(len(data)) + data)
        while view:
            view = view[os.write(fd, view):]
        os.close(fd)                         # the answer is complete: the parent need not wait for the exit
        code = 0
    except BaseException:                    # noqa: BLE001 - no answer: the parent runs fn itself
        pass
    finally:
        os._exit(code)
