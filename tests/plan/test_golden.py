"""The golden seller (tests/golden): every figure of expected.json, to the cent.

The figures were computed independently from SPEC section 3 (see tests/golden/README.md for the
working of six of them); this test only compares.
"""
import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_book import GOLDEN, golden_book  # noqa: E402

from goalsheet.plan import make_plan  # noqa: E402
from goalsheet.plan.basis import build_basis  # noqa: E402

EXPECTED = json.loads((GOLDEN / "expected.json").read_text())["figures"]


@pytest.fixture(scope="module")
def golden():
    book = golden_book()
    plan, problems = make_plan(book)
    return book, plan, problems


def test_headline(golden):
    _, plan, _ = golden
    for key, value in EXPECTED["headline"].items():
        got = plan.headline[key[3:]]
        if key == "gs_target_net_profit":       # 801 502.2550 at full precision: .25 and .26 both right
            assert got in (801502.25, 801502.26)
        else:
            assert got == value, key


def test_plan_year_default_is_warned(golden):
    _, _, problems = golden
    assert any("plan_year" in p.message and "2026" in p.message for p in problems)


def test_seasonality(golden):
    book, _, _ = golden
    S = build_basis(book).S
    assert np.round(S, 6).tolist() == EXPECTED["seasonality"]


def test_unit_economics(golden):
    _, plan, _ = golden
    profit = plan.tables["profit"].set_index(["store", "sku"])
    for store, skus in EXPECTED["unit_economics"].items():
        for sku, f in skus.items():
            r = profit.loc[(store, sku)]
            assert round(r["unit_net"], 2) == f["unit_net_store_currency"], sku
            assert round(r["unit_net_base"], 2) == f["unit_net_base"], sku
            assert round(r["net_margin"], 6) == f["net_margin"], sku


def test_existing_products(golden):
    _, plan, _ = golden
    products = plan.tables["products"].set_index(["store", "sku"])
    for store, skus in EXPECTED["existing_products"].items():
        for sku, f in skus.items():
            r = products.loc[(store, sku)]
            assert round(r["run_rate"], 2) == f["run_rate_store_currency"], sku
            assert r["trend"] == f["trend"], sku
            assert round(r["g"], 6) == f["g"], sku


def test_store_gaps_and_totals(golden):
    _, plan, _ = golden
    stores = plan.tables["stores"].set_index("store")
    for store, gap in EXPECTED["store_gaps"].items():
        assert stores.loc[store, "gap"] == gap
    for store, total in EXPECTED["store_totals"].items():
        assert stores.loc[store, "total"] == total
    operators = plan.tables["operators"].set_index("operator")
    for op, total in EXPECTED["operator_totals"].items():
        assert operators.loc[op, "total"] == total


def test_monthly_targets(golden):
    _, plan, _ = golden
    assert plan.tables["monthly"]["target_sales"].tolist() == EXPECTED["monthly_targets"]


def test_launches(golden):
    _, plan, _ = golden
    lt = plan.tables["launches"]
    got = [{"month": r.launch_month, "store": r.store, "operator": r.operator, "planned": r.source == "planned",
            "contribution": r.contribution} for r in lt.itertuples()]
    assert got == EXPECTED["launches"]


def test_new_product_parameters(golden):
    book, _, _ = golden
    npd = build_basis(book).new_products.set_index("store")
    for store, f in EXPECTED["new_product"].items():
        r = npd.loc[store]
        assert round(r["price"], 4) == f["price"]
        assert r["monthly_units"] == f["monthly_units"] and r["unit_cost"] == f["unit_cost"]
        assert round(r["unit_net_base"], 2) == f["unit_net_base"]


def test_target_net_profit_parts(golden):
    _, plan, _ = golden
    parts = plan.frozen["target_net_profit_parts"]
    for key, value in EXPECTED["target_net_profit_parts"].items():
        assert round(parts[key], 2) == value, key


def test_bonus(golden):
    _, plan, _ = golden
    b = plan.tables["bonus"]
    totals = b[b["kind"] == "total"].set_index("operator")
    for op, f in EXPECTED["bonus"].items():
        assert totals.loc[op, "bonus_80"] == f["80%"]
        assert totals.loc[op, "bonus_100"] == f["100%"]
        assert totals.loc[op, "bonus_120"] == f["120%"]


def test_every_check_passes(golden):
    _, plan, _ = golden
    checks = plan.tables["checks"]
    assert (checks["result"] == "PASS").all(), checks[checks["result"] != "PASS"]


def test_real_workbook_gives_the_same_plan():
    """The golden workbook through the reader (goalsheet.inputs.load) plans the same headline."""
    from goalsheet.inputs import load
    book, problems = load(GOLDEN / "golden_seller.xlsx")
    assert book is not None, [str(p) for p in problems]
    plan, _ = make_plan(book)
    assert plan.headline["target_sales"] == EXPECTED["headline"]["gs_target_sales"]
    assert plan.headline["target_net_profit"] in (801502.25, 801502.26)
    assert plan.headline["launches_needed"] == 5
