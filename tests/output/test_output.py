"""The plan workbook (SPEC section 4): figures read back, totals, defined names, marks, embedded plan, safety."""
from __future__ import annotations

import json
import math
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from goalsheet.report.layout import HEADLINE, LAYOUT, LAYOUT_BY_KEY
from goalsheet.report.words import display_value, SUMMARY_EN, SUMMARY_ZH
from goalsheet.report.workbook import (custom_properties, default_template, is_goalsheet_output, plan_json_text,
                                       read_embedded_plan, write_plan_workbook)

sys.path.insert(0, str(Path(__file__).parent))
from readback import load, name_target, named_table, named_value, total_row  # noqa: E402
from sample_plan import MONTHLY_TARGETS, MONTHS, sample_plan  # noqa: E402

SPEC_HEADERS = {   # SPEC section 4: "English headers that tools may rely on"
    "monthly": ["Month", "Target sales", "Existing products", "New products", "Target net profit",
                "Actual sales", "Variance", "Attainment", "Reforecast"],
    "stores": ["Store", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
               "Total"],
    "operators": ["Operator", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
                  "Total"],
    "profit": ["Store", "SKU", "Price", "Net profit per unit", "Net margin"],
    "bonus": ["Operator", "Period", "Target", "Bonus at 100%"],
}
SHEETS = {"en": ["Summary", "Monthly", "Stores", "Coverage", "Operators", "Products", "Profit", "Launches", "Cash",
                 "Purchases", "Bonus", "Tracking", "Orders", "Scenarios", "Assumptions", "Checks"],
          "zh": ["总览", "月度目标", "店铺目标", "缺口覆盖", "运营目标", "老品分析", "利润测算", "新品计划", "资金计划",
                 "采购计划", "绩效奖金", "跟踪", "采购订单", "情景", "假设", "校验"]}


@pytest.fixture(scope="module", params=["en", "zh"])
def written(request, tmp_path_factory):
    plan = sample_plan()
    path = tmp_path_factory.mktemp(f"out_{request.param}") / "plan.xlsx"
    write_plan_workbook(plan, path, lang=request.param)
    return request.param, plan, path


def _month(value) -> str:
    return value.strftime("%Y-%m") if hasattr(value, "strftime") else str(value)


def test_every_sheet_of_spec_4_in_order(written):
    lang, _plan, path = written
    wb = load(path)
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert visible == SHEETS[lang]
    assert wb["_goalsheet_plan"].sheet_state == "veryHidden"


def test_monthly_read_back_equals_plan_json(written):
    """The Monthly table, read back by its defined name with cached values only, gives the plan's figures:
    twelve months 2026-01..2026-12, January's target 371 896.94 (the golden figure), and so on."""
    _lang, plan, path = written
    wb = load(path)
    headers, rows, _ = named_table(wb, "gs_monthly")
    layout = LAYOUT_BY_KEY["monthly"]
    assert len(rows) == 12
    records = plan.to_json()["tables"]["monthly"]
    for row, record in zip(rows, records):
        assert _month(row[0]) == record["month"]
        for col, value in zip(layout.columns[1:], row[1:]):
            expected = record.get(col.key)
            assert value == expected, (col.key, record["month"], value, expected)
    assert rows[0][1] == 371896.94


def test_pandas_reads_the_monthly_sheet(written):
    lang, _plan, path = written
    wb = load(path)
    sheet, ref = name_target(wb, "gs_monthly")
    header_row = int("".join(ch for ch in ref.split(":")[0] if ch.isdigit()))
    df = pd.read_excel(path, sheet_name=sheet, skiprows=header_row - 1, nrows=12, engine="calamine")
    col = "Target sales" if lang == "en" else LAYOUT_BY_KEY["monthly"].columns[1].zh
    assert df[col].tolist() == MONTHLY_TARGETS
    assert round(df[col].sum(), 2) == 6402588.12


