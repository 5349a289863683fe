"""The plan workbook's polish: warnings in Chinese, the funding sentence, landscape pages, numbers as numbers."""
from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd

from goalsheet.inputs.model import Problem
from goalsheet.report.context import funding_detail, plan_context, standing_text
from goalsheet.report.words import month_label, warning_text
from goalsheet.report.workbook import write_plan_workbook
from goalsheet.words import Join

sys.path.insert(0, str(Path(__file__).parent))
from readback import named_table  # noqa: E402
from sample_plan import MONTHLY_TARGETS, sample_plan  # noqa: E402


def cents(x: float) -> float:
    return round(x + 0.0, 2)


def lowest_sample_balance() -> float:
    """The sample plan's cash: 2 000 000 at the start; each month + 0.6 T − 0.75 T (each rounded to cents), so the
    balance falls every month and is lowest in December: 2 000 000 − Σ (0.75 T − 0.6 T) ≈ 2 000 000 − 0.15 ×
    6 402 588.12 = 1 039 611.78 (to a cent, by the monthly rounding)."""
    balance = 2_000_000.0
    for t in MONTHLY_TARGETS:
        balance = cents(balance + cents(t * 0.6) - cents(t * 0.75))
    return balance


def test_funding_sentence_says_how_low_the_cash_gets_and_when():
    """Peak need 0: no "0.00 below the minimum", but the lowest balance, its month and that it is above the
    minimum (0 here: no min_cash in the sample's Assumptions), in both languages."""
    low = lowest_sample_balance()
    assert abs(low - 1_039_611.78) < 0.05
    plan = sample_plan()
    en, zh = funding_detail(plan, "en"), funding_detail(plan, "zh")
    assert f"Lowest cash balance {low:,.2f} CNY in Dec 2026, above the minimum of 0.00 CNY." in en
    assert "below the minimum" not in en
    assert f"最低现金余额 {low:,.2f} CNY（2026年12月），高于最低现金 0.00 CNY。" in zh
    # with a min_cash of 1 200 000 and a peak need of 160 388.22 the sentence says how far below
    plan = sample_plan(feasible=False)
    plan.headline = replace(plan.headline, peak_cash_need=cents(1_200_000 - low))
    plan.tables["assumptions"] = pd.DataFrame({"setting": ["min_cash", "credit_line"], "value": [1_200_000, 100_000],
                                               "source": "input", "note": ""})
    en = funding_detail(plan, "en")
    assert (f"Lowest cash balance {low:,.2f} CNY in Dec 2026, {1_200_000 - low:,.2f} CNY below the minimum of "
            f"1,200,000.00 CNY; credit line 100,000.00 CNY.") in en


def test_warnings_in_chinese():
    """A warning is said from the catalogue by its code: the English as the planner made it, the Chinese with
    the sheet named in Chinese; a problem without a code keeps its English rather than vanish."""
    own = Problem("SKUs", "", severity="warning", code="loss_making",
                  args={"count": 1, "names": Join(("A / X", "B / Y")), "more": ""})
    assert warning_text(own, "zh") == "产品：1 个SKU每卖一件都亏损：A / X、B / Y"
    assert warning_text(own, "en") == "SKUs: 1 SKU(s) lose money on every unit sold: A / X, B / Y"
    theirs = Problem("Settings", "", severity="warning", code="capacity_binds",
                     args={"target": 12805176.234, "currency": "CNY"})
    assert theirs.message == ("launch capacity binds before cash: from a target of 12,805,176.23 CNY the launches "
                              "needed exceed what the operators can launch")
    assert warning_text(theirs, "zh") == "设置：上新产能先于资金成为瓶颈：目标达到 12,805,176.23 CNY 起，所需上新数超出运营的上新能力"
    odd = Problem("FX", "B3", "something new", "warning")
    assert warning_text(odd, "zh") == "汇率!B3：something new"


def test_golden_plan_in_chinese_has_no_english_warning(tmp_path):
    """The golden seller planned in Chinese: every warning line on the 总览 sheet is Chinese (it has a
    CJK character after the sheet name)."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "plan"))
    from golden_book import golden_book

    from goalsheet.plan import make_plan
    plan, _ = make_plan(golden_book())
    assert len(plan.warnings) >= 3
    ctx = plan_context(plan, "zh")
    for w in ctx["warnings"]:
        message = w["text"].split("：", 1)[1]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in message), w["text"]


def test_assumptions_numbers_are_numbers(tmp_path):
    """cash_available 2 000 000 is the number 2000000 in the Assumptions sheet, not the text "2e+06"."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "plan"))
    from golden_book import golden_book

    from goalsheet.plan import make_plan
    plan, _ = make_plan(golden_book())
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(plan, path)
    wb = openpyxl.load_workbook(path, data_only=True)
    _h, rows, _ = named_table(wb, "gs_assumptions")
    values = {r[0]: r[1] for r in rows}
    assert values["cash_available"] == 2_000_000 and not isinstance(values["cash_available"], str)
    assert values["monthly_growth"] == 0.03
    assert not any(isinstance(v, str) and "e+" in v for v in values.values())


def test_every_sheet_prints_landscape(tmp_path):
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(sample_plan(actuals_through=2), path, lang="zh")
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if ws.sheet_state == "visible":
            assert ws.page_setup.orientation == "landscape", ws.title


def test_standing_in_words():
    """Two closed months of the sample plan (actual = 95 % of target): to date 0.95 × (371 896.94 +
    360 185.27) = 695 478.30 (each month rounded: 353 302.09 + 342 176.01 = 695 478.10) against 732 082.21."""
    plan = sample_plan(actuals_through=2)
    plan.headline = replace(plan.headline, plan_sales_ytd=cents(MONTHLY_TARGETS[0] + MONTHLY_TARGETS[1]))
    text = standing_text(plan, "en")
    assert text.startswith("Through Feb 2026: actual sales 695,478.10 CNY against a plan to date of "
                           "732,082.21 CNY (95.0% attained, behind by 36,604.11 CNY).")
    assert "截至 2026年2月：实际销售额 695,478.10 CNY，同期计划 732,082.21 CNY，达成 95.0%（落后 36,604.11 CNY）。" \
        in standing_text(plan, "zh")
    assert month_label("2026-11", "en") == "Nov 2026" and month_label("2026-11", "zh") == "2026年11月"
