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


@pytest.mark.parametrize("lang, sheet, header, words", [
    ("en", "Products", "Growth from", ("its trend class", "SKUs sheet growth_rate")),
    ("zh", "老品分析", "增长率来源", ("趋势分类", "产品表月增长率"))])
def test_products_say_where_each_growth_rate_comes_from(tmp_path, lang, sheet, header, words):
    """Each SKU's monthly growth comes from its trend class, or from the growth_rate the seller gave it on the SKUs
    sheet (the sample gives some): said in words beside the trend and the rate, as many of each as the book has."""
    book, _ = load(ROOT / "sample_workbooks" / "demo_seller.xlsx")
    plan, _ = make_plan(book)
    out = tmp_path / "plan.xlsx"
    write_plan_workbook(plan, out, lang=lang)
    ws = openpyxl.load_workbook(out)[sheet]
    row = next(r for r in range(1, 10) if header in [ws.cell(r, c).value for c in range(1, 20)])
    col = [ws.cell(row, c).value for c in range(1, 20)].index(header) + 1
    shown = [ws.cell(r, col).value for r in range(row + 1, ws.max_row + 1)]
    shown = [v for v in shown if v is not None]
    given = plan.tables["products"]["g_source"].tolist()
    assert shown.count(words[1]) == given.count("SKUs growth_rate") > 0
    assert shown.count(words[0]) == given.count("trend class") > 0
    assert set(shown) == set(words)
