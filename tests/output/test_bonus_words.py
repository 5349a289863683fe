"""The Bonus sheet names its metrics in words, in both languages: no code such as `net_profit` or `profit_pool`,
and a net-profit target says it is before the bonus it pays (it reads higher than the Operators sheet's net profit
by exactly that bonus)."""
from pathlib import Path

import openpyxl
import pytest

from goalsheet.inputs import load
from goalsheet.plan import make_plan
from goalsheet.report import write_plan_workbook

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("lang, sheet, before_bonus", [("en", "Bonus", "net profit before bonus"),
                                                        ("zh", "绩效奖金", "奖金前净利润")])
def test_bonus_metrics_are_words(tmp_path, lang, sheet, before_bonus):
    book, _ = load(ROOT / "sample_workbooks" / "demo_seller.xlsx")
    plan, _ = make_plan(book)
    out = tmp_path / "plan.xlsx"
    write_plan_workbook(plan, out, lang=lang)
    ws = openpyxl.load_workbook(out)[sheet]
    header = [c.value for c in ws[next(r for r in range(1, 10) if ws.cell(r, 3).value in ("Metric", "指标"))]]
    col = header.index("Metric" if lang == "en" else "指标") + 1
    first = next(r for r in range(1, 10) if ws.cell(r, col).value in ("Metric", "指标"))
    metrics = {ws.cell(r, col).value for r in range(first + 1, ws.max_row + 1)} - {None}
    assert before_bonus in metrics
    assert not {m for m in metrics if "_" in str(m)}, metrics
