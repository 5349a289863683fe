"""goalsheet.forked: a computation in a forked child gives what it gives in this process - its value, its
exception - and falls back to this process where no child can be started or the child dies without answering.
The planner's capital (cash plan + fundable-target search) made in a child is the same plan."""
from __future__ import annotations

import json
import os
import select
import signal
import sys
import threading
from pathlib import Path

import pytest

from goalsheet import forked

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plan"))
from golden_book import book_from_sheets, golden_sheets  # noqa: E402

needs_fork = pytest.mark.skipif(not forked.can_fork(), reason="forks only on Linux with one thread running")


def where_and_square(x: int) -> tuple[int, int]:
    return os.getpid(), x * x


def fails(message: str) -> None:
    raise ValueError(message)


def dies_in_a_child(parent: int) -> int:
    if os.getpid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)
    return 42


@needs_fork
def test_the_value_is_computed_in_another_process():
    job = forked.start(where_and_square, 12)
    assert job.forked
    pid, value = job.result()
    assert value == 144 and pid != os.getpid()
    assert job.result() == (pid, 144)                 # collected once, kept


@needs_fork
def test_the_childs_exception_is_raised_here():
    job = forked.start(fails, "no cash column")
    assert job.forked
    with pytest.raises(ValueError, match="no cash column"):
        job.result()


@needs_fork
def test_a_child_that_dies_without_answering_is_replaced_by_this_process():
    job = forked.start(dies_in_a_child, os.getpid())
    assert job.forked
    assert job.result() == 42


def test_switched_off_it_runs_here_when_collected(monkeypatch):
    monkeypatch.setenv("GOALSHEET_FORK", "0")
    job = forked.start(where_and_square, 3)
    assert not job.forked
    assert job.result() == (os.getpid(), 9)


def test_with_another_thread_running_it_runs_here():
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        job = forked.start(where_and_square, 5)
        assert not job.forked
        assert job.result() == (os.getpid(), 25)
    finally:
        stop.set()
        t.join()


def _plan_json(monkeypatch, fork: str) -> tuple[dict, list[str]]:
    from goalsheet.plan import make_plan
    monkeypatch.setenv("GOALSHEET_FORK", fork)
    sheets = golden_sheets()
    sheets["Settings"] = [r if r[0] != "cash_available" else ["cash_available", 0, ""] for r in sheets["Settings"]]
    sheets["Settings"].append(["min_cash", 150000, ""])
    plan, problems = make_plan(book_from_sheets(sheets))     # infeasible: the search halves down from k = 1
    j = json.loads(json.dumps(plan.to_json(), default=str))
    # the run's own time (to the second) is the one thing two runs of the same plan may differ in
    j["tables"]["assumptions"] = [r for r in j["tables"]["assumptions"] if r.get("setting") != "planned_at"]
    return j, [str(p) for p in problems]


@needs_fork
def test_the_plan_is_the_same_with_its_capital_made_in_a_child(monkeypatch):
    here = _plan_json(monkeypatch, "0")
    child = _plan_json(monkeypatch, "1")
    assert here == child
    assert here[0]["headline"]["gs_funding_feasible"] is False
    assert 0 < here[0]["headline"]["gs_max_feasible_sales"] < here[0]["headline"]["gs_target_sales"]


def test_start_plan_then_finish_is_make_plan(monkeypatch):
    from goalsheet.plan import make_plan, start_plan
    book = book_from_sheets(golden_sheets())
    under_way = start_plan(book)
    plan, problems = under_way.finish()
    assert under_way.finish()[0] is plan
    again, _ = make_plan(book)
    assert plan.headline == again.headline
    assert plan.headline["target_sales"] == 6_402_588.12


@needs_fork
def test_the_answer_is_taken_before_the_child_has_ended_and_the_child_is_reaped_later(monkeypatch):
    """The child's exit is held (it waits on a pipe this process holds open): result() still returns its value,
    the child is still there, unreaped; once let go it is reaped and nothing is left."""
    gate_read, gate_write = os.pipe()
    real_exit = os._exit

    def held_exit(code):
        os.close(gate_write)                # the child's copy of the write end: only the parent's is left
        select.select([gate_read], [], [], 30)   # until the parent closes its end (at most 30 s: a broken
        real_exit(code)                          # result() that waits for the exit then fails, not hangs)

    monkeypatch.setattr(forked.os, "_exit", held_exit)
    job = forked.start(where_and_square, 7)
    assert job.forked
    pid, value = job.result()
    assert value == 49
    assert pid in forked._unreaped and os.waitpid(pid, os.WNOHANG) == (0, 0)     # still running
    os.close(gate_write)
    forked._reap(wait=True)
    assert pid not in forked._unreaped
    os.close(gate_read)


def blocks_until(fd: int) -> int:
    select.select([fd], [], [], 30)
    return 1


@needs_fork
def test_a_cancelled_child_is_stopped_and_reaped():
    gate_read, gate_write = os.pipe()
    try:
        job = forked.start(blocks_until, gate_read)
        assert job.forked
        pid = job._pid
        job.cancel()
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)            # gone, and reaped
        job.cancel()                               # twice: nothing more to do
    finally:
        os.close(gate_read)
        os.close(gate_write)


@needs_fork
def test_a_plan_that_fails_before_collecting_its_capital_stops_the_child(monkeypatch):
    from goalsheet.plan import assemble, make_plan
    started = []
    start = forked.start

    def recorded(fn, *args):
        job = start(fn, *args)
        started.append((job, job._pid))
        return job

    def broken(*args):
        raise RuntimeError("the Assumptions table failed")

    monkeypatch.setattr(forked, "start", recorded)
    monkeypatch.setattr(assemble, "assumptions_table", broken)
    with pytest.raises(RuntimeError, match="Assumptions"):
        make_plan(book_from_sheets(golden_sheets()))
    assert len(started) == 1
    job, pid = started[0]
    assert job.forked and pid is not None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)                # stopped and reaped, not left running