def test_headline_defined_names_point_at_the_figures(written):
    _lang, plan, path = written
    wb = load(path)
    for key, *_ in HEADLINE:
        name = f"gs_{key}"
        assert name in wb.defined_names, name
        value = named_value(wb, name)
        expected = getattr(plan.headline, key)
        assert value == expected, (name, value, expected)
    assert named_value(wb, "gs_funding_feasible") is True
    assert named_value(wb, "gs_target_sales") == 6402588.12


def test_table_names_cover_header_and_rows(written):
    """Each gs_<table> spans the header row and exactly the table's rows (an empty table: one blank row)."""
    lang, plan, path = written
    wb = load(path)
    for layout in LAYOUT:
        headers, rows, _ = named_table(wb, f"gs_{layout.key}")
        assert headers == [c.zh if lang == "zh" else c.en for c in layout.columns], layout.key
        n = len(plan.tables.get(layout.key, ()))
        if layout.key == "operators":
            n = plan.tables["operators"]["operator"].nunique()
        assert len(rows) == max(n, 1) if n == 0 else len(rows) == n, (layout.key, len(rows), n)


def test_spec_headers_present(written):
    """SPEC 4's English headers in the English workbook; their Chinese equivalents in the Chinese one."""
    lang, _plan, path = written
    wb = load(path)
    for key, wanted in SPEC_HEADERS.items():
        headers, _rows, _ = named_table(wb, f"gs_{key}")
        if lang == "zh":
            by_en = {c.en: c.zh for c in LAYOUT_BY_KEY[key].columns}
            wanted = [by_en[h] for h in wanted]
        for h in wanted:
            assert h in headers, (key, h)


def test_stores_wide_rows_and_totals(written):
    """Acme DE's row: January 169 347.51 … December 383 188.67, total 2 915 491.53 (golden README example 3);
    the column totals add up to the company's 6 402 588.12."""
    _lang, _plan, path = written
    wb = load(path)
    _headers, rows, _ = named_table(wb, "gs_stores")
    de = next(r for r in rows if r[0] == "Acme DE")
    assert de[1] == 169347.51 and de[12] == 383188.67
    assert round(de[13], 2) == 2915491.53
    totals = total_row(wb, "gs_stores")
    assert round(totals[13], 2) == 6402588.12
    assert [round(t, 2) for t in totals[1:13]] == MONTHLY_TARGETS


def test_operators_long_form_is_pivoted(written):
    _lang, _plan, path = written
    wb = load(path)
    _headers, rows, _ = named_table(wb, "gs_operators")
    assert [r[0] for r in rows] == ["Wang Fang", "Chen Jie"]
    assert round(rows[1][13], 2) == 2915491.53
    assert round(rows[0][13], 2) == 3487096.59


def test_every_total_is_the_sum_of_its_parts(written):
    _lang, _plan, path = written
    assert_totals_and_cached_values(path)


def assert_totals_and_cached_values(path: Path) -> None:
    """Every formula has a cached value; every SUM total under a table equals the sum of the rows above."""
    formulas, wb = openpyxl.load_workbook(path), load(path)
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    assert wb[ws.title][cell.coordinate].value is not None, f"{ws.title}!{cell.coordinate}"
    for layout in LAYOUT:
        if not any(c.total for c in layout.columns):
            continue
        _headers, rows, _ = named_table(wb, f"gs_{layout.key}")
        totals = total_row(wb, f"gs_{layout.key}")
        for j, col in enumerate(layout.columns):
            if not col.total:
                continue
            # the Bonus table's own per-operator Total rows are not parts of its grand total
            parts = sum(r[j] for r in rows if isinstance(r[j], (int, float))
                        and not (layout.key == "bonus" and r[1] in ("Total", "合计")))
            assert totals[j] is not None, (layout.key, col.key)
            assert math.isclose(totals[j], parts, abs_tol=1e-6), (layout.key, col.key, totals[j], parts)
        if layout.wide_months:      # each store's / operator's Total is its twelve months
            j = [c.key for c in layout.columns].index("total")
            for r in rows + [totals]:
                assert math.isclose(r[j], sum(r[1:13]), abs_tol=1e-6), (layout.key, r[0])


