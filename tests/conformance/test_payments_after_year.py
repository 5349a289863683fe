"""Bonuses that fall due after December are outside the cash table (SPEC 3.6) and the plan names them: what the
cash table pays in the year plus what the warning names is the whole bonus at 100 % attainment, to the cent."""
from pathlib import Path

import pytest

from goalsheet.inputs import load
from goalsheet.plan import make_plan

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("sample", ["demo_seller.xlsx", "demo_seller_zh.xlsx"])
def test_bonuses_in_the_year_plus_those_after_it_are_the_whole_bonus(sample):
    book, _ = load(ROOT / "sample_workbooks" / sample)
    plan, _ = make_plan(book)
    late = [w for w in plan.warnings if w.code == "bonus_after_year"]
    assert len(late) == 1
    paid_in_year = -float(plan.tables["cash"]["bonuses"].sum())
    assert round(paid_in_year + late[0].args["amount"], 2) == plan.headline.bonus_total
    assert all(str(m) > "2026-12" for m in late[0].args["months"].items)


@pytest.mark.parametrize("sample", ["demo_seller.xlsx", "demo_seller_zh.xlsx"])
def test_launch_budgets_in_the_year_plus_those_after_it_are_the_launches_budgets(sample):
    """The sample's 17 launches carry 20 000 of launch budget each (340 000, Launches sheet), paid in equal
    thirds over the launch month and the next two (new_ramp_months 3).  The UK launches of November and December
    run into 2027: 20 000 / 3 (January) + 2 × 20 000 / 3 (January, February) = 20 000 after December.  The
    Cash sheet's launch budgets plus the warning's amount are the Launches sheet's total, to the cent."""
    book, _ = load(ROOT / "sample_workbooks" / sample)
    plan, _ = make_plan(book)
    late = [w for w in plan.warnings if w.code == "budgets_after_year"]
    assert len(late) == 1
    in_year = -float(plan.tables["cash"]["launch_budgets"].sum())
    assert round(in_year + late[0].args["amount"], 2) == round(float(plan.tables["launches"]["launch_budget"].sum()), 2)
    assert late[0].args["amount"] == 20_000.00 and late[0].args["year"] == 2027


def test_the_cash_sheet_names_what_falls_due_after_december(tmp_path):
    """The Cash sheet's note under its title names the bonuses and launch budgets due after December with the
    warnings' amounts, in each language."""
    from click.testing import CliRunner
    from openpyxl import load_workbook

    from goalsheet.cli import cli
    for sample, sheet, words in (("demo_seller.xlsx", "Cash", ("bonuses", "launch budgets", "after December")),
                                 ("demo_seller_zh.xlsx", "资金计划", ("奖金", "新品推广预算", "12 月之后"))):
        book, _ = load(ROOT / "sample_workbooks" / sample)
        plan, _ = make_plan(book)
        amounts = {w.code: w.args["amount"] for w in plan.warnings
                   if w.code in ("bonus_after_year", "budgets_after_year")}
        out = tmp_path / f"{sample}.out.xlsx"
        result = CliRunner().invoke(cli, ["plan", str(ROOT / "sample_workbooks" / sample), "-o", str(out)])
        assert result.exit_code == 0, result.output
        note = load_workbook(out)[sheet]["A2"].value
        for w in words:
            assert w in note
        for amount in amounts.values():
            assert f"{amount:,.2f}" in note
