"""The Scenarios sheet (SPEC 3.10) is validated like Settings: every cell as the Settings value of its column's
key, with the same problem codes, at its own cell; unknown columns, nameless and repeated rows at theirs."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "conformance"))
from conformance_seller import sheets  # noqa: E402

from goalsheet.inputs import from_rows  # noqa: E402


def problems_of(rows, settings=None, sheet_name="Scenarios"):
    book, problems = from_rows({**sheets(settings=settings), sheet_name: rows})
    return book, problems


def errors_at(problems):
    return {(p.sheet, p.cell): p.code for p in problems if p.severity == "error"}


def test_each_cell_is_checked_as_its_setting_at_its_cell():
    """Growth 80 % is out of −50 %…50 %; "abc" is not a number; a year 1999 is below 2000: the same codes the
    Settings sheet gives for the same values, at B2, C3 and D4."""
    rows = [["scenario", "monthly_growth", "cash_available", "plan_year"],
            ["fast", "80%", None, None], ["rich", None, "abc", None], ["old", None, None, 1999]]
    book, problems = problems_of(rows)
    assert book is None
    got = errors_at(problems)
    assert set(got) == {("Scenarios", "B2"), ("Scenarios", "C3"), ("Scenarios", "D4")}
    settings_rows = [["key", "value"], ["monthly_growth", "80%"], ["cash_available", "abc"], ["plan_year", 1999]]
    _, settings_problems = from_rows({**sheets(drop=("monthly_growth", "cash_available", "plan_year")),
                                      "Settings": settings_rows})
    same = {p.cell: (p.code, p.message) for p in settings_problems if p.severity == "error" and p.sheet == "Settings"}
    mine = {p.cell: (p.code, p.message) for p in problems if p.severity == "error"}
    assert [mine[c] for c in ("B2", "C3", "D4")] == [same[c] for c in ("B2", "B3", "B4")]


def test_a_percent_typed_as_a_plain_number_warns_like_settings():
    rows = [["scenario", "monthly_growth"], ["fast", 5]]
    book, problems = problems_of(rows)
    assert book is not None
    warning = [p for p in problems if p.sheet == "Scenarios"]
    assert [(p.cell, p.code) for p in warning] == [("B2", "read_as_percent")]
    assert book.scenarios[0].changes == {"monthly_growth": 0.05}


def test_unknown_column_nameless_row_and_repeated_name_are_errors_at_their_cells():
    rows = [["scenario", "monthly_grwth", "cash_available"],
            [None, None, 500_000], ["a", None, 100], ["A", None, 200]]
    book, problems = problems_of(rows)
    assert book is None
    assert errors_at(problems) == {("Scenarios", "B1"): "scenario_column_unknown",
                                   ("Scenarios", "A2"): "scenario_name_blank",
                                   ("Scenarios", "A4"): "scenario_twice"}
    unknown = next(p for p in problems if p.code == "scenario_column_unknown")
    assert 'did you mean "monthly_growth"' in unknown.message


def test_total_mode_needs_a_target_total():
    rows = [["scenario", "target_mode"], ["reverse", "total"]]
    book, problems = problems_of(rows)
    assert errors_at(problems) == {("Scenarios", "B2"): "target_total_not_given"}


def test_chinese_sheet_and_headers_and_blank_cells_keep_the_settings_value():
    rows = [["情景", "月增长率", "目标模式"], ["快速增长", "5%", None], ["倒推", None, "总额"]]
    book, problems = problems_of(rows + [], sheet_name="情景")
    assert errors_at(problems) == {("情景", "C3"): "target_total_not_given"}
    rows[2].append(None)
    rows[0].append("年度总目标")
    rows[1].append(None)
    rows[2][3] = 2_000_000
    book, problems = problems_of(rows, sheet_name="情景")
    assert book is not None
    assert [(s.name, s.changes) for s in book.scenarios] == [
        ("快速增长", {"monthly_growth": 0.05}), ("倒推", {"target_mode": "total", "target_total": 2_000_000})]


def test_a_scenario_the_plan_refuses_is_an_error_at_its_cell():
    """new_unit_cost 1 is below the store's median freight (the seller's only SKU: freight 2): an error at the
    Scenarios cell that set it, and nothing is planned."""
    from goalsheet.plan import make_plan

    s = sheets()
    s["SKUs"][1][5] = 2              # freight
    book, problems = from_rows({**s, "Scenarios": [["scenario", "new_unit_cost"], ["cheap", 1]]})
    assert book is not None
    _, plan_problems = make_plan(book, scenarios=True)
    assert errors_at(plan_problems) == {("Scenarios", "B2"): "new_unit_cost_below_freight"}


def test_example_row_of_init_is_skipped():
    rows = [["scenario", "monthly_growth"], ["e.g. plan as set", None], ["real", 0.05]]
    book, _ = problems_of(rows)
    assert [s.name for s in book.scenarios] == ["real"]