def test_every_formula_has_a_cached_value(written):
    _lang, _plan, path = written
    formulas = openpyxl.load_workbook(path)
    values = load(path)
    count = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    count += 1
                    assert values[ws.title][cell.coordinate].value is not None, f"{ws.title}!{cell.coordinate}"
    assert count > 20


def test_marked_as_goalsheet_output(written):
    _lang, plan, path = written
    props = custom_properties(path)
    assert props["goalsheet"]
    import hashlib
    assert props["goalsheet_plan_sha256"] == hashlib.sha256(plan_json_text(plan).encode()).hexdigest()
    assert is_goalsheet_output(path)


def test_embedded_plan_round_trips(written):
    _lang, plan, path = written
    embedded = read_embedded_plan(path)
    assert embedded == json.loads(json.dumps(plan.to_json(), default=str))
    assert embedded["headline"]["gs_target_sales"] == 6402588.12
    assert embedded["tables"]["monthly"][0]["month"] == "2026-01"


def test_no_actuals_reads_sensibly(written):
    lang, _plan, path = written
    wb = load(path)
    tracking = wb[SHEETS[lang][10]]
    texts = " ".join(str(c.value) for row in tracking.iter_rows(max_row=3) for c in row if c.value)
    assert ("No actuals yet" in texts) if lang == "en" else ("暂无实际数据" in texts)
    assert named_value(wb, "gs_as_of") is None


def test_not_goalsheet_output(tmp_path):
    plain = tmp_path / "foreign.xlsx"
    openpyxl.Workbook().save(plain)
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook")
    assert not is_goalsheet_output(plain)
    assert not is_goalsheet_output(text)
    assert not is_goalsheet_output(tmp_path / "missing.xlsx")
    assert read_embedded_plan(plain) is None
    assert read_embedded_plan(text) is None


def test_damaged_embedded_plan_reads_as_none(tmp_path):
    """A plan sheet whose text no longer matches its sha256 is not trusted."""
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(sample_plan(), path)
    wb = openpyxl.load_workbook(path)
    ws = wb["_goalsheet_plan"]
    ws["A2"] = ws["A2"].value.replace("6402588.12", "9999999.99")
    wb.save(path)
    assert read_embedded_plan(path) is None


def test_embedded_plan_survives_an_openpyxl_resave(tmp_path):
    """Opening and saving the workbook (shared strings instead of inline ones) keeps the plan readable."""
    path = tmp_path / "plan.xlsx"
    plan = sample_plan()
    write_plan_workbook(plan, path)
    wb = openpyxl.load_workbook(path)
    wb.save(path)
    assert read_embedded_plan(path)["headline"]["gs_gap"] == 699827.75


def test_large_plan_is_chunked(tmp_path):
    """A plan JSON longer than one cell holds (32 767 characters) is split over several cells and joined back."""
    plan = sample_plan()
    plan.tables["assumptions"] = pd.DataFrame({"setting": [f"key{i}" for i in range(3000)],
                                               "value": ["x" * 20] * 3000, "source": "input", "note": ""})
    assert len(plan_json_text(plan)) > 100_000
    path = tmp_path / "big.xlsx"
    write_plan_workbook(plan, path)
    wb = openpyxl.load_workbook(path, read_only=True)
    assert wb["_goalsheet_plan"]["B1"].value >= 4
    wb.close()
    assert len(read_embedded_plan(path)["tables"]["assumptions"]) == 3000


def test_write_is_atomic_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(sample_plan(), path)
    first = path.read_bytes()
    write_plan_workbook(sample_plan(feasible=False), path)
    assert path.read_bytes() != first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_failed_render_leaves_the_old_file(tmp_path):
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(sample_plan(), path)
    before = path.read_bytes()
    bad = tmp_path / "bad-template.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(Exception):
        write_plan_workbook(sample_plan(), path, template=bad)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad-template.xlsx", "plan.xlsx"]


