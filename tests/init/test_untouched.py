"""The book `goalsheet init` writes plans nothing until the seller fills it in (issue 15, `init` traps).

- Untouched, `check` and `plan` fail and list what to fill, each at its cell: Settings' cash_available (its
  value cell, blank), the SKUs and Sales sheets (their first row under the example).  Nothing is written.
- Filled with only what is required (cash, one SKU, two years of its sales, the USD rate its US store needs)
  it plans, with the example rows still in every sheet.
- The example rows change nothing: the plan with them and the plan with them deleted are equal.
- A marked example row the seller edited is skipped with a warning at its first cell; an example whose mark
  was typed over is data.
"""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from goalsheet.cli import cli
from goalsheet.inputs import load, schema
from goalsheet.inputs.blank import write_blank
from goalsheet.plan import make_plan

NAMES = {"en": {"Settings": "Settings", "Sales": "Sales", "SKUs": "SKUs", "FX": "FX", "Team": "Team",
                "cash": "cash_available"},
         "zh": {"Settings": "设置", "Sales": "销售", "SKUs": "产品", "FX": "汇率", "Team": "团队", "cash": "可用资金"}}


def cash_row(ws, lang: str) -> int:
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == NAMES[lang]["cash"])


def untouched(tmp_path: Path, lang: str) -> Path:
    path = tmp_path / f"new_{lang}.xlsx"
    write_blank(path, lang=lang)
    return path


def fill_required(path: Path, lang: str) -> Path:
    """Fill in what the book requires, leaving every example row where it is: cash 2 000 000; SKU A1 of store
    Shop at 25 USD (cogs 40 CNY, freight 5, referral 15 %, FBA 5); 100 units and 2 500 USD a month (250 of ads)
    for 2025-01 .. 2026-12; USD at 7.0."""
    n = NAMES[lang]
    wb = openpyxl.load_workbook(path)
    settings = wb[n["Settings"]]
    settings.cell(cash_row(settings, lang), 2).value = 2_000_000
    for j, v in enumerate(["Shop", "A1", None, None, None, 25, 40, 5, 0, 0.15, 5], start=1):
        wb[n["SKUs"]].cell(3, j).value = v
    for i in range(24):
        month = f"{2025 + i // 12}-{i % 12 + 1:02d}"
        for j, v in enumerate([month, "Shop", "A1", 100, 2500, 250], start=1):
            wb[n["Sales"]].cell(3 + i, j).value = v
    wb[n["FX"]]["A3"], wb[n["FX"]]["B3"] = "USD", 7.0
    wb.save(path)
    return path


