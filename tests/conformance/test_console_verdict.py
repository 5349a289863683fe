"""The console says the verdict and the reachable target after a plan, in the run's language."""
from conformance.conformance_seller import book, sheets

from goalsheet.plan import make_plan
from goalsheet.report.words import console_summary


def test_the_console_names_the_verdict_and_what_binds():
    """The hand-worked seller of test_reachable_target (target 150 000, ten launches cover 55 000): the team can
    launch for 175 000 (to a unit below), capacity binds; no ads anywhere makes the verdict amber."""
    plan, _ = make_plan(book(sheets({"new_price": 100, "new_monthly_units": 10, "target_mode": "total",
                                     "target_total": 150_000})))
    en = console_summary(plan, "en")[-1]
    zh = console_summary(plan, "zh")[-1]
    assert en.startswith("verdict: amber — check before committing; largest reachable target 174,99")
    assert en.endswith("USD (binds first: launch capacity)")
    assert zh.startswith("结论：黄色 —— 确定目标前请核对；可实现的最大目标 174,99") and zh.endswith("（首先受限于上新产能）")
