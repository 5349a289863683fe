"""The pieces of `goalsheet run` (goalsheet/batch/), in-process and without a real planner."""
from __future__ import annotations

import json
import os
import time
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from goalsheet import batch
from goalsheet.inputs.model import Problem
from goalsheet.pipeline import PlanResult


# ---------------------------------------------------------------- which files are taken

@pytest.mark.parametrize("name, ignored", [
    ("shop.xlsx", False), ("SHOP.XLSX", False), ("shop.xlsm", False), ("old.xls", False), ("calc.ods", False),
    ("~$shop.xlsx", True),            # Excel / WPS owner file of an open workbook
    (".~lock.shop.xlsx#", True),      # LibreOffice lock file
    (".shop.xlsx", True),             # hidden
    ("notes.txt", True), ("shop.xlsx.part", True), ("shop.csv", True),
])
def test_ignored_names(name, ignored):
    assert batch.is_ignored_name(name) is ignored


def test_settled_workbooks_skips_fresh_files_and_ignores_the_rest(tmp_path):
    """Looking 100 s into the future (now = T + 100), settle 2 s: a.xlsx last changed at about T
    (100 s before 'now') is taken; b.xlsx with mtime now − 1 (inside the 2 s) and c.ods with an
    mtime 500 s after 'now' are skipped; lock, hidden, other files and folders are not even listed."""
    inbox = tmp_path
    for name in ["a.xlsx", "b.xlsx", "c.ods", "~$a.xlsx", ".h.xlsx", "n.txt"]:
        (inbox / name).write_bytes(b"x")
    (inbox / "processed").mkdir()
    (inbox / "processed" / "old.xlsx").write_bytes(b"x")
    now = time.time() + 100
    os.utime(inbox / "a.xlsx", (now - 1000, now - 1000))
    os.utime(inbox / "b.xlsx", (now - 1, now - 1))
    os.utime(inbox / "c.ods", (now + 500, now + 500))
    ready, skipped = batch.settled_workbooks(inbox, settle=2.0, now=now)
    assert [f.path.name for f in ready] == ["a.xlsx"]
    assert sorted(p.name for p, _ in skipped) == ["b.xlsx", "c.ods"]


def test_last_change_uses_the_later_of_mtime_and_ctime():
    """A copy that kept its source's mtime (100) but was created at 500 last changed at 500."""
    st = SimpleNamespace(st_mtime=100.0, st_ctime=500.0)
    assert batch.last_change(st) == 500.0


# ---------------------------------------------------------------- names

def test_output_named_after_the_as_of_month_else_the_run_month():
    run = datetime(2026, 11, 26, 1, 2, 3)
    def head(as_of):
        return SimpleNamespace(as_of=as_of)
    assert batch.output_name("shop", batch.as_of_month(head("2026-03"), run)) == "shop-plan-2026-03.xlsx"
    assert batch.as_of_month(head(pd.Timestamp("2026-07-31")), run) == "2026-07"
    assert batch.as_of_month(head("2026/9"), run) == "2026-09"
    assert batch.as_of_month(head(None), run) == "2026-11"
    assert batch.as_of_month(None, run) == "2026-11"
    assert batch.error_names("shop") == ("shop-errors.txt", "shop-errors.xlsx")


# ---------------------------------------------------------------- moving without overwriting

def test_move_never_overwrites_and_suffixes(tmp_path):
    inbox, archive = tmp_path / "in", tmp_path / "in" / "processed"
    archive.mkdir(parents=True)
    (archive / "shop.xlsx").write_bytes(b"first")
    (archive / "shop-2.xlsx").write_bytes(b"second")
    (inbox / "shop.xlsx").write_bytes(b"third")
    moved = batch.move_without_overwrite(inbox / "shop.xlsx", archive)
    assert moved.name == "shop-3.xlsx"
    assert [(archive / n).read_bytes() for n in ("shop.xlsx", "shop-2.xlsx", "shop-3.xlsx")] == \
        [b"first", b"second", b"third"]
    assert not (inbox / "shop.xlsx").exists()