def without_examples(path: Path, out: Path) -> Path:
    """The same book with each table's example row (row 2) deleted."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        first = ws["A2"].value
        if schema.example_mark(first) is not None:
            ws.delete_rows(2)
    wb.save(out)
    return out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_untouched_book_plans_nothing_and_lists_what_to_fill_by_cell(tmp_path, lang):
    """By hand: the cash_available value cell (B12: header, section title, 8 target keys, section title, then
    cash_available), the first SKUs row and the first Sales row under the example (A3).  Three errors, no plan."""
    path = untouched(tmp_path, lang)
    n = NAMES[lang]
    assert cash_row(openpyxl.load_workbook(path)[n["Settings"]], lang) == 12
    book, problems = load(path)
    assert book is None
    errors = sorted((p.sheet, p.cell, p.code) for p in problems if p.severity == "error")
    assert errors == sorted([(n["Settings"], "B12", "setting_blank"), (n["SKUs"], "A3", "sheet_no_rows"),
                             (n["Sales"], "A3", "sales_no_rows")])
    checked = CliRunner().invoke(cli, ["check", str(path)])
    assert checked.exit_code == 1
    lines = checked.output.splitlines()
    if lang == "en":
        assert "Settings!B12: cash_available (可用资金) is blank: cash the business can put in; fill in its value" in lines
        assert "Sales!A3: the Sales sheet has no rows of data under its header: fill in the sales history from this " \
               "row" in lines
        assert any(line.startswith("SKUs!A3: the SKUs sheet has no rows of data") for line in lines)
    else:
        assert "设置!B12：可用资金（cash_available）未填写：企业可投入的资金；请填写其值" in lines
        assert "销售!A3：销售表的表头下没有数据行：请从此行开始填写销售历史" in lines
        assert "产品!A3：工作表“产品”的表头下没有数据行：请从此行开始填写" in lines
    out = tmp_path / "plan.xlsx"
    planned = CliRunner().invoke(cli, ["plan", str(path), "-o", str(out)])
    assert planned.exit_code == 1 and not out.exists()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_book_filled_with_only_the_required_values_plans(tmp_path, lang):
    """The examples stay in every sheet; the plan is of plan_year as written (init's), of store Shop only, with
    the default bonus scheme (the example Bonus row is skipped) and no Team, launches or expenses from the
    examples."""
    path = fill_required(untouched(tmp_path, lang), lang)
    book, problems = load(path)
    assert book is not None, [str(p) for p in problems if p.severity == "error"]
    assert book.sales["store"].unique().tolist() == ["Shop"] and len(book.sales) == 24
    assert book.skus["sku"].tolist() == ["A1"]
    assert book.team.empty and book.launches.empty and book.expenses.empty and book.bonus.empty
    assert book.fx["USD"] == 7.0 and book.settings["cash_available"] == 2_000_000
    assert not any(p.code == "example_row_edited" for p in problems)
    plan, _ = make_plan(book)
    assert plan.headline.target_sales > 0
    assert "example_rows_left" not in [w.code for w in plan.warnings]
    out = tmp_path / "plan.xlsx"
    planned = CliRunner().invoke(cli, ["plan", str(path), "-o", str(out)])
    assert planned.exit_code == 0, planned.output
    assert out.exists()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_leaving_the_example_rows_in_changes_nothing(tmp_path, lang):
    """The filled book planned with its example rows and with them deleted: the same headline, the same tables,
    the same warnings.  (The example Bonus row would pay 0.5 at 80-100 %; the example Team row a salary of
    9 000: neither reaches the plan.)"""
    with_examples = fill_required(untouched(tmp_path, lang), lang)
    bare = without_examples(with_examples, tmp_path / f"bare_{lang}.xlsx")
    assert openpyxl.load_workbook(bare)[NAMES[lang]["Team"]].max_row == 1     # the examples are gone
    plans = []
    for path in (with_examples, bare):
        book, problems = load(path)
        assert book is not None, problems
        plans.append(make_plan(book)[0])
    a, b = plans
    assert a.headline == b.headline
    assert a.tables.keys() == b.tables.keys()
    for name in a.tables:
        pd.testing.assert_frame_equal(_about_the_plan(a, name), _about_the_plan(b, name), obj=name)
    assert [(w.sheet, w.cell, w.code) for w in a.warnings] == [(w.sheet, w.cell, w.code) for w in b.warnings]


def _about_the_plan(plan, name: str) -> pd.DataFrame:
    """A table of the plan without what names the run (the Assumptions rows of the input's file name, its hash
    and the time of the run)."""
    frame = plan.tables[name]
    if name != "assumptions":
        return frame
    run = frame["value"].isin([plan.source_name, plan.source_sha256]) | frame["value"].astype(str).str.fullmatch(
        r"\d{4}-\d\d-\d\dT[\d:]+")
    assert run.sum() == 3
    return frame[~run].reset_index(drop=True)


def test_an_edited_example_row_is_skipped_with_a_warning_at_its_mark(tmp_path):
    """SKUs row 2 still starts with "e.g." but its price was changed to 30: skipped (the book has one SKU,
    A1), with a warning at SKUs!A2 saying to remove the mark."""
    path = fill_required(untouched(tmp_path, "en"), "en")
    wb = openpyxl.load_workbook(path)
    wb["SKUs"]["F2"] = 30
    wb.save(path)
    book, problems = load(path)
    assert book is not None
    assert book.skus["sku"].tolist() == ["A1"]
    edited = [p for p in problems if p.code == "example_row_edited"]
    assert [(p.sheet, p.cell, p.severity) for p in edited] == [("SKUs", "A2", "warning")]
    assert "e.g." in edited[0].message and "remove the mark" in edited[0].message
    assert "例：" in edited[0].text("zh") or "e.g." in edited[0].text("zh")


def test_an_example_typed_over_is_data(tmp_path):
    """Team row 2 with its mark typed over ("Wang Fang", 9 000, 24 000) is a team member."""
    path = fill_required(untouched(tmp_path, "en"), "en")
    wb = openpyxl.load_workbook(path)
    wb["Team"]["A2"] = "Wang Fang"
    wb.save(path)
    book, problems = load(path)
    assert book is not None, problems
    assert book.team[["operator", "base_salary", "bonus_base"]].values.tolist() == [["Wang Fang", 9000, 24000]]


@pytest.mark.parametrize("value, marked", [("e.g. 2025-01", True), ("E.G. My Store", True), ("例：年度", True),
                                           ("例:年度", True), ("  e.g.USD", True), ("示例：店铺", True),
                                           ("eg: x", True), ("2025-01", False), ("例外旗舰店", False),
                                           ("Egg store", False), (12, False), (None, False)])
def test_the_example_mark(value, marked):
    """The mark in any case or width, leading spaces aside; a store named 例外旗舰店 or Egg store is not marked."""
    assert (schema.example_mark(value) is not None) == marked
