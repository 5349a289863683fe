"""`goalsheet run` end to end, as cron runs it: real subprocesses, real kills (SPEC.md section 7).

Each test runs twice: with the real planner (`python -m goalsheet run`, on copies of the
golden seller) and with a stand-in planner (tests/batch/fake_goalsheet.py) that exercises the
same batch machinery in a fraction of the time.  No test asserts a duration: kills are placed
either at a named point (GOALSHEET_TEST_PAUSE, the process announces it and waits) or after a
delay that only varies *where* the run is cut, never what the outcome must be.
"""
from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
GOLDEN = ROOT / "tests" / "golden" / "golden_seller.xlsx"
STAND_IN = Path(__file__).with_name("fake_goalsheet.py")
GOLDEN_TARGET_SALES = 6402588.12     # tests/golden/README.md: the headline target of the golden seller

pytestmark = pytest.mark.skipif(os.name != "posix", reason="uses process groups and SIGKILL")


@pytest.fixture(params=["real", "stand-in"])
def planner(request):
    return request.param


def command(planner: str, inbox: Path, outbox: Path, *extra: str) -> list[str]:
    head = [PYTHON, "-m", "goalsheet"] if planner == "real" else [PYTHON, str(STAND_IN)]
    return head + ["run", "--inbox", str(inbox), "--outbox", str(outbox), *extra]


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GOALSHEET_TEST_PAUSE", "FAKE_PLAN_SECONDS")}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def run(planner, inbox, outbox, *extra, **env) -> subprocess.CompletedProcess:
    return subprocess.run(command(planner, inbox, outbox, *extra), cwd=ROOT, env=environment(**env),
                          capture_output=True, text=True, timeout=900)


