"""`goalsheet init` (SPEC.md section 1): the blank input workbook, driven through the CLI.

The workbook must have every sheet and header in the chosen language, drop-downs for the
choice columns in the book's language, one marked example row per table, every Settings key
with its default, and an instructions sheet.  `init` never overwrites a file without --force.
What the untouched book does when checked and planned: test_untouched.py.
"""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.utils import get_column_letter

from goalsheet.cli import cli
from goalsheet.inputs import schema
from goalsheet.inputs.blank import INSTRUCTIONS, explain, plan_year_today, settings_layout, write_blank

ZH_SHEETS = ["说明", "设置", "销售", "产品", "店铺", "汇率", "团队", "新品计划", "费用", "绩效", "情景"]
EN_SHEETS = ["Instructions", "Settings", "Sales", "SKUs", "Stores", "FX", "Team", "Launches", "Expenses", "Bonus",
             "Scenarios"]


def run_init(tmp_path: Path, lang: str, *extra: str) -> tuple[Path, object]:
    path = tmp_path / f"blank_{lang}.xlsx"
    result = CliRunner().invoke(cli, ["init", str(path), "--lang", lang, *extra])
    return path, result


def validations(ws) -> list[tuple[str, str]]:
    """(formula1, sqref) of every data validation on the sheet."""
    return [(dv.formula1, str(dv.sqref)) for dv in ws.data_validations.dataValidation]


def covers(sqref: str, cell: str) -> bool:
    from openpyxl.worksheet.cell_range import MultiCellRange
    return cell in MultiCellRange(sqref)


@pytest.mark.parametrize("lang, names", [("zh", ZH_SHEETS), ("en", EN_SHEETS)])
def test_init_writes_every_sheet_and_header(tmp_path, lang, names):
    path, result = run_init(tmp_path, lang)
    assert result.exit_code == 0, result.output
    assert (f"已写入 {path}" if lang == "zh" else f"wrote {path}") in result.output   # said in the book's language
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == names
    for sheet in schema.SHEETS:
        ws = wb[sheet.zh if lang == "zh" else sheet.key]
        header = [c.value for c in ws[1]]
        if sheet is schema.SETTINGS:
            assert header == (["参数", "值", "默认值", "说明"] if lang == "zh" else ["key", "value", "default", "note"])
        else:
            assert header == [c.zh if lang == "zh" else c.key for c in schema.init_columns(sheet)]
        assert ws.freeze_panes == "A2"
        assert ws["A1"].font.bold


def test_chinese_headers_are_the_sellers_words(tmp_path):
    """A few headers spelled out by hand, so a wrong name in the schema or the writer shows up here."""
    path, _ = run_init(tmp_path, "zh")
    wb = openpyxl.load_workbook(path)
    assert [c.value for c in wb["销售"][1]][:5] == ["月份", "店铺", "SKU", "销量", "销售额"]
    skus = [c.value for c in wb["产品"][1]]
    assert skus[:2] == ["店铺", "SKU"] and "售价" in skus and "采购成本" in skus and "FBA配送费" in skus
    assert [c.value for c in wb["汇率"][1]] == ["币种", "汇率"]
    assert wb["设置"]["A2"].value == "计划与目标" and wb["设置"]["A3"].value == "计划年度"


def settings_rows(ws) -> dict[str, tuple[int, object, object]]:
    """Settings sheet: key as written -> (row, value, default) for the rows under the header with a key."""
    return {ws.cell(r, 1).value: (r, ws.cell(r, 2).value, ws.cell(r, 3).value)
            for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value is not None}