HOSTILE = ['=HYPERLINK("http://x")', "+1", "@SUM(A1)", "{{ 7*7 }}", "{% for %}", "-2+3", "=1+1"]


@pytest.mark.parametrize("sku", HOSTILE)
def test_hostile_text_stays_text(tmp_path, sku):
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(sample_plan(sku=sku), path)
    wb = openpyxl.load_workbook(path)           # formulas as written, not cached values
    _headers, rows, _ = named_table(wb, "gs_profit")
    cell = next(r[1] for r in rows if r[0] == "Acme US")
    assert cell == sku
    sheet, ref = name_target(wb, "gs_profit")
    ws = wb[sheet]
    hits = [c for row in ws.iter_rows() for c in row if c.value == sku]
    assert hits and all(c.data_type == "s" for c in hits)


def test_default_templates_exist_and_name_everything():
    for lang in ("en", "zh"):
        path = default_template(lang)
        assert path.is_file()
        wb = openpyxl.load_workbook(path)
        assert wb.sheetnames == SHEETS[lang]
        names = set(wb.defined_names)
        for key, *_ in HEADLINE:
            assert f"gs_{key}" in names
        for layout in LAYOUT:
            assert f"gs_{layout.key}" in names
        with zipfile.ZipFile(path) as z:
            charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 6          # monthly, cash, profit, scenarios on their sheets; monthly and cash on
        #                                  Summary
        for ws in wb.worksheets[1:]:
            assert ws.freeze_panes and ws.auto_filter.ref
        cash = LAYOUT_BY_KEY["cash"].zh if lang == "zh" else LAYOUT_BY_KEY["cash"].en
        for ws in wb.worksheets:        # SPEC 4: every sheet A4 landscape (the Summary too), never shrunk to a
            assert ws.page_setup.orientation == "landscape", ws.title        # page below 8 pt (printing.py)
            assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4), ws.title
            assert not ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
            assert int(ws.page_setup.scale) >= 74, ws.title
        # the Cash sheet's 18 columns print on pages across with the months repeated, so they stay legible
        assert wb[cash].print_title_cols.replace("$", "") == "A:A"