def test_move_finishes_a_link_left_by_a_killed_run(tmp_path):
    """Killed between link and unlink: the same file is in inbox and archive. Finishing the move
    must not make a second archived copy."""
    inbox, archive = tmp_path / "in", tmp_path / "in" / "processed"
    archive.mkdir(parents=True)
    (inbox / "shop.xlsx").write_bytes(b"data")
    os.link(inbox / "shop.xlsx", archive / "shop.xlsx")
    moved = batch.move_without_overwrite(inbox / "shop.xlsx", archive)
    assert moved == archive / "shop.xlsx"
    assert sorted(p.name for p in archive.iterdir()) == ["shop.xlsx"]
    assert not (inbox / "shop.xlsx").exists()


# ---------------------------------------------------------------- journal and recovery

def test_journal_pending_ignores_done_and_torn_lines(tmp_path):
    journal = batch.Journal(tmp_path / "j.jsonl")
    journal.append({"commit": "job-1", "input": "a.xlsx"})
    journal.append({"commit": "job-2", "input": "b.xlsx"})
    journal.append({"done": "job-1"})
    with open(journal.path, "a") as fh:
        fh.write('{"commit": "job-3", "inp')       # the run died mid-write: never committed
    assert [r["commit"] for r in journal.pending()] == ["job-2"]
    journal.append({"commit": "job-4", "input": "d.xlsx"})      # not glued onto the torn line
    assert [r["commit"] for r in journal.pending()] == ["job-2", "job-4"]


def _folders(tmp_path):
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    outbox.mkdir()
    return inbox, outbox


def test_recovery_rolls_forward_a_commit_without_planning_again(tmp_path, monkeypatch):
    """A run died after renaming the plan into the outbox but before archiving the input.
    The next run archives the input and renames nothing else; the planner is never called."""
    inbox, outbox = _folders(tmp_path)
    (inbox / "shop.xlsx").write_bytes(b"shop bytes")
    sha = batch.sha256_of(inbox / "shop.xlsx")
    root = batch.work_root_for(inbox, outbox)
    (root / "job-x").mkdir(parents=True)
    (outbox / "shop-plan-2026-10.xlsx").write_bytes(b"plan")        # already renamed
    (root / "job-y").mkdir()
    (root / "job-y" / "leftover.xlsx").write_bytes(b"half")          # uncommitted: cleared
    batch.Journal(root / batch.JOURNAL_NAME).append(
        {"commit": "job-x", "input": "shop.xlsx", "sha256": sha, "result": "ok",
         "files": [[str(root / "job-x" / "plan.xlsx"), "shop-plan-2026-10.xlsx"]],
         "dest": str(inbox / "processed"), "detail": "shop-plan-2026-10.xlsx", "seconds": 1.5})
    monkeypatch.setattr("goalsheet.pipeline.run_plan", lambda request: pytest.fail("planned twice"))
    lines = []
    code = batch.run_batch(inbox, outbox, settle=0, echo=lambda *a, **k: lines.append(a[0]))
    assert code == 0
    assert sorted(p.name for p in outbox.iterdir()) == [".goalsheet-tmp", "goalsheet-run.log",
                                                         "shop-plan-2026-10.xlsx"]
    assert (outbox / "shop-plan-2026-10.xlsx").read_bytes() == b"plan"
    assert (inbox / "processed" / "shop.xlsx").read_bytes() == b"shop bytes"
    assert not root.exists()
    log = (outbox / "goalsheet-run.log").read_text().splitlines()
    assert len(log) == 1 and "\tshop.xlsx\t" + sha + "\tok\t" in log[0] and "interrupted" in log[0]


