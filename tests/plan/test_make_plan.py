"""make_plan end to end: every table, the warnings a seller needs, the checks."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_book import book_from_sheets, golden_sheets  # noqa: E402
from sellers import three_stores_at_30000  # noqa: E402

from goalsheet.plan import make_plan  # noqa: E402
from goalsheet.plan.result import TABLES  # noqa: E402


def test_every_table_is_there_and_tracking_is_empty_without_actuals():
    plan, _ = make_plan(book_from_sheets(golden_sheets()))
    assert set(TABLES) <= set(plan.tables)
    assert plan.tables["tracking"].empty and not plan.has_actuals
    assert (plan.tables["checks"]["result"] == "PASS").all()
    a = plan.tables["assumptions"].set_index("setting")
    assert a.loc["plan_year", "source"] == "derived" and a.loc["lead_time_days", "value"] == 45   # a number


def test_funding_that_cannot_carry_the_target_is_flagged_with_what_it_can_carry():
    sheets = golden_sheets()
    sheets["Settings"] = [r if r[0] != "cash_available" else ["cash_available", 0, ""] for r in sheets["Settings"]]
    sheets["Settings"].append(["min_cash", 900000, ""])
    plan, problems = make_plan(book_from_sheets(sheets))
    assert plan.headline.funding_feasible is False
    assert plan.headline.peak_cash_need > 0
    assert plan.headline.max_feasible_sales < plan.headline.target_sales
    msg = [p.message for p in problems if "cannot carry" in p.message]
    assert msg and f"{plan.headline.max_feasible_sales:,.2f}" in msg[0]


def test_capacity_short_of_the_gap_is_flagged():
    """Total 10 000 000 with one launch per operator-month: 10 launches per store cover
    30 000 × 45⅓ = 1 360 000 of each store's 2 909 120.08 (see test_target): short by 1 549 120.08 each."""
    plan, problems = make_plan(book_from_sheets(three_stores_at_30000({"target_mode": "total",
                                                                       "target_total": 10_000_000})))
    assert plan.headline.launches_needed == 30
    assert plan.headline.shortfall == 3 * 1_549_120.08
    assert any("launch capacity cannot cover the gap" in p.message for p in problems)


def test_store_gaps_are_the_full_precision_gaps_rounded_once():
    """SPEC 3.4/3.7 (settled by the method review): G_s = max(0, T_s − E_s) at full precision, the headline
    G = Σ G_s rounded once, each store's gap its share of it by largest remainder.  So a store's gap is within
    half a cent of its exact G_s and the stores add up to the headline exactly; Target − Existing on the same
    row, each a total of separately rounded cells, may differ from it by a few cents (docs/method.md)."""
    from pathlib import Path

    from goalsheet.inputs import load
    from goalsheet.plan import make_plan
    from goalsheet.plan.basis import build_basis, derive

    book, _ = load(Path(__file__).parents[2] / "sample_workbooks" / "demo_seller.xlsx")
    plan, _ = make_plan(book)
    exact = derive(build_basis(book)).gaps
    stores = plan.tables["stores"]
    assert len(exact) == len(stores) > 1
    for row, g in zip(stores.itertuples(), exact):
        assert abs(row.gap - g) <= 0.005 + 1e-9, row.store
    assert round(stores["gap"].sum(), 2) == plan.headline.gap == round(float(exact.sum()), 2)


def test_the_headline_has_the_figures_the_plan_has():
    """The headline's figures by defined name: a funding figure left None is not there; the actuals figures are
    there (even a None among them) exactly when the plan tracks actuals."""
    from dataclasses import replace

    from goalsheet.plan.result import ACTUALS_FIGURES, Headline
    h = Headline(plan_year=2026, target_sales=10.0, target_net_profit=1.0, existing_sales=8.0, new_sales=2.0, gap=2.0,
                 launches_needed=1, shortfall=0.0, cash_available=5.0, bonus_total=0.5, peak_cash_need=0.0,
                 funding_feasible=True)
    assert "max_feasible_sales" not in h.figures() and h["funding_feasible"] is True
    assert not set(ACTUALS_FIGURES) & set(h.figures())
    tracked = replace(h, as_of="2026-02", actual_sales_ytd=3.0)
    assert set(ACTUALS_FIGURES) <= set(tracked.figures()) and tracked["attainment_ytd"] is None
    assert list(tracked.figures())[:3] == ["plan_year", "target_sales", "target_net_profit"]