def test_template_export_writes_the_default(tmp_path):
    from click.testing import CliRunner

    from goalsheet.cli import cli
    out = tmp_path / "mine.xlsx"
    result = CliRunner().invoke(cli, ["template", "export", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == default_template("en").read_bytes()


def test_plan_refuses_to_overwrite_a_foreign_file(tmp_path):
    """SPEC 1: an existing file goalsheet did not write needs --force (exit 2, the file untouched)."""
    from click.testing import CliRunner

    from goalsheet.cli import cli
    golden = Path(__file__).parents[1] / "golden" / "golden_seller.xlsx"
    foreign = tmp_path / "someone-elses.xlsx"
    openpyxl.Workbook().save(foreign)
    before = foreign.read_bytes()
    result = CliRunner().invoke(cli, ["plan", str(golden), "-o", str(foreign)])
    assert result.exit_code == 2, result.output
    assert "--force" in result.output
    assert foreign.read_bytes() == before


def test_summary_verdict_in_words(tmp_path):
    for feasible, en_word in ((True, "FUNDABLE"), (False, "NOT FUNDABLE")):
        path = tmp_path / f"plan-{feasible}.xlsx"
        write_plan_workbook(sample_plan(feasible=feasible), path)
        wb = load(path)
        words = " ".join(str(c.value) for row in wb[SUMMARY_EN].iter_rows(max_row=6) for c in row if c.value)
        assert en_word in words
        assert ("NOT" in words) is (not feasible)
    path = tmp_path / "zh.xlsx"
    write_plan_workbook(sample_plan(feasible=False), path, lang="zh")
    wb = load(path)
    words = " ".join(str(c.value) for row in wb[SUMMARY_ZH].iter_rows(max_row=6) for c in row if c.value)
    assert "资金不可行" in words


def test_with_actuals(tmp_path):
    """Three closed months: actual = 95 % of target, so January's attainment is 0.95 and the as-of is March."""
    path = tmp_path / "plan.xlsx"
    plan = sample_plan(actuals_through=3)
    write_plan_workbook(plan, path)
    wb = load(path)
    assert named_value(wb, "gs_as_of") == "2026-03"
    assert named_value(wb, "gs_actual_sales_ytd") == plan.headline.actual_sales_ytd
    headers, rows, _ = named_table(wb, "gs_monthly")
    att = headers.index("Attainment")
    assert rows[0][att] == 0.95 and rows[3][att] is None
    _h, tracking, _ = named_table(wb, "gs_tracking")
    assert [r[1] for r in tracking] == MONTHS[:3]


# ---------------------------------------------------------------------------------------------------------------
# A real spreadsheet application: LibreOffice recalculates every formula on load and saves again.
# ---------------------------------------------------------------------------------------------------------------

RECALC_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
</oor:items>
"""


def libreoffice_roundtrip(books: list[Path], out_dir: Path) -> list[Path]:
    """Open each of `books` in LibreOffice headless with recalculation forced on load, save it as .xlsx again
    (one LibreOffice start for them all)."""
    import os
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("GOALSHEET_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("soffice is not on PATH and GOALSHEET_REQUIRE_LIBREOFFICE=1")
        pytest.skip("soffice (LibreOffice) is not on PATH")
    profile = out_dir / "profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_XCU)
    conv = out_dir / "converted"
    conv.mkdir(exist_ok=True)
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(conv), *map(str, books)],
                   check=True, capture_output=True, timeout=300)
    results = [conv / book.name for book in books]
    for result in results:
        assert result.is_file(), f"LibreOffice wrote no {result.name}"
    return results


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """The sample plan with two months of actuals written in English and in Chinese, and each as LibreOffice
    saved it after recalculating every formula: {lang: (ours, theirs)}."""
    tmp = tmp_path_factory.mktemp("libreoffice")
    ours = {lang: tmp / f"plan_{lang}.xlsx" for lang in ("en", "zh")}
    for lang, path in ours.items():
        write_plan_workbook(sample_plan(actuals_through=2), path, lang=lang)
    theirs = libreoffice_roundtrip(list(ours.values()), tmp)
    return {lang: (path, converted) for (lang, path), converted in zip(ours.items(), theirs)}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_libreoffice_recalculates_the_same_figures(recalculated, lang):
    """After LibreOffice recalculates every formula, each total and headline figure is what goalsheet wrote."""
    ours, theirs = recalculated[lang]
    a, b = load(ours), load(theirs)
    for key, *_ in HEADLINE:
        assert named_value(b, f"gs_{key}") == named_value(a, f"gs_{key}"), key
    checked = 0
    for layout in LAYOUT:
        _h, rows_a, _ = named_table(a, f"gs_{layout.key}")
        _h, rows_b, _ = named_table(b, f"gs_{layout.key}")
        assert len(rows_a) == len(rows_b), layout.key
        tot_a, tot_b = total_row(a, f"gs_{layout.key}"), total_row(b, f"gs_{layout.key}")
        for j, col in enumerate(layout.columns):
            if col.total or (layout.wide_months and col.key == "total"):
                for ra, rb in zip(rows_a + [tot_a], rows_b + [tot_b]):
                    if isinstance(ra[j], (int, float)) and not isinstance(ra[j], bool):
                        assert rb[j] == pytest.approx(ra[j], abs=1e-6), (layout.key, col.key)
                        checked += 1
    assert checked > 50
    # The embedded plan survives the application's save.
    assert read_embedded_plan(theirs)["headline"]["gs_target_sales"] == 6402588.12


# ---------------------------------------------------------------------------------------------------------------
# Every table, generically: what the workbook shows is what plan.to_json() holds.
# ---------------------------------------------------------------------------------------------------------------

def assert_tables_match_json(path: Path, plan_json: dict, lang: str) -> int:
    """Compare every cell of every long table with the plan JSON; return the number of cells compared."""
    wb = load(path)
    compared = 0
    for layout in LAYOUT:
        if layout.wide_months:
            continue
        records = plan_json["tables"].get(layout.key) or []
        _headers, rows, _ = named_table(wb, f"gs_{layout.key}")
        if not records:
            assert all(v is None for r in rows for v in r), layout.key
            continue
        assert len(rows) == len(records), layout.key
        for row, record in zip(rows, records):
            for col, cell in zip(layout.columns, row):
                src = col.key if col.key in record else None
                expected = record.get(src) if src else None
                if lang == "zh" and src and isinstance(record.get(f"{src}_zh"), str) and record[f"{src}_zh"]:
                    expected = record[f"{src}_zh"]          # a table's own Chinese beside a column (Assumptions)
                if isinstance(expected, (list, dict)):
                    continue
                expected = display_value(layout.key, col.key, expected, lang)   # the plan's words in Chinese
                if col.fmt == "month" and expected:
                    assert _month(cell) == str(expected)[:7], (layout.key, col.key)
                elif col.fmt == "date" and expected:
                    assert cell.date().isoformat() == expected, (layout.key, col.key)
                elif isinstance(expected, float) and isinstance(cell, (int, float)):
                    assert cell == pytest.approx(expected, rel=1e-12, abs=1e-9), (layout.key, col.key)
                elif expected == "" and cell is None:
                    pass
                else:
                    assert cell == expected or (isinstance(expected, (int, float)) and str(cell) == str(
                        int(expected) if float(expected).is_integer() else expected)), \
                        (layout.key, col.key, cell, expected)
                compared += 1
    return compared


def test_sample_tables_match_json(written):
    lang, plan, path = written
    assert assert_tables_match_json(path, plan.to_json(), lang) > 200


def _planner_ready() -> bool:
    try:
        import goalsheet.plan.assemble  # noqa: F401
        from goalsheet.inputs import from_rows  # noqa: F401
    except ImportError:
        return False
    return True


needs_planner = pytest.mark.skipif(not _planner_ready(), reason="goalsheet.plan.assemble has not landed yet")
GOLDEN = Path(__file__).parents[1] / "golden"


def _golden_sheets():
    sys.path.insert(0, str(GOLDEN))
    from make_golden import golden_sheets
    return golden_sheets()


@needs_planner
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_golden_plan_end_to_end(tmp_path, lang):
    """`goalsheet plan` on the golden seller: exit 0, the workbook's figures are the plan JSON's, and the
    headline is the golden one (target 6 402 588.12, gap 699 827.75, 5 launches: tests/golden/README.md)."""
    from click.testing import CliRunner

    from goalsheet.cli import cli
    out, js = tmp_path / "golden-plan.xlsx", tmp_path / "plan.json"
    result = CliRunner().invoke(cli, ["plan", str(GOLDEN / "golden_seller.xlsx"), "-o", str(out), "--json",
                                      str(js), "--lang", lang])
    assert result.exit_code == 0, result.output
    plan_json = json.loads(js.read_text(encoding="utf-8"))
    assert read_embedded_plan(out) == plan_json
    assert assert_tables_match_json(out, plan_json, lang) > 100
    wb = load(out)
    assert named_value(wb, "gs_target_sales") == 6402588.12
    assert named_value(wb, "gs_gap") == 699827.75
    assert named_value(wb, "gs_launches_needed") == 5
    assert_totals_and_cached_values(out)
    # Run again over our own output: allowed without --force.
    again = CliRunner().invoke(cli, ["plan", str(GOLDEN / "golden_seller.xlsx"), "-o", str(out)])
    assert again.exit_code == 0, again.output


@needs_planner
@pytest.mark.parametrize("hostile", HOSTILE[:5])
def test_hostile_sku_from_the_input_stays_text(tmp_path, hostile):
    """A SKU renamed in SKUs and Sales to formula-like or template-like text comes out verbatim, as text."""
    from goalsheet.inputs import from_rows
    from goalsheet.plan import make_plan

    sheets = _golden_sheets()
    for name in ("SKUs", "Sales"):
        sheets[name] = [[hostile if v == "US-LAMP-01" else v for v in row] for row in sheets[name]]
    book, problems = from_rows(sheets, source_name="hostile.xlsx")
    assert book is not None, [str(p) for p in problems]
    plan, _ = make_plan(book)
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(plan, path)
    wb = openpyxl.load_workbook(path)
    hits = [c for ws in wb.worksheets if ws.title != "_goalsheet_plan" for row in ws.iter_rows() for c in row
            if c.value == hostile]
    assert hits, "the SKU does not appear"
    assert all(c.data_type == "s" for c in hits)
    assert not any(isinstance(c.value, str) and c.value.startswith("=") and "HYPERLINK" in c.value
                   and c.data_type == "f" for ws in wb.worksheets for row in ws.iter_rows() for c in row)


def test_chart_series_cover_exactly_the_table_rows(written):
    """Every chart series reads the data rows of its table (gs_monthly rows 5..16 for 12 months), never the
    header, the totals row or rows beyond: a total bar would dwarf the months.  The Profit chart reads the rows
    of the largest sellers under the table (the plan's 4 SKUs: the table's rows 5..8, its total 9, a blank row
    and the note, then the 4 again in rows 12..15)."""
    import re
    _lang, _plan, path = written
    wb = load(path)
    spans = {}
    for layout in LAYOUT:
        sheet, ref = name_target(wb, f"gs_{layout.key}")
        first, last = ref.split(":")
        spans[sheet] = (int(re.sub(r"\D", "", first)) + 1, int(re.sub(r"\D", "", last)))
        if layout.key == "profit":
            spans[sheet] = (spans[sheet][1] + 4, spans[sheet][1] + 4 + spans[sheet][1] - spans[sheet][0])
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 6                   # Summary (2), Monthly, Cash, Profit, Scenarios
    checked = 0
    for xml in charts:
        for sheet, r1, r2 in re.findall(r"<(?:c:)?f>'?([^'!<]+)'?!\$[A-Z]+\$(\d+):\$[A-Z]+\$(\d+)</(?:c:)?f>", xml):
            assert (int(r1), int(r2)) == spans[sheet], (sheet, r1, r2, spans[sheet])
            checked += 1
    assert checked >= 20


def test_verdict_detail_words():
    """Infeasible sample: peak need 350 000, credit line 500 000 (Assumptions), largest fundable target
    5 200 000 = 81 % of 6 402 588.12 (5 200 000 / 6 402 588.12 = 0.8122)."""
    from goalsheet.report.context import plan_context
    plan = sample_plan(feasible=False)
    plan.tables["assumptions"] = pd.DataFrame({"setting": ["credit_line"], "value": [500000], "source": ["input"],
                                               "note": [""]})
    ctx = plan_context(plan, "en")
    assert ctx["verdict"].startswith("NOT FUNDABLE")
    assert "350,000.00 CNY below the minimum" in ctx["verdict_detail"]
    assert "credit line 500,000.00 CNY" in ctx["verdict_detail"]
    assert "5,200,000.00 CNY (81% of the target)" in ctx["verdict_detail"]


def test_warning_lines_wrap_by_display_width():
    """64 columns a line; a CJK character takes two, so 40 Chinese characters (80 columns) make two lines
    of 31 (2 for the bullet + 62) and 9 characters."""
    from goalsheet.report.context import wrap_text
    lines = wrap_text("a" * 10 + " " + "b" * 60, 64, first="• ")
    assert lines == ["• " + "a" * 10, "  " + "b" * 60]
    zh = wrap_text("资" * 40, 64, first="• ")
    assert [len(x.strip("• ").strip()) for x in zh] == [31, 9]
