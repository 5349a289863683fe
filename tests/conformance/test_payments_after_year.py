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