def test_recovery_finishes_renames_still_in_the_working_folder(tmp_path, monkeypatch):
    """Died right after the commit record: both error files are still in the working folder."""
    inbox, outbox = _folders(tmp_path)
    (inbox / "bad.xlsx").write_bytes(b"junk")
    root = batch.work_root_for(inbox, outbox)
    (root / "job-z").mkdir(parents=True)
    (root / "job-z" / "bad-errors.txt").write_text("file: not a workbook\n")
    (root / "job-z" / "bad-errors.xlsx").write_bytes(b"xlsx")
    batch.Journal(root / batch.JOURNAL_NAME).append(
        {"commit": "job-z", "input": "bad.xlsx", "sha256": batch.sha256_of(inbox / "bad.xlsx"),
         "result": "failed", "dest": str(inbox / "failed"), "detail": "1 error(s)", "seconds": 0.1,
         "files": [[str(root / "job-z" / "bad-errors.txt"), "bad-errors.txt"],
                   [str(root / "job-z" / "bad-errors.xlsx"), "bad-errors.xlsx"]]})
    monkeypatch.setattr("goalsheet.pipeline.run_plan", lambda request: pytest.fail("planned twice"))
    code = batch.run_batch(inbox, outbox, settle=0, echo=lambda *a, **k: None)
    assert code == 1                     # the failure surfaces in the run that finished it
    assert (outbox / "bad-errors.txt").read_text() == "file: not a workbook\n"
    assert (inbox / "failed" / "bad.xlsx").read_bytes() == b"junk"


def test_recovery_leaves_a_replaced_input_to_be_planned(tmp_path, monkeypatch):
    """The seller dropped a new version under the same name after the crash: its sha256 differs
    from the committed one, so it is not archived by recovery but planned as new."""
    inbox, outbox = _folders(tmp_path)
    (inbox / "shop.xlsx").write_bytes(b"new version")
    root = batch.work_root_for(inbox, outbox)
    root.mkdir(parents=True)
    batch.Journal(root / batch.JOURNAL_NAME).append(
        {"commit": "job-old", "input": "shop.xlsx", "sha256": "0" * 64, "result": "ok", "files": [],
         "dest": str(inbox / "processed"), "detail": "shop-plan-2026-10.xlsx", "seconds": 1.0})
    calls = tmp_path / "calls"          # the planner runs in a worker process: what it saw goes to a file

    def fake_run_plan(request):
        with open(calls, "ab") as fh:
            fh.write(request.input.read_bytes() + b"\n")
        request.output.write_bytes(b"plan")
        return PlanResult(ok=True, output=request.output, plan=SimpleNamespace(headline=SimpleNamespace(as_of="2026-11")))

    monkeypatch.setattr("goalsheet.pipeline.run_plan", fake_run_plan)
    assert batch.run_batch(inbox, outbox, settle=0, echo=lambda *a, **k: None) == 0
    assert calls.read_bytes().splitlines() == [b"new version"]
    assert (outbox / "shop-plan-2026-11.xlsx").exists()
    assert (inbox / "processed" / "shop.xlsx").read_bytes() == b"new version"


# ---------------------------------------------------------------- one pass, in-process

def test_pass_plans_from_a_snapshot_and_reports_every_problem(tmp_path, monkeypatch):
    inbox, outbox = _folders(tmp_path)
    (inbox / "good.xlsx").write_bytes(b"good")
    (inbox / "bad.xlsx").write_bytes(b"bad")
    seen = []

    def fake_run_plan(request):
        seen.append(request.input)
        if request.input.read_bytes() == b"bad":
            return PlanResult(ok=False, problems=[Problem("SKUs", "F14", 'price "abc" is not a number'),
                                                  Problem("Sales", "C3", "month 2025-13 is not a month"),
                                                  Problem("Settings", "B2", "plan_year assumed", "warning")])
        request.output.write_bytes(b"plan")
        return PlanResult(ok=True, output=request.output, plan=SimpleNamespace(headline=SimpleNamespace(as_of="2026-04")))

    monkeypatch.setattr("goalsheet.pipeline.run_plan", fake_run_plan)
    lines = []
    code = batch.run_batch(inbox, outbox, settle=0, echo=lambda *a, **k: lines.append(a[0]))
    assert code == 1
    assert all(batch.TMP_DIR_NAME in str(p) for p in seen)          # never the inbox file itself
    assert (outbox / "good-plan-2026-04.xlsx").read_bytes() == b"plan"
    assert (outbox / "bad-errors.txt").read_text(encoding="utf-8").splitlines()[:3] == [
        'SKUs!F14: price "abc" is not a number', "Sales!C3: month 2025-13 is not a month",
        "warning: Settings!B2: plan_year assumed"]
    assert (outbox / "bad-errors.xlsx").stat().st_size > 0
    assert lines[-1] == "processed 1, failed 1, skipped 0"
    assert sorted(p.name for p in inbox.iterdir()) == [".goalsheet.lock", "failed", "processed"]