def corrupt_bytes(seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(5000)


def months_during(start: datetime) -> set[str]:
    """The run month is read by the run itself: allow for a test that straddles midnight at month end."""
    return {start.strftime("%Y-%m"), datetime.now().strftime("%Y-%m")}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def visible(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if not p.name.startswith(".")}


def log_lines(outbox: Path) -> list[list[str]]:
    log = outbox / "goalsheet-run.log"
    return [line.split("\t") for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []


def assert_complete_plan(path: Path, planner: str) -> None:
    assert zipfile.is_zipfile(path), f"{path.name} is not a complete workbook"
    book = openpyxl.load_workbook(path, data_only=True)
    if planner == "real":
        destinations = list(book.defined_names["gs_target_sales"].destinations)
        sheet, ref = destinations[0]
        assert book[sheet][ref.replace("$", "")].value == pytest.approx(GOLDEN_TARGET_SALES, abs=0.005)


def settle_past(seconds: float) -> None:
    """Files just written count as 'still being copied' for `settle` seconds; let them age."""
    time.sleep(seconds + 0.3)


# --------------------------------------------------------------------------------------------

def test_mixed_inbox_then_idle_rerun(planner, tmp_path):
    """Three good workbooks (one named in Chinese), one of random bytes, an Excel owner file, a
    hidden workbook, a text file, a sub-folder and a workbook still being appended to.
    Expected: three plans, one failure report (txt + xlsx) with the input in failed/, the rest
    untouched, exit 1 (one failed); a rerun with nothing new changes nothing and exits 0."""
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    goods = ["north.xlsx", "south shop.xlsx", "店铺.xlsx"]
    for name in goods:
        shutil.copyfile(GOLDEN, inbox / name)
    (inbox / "corrupt.xlsx").write_bytes(corrupt_bytes())
    (inbox / "~$north.xlsx").write_bytes(b"owner file of an open workbook")
    shutil.copyfile(GOLDEN, inbox / ".hidden.xlsx")
    (inbox / "readme.txt").write_text("not a workbook")
    (inbox / "sub").mkdir()
    shutil.copyfile(GOLDEN, inbox / "sub" / "nested.xlsx")
    settle_past(1.0)

    growing = inbox / "growing.xlsx"
    growing.write_bytes(GOLDEN.read_bytes()[:1000])
    stop = threading.Event()

    def keep_appending():
        while not stop.is_set():
            with open(growing, "ab") as fh:
                fh.write(b"x" * 100)
            time.sleep(0.02)

    writer = threading.Thread(target=keep_appending, daemon=True)
    writer.start()
    start = datetime.now()
    try:
        first = run(planner, inbox, outbox, "--settle", "1", "--jobs", "2")
    finally:
        stop.set()
        writer.join()

    assert first.returncode == 1, first.stderr
    month = {m for m in months_during(start) if (outbox / f"north-plan-{m}.xlsx").exists()}
    assert len(month) == 1, sorted(visible(outbox))
    month = month.pop()
    plans = {f"{Path(n).stem}-plan-{month}.xlsx" for n in goods}
    assert visible(outbox) == plans | {"corrupt-errors.txt", "corrupt-errors.xlsx", "goalsheet-run.log"}
    for name in plans:
        assert_complete_plan(outbox / name, planner)
    errors = (outbox / "corrupt-errors.txt").read_text(encoding="utf-8").splitlines()
    assert errors and all(": " in line for line in errors)
    assert zipfile.is_zipfile(outbox / "corrupt-errors.xlsx")
    openpyxl.load_workbook(outbox / "corrupt-errors.xlsx")

    assert sorted(p.name for p in (inbox / "processed").iterdir()) == sorted(goods)
    assert all((inbox / "processed" / n).read_bytes() == GOLDEN.read_bytes() for n in goods)
    assert [p.name for p in (inbox / "failed").iterdir()] == ["corrupt.xlsx"]
    assert (inbox / "failed" / "corrupt.xlsx").read_bytes() == corrupt_bytes()
    assert visible(inbox) == {"~$north.xlsx", "readme.txt", "sub", "growing.xlsx", "processed", "failed"}
    assert (inbox / ".hidden.xlsx").exists() and (inbox / "sub" / "nested.xlsx").exists()

    log = log_lines(outbox)
    assert sorted((line[1], line[3]) for line in log) == sorted(
        [(n, "ok") for n in goods] + [("corrupt.xlsx", "failed")])
    assert {line[2] for line in log if line[1] in goods} == {sha256(GOLDEN)}
    assert "processed 3, failed 1, skipped 1" in first.stdout

    growing.unlink()
    before = {p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in outbox.iterdir()}
    inbox_before = sorted(str(p.relative_to(inbox)) for p in inbox.rglob("*"))
    second = run(planner, inbox, outbox, "--settle", "1")
    assert second.returncode == 0, second.stderr
    assert "nothing to do" in second.stdout
    assert {p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in outbox.iterdir()} == before
    assert sorted(str(p.relative_to(inbox)) for p in inbox.rglob("*")) == inbox_before


# --------------------------------------------------------------------------------------------
# Killed runs

INPUTS = {"a.xlsx": "good", "b.xlsx": "good", "bad.xlsx": "corrupt"}


def fill_inbox(inbox: Path) -> None:
    inbox.mkdir()
    for name, kind in INPUTS.items():
        if kind == "good":
            shutil.copyfile(GOLDEN, inbox / name)
        else:
            (inbox / name).write_bytes(corrupt_bytes())


def original_bytes(name: str) -> bytes:
    return GOLDEN.read_bytes() if INPUTS[name] == "good" else corrupt_bytes()


def final_names(month: str) -> set[str]:
    return {"a-plan-%s.xlsx" % month, "b-plan-%s.xlsx" % month, "bad-errors.txt", "bad-errors.xlsx"}


def assert_consistent_after_kill(inbox: Path, outbox: Path, months: set[str], planner: str) -> None:
    """What anyone looking at the folders right after a kill may see: only complete files under
    final names in the outbox, and every input in exactly one place, byte for byte."""
    allowed = set().union(*(final_names(m) for m in months)) | {"goalsheet-run.log"}
    shown = visible(outbox) if outbox.exists() else set()
    assert shown <= allowed, shown - allowed
    for name in shown:
        if "-plan-" in name:
            assert_complete_plan(outbox / name, planner)
        elif name.endswith(".xlsx"):
            assert zipfile.is_zipfile(outbox / name)
        elif name.endswith(".txt"):
            assert (outbox / name).read_text(encoding="utf-8").strip()
    for name in INPUTS:
        places = [d / name for d in (inbox, inbox / "processed", inbox / "failed") if (d / name).exists()]
        assert places, f"{name} was lost"
        assert all(p.read_bytes() == original_bytes(name) for p in places)


def assert_all_done_once(inbox: Path, outbox: Path, month: str, planner: str) -> None:
    assert visible(outbox) == final_names(month) | {"goalsheet-run.log"}
    for name in final_names(month):
        if name.endswith(".xlsx") and "-plan-" in name:
            assert_complete_plan(outbox / name, planner)
    assert sorted(p.name for p in (inbox / "processed").iterdir()) == ["a.xlsx", "b.xlsx"]
    assert [p.name for p in (inbox / "failed").iterdir()] == ["bad.xlsx"]
    assert visible(inbox) == {"processed", "failed"}
    assert sorted((line[1], line[3]) for line in log_lines(outbox)) == [
        ("a.xlsx", "ok"), ("b.xlsx", "ok"), ("bad.xlsx", "failed")]
    leftovers = list((outbox / ".goalsheet-tmp").rglob("*")) if (outbox / ".goalsheet-tmp").exists() else []
    assert leftovers == []


def start_paused(planner, inbox, outbox, point: str, jobs: int) -> subprocess.Popen:
    """Start a run that stops at `point`; returns once it has announced it is parked there."""
    proc = subprocess.Popen(command(planner, inbox, outbox, "--settle", "0", "--jobs", str(jobs)), cwd=ROOT,
                            env=environment(GOALSHEET_TEST_PAUSE=point), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if f"paused at {point}" in line:
            return proc
    proc.wait()
    pytest.fail(f"the run never reached {point}: {''.join(seen)}")


def kill_run(proc: subprocess.Popen) -> None:
    """SIGKILL the run and its worker processes (its own process group, started by this test)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
    if proc.stderr:
        proc.stderr.close()


@pytest.mark.parametrize("point, jobs", [
    ("after-snapshot", 2), ("after-plan", 1), ("after-commit-record", 2),
    ("after-output-rename", 1), ("after-archive", 2),
])
def test_killed_at_each_commit_point_then_rerun(planner, tmp_path, point, jobs):
    """SIGKILL while parked at `point`; the outbox shows only complete files, no input is lost;
    the rerun finishes everything: each input has exactly one plan or one failure report, is
    archived once, and an output that was already in place is not made a second time."""
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    fill_inbox(inbox)
    start = datetime.now()
    proc = start_paused(planner, inbox, outbox, point, jobs)
    kill_run(proc)
    assert_consistent_after_kill(inbox, outbox, months_during(start), planner)
    in_place = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in outbox.iterdir()
                if p.is_file() and p.name != "goalsheet-run.log"}

    rerun = run(planner, inbox, outbox, "--settle", "0", "--jobs", str(jobs))
    assert rerun.returncode == 1, rerun.stderr          # bad.xlsx fails (here or in the recovery)
    month = {m for m in months_during(start) if (outbox / f"a-plan-{m}.xlsx").exists()}
    assert len(month) == 1
    assert_all_done_once(inbox, outbox, month.pop(), planner)
    for name, identity in in_place.items():
        path = outbox / name
        assert (path.stat().st_ino, path.stat().st_mtime_ns) == identity, f"{name} was made twice"


def test_killed_repeatedly_at_arbitrary_moments_then_rerun(planner, tmp_path):
    """Five kills after different delays (where they land does not matter, only that every state
    in between is consistent), then a run left to finish: everything done exactly once."""
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    fill_inbox(inbox)
    start = datetime.now()
    delays = [0.2, 0.5, 1.0, 2.0, 3.5] if planner == "real" else [0.2, 0.5, 0.8, 1.1, 1.4]
    for i, delay in enumerate(delays):
        proc = subprocess.Popen(command(planner, inbox, outbox, "--settle", "0", "--jobs", str(1 + i % 2)),
                                cwd=ROOT, env=environment(FAKE_PLAN_SECONDS="0.3"), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        kill_run(proc)
        assert_consistent_after_kill(inbox, outbox, months_during(start), planner)
    final = run(planner, inbox, outbox, "--settle", "0")
    assert final.returncode in (0, 1), final.stderr     # 0 if bad.xlsx was already reported before a kill
    month = {m for m in months_during(start) if (outbox / f"a-plan-{m}.xlsx").exists()}
    assert len(month) == 1
    assert_all_done_once(inbox, outbox, month.pop(), planner)


# --------------------------------------------------------------------------------------------
# Two runs at once

def test_two_runs_started_together_process_each_workbook_once(planner, tmp_path):
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    fill_inbox(inbox)
    start = datetime.now()
    procs = [subprocess.Popen(command(planner, inbox, outbox, "--settle", "0", "--jobs", "2"), cwd=ROOT,
                              env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [p.communicate(timeout=900) for p in procs]
    codes = sorted(p.returncode for p in procs)
    # one run did the work (exit 1: bad.xlsx failed); the other found the inbox locked, or empty
    assert codes == [0, 1], results
    idle = results[[p.returncode for p in procs].index(0)][0]
    assert "another goalsheet run is already working" in idle or "nothing to do" in idle
    month = {m for m in months_during(start) if (outbox / f"a-plan-{m}.xlsx").exists()}
    assert len(month) == 1
    assert_all_done_once(inbox, outbox, month.pop(), planner)


def test_a_second_run_leaves_a_busy_inbox_alone(planner, tmp_path):
    """While one run holds the inbox (parked mid-plan), a second exits 0 and touches nothing."""
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    fill_inbox(inbox)
    start = datetime.now()
    first = start_paused(planner, inbox, outbox, "after-snapshot", 1)
    try:
        inbox_before = sorted(str(p.relative_to(inbox)) for p in inbox.rglob("*"))
        outbox_before = sorted(str(p.relative_to(outbox)) for p in outbox.rglob("*"))
        second = run(planner, inbox, outbox, "--settle", "0")
        assert second.returncode == 0
        assert "another goalsheet run is already working" in second.stdout
        assert sorted(str(p.relative_to(inbox)) for p in inbox.rglob("*")) == inbox_before
        assert sorted(str(p.relative_to(outbox)) for p in outbox.rglob("*")) == outbox_before
    finally:
        kill_run(first)
    third = run(planner, inbox, outbox, "--settle", "0")
    assert third.returncode == 1
    month = {m for m in months_during(start) if (outbox / f"a-plan-{m}.xlsx").exists()}
    assert_all_done_once(inbox, outbox, month.pop(), planner)


def test_watch_picks_up_a_late_workbook_and_stops_on_sigterm(planner, tmp_path):
    """--watch: a workbook dropped after the start is planned on a later poll; SIGTERM (what a
    service manager sends) ends the loop cleanly with the summary and exit 0."""
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    proc = subprocess.Popen(command(planner, inbox, outbox, "--watch", "--interval", "0.2", "--settle", "0.5"),
                            cwd=ROOT, env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert "watching" in proc.stdout.readline()
        shutil.copyfile(GOLDEN, inbox / "late.xlsx")
        for line in proc.stdout:                 # wait for the workbook's own line, however long it takes
            if line.startswith(("ok", "FAILED")) and "late.xlsx" in line:
                break
        proc.send_signal(signal.SIGTERM)
        rest, err = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "stopped" in rest and "processed 1, failed 0" in rest
    assert [p.name for p in outbox.glob("late-plan-*.xlsx")]
    assert (inbox / "processed" / "late.xlsx").exists()


def test_plan_with_actuals_is_named_after_its_as_of_month(tmp_path):
    """The golden seller with plan_year 2025: history 2024-01..2024-12, actuals 2025-01..2025-12,
    so the as-of month is 2025-12 (SPEC 3.1) and the output is `<stem>-plan-2025-12.xlsx`,
    whatever month the test runs in."""
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    book = openpyxl.load_workbook(GOLDEN)
    book["Settings"].append(["plan_year", 2025, "actuals through December"])
    book.save(inbox / "tracked.xlsx")
    done = run("real", inbox, outbox, "--settle", "0")
    assert done.returncode == 0, done.stdout + done.stderr
    assert visible(outbox) == {"tracked-plan-2025-12.xlsx", "goalsheet-run.log"}
