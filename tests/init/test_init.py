"""`goalsheet init` (SPEC.md section 1): the blank input workbook, driven through the CLI.

The workbook must have every sheet and header in the chosen language, drop-downs for the
enum columns, one example row per sheet, an instructions sheet, and pass `goalsheet check`
exactly as written.  `init` never overwrites a file without --force.
"""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.utils import get_column_letter

from goalsheet.cli import cli
from goalsheet.inputs import schema
from goalsheet.inputs.blank import INSTRUCTIONS, explain, settings_rows, write_blank

ZH_SHEETS = ["说明", "设置", "销售", "产品", "店铺", "汇率", "团队", "新品计划", "费用", "绩效"]
EN_SHEETS = ["Instructions", "Settings", "Sales", "SKUs", "Stores", "FX", "Team", "Launches", "Expenses", "Bonus"]


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
            assert header == (["参数", "值", "说明"] if lang == "zh" else ["key", "value", "note"])
        else:
            assert header == [c.zh if lang == "zh" else c.key for c in sheet.columns]
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
    assert wb["设置"]["A2"].value == "计划年度" and wb["设置"]["B2"].value == 2026


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_init_has_dropdowns_for_every_choice_column(tmp_path, lang):
    path, _ = run_init(tmp_path, lang)
    wb = openpyxl.load_workbook(path)
    for sheet in schema.SHEETS:
        ws = wb[sheet.zh if lang == "zh" else sheet.key]
        dvs = validations(ws)
        if sheet is schema.SETTINGS:
            rows = {c.key: i for i, c in enumerate(settings_rows(), start=2)}
            targets = [(c, f"B{rows[c.key]}") for c in sheet.columns if c.kind == "enum" and c.key in rows]
        else:
            targets = [(c, f"{get_column_letter(j)}{r}") for j, c in enumerate(sheet.columns, start=1)
                       if c.kind == "enum" for r in (2, 500)]
        for col, cell in targets:
            wanted = '"' + ",".join(col.choices) + '"'
            assert any(f == wanted and covers(ref, cell) for f, ref in dvs), (sheet.key, col.key, cell, dvs)


def test_dropdowns_offer_what_sellers_pick(tmp_path):
    """By hand: Stores!B (marketplace) offers DE and UK, Stores!C and FX!A (currency) offer GBP and EUR,
    Bonus!A offers the three periods, Settings' target_mode value (row 4) growth/total."""
    path, _ = run_init(tmp_path, "en")
    wb = openpyxl.load_workbook(path)

    def choices_at(ws, cell):
        return [f.strip('"').split(",") for f, ref in validations(ws) if covers(ref, cell)]

    [market] = choices_at(wb["Stores"], "B7")
    assert {"US", "UK", "DE", "JP"} <= set(market)
    [currency] = choices_at(wb["Stores"], "C7")
    assert {"USD", "GBP", "EUR", "CNY"} <= set(currency)
    assert choices_at(wb["FX"], "A3") == [currency]
    assert choices_at(wb["Bonus"], "A2") == [["month", "quarter", "year"]]
    assert choices_at(wb["Bonus"], "F2") == [["step", "marginal"]]
    assert wb["Settings"]["A4"].value == "target_mode"
    assert choices_at(wb["Settings"], "B4") == [["growth", "total"]]


def test_example_rows_fit_together(tmp_path):
    """The Sales example (120 units × 19.99 = 2 398.80 USD) is the SKUs example's store and SKU;
    the store's currency USD has an FX row (7.2); its operator is on the Team sheet."""
    path, _ = run_init(tmp_path, "en")
    wb = openpyxl.load_workbook(path)
    sales = [c.value for c in wb["Sales"][2]]
    assert sales[:6] == ["2025-01", "My Store US", "SKU-001", 120, 2398.80, 290]
    skus = {h.value: v.value for h, v in zip(wb["SKUs"][1], wb["SKUs"][2])}
    assert (skus["store"], skus["sku"], skus["price"]) == ("My Store US", "SKU-001", 19.99)
    assert round(120 * 19.99, 2) == 2398.80
    assert [c.value for c in wb["Stores"][2]][:4] == ["My Store US", "US", "USD", "Wang Fang"]
    assert [c.value for c in wb["FX"][2]] == ["USD", 7.2]
    assert wb["Team"]["A2"].value == "Wang Fang"
    settings = {wb["Settings"].cell(r, 1).value: wb["Settings"].cell(r, 2).value
                for r in range(2, wb["Settings"].max_row + 1)}
    assert settings["cash_available"] == 1000000      # the one required key
    assert settings["plan_year"] == 2026              # init always writes plan_year (SPEC 3.1)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_passes_on_the_blank_workbook(tmp_path, lang):
    path, result = run_init(tmp_path, lang)
    assert result.exit_code == 0
    checked = CliRunner().invoke(cli, ["check", str(path)])
    assert checked.exit_code == 0, checked.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_blank_workbook_loads_as_written(tmp_path, lang):
    from goalsheet.inputs import load

    path, _ = run_init(tmp_path, lang)
    book, problems = load(path)
    assert book is not None, [str(p) for p in problems]
    assert book.lang == lang
    assert book.settings["plan_year"] == 2026 and book.settings["cash_available"] == 1_000_000
    assert list(book.sales[["month", "store", "sku"]].itertuples(index=False, name=None)) == [
        ("2025-01", "My Store US", "SKU-001")]
    assert book.sales["revenue"].tolist() == [2398.80]
    assert book.fx["USD"] == 7.2
    assert book.stores["currency"].tolist() == ["USD"]


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
