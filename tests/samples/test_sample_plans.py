"""`goalsheet plan` on both sample workbooks (issue 3, acceptance 4): both succeed, and the English and the
Chinese workbook (Chinese names, title rows, wide Sales, 400万) give identical figures, headline and tables."""
import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from goalsheet.cli import cli

SAMPLES = Path(__file__).resolve().parents[2] / "sample_workbooks"


def _plan(name, tmp_path):
    out, js = tmp_path / f"{name}.xlsx", tmp_path / f"{name}.json"
    result = CliRunner().invoke(cli, ["plan", str(SAMPLES / f"{name}.xlsx"), "-o", str(out), "--json", str(js)])
    assert result.exit_code == 0, result.output
    return out, json.loads(js.read_text(encoding="utf-8"))


def test_english_and_chinese_samples_plan_to_the_same_figures(tmp_path):
    en_book, en = _plan("demo_seller", tmp_path)
    zh_book, zh = _plan("demo_seller_zh", tmp_path)
    assert en["headline"] == zh["headline"]
    assert en["headline"]["gs_target_sales"] > 0
    # every table but Assumptions (which names the input file and its hash) is the same, row for row
    for name in en["tables"]:
        if name != "assumptions":
            assert en["tables"][name] == zh["tables"][name], name
    # the workbooks: English and Chinese sheet names, the same headline figures behind the defined names
    en_wb, zh_wb = (openpyxl.load_workbook(p, data_only=True) for p in (en_book, zh_book))
    assert "Summary" in en_wb.sheetnames and "总览" in zh_wb.sheetnames

    def named(wb, key):
        sheet, ref = next(iter(wb.defined_names[key].destinations))
        return wb[sheet][ref.replace("$", "")].value

    for key in ("gs_target_sales", "gs_target_net_profit", "gs_gap", "gs_launches_needed", "gs_peak_cash_need"):
        assert named(en_wb, key) == named(zh_wb, key) == en["headline"][key], key
