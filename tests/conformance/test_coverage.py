"""Gap → launches, store by store (the Coverage table), and the Monthly split of "target − existing" into the
growth before a store's first launch and the sales from launches; every figure as shown ties to the Summary.

Sellers are `conformance_seller`'s: existing 10 000 a month (120 000 a year), flat; new products at 100 × 10 units
a month, success 1, ramp 1; launches from March, one a month: March earns 10 000 in the year, April 9 000, …"""
import pytest
from conformance.conformance_seller import book, months, sheets

from goalsheet.plan import make_plan

NEW = {"new_price": 100, "new_monthly_units": 10, "target_mode": "total"}


def test_a_store_covered_with_room_to_spare():
    """Target 150 000: gap 30 000; March .. June cover 10 000 + 9 000 + 8 000 + 7 000 = 34 000: covered 30 000,
    over-covered 4 000, short 0."""
    plan, _ = make_plan(book(sheets({**NEW, "target_total": 150_000})))
    row = plan.tables["coverage"].iloc[0]
    assert (row["store"], row["target_sales"], row["existing_sales"]) == ("S", 150_000, 120_000)
    assert (row["gap"], row["launches"], row["contribution"]) == (30_000, 4, 34_000)
    assert (row["covered"], row["over_covered"], row["shortfall"]) == (30_000, 4_000, 0)


def test_a_store_short_of_its_gap():
    """Target 200 000: gap 80 000; all ten launches (March .. December) cover 55 000: covered 55 000, short
    25 000, and the Summary's shortfall is that 25 000."""
    plan, _ = make_plan(book(sheets({**NEW, "target_total": 200_000})))
    row = plan.tables["coverage"].iloc[0]
    assert (row["gap"], row["launches"], row["contribution"]) == (80_000, 10, 55_000)
    assert (row["covered"], row["over_covered"], row["shortfall"]) == (55_000, 0, 25_000)
    assert plan.headline.shortfall == 25_000


def test_monthly_splits_target_less_existing_at_the_first_launch():
    """Target 150 000 spread flat: 12 500 a month against 10 000 existing, so 2 500 a month is new.  The first
    launch is in March: January and February's 2 × 2 500 = 5 000 is growth before launches; from launches
    10 × 2 500 = 25 000; no launch in January or February."""
    plan, _ = make_plan(book(sheets({**NEW, "target_total": 150_000})))
    m = plan.tables["monthly"]
    assert list(m["new_before_launches"]) == [2_500, 2_500] + [0] * 10
    assert list(m["new_from_launches"]) == [0, 0] + [2_500] * 10
    assert list(m["launches"][:2]) == [0, 0]


def test_two_stores_tie_to_the_summary_as_shown():
    """Two stores, S (Ann) and T (Bob), each 10 000 a month; target 300 000 split by their history (150 000
    each): gap 30 000 each, covered by four launches each (March .. June, 34 000).  The table's gaps add up to the
    Summary's gap, its shortfalls to its shortfall, its contributions to the Launches sheet's, and each row is
    gap = covered + short, contribution = covered + over."""
    hist = {("S", "A"): [(m, 100, 10_000) for m in months("2024-01", 24)],
            ("T", "B"): [(m, 100, 10_000) for m in months("2024-01", 24)]}
    s = sheets({**NEW, "target_total": 300_000}, history=hist,
               skus=[["S", "A", None, 100, 40, 0, 10, "active"], ["T", "B", None, 100, 40, 0, 10, "active"]],
               stores=[["S", "US", "USD", "Ann"], ["T", "US", "USD", "Bob"]])
    plan, _ = make_plan(book(s))
    c = plan.tables["coverage"]
    assert list(c["gap"]) == [30_000, 30_000] and list(c["contribution"]) == [34_000, 34_000]
    assert c["gap"].sum() == pytest.approx(plan.headline.gap, abs=0.001)
    assert c["shortfall"].sum() == pytest.approx(plan.headline.shortfall, abs=0.001)
    assert c["contribution"].sum() == pytest.approx(plan.tables["launches"]["contribution"].sum(), abs=0.001)
    assert ((c["covered"] + c["shortfall"]).round(2) == c["gap"]).all()
    assert ((c["covered"] + c["over_covered"]).round(2) == c["contribution"]).all()


def test_the_sample_ties_store_by_store():
    """The bundled sample: Lumos UK is short.  Its shortfall as shown is its gap less its contributions as shown
    (776 287.40 − 542 652.87 = 233 634.53), and the stores' shortfalls add up to the Summary's."""
    from pathlib import Path

    from goalsheet.inputs import load
    b, _ = load(Path(__file__).resolve().parents[2] / "sample_workbooks" / "demo_seller.xlsx")
    plan, _ = make_plan(b)
    c = plan.tables["coverage"].set_index("store")
    uk = c.loc["Lumos UK"]
    assert round(uk["gap"] - uk["contribution"], 2) == uk["shortfall"] > 0
    assert round(c["shortfall"].sum(), 2) == plan.headline.shortfall
    assert round(c["gap"].sum(), 2) == plan.headline.gap


def test_no_month_shows_sales_from_launches_it_does_not_have():
    """The sample: no store launches before March, so January and February's new-product sales are all growth
    before launches (not a cent from launches), and each month's two parts add up to its new products as shown."""
    from pathlib import Path

    from goalsheet.inputs import load
    b, _ = load(Path(__file__).resolve().parents[2] / "sample_workbooks" / "demo_seller.xlsx")
    plan, _ = make_plan(b)
    m = plan.tables["monthly"]
    assert list(m["new_from_launches"][:2]) == [0, 0] and list(m["launches"][:2]) == [0, 0]
    assert ((m["new_before_launches"] + m["new_from_launches"]).round(2) == m["new_sales"]).all()