def test_a_planner_crash_is_a_failure_not_a_traceback(tmp_path, monkeypatch):
    inbox, outbox = _folders(tmp_path)
    (inbox / "shop.xlsx").write_bytes(b"x")

    def boom(request):
        raise ValueError("something inside broke")

    monkeypatch.setattr("goalsheet.pipeline.run_plan", boom)
    assert batch.run_batch(inbox, outbox, settle=0, echo=lambda *a, **k: None) == 1
    text = (outbox / "shop-errors.txt").read_text()
    assert "ValueError: something inside broke" in text
    assert (inbox / "failed" / "shop.xlsx").exists()


def test_same_stem_twice_in_one_pass_waits(tmp_path, monkeypatch):
    inbox, outbox = _folders(tmp_path)
    (inbox / "shop.ods").write_bytes(b"1")
    (inbox / "shop.xlsx").write_bytes(b"2")

    def fake_run_plan(request):
        request.output.write_bytes(request.input.read_bytes())
        return PlanResult(ok=True, output=request.output, plan=SimpleNamespace(headline=SimpleNamespace(as_of="2026-01")))

    monkeypatch.setattr("goalsheet.pipeline.run_plan", fake_run_plan)
    batch.run_batch(inbox, outbox, settle=0, echo=lambda *a, **k: None)
    assert (outbox / "shop-plan-2026-01.xlsx").read_bytes() == b"1"
    assert (inbox / "shop.xlsx").exists()
    batch.run_batch(inbox, outbox, settle=0, echo=lambda *a, **k: None)
    assert (outbox / "shop-plan-2026-01.xlsx").read_bytes() == b"2"      # the newer one replaces it
    assert sorted(p.name for p in (inbox / "processed").iterdir()) == ["shop.ods", "shop.xlsx"]


def test_outbox_must_not_be_the_inbox(tmp_path):
    assert batch.run_batch(tmp_path, tmp_path, echo=lambda *a, **k: None) == 2


def test_missing_inbox_is_a_usage_error(tmp_path):
    assert batch.run_batch(tmp_path / "nope", tmp_path / "out", echo=lambda *a, **k: None) == 2


def test_idle_run_writes_nothing(tmp_path):
    inbox, outbox = _folders(tmp_path)
    lines = []
    assert batch.run_batch(inbox, outbox, settle=0, echo=lambda *a, **k: lines.append(a[0])) == 0
    assert lines == ["nothing to do"]
    assert list(outbox.iterdir()) == []
    assert [p.name for p in inbox.iterdir()] == [".goalsheet.lock"]


def test_journal_records_are_json_lines(tmp_path):
    journal = batch.Journal(tmp_path / "j.jsonl")
    journal.append({"commit": "c", "input": "店铺.xlsx"})
    assert json.loads(journal.path.read_text(encoding="utf-8")) == {"commit": "c", "input": "店铺.xlsx"}


