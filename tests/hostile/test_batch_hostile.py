"""`goalsheet run` against hostile and unlucky inboxes (issue 13, the unattended batch).

Each case asserts the exit code, the one line that says what happened, that no input is lost
(byte for byte, in the inbox, processed/ or failed/), and that the NEXT run plans the healthy
workbooks.  Most run the batch as cron does (a subprocess) with the stand-in planner of
tests/batch/fake_goalsheet.py, whose hostile inputs crash, hang or eat memory on purpose; a few use
the real planner.  Hostile files are made on the fly; timeouts are hang guards only.
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import openpyxl
import pytest

from goalsheet import batch
from goalsheet.words import console

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
GOLDEN = ROOT / "tests" / "golden" / "golden_seller.xlsx"
STAND_IN = ROOT / "tests" / "batch" / "fake_goalsheet.py"
HANG_GUARD = 300

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="process groups, SIGKILL, RLIMIT_AS and file names that are not UTF-8")


# ---------------------------------------------------------------------------------------------- helpers

def command(inbox: Path, outbox: Path, *extra: str, real: bool = False) -> list[str]:
    head = [PYTHON, "-m", "goalsheet"] if real else [PYTHON, str(STAND_IN)]
    return head + ["run", "--inbox", str(inbox), "--outbox", str(outbox), "--settle", "0", *extra]


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("GOALSHEET_TEST_PAUSE", "FAKE_PLAN_SECONDS", "FAKE_NO_SPACE")}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def run(inbox: Path, outbox: Path, *extra: str, real: bool = False, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(command(inbox, outbox, *extra, real=real), cwd=ROOT, env=environment(**env),
                          capture_output=True, text=True, timeout=HANG_GUARD)


def good_bytes() -> bytes:
    """What the stand-in plans: any zip (every .xlsx is one)."""
    return GOLDEN.read_bytes()


def fill(inbox: Path, files: dict[str, bytes]) -> None:
    inbox.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (inbox / name).write_bytes(data)


def everywhere(inbox: Path) -> dict[str, list[bytes]]:
    """Every file of the inbox, processed/ and failed/ by name: where the inputs are now."""
    found: dict[str, list[bytes]] = {}
    for folder in (inbox, inbox / "processed", inbox / "failed"):
        if folder.is_dir():
            for path in folder.iterdir():
                if path.is_file() and not path.is_symlink() and not path.name.startswith("."):
                    found.setdefault(path.name, []).append(path.read_bytes())
    return found


def assert_nothing_lost(inbox: Path, files: dict[str, bytes]) -> None:
    found = everywhere(inbox)
    for name, data in files.items():
        assert found.get(name) == [data], f"{name!r} lost or doubled: {sorted(found)}"


def log_lines(outbox: Path) -> list[list[str]]:
    log = outbox / "goalsheet-run.log"
    return [line.split("\t") for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []


def plans(outbox: Path) -> list[str]:
    return sorted(p.name for p in outbox.iterdir() if "-plan-" in p.name) if outbox.is_dir() else []


def error_lines(stream: str) -> list[str]:
    return [line for line in stream.splitlines() if line.startswith("error:")]


def assert_no_traceback(result: subprocess.CompletedProcess) -> None:
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream and "stack backtrace" not in stream, stream


def next_run_plans_a_new_workbook(inbox: Path, outbox: Path, *extra: str, real: bool = False) -> None:
    """The batch is not stuck: a healthy workbook dropped after the hostile run is planned by the next."""
    shutil.copyfile(GOLDEN, inbox / "later.xlsx")
    result = run(inbox, outbox, *extra, real=real)
    assert result.returncode == 0, result.stdout + result.stderr
    assert any(name.startswith("later-plan-") for name in plans(outbox)), result.stdout
    assert (inbox / "processed" / "later.xlsx").exists()


# ------------------------------------------------------------------------- 1. folders that overlap

OVERLAPS = {
    "archive is the inbox": lambda i, o: ["--archive", str(i)],
    "archive is the inbox, spelt differently": lambda i, o: ["--archive", str(i / "x" / "..")],
    "archive is the outbox": lambda i, o: ["--archive", str(o)],
    "archive inside the outbox": lambda i, o: ["--archive", str(o / "kept")],
    "archive in the working folder": lambda i, o: ["--archive", str(o / ".goalsheet-tmp")],
    "archive is failed/": lambda i, o: ["--archive", str(i / "failed")],
}


@pytest.mark.parametrize("case", sorted(OVERLAPS))
def test_an_archive_that_overlaps_is_refused_before_anything_moves(tmp_path, case):
    """Before: `--archive <inbox>` planned every input and then removed it (the 'already moved by a
    killed run' path unlinked the source) while the log said ok.  Now: refused at start, exit 2,
    one line; every input where it was; nothing written; the next run (no --archive) plans them."""
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    files = {"a.xlsx": good_bytes(), "b.xlsx": good_bytes()}
    fill(inbox, files)
    (inbox / "x").mkdir()
    outbox.mkdir()
    result = run(inbox, outbox, *OVERLAPS[case](inbox, outbox))
    assert result.returncode == 2, result.stdout + result.stderr
    assert len(error_lines(result.stderr)) == 1 and "--archive" in result.stderr, result.stderr
    assert_no_traceback(result)
    assert sorted(p.name for p in inbox.iterdir() if p.is_file()) == ["a.xlsx", "b.xlsx"]
    assert_nothing_lost(inbox, files)
    assert list(outbox.iterdir()) == []

    again = run(inbox, outbox)
    assert again.returncode == 0, again.stdout + again.stderr
    assert len(plans(outbox)) == 2
    assert sorted(p.name for p in (inbox / "processed").iterdir()) == ["a.xlsx", "b.xlsx"]


@pytest.mark.parametrize("case", ["outbox is the inbox", "outbox inside the inbox", "inbox inside the outbox"])
def test_an_outbox_that_overlaps_the_inbox_is_refused(tmp_path, case):
    if case == "outbox is the inbox":
        inbox = outbox = tmp_path / "in"
    elif case == "outbox inside the inbox":
        inbox, outbox = tmp_path / "in", tmp_path / "in" / "plans"
    else:
        inbox, outbox = tmp_path / "out" / "in", tmp_path / "out"
    files = {"a.xlsx": good_bytes()}
    fill(inbox, files)
    result = run(inbox, outbox)
    assert result.returncode == 2, result.stdout + result.stderr
    assert len(error_lines(result.stderr)) == 1 and "outbox" in error_lines(result.stderr)[0]
    assert_no_traceback(result)
    assert_nothing_lost(inbox, files)
    assert (inbox / "a.xlsx").exists() and not (inbox / "processed").exists()
    assert not (tmp_path / "in" / "plans").exists()          # not even created

    elsewhere = tmp_path / "separate-outbox"
    again = run(inbox, elsewhere)
    assert again.returncode == 0, again.stdout + again.stderr
    assert len(plans(elsewhere)) == 1


def test_finishing_a_move_never_removes_the_only_copy(tmp_path):
    """The 'already moved by a killed run' path: only a second name of the same file in ANOTHER folder
    lets the source go.  A same-named, different file in the archive, or a move into the source's own
    folder, leaves the source where it is."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "shop.xlsx").write_bytes(b"mine")
    with pytest.raises(OSError):
        batch.move_without_overwrite(inbox / "shop.xlsx", inbox)
    assert (inbox / "shop.xlsx").read_bytes() == b"mine"

    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "shop.xlsx").write_bytes(b"an older one")
    moved = batch.move_without_overwrite(inbox / "shop.xlsx", archive)
    assert moved == archive / "shop-2.xlsx" and moved.read_bytes() == b"mine"
    assert (archive / "shop.xlsx").read_bytes() == b"an older one"


