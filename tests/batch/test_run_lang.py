"""`goalsheet run --lang`: the console and the log's details in the run's language, the log's other fields and the
console's status tokens the same in every language, and a failed workbook's error report in its own language where
its sheets could be read (else in the run's).  In-process, with a stand-in planner (as test_batch_units.py)."""
from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from goalsheet import batch
from goalsheet.inputs.model import Problem
from goalsheet.pipeline import PlanResult

# time  file  sha256  status  seconds  detail  job: every field but the detail is fixed
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d\t(?P<file>[^\t]+)\t[0-9a-f]{64}\t"
                      r"(?P<status>ok|failed|retry|set-aside)\t\d+\.\d\ds\t(?P<detail>[^\t]*)\tjob-[0-9a-z]+$")
# what a Chinese line may hold besides Chinese: file names (stripped first), digits and punctuation, no letters
NO_LATIN = re.compile(r"^[^A-Za-z]*$")


def _no_sales() -> Problem:
    """`Sales: the Sales sheet has no rows of data`, said in either language (销售：销售表没有数据行)."""
    return Problem("Sales", "", code="sales_no_data")


def fake_run_plan(request):
    """good*: a plan as of 2026-04; known.xlsx: an English workbook with an error; unknown.xlsx: a file whose
    sheets could not be read (its language unknown)."""
    name = request.input.name
    if name.startswith("good"):
        request.output.write_bytes(b"plan")
        return PlanResult(ok=True, output=request.output, lang="en", input_lang="en",
                          plan=SimpleNamespace(headline=SimpleNamespace(as_of="2026-04")))
    if name.startswith("known"):
        return PlanResult(ok=False, problems=[_no_sales()], lang="en", input_lang="en")
    return PlanResult(ok=False, problems=[_no_sales()], lang="en", input_lang=None)


def _inbox_with_a_killed_commit(tmp_path: Path) -> tuple[Path, Path]:
    """good.xlsx, known.xlsx and unknown.xlsx to plan, and shop.xlsx committed by a killed run (its plan
    already in the outbox, the input still in the inbox): this run finishes it."""
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    outbox.mkdir()
    for name in ("good.xlsx", "known.xlsx", "unknown.xlsx", "shop.xlsx"):
        (inbox / name).write_bytes(name.encode())
    root = batch.work_root_for(inbox, outbox)
    (root / "job-x").mkdir(parents=True)
    (outbox / "shop-plan-2026-10.xlsx").write_bytes(b"plan")
    batch.Journal(root / batch.JOURNAL_NAME).append(
        {"commit": "job-0killed", "input": "shop.xlsx", "sha256": batch.sha256_of(inbox / "shop.xlsx"),
         "result": "ok", "files": [[str(root / "job-x" / "plan.xlsx"), "shop-plan-2026-10.xlsx"]],
         "dest": str(inbox / "processed"), "detail": "shop-plan-2026-10.xlsx", "seconds": 1.5})
    return inbox, outbox


def _run(tmp_path, monkeypatch, lang):
    inbox, outbox = _inbox_with_a_killed_commit(tmp_path)
    monkeypatch.setattr("goalsheet.pipeline.run_plan", fake_run_plan)
    lines: list[str] = []
    code = batch.run_batch(inbox, outbox, settle=0, lang=lang,
                           echo=lambda message="", err=False, **k: lines.append(str(message)))
    # the killed commit is finished before the pass: shop.xlsx is not in the inbox to be planned again
    log = (outbox / "goalsheet-run.log").read_text(encoding="utf-8").splitlines()
    return code, lines, log, inbox, outbox


FILE_NAMES = re.compile(r"[\w.-]+\.(?:xlsx|txt)|failed/")


def test_a_zh_run_logs_and_says_no_english(tmp_path, monkeypatch):
    code, lines, log, inbox, outbox = _run(tmp_path, monkeypatch, "zh")
    assert code == 1
    assert len(log) == 4
    fields = {}
    for line in log:
        match = LOG_LINE.match(line)
        assert match, line
        fields[match["file"]] = (match["status"], match["detail"])
        assert NO_LATIN.match(FILE_NAMES.sub("", match["detail"])), line
    assert fields == {"shop.xlsx": ("ok", "shop-plan-2026-10.xlsx（中断的运行留下的工作，现已完成）"),
                      "good.xlsx": ("ok", "good-plan-2026-04.xlsx"),
                      "known.xlsx": ("failed", "1 个错误"), "unknown.xlsx": ("failed", "1 个错误")}
    # the console: a fixed token first, then Chinese (file names and numbers aside)
    tokens = re.compile(r"^(ok {6}|FAILED {2}|recovered | {8})|(?<![A-Za-z])(ok|failed)(?![A-Za-z])")
    for line in lines:
        assert NO_LATIN.match(tokens.sub("", FILE_NAMES.sub("", line))), line
    assert lines[0] == "recovered shop.xlsx：ok，shop-plan-2026-10.xlsx"
    assert lines[1].startswith("ok      good.xlsx -> good-plan-2026-04.xlsx（用时 ")
    assert "FAILED  known.xlsx：1 个错误 -> known-errors.txt, known-errors.xlsx；输入已移至 failed/known.xlsx" in lines
    assert "        销售：销售表没有数据行" in lines
    assert lines[-1] == "已处理 2 个，失败 2 个，跳过 0 个，恢复 1 个"