# Defaults worked by hand from SPEC 2's Settings table, in each book's words (a rate as a percent, a choice in
# the book's language, a derived default said in words).
DEFAULTS = {
    "en": {"base_currency": "CNY", "target_mode": "growth", "monthly_growth": "3%", "baseline_months": "3",
           "seasonality": "history", "existing_scenario": "growth", "cash_available": "required: fill in",
           "credit_line": "0", "lead_time_days": "60", "transit_days": "35", "min_cash": "0",
           "safety_stock_days": "30", "deposit_rate": "30%", "payout_delay_days": "21", "new_ramp_months": "3",
           "new_success_rate": "60%", "new_launch_budget": "0", "new_failure_writeoff": "50%",
           "launches_per_operator_month": "1", "payout_fee_rate": "1%",
           "new_first_order_units": "3 × new_monthly_units"},
    "zh": {"本位币": "CNY", "目标模式": "增长", "月增长率": "3%", "季节性": "按历史", "老品预测情景": "增长",
           "可用资金": "必填", "授信额度": "0", "定金比例": "30%", "回款周期天数": "21", "最低现金": "0",
           "新品首单数量": "3 × 新品成熟月销量"},
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_settings_key_is_listed_once_with_its_default_and_a_blank_value(tmp_path, lang):
    """Every key of the schema is on the Settings sheet once (under a section title), its default beside it;
    the value column is blank (blank = default) but for plan_year (SPEC 3.1: init writes the year planned);
    cash_available, the one required key, is blank, marked required and filled yellow."""
    path, _ = run_init(tmp_path, lang)
    ws = openpyxl.load_workbook(path)[schema.SETTINGS.zh if lang == "zh" else "Settings"]
    rows = settings_rows(ws)
    keys = [c.zh if lang == "zh" else c.key for c in schema.SETTINGS.columns]
    written = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value in keys]
    assert sorted(written) == sorted(keys)                      # each key once, none missing
    assert len(keys) >= 30                                      # the ~30 of SPEC 2, not the 9 of before
    for key in keys:
        row, value, default = rows[key]
        assert default, f"{key} shows no default"
        plan_year = key in ("plan_year", "计划年度")
        assert value == (plan_year_today() if plan_year else None), (key, value)
    for key, default in DEFAULTS[lang].items():
        assert rows[key][2] == default, (key, rows[key][2])
    cash = rows["可用资金" if lang == "zh" else "cash_available"][0]
    assert ws.cell(cash, 2).fill.fgColor.rgb.endswith("FFF2CC") and ws.cell(cash, 1).font.bold
    sections = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)
                if ws.cell(r, 1).value is not None and ws.cell(r, 1).value not in keys]
    assert len(sections) >= 4 and ws.cell(2, 1).value == sections[0]
    assert sum(1 for kind, _ in settings_layout() if kind == "key") == len(keys)


def test_plan_year_of_a_new_book():
    """Made in the first half of a year the book plans that year (a plan set in January), else the next."""
    import datetime as dt
    assert plan_year_today(dt.date(2026, 1, 15)) == 2026
    assert plan_year_today(dt.date(2026, 6, 30)) == 2026
    assert plan_year_today(dt.date(2026, 7, 1)) == 2027
    assert plan_year_today(dt.date(2026, 12, 6)) == 2027


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_init_has_dropdowns_for_every_choice_column(tmp_path, lang):
    path, _ = run_init(tmp_path, lang)
    wb = openpyxl.load_workbook(path)
    for sheet in schema.SHEETS:
        ws = wb[sheet.zh if lang == "zh" else sheet.key]
        dvs = validations(ws)
        if sheet is schema.SETTINGS:
            rows = settings_rows(ws)
            targets = [(c, f"B{rows[c.zh if lang == 'zh' else c.key][0]}") for c in sheet.columns
                       if c.kind == "enum" or c.key == "seasonality"]
        else:
            targets = [(c, f"{get_column_letter(j)}{r}") for j, c in enumerate(sheet.columns, start=1)
                       if c.kind == "enum" for r in (2, 3, 500)]
        for col, cell in targets:
            wanted = '"' + ",".join(schema.choice_words(col, lang)) + '"'
            assert any(f == wanted and covers(ref, cell) for f, ref in dvs), (sheet.key, col.key, cell, dvs)


def choices_at(ws, cell):
    return [f.strip('"').split(",") for f, ref in validations(ws) if covers(ref, cell)]


def test_dropdowns_offer_what_sellers_pick(tmp_path):
    """By hand: Stores!B (marketplace) offers DE and UK, Stores!C and FX!A (currency) offer GBP and EUR,
    Bonus!A offers the three periods, Settings' target_mode value growth/total."""
    path, _ = run_init(tmp_path, "en")
    wb = openpyxl.load_workbook(path)
    [market] = choices_at(wb["Stores"], "B7")
    assert {"US", "UK", "DE", "JP"} <= set(market)
    [currency] = choices_at(wb["Stores"], "C7")
    assert {"USD", "GBP", "EUR", "CNY"} <= set(currency)
    assert choices_at(wb["FX"], "A3") == [currency]
    assert choices_at(wb["Bonus"], "A2") == [["month", "quarter", "year"]]
    assert choices_at(wb["Bonus"], "B2") == [["sales", "net profit", "launches"]]
    assert choices_at(wb["Bonus"], "F2") == [["step", "marginal"]]
    assert wb["Settings"]["A5"].value == "target_mode"
    assert choices_at(wb["Settings"], "B5") == [["growth", "total"]]