# --------------------------------------------------------------- 2. crashes, hangs and memory, one by one

HOSTILE = {
    "abort.xlsx": (b"ABORT", "the reader crashed (SIGABRT)"),
    "rust.xlsx": (b"RUSTOOM", "needed more than 1 GiB of memory"),
    "eat.xlsx": (b"EAT", "needed more than 1 GiB of memory"),
    "hang.xlsx": (b"HANG", "took more than 10 s"),
}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_worker_that_crashes_hangs_or_eats_memory_fails_its_workbook_alone(tmp_path, jobs):
    """Before: one crashing workbook aborted the whole run (--jobs 1, every later run too) or made
    every workbook 'skipped' with exit 0 (--jobs 2), and a hang kept the lock for ever.  Now: each
    hostile workbook is failed on its own with its reason (console, errors.txt, log), goes to failed/,
    the healthy ones are planned, exit 1, no traceback; the next run is not locked out and plans."""
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    files = {"good-1.xlsx": good_bytes(), "good-2.xlsx": good_bytes(),
             **{name: head + b" " * 100 for name, (head, _) in HOSTILE.items()}}
    fill(inbox, files)
    result = run(inbox, outbox, "--jobs", jobs, "--time-budget", "10", "--memory-budget", "1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert_no_traceback(result)
    assert result.stderr == ""
    assert len(plans(outbox)) == 2
    assert sorted(p.name for p in (inbox / "processed").iterdir()) == ["good-1.xlsx", "good-2.xlsx"]
    assert sorted(p.name for p in (inbox / "failed").iterdir()) == sorted(HOSTILE)
    assert_nothing_lost(inbox, files)
    logged = {line[1]: (line[3], line[5]) for line in log_lines(outbox)}
    for name, (_, reason) in HOSTILE.items():
        stem = name[:-5]
        console = [line for line in result.stdout.splitlines() if line.startswith(f"FAILED  {name}:")]
        assert len(console) == 1 and reason in console[0], result.stdout
        assert reason in (outbox / f"{stem}-errors.txt").read_text(encoding="utf-8")
        openpyxl.load_workbook(outbox / f"{stem}-errors.xlsx")
        assert logged[name][0] == "failed" and reason in logged[name][1]
    assert "processed 2, failed 4, skipped 0" in result.stdout
    next_run_plans_a_new_workbook(inbox, outbox, "--jobs", jobs)


def test_a_workbook_that_makes_the_real_reader_abort_fails_alone(tmp_path):
    """One cell at XFD1048576 makes the reader ask for 512 GiB and abort (a Rust backtrace, exit 134)
    when nothing else stops it first: the real planner in its worker, the workbook failed with the
    memory reason, the healthy one planned, no backtrace on the console, the next run plans."""
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    book = openpyxl.load_workbook(GOLDEN)
    book["Sales"]["XFD1048576"] = 1
    book.save(inbox / "far.xlsx")
    shutil.copyfile(GOLDEN, inbox / "good.xlsx")
    files = {name: (inbox / name).read_bytes() for name in ("far.xlsx", "good.xlsx")}
    result = run(inbox, outbox, "--memory-budget", "2", real=True)
    assert_no_traceback(result)
    assert result.returncode == 1, result.stdout + result.stderr
    assert [p.name for p in (inbox / "failed").iterdir()] == ["far.xlsx"]
    assert [p.name for p in (inbox / "processed").iterdir()] == ["good.xlsx"]
    assert_nothing_lost(inbox, files)
    assert len(plans(outbox)) == 1
    report = (outbox / "far-errors.txt").read_text(encoding="utf-8")
    # the memory budget stops it, unless the reader refuses the cell first (naming it)
    assert "needed more than 2 GiB of memory" in report or "XFD1048576" in report, report
    assert [line for line in result.stdout.splitlines() if line.startswith("FAILED  far.xlsx: ")]
    next_run_plans_a_new_workbook(inbox, outbox, real=True)


def _children_of(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("real", [False, True], ids=["stand-in", "real"])
def test_kill_9_of_the_run_takes_its_workers_with_it(tmp_path, real):
    """Before: `kill -9` of the main process of `run --jobs 2` left its workers running for good.
    Now: SIGKILL of the main process only (not its group) and both workers, parked mid-workbook, end
    too; the next run plans every workbook."""
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    files = {"a.xlsx": good_bytes(), "b.xlsx": good_bytes()}
    fill(inbox, files)
    proc = subprocess.Popen(command(inbox, outbox, "--jobs", "2", real=real), cwd=ROOT,
                            env=environment(GOALSHEET_TEST_PAUSE="after-snapshot"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    workers = set()
    guard = threading.Timer(HANG_GUARD, lambda: os.killpg(proc.pid, signal.SIGKILL))   # never parked for good
    guard.start()
    try:
        for line in proc.stderr:
            match = re.search(r"paused at after-snapshot \(pid (\d+)\)", line)
            if match:
                workers.add(int(match.group(1)))
            if len(workers) == 2:
                break
        assert len(workers) == 2, "the workers never reached the pause point"
        assert workers <= _children_of(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=HANG_GUARD)
        deadline = time.monotonic() + HANG_GUARD
        while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_running(pid) for pid in workers), "a worker outlived the killed run"
    finally:
        guard.cancel()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc.stderr.close()
    assert_nothing_lost(inbox, files)
    again = run(inbox, outbox, real=real)
    assert again.returncode == 0, again.stdout + again.stderr
    assert len(plans(outbox)) == 2


# ------------------------------------------------------------------------------------------ 3. the lock

def _echoes(lines: list[str]):
    return lambda message="", err=False, **kwargs: lines.append(("stderr: " if err else "") + str(message))


def test_a_lock_the_run_cannot_open_is_one_line(tmp_path, monkeypatch):
    """A lock file of another user (a run as root): opening it fails with EACCES.  Before: a
    PermissionError traceback on every run.  Now: one line naming the lock, exit 2, nothing touched;
    once the lock is usable again the next run plans."""
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    files = {"a.xlsx": good_bytes()}
    fill(inbox, files)
    real_open = os.open

    def refuse_the_lock(path, *args, **kwargs):
        if os.fspath(path).endswith(batch.LOCK_NAME):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_the_lock)
    lines: list[str] = []
    assert batch.run_batch(inbox, outbox, settle=0, echo=_echoes(lines)) == 2
    assert lines == [f"stderr: error: cannot take the lock {inbox / batch.LOCK_NAME} (Permission denied); "
                     f"if another user made it (a run as root?), delete it or run as that user"]
    assert_nothing_lost(inbox, files)
    assert (inbox / "a.xlsx").exists()
    monkeypatch.setattr(os, "open", real_open)
    assert batch.run_batch(inbox, outbox, settle=0, echo=_echoes([])) == 0
    assert len(plans(outbox)) == 1


def test_a_folder_in_place_of_the_lock_is_one_line(tmp_path):
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    fill(inbox, {"a.xlsx": good_bytes()})
    (inbox / batch.LOCK_NAME).mkdir()
    result = run(inbox, outbox)
    assert result.returncode == 2, result.stdout + result.stderr
    assert len(error_lines(result.stderr)) == 1 and batch.LOCK_NAME in result.stderr
    assert_no_traceback(result)
    assert (inbox / "a.xlsx").exists()
    (inbox / batch.LOCK_NAME).rmdir()
    next_run_plans_a_new_workbook(inbox, outbox)
    assert (inbox / "processed" / "a.xlsx").exists()


# ------------------------------------------------------------------------------------------ 4. names

def test_a_255_byte_name_is_planned_and_does_not_stick_the_batch(tmp_path):
    """Before: a legal 255-byte input name made the output name too long after the commit record, and
    every later run failed in recovery (exit 2 for ever).  Now: the outputs are named after a shortened
    stem and a hash; the same name dropped again is archived beside the first (its number fits too);
    the runs after that have nothing to do."""
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    name = "店" * 80 + "x" * 10 + ".xlsx"          # 240 + 10 + 5 = 255 bytes
    assert len(name.encode("utf-8")) == 255
    files = {name: good_bytes()}
    fill(inbox, files)
    first = run(inbox, outbox, real=True)
    assert first.returncode == 0, first.stdout + first.stderr
    assert_no_traceback(first)
    [plan] = plans(outbox)
    assert len(plan.encode("utf-8")) <= 255 and plan.startswith("店" * 20)
    assert (inbox / "processed" / name).read_bytes() == good_bytes()

    fill(inbox, files)                                   # the same name again
    second = run(inbox, outbox, real=True)
    assert second.returncode == 0, second.stdout + second.stderr
    archived = sorted(p.name for p in (inbox / "processed").iterdir())
    assert len(archived) == 2 and all(len(n.encode("utf-8")) <= 255 for n in archived)
    third = run(inbox, outbox, real=True)
    assert third.returncode == 0 and "nothing to do" in third.stdout, third.stdout + third.stderr


def test_names_that_are_not_utf8_or_carry_control_characters(tmp_path):
    """Before: a name that is not UTF-8 gave a traceback on every run, and a tab or newline in a name
    forged log lines.  Now: each is planned (or failed) like any other; outputs get a safe name; the
    log has exactly one line per workbook, the name escaped; the next run has nothing to do."""
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    raw_names = [b"caf\xe9.xlsx", b"evil\tname\n2026-01-01T00:00:00\tforged.xlsx", b"rlo\xe2\x80\xaexslx.xlsx",
                 b"bad\x1b[31m.xlsx"]
    for raw in raw_names:
        with open(os.path.join(os.fsencode(inbox), raw), "wb") as fh:
            fh.write(good_bytes() if raw != raw_names[-1] else b"not a workbook")
    result = run(inbox, outbox)
    assert result.returncode == 1, result.stdout + result.stderr     # the last is not a workbook
    assert_no_traceback(result)
    lines = log_lines(outbox)
    assert len(lines) == 4 and all(len(line) == 7 for line in lines)
    assert sorted(line[1] for line in lines) == sorted([
        "caf\\xe9.xlsx", "evil\\tname\\n2026-01-01T00:00:00\\tforged.xlsx", "rlo\\u202exslx.xlsx",
        "bad\\x1b[31m.xlsx"])
    outputs = [p.name for p in outbox.iterdir() if p.is_file() and p.name != "goalsheet-run.log"]
    assert len(plans(outbox)) == 3 and len(outputs) == 5
    for output in outputs:
        output.encode("utf-8")                                       # valid UTF-8
        assert not any(batch.unsafe_char(ch) for ch in output), output
    assert sorted(os.listdir(os.fsencode(inbox / "processed"))) == sorted(raw_names[:3])
    assert os.listdir(os.fsencode(inbox / "failed")) == [raw_names[3]]
    assert "\t" not in result.stdout and "\x1b" not in result.stdout
    again = run(inbox, outbox)
    assert again.returncode == 0 and "nothing to do" in again.stdout, again.stdout + again.stderr


@pytest.mark.parametrize("reserved", ["failed", "processed"])
def test_a_plain_file_named_like_a_reserved_folder_is_refused_at_start(tmp_path, reserved):
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    files = {"a.xlsx": good_bytes(), "bad.xlsx": b"not a workbook"}
    fill(inbox, files)
    (inbox / reserved).write_bytes(b"a seller's file")
    result = run(inbox, outbox)
    assert result.returncode == 2, result.stdout + result.stderr
    assert error_lines(result.stderr) == [
        f"error: {inbox / reserved} is in the way: goalsheet keeps "
        f"{'failed workbooks' if reserved == 'failed' else 'processed inputs'} in a folder of that name; "
        f"move or rename it"]
    assert_no_traceback(result)
    assert (inbox / reserved).read_bytes() == b"a seller's file"
    assert sorted(p.name for p in inbox.iterdir() if p.name.endswith(".xlsx")) == ["a.xlsx", "bad.xlsx"]
    (inbox / reserved).rename(tmp_path / reserved)
    again = run(inbox, outbox)
    assert again.returncode == 1, again.stdout + again.stderr
    assert_nothing_lost(inbox, files)
    assert len(plans(outbox)) == 1


def test_inbox_links_are_skipped_with_a_line(tmp_path):
    """Before: a link in the inbox to a workbook elsewhere was planned (and the link archived).  Now:
    skipped with one line, the target untouched and not planned; the healthy workbook is planned."""
    inbox, outbox, elsewhere = tmp_path / "in", tmp_path / "out", tmp_path / "private"
    fill(inbox, {"a.xlsx": good_bytes()})
    elsewhere.mkdir()
    shutil.copyfile(GOLDEN, elsewhere / "secret.xlsx")
    (inbox / "link.xlsx").symlink_to(elsewhere / "secret.xlsx")
    result = run(inbox, outbox)
    assert result.returncode == 0, result.stdout + result.stderr
    assert [line for line in result.stdout.splitlines() if "link.xlsx" in line] == [
        "skipped link.xlsx: " + console("run_link_skipped", "en")]
    assert [p for p in plans(outbox) if p.startswith("link")] == [] and len(plans(outbox)) == 1
    assert (inbox / "link.xlsx").is_symlink() and (elsewhere / "secret.xlsx").read_bytes() == good_bytes()
    assert "processed 1, failed 0, skipped 1" in result.stdout


def test_a_name_too_long_for_an_output_is_neutralised_not_refused():
    """The unit: a safe stem is the stem itself; anything else is cleaned, cut and tagged (different
    names never meet), and always fits the longest output name in 255 bytes."""
    assert batch.output_stem("shop.xlsx") == "shop"
    assert batch.output_stem("店铺 2026.xlsx") == "店铺 2026"
    long_a, long_b = "a" * 250 + ".xlsx", "a" * 249 + "b.xlsx"
    for name in (long_a, long_b, "x\ty.xlsx", "caf\udce9.xlsx", "\u202eabc.xlsx"):
        stem = batch.output_stem(name)
        assert len(batch.output_name(stem, "2026-03").encode("utf-8")) <= 255
        assert not any(batch.unsafe_char(ch) for ch in stem)
    assert batch.output_stem(long_a) != batch.output_stem(long_b)
    assert batch.shown("x\ty\n.xlsx") == "x\\ty\\n.xlsx"
    assert batch.shown("caf\udce9.xlsx") == "caf\\xe9.xlsx"
    assert batch.shown("店铺.xlsx") == "店铺.xlsx"


# ----------------------------------------------------------------------------- 5. the outbox cannot be written

def test_disk_full_while_writing_leaves_the_inputs_for_the_next_run(tmp_path):
    """Before: a valid workbook went to failed/ ('No space left on device') and was never retried.
    Now: it stays in the inbox, the reason is on the console and in the log, exit 2; the next run
    (space again) plans it."""
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    files = {"a.xlsx": good_bytes(), "b.xlsx": good_bytes()}
    fill(inbox, files)
    full = run(inbox, outbox, "--jobs", "2", FAKE_NO_SPACE="1")
    assert full.returncode == 2, full.stdout + full.stderr
    assert_no_traceback(full)
    assert error_lines(full.stderr) == ["error: the outbox could not be written (No space left on device); "
                                        "2 workbook(s) stay in the inbox for the next run"]
    assert not (inbox / "failed").exists() and not (inbox / "processed").exists()
    assert sorted(p.name for p in inbox.iterdir() if p.is_file() and not p.name.startswith(".")) == [
        "a.xlsx", "b.xlsx"]
    assert sorted((line[1], line[3]) for line in log_lines(outbox)) == [("a.xlsx", "retry"), ("b.xlsx", "retry")]
    assert plans(outbox) == []
    assert_nothing_lost(inbox, files)
    again = run(inbox, outbox)
    assert again.returncode == 0, again.stdout + again.stderr
    assert len(plans(outbox)) == 2 and sorted(p.name for p in (inbox / "processed").iterdir()) == [
        "a.xlsx", "b.xlsx"]


def test_disk_full_in_the_real_writer_in_process(tmp_path, monkeypatch):
    """The real planner, its workbook writer failing with ENOSPC (patched in this process; the
    worker is forked from it): the input stays in the inbox, exit 2; unpatched, the next run plans."""
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    files = {"shop.xlsx": good_bytes()}
    fill(inbox, files)

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("goalsheet.report.write_plan_workbook", no_space)
    lines: list[str] = []
    assert batch.run_batch(inbox, outbox, settle=0, echo=_echoes(lines)) == 2
    assert [line for line in lines if line.startswith("stderr:")] == [
        "stderr: error: the outbox could not be written (No space left on device); "
        "1 workbook(s) stay in the inbox for the next run"]
    assert (inbox / "shop.xlsx").read_bytes() == good_bytes() and not (inbox / "failed").exists()
    monkeypatch.undo()
    assert batch.run_batch(inbox, outbox, settle=0, echo=_echoes([])) == 0
    assert len(plans(outbox)) == 1
    assert_nothing_lost(inbox, files)


@contextlib.contextmanager
def read_only(folder: Path, monkeypatch):
    """`folder` cannot be written: by its mode (not root), else by the immutable flag (root, where the
    file system and the capability allow), else -- root in a container without either -- by refusing, in
    this process and the workers forked from it, every call that would create or change a name in it."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    if shutil.which("chattr") and subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0:
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        return
    inside = os.fspath(folder) + os.sep

    def guard(real):
        def refuse(path, *args, **kwargs):
            if os.fspath(os.path.abspath(path)).startswith(inside):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
            return real(path, *args, **kwargs)
        return refuse

    with monkeypatch.context() as patch:
        for name in ("mkdir", "open", "link", "replace", "rename"):
            patch.setattr(os, name, guard(getattr(os, name)))
        yield


def test_a_read_only_outbox_leaves_every_input_in_the_inbox(tmp_path, monkeypatch):
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    files = {"a.xlsx": good_bytes(), "bad.xlsx": b"not a workbook"}
    fill(inbox, files)
    outbox.mkdir()
    lines: list[str] = []
    with read_only(outbox, monkeypatch):
        code = batch.run_batch(inbox, outbox, settle=0, echo=_echoes(lines))
    assert code == 2, lines
    errors = [line for line in lines if line.startswith("stderr:")]
    assert len(errors) == 1 and ("Permission denied" in errors[0] or "not permitted" in errors[0]), lines
    assert sorted(p.name for p in inbox.iterdir() if p.is_file() and not p.name.startswith(".")) == [
        "a.xlsx", "bad.xlsx"]
    assert not (inbox / "failed").exists() and not (inbox / "processed").exists()
    assert list(outbox.iterdir()) == []
    assert batch.run_batch(inbox, outbox, settle=0, echo=_echoes([])) == 1      # bad.xlsx fails
    assert_nothing_lost(inbox, files)
    assert len(plans(outbox)) == 1 and (outbox / "bad-errors.txt").exists()


# ------------------------------------------------------------------------------ 6. recovery never stuck

def test_a_journal_record_recovery_cannot_finish_is_set_aside(tmp_path):
    """Before: a committed record whose output name the file system refuses (ENAMETOOLONG) failed the
    start of every later run (exit 2 for ever).  Now: it and a record of another shape are each set
    aside with one line (kept in set-aside.jsonl), the input still in the inbox is planned, and the
    run after that has nothing to do."""
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    files = {"long.xlsx": good_bytes()}
    fill(inbox, files)
    root = batch.work_root_for(inbox, outbox)
    (root / "job-old").mkdir(parents=True)
    leftover = root / "job-old" / "plan.xlsx"
    leftover.write_bytes(b"plan of an old run")
    sha = hashlib.sha256(good_bytes()).hexdigest()
    journal = batch.Journal(root / batch.JOURNAL_NAME)
    journal.append({"commit": "job-old", "input": "long.xlsx", "sha256": sha, "result": "ok",
                    "files": [[str(leftover), "l" * 300 + "-plan-2026-01.xlsx"]],
                    "dest": str(inbox / "processed"), "detail": "x", "seconds": 1.0})
    journal.append({"commit": "job-odd", "input": "other.xlsx"})          # no files, no sha256
    result = run(inbox, outbox)
    assert result.returncode == 0, result.stdout + result.stderr
    assert_no_traceback(result)
    set_aside = [line for line in result.stdout.splitlines() if line.startswith("recovery: could not finish")]
    assert len(set_aside) == 2, result.stdout
    kept = [json.loads(line) for line in (outbox / ".goalsheet-tmp" / batch.SET_ASIDE_NAME).read_text().splitlines()]
    assert sorted(entry["record"]["commit"] for entry in kept) == ["job-odd", "job-old"]
    assert [p for p in plans(outbox) if p.startswith("long-plan-")]
    assert (inbox / "processed" / "long.xlsx").read_bytes() == good_bytes()
    again = run(inbox, outbox)
    assert again.returncode == 0 and "nothing to do" in again.stdout, again.stdout + again.stderr


# ------------------------------------------------------------------ the start method of macOS and Windows

def test_spawned_workers_isolate_too(tmp_path, monkeypatch):
    """Where fork is not used (macOS, Windows, or threads running here) workers are spawned: the same
    isolation -- a workbook that makes the real reader abort fails alone, the healthy one is planned."""
    import multiprocessing
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    book = openpyxl.load_workbook(GOLDEN)
    book["Sales"]["XFD1048576"] = 1
    book.save(inbox / "far.xlsx")
    shutil.copyfile(GOLDEN, inbox / "good.xlsx")
    monkeypatch.setattr(batch.worker, "context", lambda: multiprocessing.get_context("spawn"))
    lines: list[str] = []
    assert batch.run_batch(inbox, outbox, settle=0, echo=_echoes(lines)) == 1, lines
    assert [p.name for p in (inbox / "failed").iterdir()] == ["far.xlsx"]
    assert [p.name for p in (inbox / "processed").iterdir()] == ["good.xlsx"]
    assert len(plans(outbox)) == 1
    assert [line for line in lines if line.startswith("FAILED  far.xlsx: ")], lines


def test_an_archive_under_a_plain_file_is_refused_at_start(tmp_path):
    """--archive below a file (a typo, a file where the folder should be): refused before anything is
    planned, instead of failing after the commit record of every workbook."""
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    files = {"a.xlsx": good_bytes()}
    fill(inbox, files)
    (tmp_path / "store").write_bytes(b"a file")
    result = run(inbox, outbox, "--archive", str(tmp_path / "store" / "archive"))
    assert result.returncode == 2, result.stdout + result.stderr
    assert error_lines(result.stderr) == [f"error: --archive {tmp_path / 'store' / 'archive'} cannot be made: "
                                          f"{tmp_path / 'store'} is a file, not a folder"]
    assert (inbox / "a.xlsx").read_bytes() == good_bytes() and not outbox.exists()
    again = run(inbox, outbox, "--archive", str(tmp_path / "archive"))
    assert again.returncode == 0, again.stdout + again.stderr
    assert (tmp_path / "archive" / "a.xlsx").read_bytes() == good_bytes()


def test_the_cli_budgets_default_to_the_documented_values():
    """`goalsheet run`'s options (cli.py keeps the batch module out of every other command's start-up)
    default to the batch's own constants, the values docs/limits.md gives."""
    from goalsheet.cli import run as run_command
    defaults = {option.name: option.default for option in run_command.params}
    assert defaults["time_budget"] == batch.DEFAULT_TIME_BUDGET == 600
    assert defaults["memory_budget"] == batch.DEFAULT_MEMORY_BUDGET == 4
    limits = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    assert "| time | 600 s" in limits and "| memory | 4 GiB" in limits
