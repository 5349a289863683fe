"""A `--baseline` whose hidden plan sheet was edited, forged or is missing, and a `--template` that is no workbook:
one line naming the file, exit 1, nothing written (goalsheet/report/workbook.py read_embedded_plan, load_template)."""
from __future__ import annotations

import hashlib
import json
import shutil
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from clirun import GOLDEN, invoke, lines, listing  # noqa: E402

from goalsheet.report.workbook import CHUNK, EMBED_SHEET, default_template  # noqa: E402


@pytest.fixture(scope="module")
def earlier_plan(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("earlier")
    code, out, err = invoke("plan", GOLDEN, "-o", folder / "plan.xlsx")
    assert code == 0, err
    return folder / "plan.xlsx"


def _plan_text(path: Path) -> str:
    ws = openpyxl.load_workbook(path)[EMBED_SHEET]
    return "".join(str(row[0]) for row in ws.iter_rows(min_row=2, max_col=1, values_only=True) if row[0])


def _with_plan_sheet(source: Path, target: Path, text: str, *, sha: str | None = None) -> Path:
    """`source` with its hidden plan sheet holding `text` (and the SHA-256 of it unless `sha` is given): what a
    person editing the sheet in Excel, or forging it, would leave."""
    wb = openpyxl.load_workbook(source)
    ws = wb[EMBED_SHEET]
    ws.delete_rows(2, ws.max_row)
    chunks = [text[i:i + CHUNK] for i in range(0, len(text), CHUNK)] or [""]
    ws["B1"] = len(chunks)
    ws["C1"] = sha if sha is not None else hashlib.sha256(text.encode("utf-8")).hexdigest()
    for i, chunk in enumerate(chunks, start=2):
        ws.cell(row=i, column=1, value=chunk)
    wb.save(target)
    return target


def _forged(earlier_plan: Path, tmp_path: Path, edit) -> Path:
    plan = json.loads(_plan_text(earlier_plan))
    edit(plan)
    return _with_plan_sheet(earlier_plan, tmp_path / "forged.xlsx", json.dumps(plan))


def _assert_refused_in_one_line(tmp_path: Path, *args, words: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    code, stdout, stderr = invoke("plan", GOLDEN, "-o", out / "p.xlsx", "--json", out / "p.json", *args)
    assert code == 1, stderr
    assert "Traceback" not in stdout + stderr
    last = lines(stderr)[-1]
    assert words in last
    assert [line for line in lines(stderr) if not line.startswith("warning: ")] == [last]
    assert listing(out) == {}


def test_an_edited_plan_sheet_is_one_line(earlier_plan, tmp_path):
    text = _plan_text(earlier_plan)
    edited = text.replace('"gs_target_sales":', '"gs_target_sales":1', 1)
    baseline = _with_plan_sheet(earlier_plan, tmp_path / "edited.xlsx", edited, sha=hashlib.sha256(
        text.encode()).hexdigest())
    _assert_refused_in_one_line(tmp_path, "--baseline", baseline, words="holds no goalsheet plan")


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", '{"goalsheet_plan": 2}', ""])
def test_a_plan_sheet_that_is_no_plan_is_one_line(earlier_plan, tmp_path, text):
    baseline = _with_plan_sheet(earlier_plan, tmp_path / "forged.xlsx", text)
    _assert_refused_in_one_line(tmp_path, "--baseline", baseline, words="holds no goalsheet plan")


@pytest.mark.parametrize("edit", [
    lambda p: p["tables"].update(monthly="not a table"),
    lambda p: p["tables"]["monthly"].update(rows=10 ** 12, columns=[], values=[]),
    lambda p: p["tables"]["monthly"]["values"][0].append(1),
    lambda p: p["headline"].update(gs_target_sales={"nested": 1}),
    lambda p: p.update(frozen=[]),
], ids=["table not a table", "huge row count", "ragged column", "nested headline", "frozen not an object"])
def test_a_forged_plan_of_the_wrong_shape_is_one_line(earlier_plan, tmp_path, edit):
    baseline = _forged(earlier_plan, tmp_path, edit)
    _assert_refused_in_one_line(tmp_path, "--baseline", baseline, words="holds no goalsheet plan")


def test_a_well_formed_plan_with_text_for_a_figure_is_one_line(earlier_plan, tmp_path):
    """Shaped like a plan (its SHA-256 made to match), but text for its target: the plan cannot use it."""
    def spoil(plan):
        plan["headline"]["gs_target_sales"] = "abc"
    baseline = _forged(earlier_plan, tmp_path, spoil)
    _assert_refused_in_one_line(tmp_path, "--baseline", baseline, words="cannot be used as a baseline")


@pytest.mark.parametrize("kind", ["the seller's workbook", "not a zip"])
def test_a_baseline_that_is_no_plan_workbook_is_one_line(tmp_path, kind):
    baseline = tmp_path / "b.xlsx"
    if kind == "not a zip":
        baseline.write_bytes(b"just text")
    else:
        shutil.copyfile(GOLDEN, baseline)
    _assert_refused_in_one_line(tmp_path, "--baseline", baseline, words="holds no goalsheet plan")


def _broken_template(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / "t.xlsx"
    good = default_template("en").read_bytes()
    if kind == "not a zip":
        path.write_bytes(b"hello, I am not a workbook")
    elif kind == "truncated":
        path.write_bytes(good[: len(good) // 2])
    elif kind == "a zip of something else":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("readme.txt", "hello")
    elif kind == "damaged xml":
        with zipfile.ZipFile(default_template("en")) as src, zipfile.ZipFile(path, "w") as z:
            for item in src.infolist():
                data = src.read(item.filename)
                z.writestr(item, data[: len(data) // 2] if item.filename == "xl/workbook.xml" else data)
    return path


@pytest.mark.parametrize("kind", ["not a zip", "truncated", "a zip of something else", "damaged xml"])
def test_a_template_that_is_no_workbook_is_one_line(tmp_path, kind):
    template = _broken_template(tmp_path, kind)
    _assert_refused_in_one_line(tmp_path, "--template", template, words="not a readable .xlsx template")