def test_an_en_run_says_what_it_said_before(tmp_path, monkeypatch):
    """The English words are those of the run before --lang: each line written out here by hand."""
    code, lines, log, inbox, outbox = _run(tmp_path, monkeypatch, "en")
    assert code == 1
    details = {}
    for line in log:
        match = LOG_LINE.match(line)
        assert match, line
        details[match["file"]] = (match["status"], match["detail"])
    assert details == {"shop.xlsx": ("ok", "shop-plan-2026-10.xlsx (finished after an interrupted run)"),
                       "good.xlsx": ("ok", "good-plan-2026-04.xlsx"),
                       "known.xlsx": ("failed", "1 error(s)"), "unknown.xlsx": ("failed", "1 error(s)")}
    assert lines[0] == "recovered shop.xlsx: ok, shop-plan-2026-10.xlsx"
    assert re.fullmatch(r"ok      good\.xlsx -> good-plan-2026-04\.xlsx \(\d+\.\d s\)", lines[1]), lines[1]
    assert "FAILED  known.xlsx: 1 error(s) -> known-errors.txt, known-errors.xlsx; input moved to failed/known.xlsx" \
        in lines
    assert '        Sales: the Sales sheet has no rows of data' in lines
    assert lines[-1] == "processed 2, failed 2, skipped 0, recovered 1"
    assert (outbox / "unknown-errors.txt").read_text(encoding="utf-8") == 'Sales: the Sales sheet has no rows of data\n'


def test_the_error_report_is_in_the_workbooks_language_where_known(tmp_path, monkeypatch):
    """A zh run: known.xlsx, an English workbook, gets its report in English; unknown.xlsx, whose sheets could not
    be read, in the run's Chinese."""
    _run(tmp_path, monkeypatch, "zh")
    outbox = tmp_path / "out"
    assert (outbox / "known-errors.txt").read_text(encoding="utf-8") == 'Sales: the Sales sheet has no rows of data\n'
    assert (outbox / "unknown-errors.txt").read_text(encoding="utf-8") == "销售：销售表没有数据行\n"


def test_a_stopped_worker_is_reported_in_the_runs_language(tmp_path, monkeypatch):
    """A workbook that hangs, in a zh run with a 1 s time budget: its report (the workbook's language is not
    known: the reader never finished) says why in Chinese, in errors.txt and in the problem-list workbook."""
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    (inbox / "hang.xlsx").write_bytes(b"x")

    def hang(request):
        import time
        time.sleep(3600)

    monkeypatch.setattr("goalsheet.pipeline.run_plan", hang)
    lines: list[str] = []
    code = batch.run_batch(inbox, outbox, settle=0, lang="zh", budget=batch.Budget(seconds=1),
                           echo=lambda message="", err=False, **k: lines.append(str(message)))
    assert code == 1
    reason = "计划已中止：该工作簿用时超过 1 秒（时间预算，--time-budget）"
    assert (outbox / "hang-errors.txt").read_text(encoding="utf-8").splitlines() == [
        "文件：" + reason, "说明：已将该工作簿搁置，以便计划收件文件夹中的其他工作簿"]
    sheet = openpyxl.load_workbook(outbox / "hang-errors.xlsx").active
    rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert sheet.title == "问题"
    assert rows[:3] == [["hang.xlsx 中发现的问题"], ["位置", "问题"], ["文件", reason]]
    [logged] = (outbox / "goalsheet-run.log").read_text(encoding="utf-8").splitlines()
    assert logged.split("\t")[3:6:2] == ["failed", reason]


def test_a_zh_run_says_its_usage_problems_in_chinese(tmp_path):
    lines: list[str] = []
    echo = lambda message="", err=False, **k: lines.append(("stderr: " if err else "") + str(message))  # noqa: E731
    assert batch.run_batch(tmp_path, tmp_path, lang="zh", echo=echo) == 2
    assert lines == ["stderr: 错误：--outbox 不能是收件文件夹（计划会被当作新的输入）"]
    (tmp_path / "in").mkdir()
    lines.clear()
    assert batch.run_batch(tmp_path / "in", tmp_path / "out", lang="zh", echo=echo) == 0
    assert lines == ["没有需要处理的工作簿"]


@pytest.mark.parametrize("lang, idle", [("en", "nothing to do"), ("zh", "没有需要处理的工作簿")])
def test_cli_run_lang(tmp_path, lang, idle):
    from click.testing import CliRunner

    from goalsheet.cli import cli

    (tmp_path / "in").mkdir()
    result = CliRunner().invoke(cli, ["run", "--inbox", str(tmp_path / "in"), "--outbox", str(tmp_path / "out"),
                                      "--lang", lang])
    assert result.exit_code == 0 and result.output == idle + "\n"
    help_text = CliRunner().invoke(cli, ["run", "--help"]).output
    assert re.search(r"--lang \[zh\|en\].*\[default:\s+en\]", " ".join(help_text.split())), help_text
    assert "--lang zh" in help_text


def test_the_planner_tells_the_inputs_language_only_when_it_can(tmp_path):
    """What the batch's error report follows: a file that is no workbook has no language (None); the Chinese
    sample without its Sales sheet (销售) is not planned, yet its other sheets say it is Chinese."""
    from goalsheet.pipeline import PlanRequest, run_plan

    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    result = run_plan(PlanRequest(input=junk, output=tmp_path / "junk-plan.xlsx"))
    assert not result.ok and result.input_lang is None
    book = openpyxl.load_workbook(Path(__file__).resolve().parents[2] / "sample_workbooks" / "demo_seller_zh.xlsx")
    del book["销售"]
    book.save(tmp_path / "no-sales.xlsx")
    result = run_plan(PlanRequest(input=tmp_path / "no-sales.xlsx", output=tmp_path / "no-sales-plan.xlsx"))
    assert not result.ok and result.input_lang == "zh"