def test_a_chinese_book_offers_chinese_choices(tmp_path):
    """The zh book's drop-downs, spelled out by hand: 增长/总额, 增长/持平, 按历史/不考虑, 在售/停售, 月度/季度/年度,
    销售额/净利润/上新数, 阶梯/累进; marketplaces and currencies stay codes.  Another entry only warns (the
    reader takes the English codes too)."""
    path, _ = run_init(tmp_path, "zh")
    wb = openpyxl.load_workbook(path)
    rows = settings_rows(wb["设置"])
    assert choices_at(wb["设置"], f"B{rows['目标模式'][0]}") == [["增长", "总额"]]
    assert choices_at(wb["设置"], f"B{rows['老品预测情景'][0]}") == [["增长", "持平"]]
    assert choices_at(wb["设置"], f"B{rows['季节性'][0]}") == [["按历史", "不考虑"]]
    assert choices_at(wb["产品"], "U5") == [["在售", "停售"]]
    assert choices_at(wb["绩效"], "A5") == [["月度", "季度", "年度"]]
    assert choices_at(wb["绩效"], "B5") == [["销售额", "净利润", "上新数"]]
    assert choices_at(wb["绩效"], "F5") == [["阶梯", "累进"]]
    assert {"US", "UK", "JP"} <= set(choices_at(wb["店铺"], "B5")[0])
    assert all(dv.errorStyle == "warning" for ws in wb.worksheets for dv in ws.data_validations.dataValidation)


def test_example_rows_fit_together_and_are_marked(tmp_path):
    """The Sales example (120 units × 19.99 = 2 398.80 USD) is the SKUs example's store and SKU; the store's
    currency USD has an FX row (7.2); its operator is on the Team sheet.  Each example row's first cell starts
    with "e.g. " and the row is grey italics."""
    path, _ = run_init(tmp_path, "en")
    wb = openpyxl.load_workbook(path)
    sales = [c.value for c in wb["Sales"][2]]
    assert sales[:6] == ["e.g. 2025-01", "My Store US", "SKU-001", 120, 2398.80, 290]
    skus = {h.value: v.value for h, v in zip(wb["SKUs"][1], wb["SKUs"][2])}
    assert (skus["store"], skus["sku"], skus["price"]) == ("e.g. My Store US", "SKU-001", 19.99)
    assert round(120 * 19.99, 2) == 2398.80
    assert [c.value for c in wb["Stores"][2]][:4] == ["e.g. My Store US", "US", "USD", "Wang Fang"]
    assert [c.value for c in wb["FX"][2]] == ["e.g. USD", 7.2]
    assert wb["Team"]["A2"].value == "e.g. Wang Fang"
    assert [c.value for c in wb["Bonus"][2]][:6] == ["e.g. year", "sales", 0.8, 1.0, 0.5, "step"]
    for sheet in schema.SHEETS[1:]:
        first = wb[sheet.key]["A2"]
        assert first.value.startswith("e.g. ") and first.font.i and first.font.color.rgb.endswith("808080")


def test_chinese_example_rows_are_chinese(tmp_path):
    """The zh book's examples: marked 例：, names and choices in Chinese (年度, 销售额, 阶梯, 在售)."""
    path, _ = run_init(tmp_path, "zh")
    wb = openpyxl.load_workbook(path)
    assert [c.value for c in wb["绩效"][2]][:6] == ["例：年度", "销售额", 0.8, 1.0, 0.5, "阶梯"]
    assert [c.value for c in wb["店铺"][2]][:4] == ["例：我的美国店", "US", "USD", "王芳"]
    assert {h.value: v.value for h, v in zip(wb["产品"][1], wb["产品"][2])}["状态"] == "在售"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_instructions_explain_every_sheet_and_column(tmp_path, lang):
    path, _ = run_init(tmp_path, lang)
    ws = openpyxl.load_workbook(path)[INSTRUCTIONS[lang]]
    text = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    first_cells = {str(ws.cell(r, 1).value) for r in range(1, ws.max_row + 1)}
    for sheet in schema.SHEETS:
        name = sheet.zh if lang == "zh" else sheet.key
        assert any(t.startswith(name + "  (") for t in text), name
        for col in sheet.columns:
            assert (col.zh if lang == "zh" else col.key) in first_cells, (sheet.key, col.key)
            assert explain(sheet, col, lang), f"{sheet.key}.{col.key} has no explanation in {lang}"
    assert any("goalsheet check" in t for t in text)


def test_init_refuses_to_overwrite_without_force(tmp_path):
    path = tmp_path / "shop.xlsx"
    path.write_bytes(b"my own work")
    result = CliRunner().invoke(cli, ["init", str(path), "--lang", "en"])
    assert result.exit_code == 2
    assert "--force" in result.output
    assert path.read_bytes() == b"my own work"
    forced = CliRunner().invoke(cli, ["init", str(path), "--lang", "en", "--force"])
    assert forced.exit_code == 0, forced.output
    assert openpyxl.load_workbook(path).sheetnames == EN_SHEETS


def test_init_defaults_to_chinese_and_a_default_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["init"])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(tmp_path / "goalsheet-input.xlsx").sheetnames == ZH_SHEETS


def test_init_rejects_an_unknown_language(tmp_path):
    path, result = run_init(tmp_path, "fr")
    assert result.exit_code == 2
    assert not path.exists()
    with pytest.raises(ValueError):
        write_blank(tmp_path / "x.xlsx", lang="fr")