def test_every_failure_of_a_pass_gets_an_annotated_copy(tmp_path):
    """Two workbooks with a text price in SKUs!F2, planned one after the other in this process:
    both error workbooks are annotated copies (the input's sheets, F2 commented), not only the
    first (importing goalsheet/inputs/annotate.py rebinds `goalsheet.inputs.annotate`)."""
    import openpyxl

    inbox, outbox = _folders(tmp_path)
    golden = Path(__file__).resolve().parents[1] / "golden" / "golden_seller.xlsx"
    for name in ("one.xlsx", "two.xlsx"):
        book = openpyxl.load_workbook(golden)
        book["SKUs"]["F2"] = "abc"
        book.save(inbox / name)
    assert batch.run_batch(inbox, outbox, settle=0, echo=lambda *a, **k: None) == 1
    for stem in ("one", "two"):
        assert (outbox / f"{stem}-errors.txt").read_text().splitlines() == ['SKUs!F2: price "abc" is not a number']
        annotated = openpyxl.load_workbook(outbox / f"{stem}-errors.xlsx")
        assert "abc" in annotated["SKUs"]["F2"].comment.text


def test_a_failing_outbox_is_one_line_and_exit_2(tmp_path, monkeypatch):
    """The rename into the outbox fails (disk full, a same-named plan open in Excel on Windows):
    one error line, exit 2, the input stays in the inbox, and the next run finishes the commit."""
    inbox, outbox = _folders(tmp_path)
    (inbox / "shop.xlsx").write_bytes(b"x")

    def fake_run_plan(request):
        request.output.write_bytes(b"plan")
        return PlanResult(ok=True, output=request.output, plan=SimpleNamespace(headline=SimpleNamespace(as_of="2026-02")))

    monkeypatch.setattr("goalsheet.pipeline.run_plan", fake_run_plan)
    real_replace = os.replace

    def refuse(src, dst):
        raise PermissionError(13, "The process cannot access the file", str(dst))

    monkeypatch.setattr(os, "replace", refuse)
    lines = []
    assert batch.run_batch(inbox, outbox, settle=0, echo=lambda *a, **k: lines.append(a[0])) == 2
    assert any(line.startswith("error: ") for line in lines)
    assert (inbox / "shop.xlsx").exists() and not (outbox / "shop-plan-2026-02.xlsx").exists()

    monkeypatch.setattr(os, "replace", real_replace)
    monkeypatch.setattr("goalsheet.pipeline.run_plan", lambda request: pytest.fail("planned twice"))
    assert batch.run_batch(inbox, outbox, settle=0, echo=lambda *a, **k: None) == 0
    assert (outbox / "shop-plan-2026-02.xlsx").read_bytes() == b"plan"
    assert (inbox / "processed" / "shop.xlsx").exists()


def test_the_error_copy_of_an_xlsm_opens_as_xlsx(tmp_path):
    """`macro.xlsm` with a text price: `macro-errors.xlsx` must be a plain workbook (Excel refuses
    an .xlsx whose content type says macro-enabled), still with the comment on SKUs!F2."""
    import zipfile

    import openpyxl

    inbox, outbox = _folders(tmp_path)
    book = openpyxl.load_workbook(Path(__file__).resolve().parents[1] / "golden" / "golden_seller.xlsx")
    book["SKUs"]["F2"] = "abc"
    book.save(inbox / "macro.xlsm")
    assert batch.run_batch(inbox, outbox, settle=0, echo=lambda *a, **k: None) == 1
    with zipfile.ZipFile(outbox / "macro-errors.xlsx") as z:
        assert b"macroEnabled" not in z.read("[Content_Types].xml")
    assert "abc" in openpyxl.load_workbook(outbox / "macro-errors.xlsx")["SKUs"]["F2"].comment.text


def test_cli_run_command(tmp_path):
    """The click command: an idle inbox exits 0 with 'nothing to do'; outbox = inbox exits 2."""
    from click.testing import CliRunner

    from goalsheet.cli import cli

    inbox, outbox = _folders(tmp_path)
    idle = CliRunner().invoke(cli, ["run", "--inbox", str(inbox), "--outbox", str(outbox)])
    assert idle.exit_code == 0 and "nothing to do" in idle.output
    same = CliRunner().invoke(cli, ["run", "--inbox", str(inbox), "--outbox", str(inbox)])
    assert same.exit_code == 2
