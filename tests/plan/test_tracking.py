"""Tracking (SPEC 3.9): actuals beside the plan, and the reforecast."""
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_book import book_from_sheets  # noqa: E402
from sellers import three_stores_at_30000  # noqa: E402

from goalsheet.plan import make_plan  # noqa: E402
from goalsheet.plan.basis import build_basis  # noqa: E402
from goalsheet.plan.tracking import attainment, new_launches  # noqa: E402


def test_attainment_of_a_zero_plan():
    assert attainment(0.0, 0.0) == 1.0 and attainment(-1.0, 0.0) == 0.0 and attainment(50, 200) == 0.25


def test_reforecast_scales_the_rest_of_the_year_by_attainment():
    """Three stores at 30 000, S off, g 0.05 (existing products stable: g 0.025), first launch March.
    January 2026 actual: 30 750 per store.  January's plan: target 31 500, existing 30 000 × 1.025 = 30 750,
    new products 750 (from the existing products: the store has no launch before March).
    Existing attainment 30 750 / 30 750 = 1; new products sold nothing of their 750: attainment 0, but
    before the first launch they keep their plan.  So February's reforecast = its plan, 33 075 per store;
    January's = the actual: 3 × 30 750 = 92 250."""
    sheets = three_stores_at_30000()
    for store in "ABC":
        sheets["Sales"].append(["2026-01", f"Store {store}", f"SKU-{store}", 307.5, 30750.0, 0.0])
    plan, _ = make_plan(book_from_sheets(sheets))
    t = plan.tables["tracking"].set_index(["level", "name"])
    assert t.loc[("month", "2026-01"), "actual"] == 92_250.0
    assert t.loc[("month", "2026-01"), "plan"] == 94_500.0
    assert t.loc[("month", "2026-01"), "variance"] == -2_250.0
    assert t.loc[("month", "2026-02"), "reforecast"] == pytest.approx(3 * 33_075.0)
    assert pd.isna(t.loc[("month", "2026-02"), "actual"])
    assert plan.headline.actual_sales_ytd == 92_250.0
    assert plan.headline.as_of == "2026-01"


@pytest.mark.parametrize("text_type", [object, "string"])
def test_a_new_skus_launch_month_is_its_first_month_with_units(text_type):
    """A SKU first sold in the plan year is launched in its first month with units > 0, whatever order the Sales
    rows come in and whether the months are plain or pandas text: NEW-A sells 0 in January, 600 in February
    and 200 in March (rows in reverse order), so it launched in February and reached new_monthly_units (500)
    in its first month; SKU-B sold before the plan year and is no launch."""
    sheets = three_stores_at_30000()
    for month, units in (("2026-03", 200.0), ("2026-02", 600.0), ("2026-01", 0.0)):
        sheets["Sales"].append([month, "Store A", "NEW-A", units, units * 100, 0.0])
    sheets["Sales"].append(["2026-03", "Store B", "SKU-B", 300.0, 30000.0, 0.0])
    book = book_from_sheets(sheets)
    book.sales["month"] = book.sales["month"].astype(text_type)
    launched = new_launches(build_basis(book, "2026-03"))
    assert launched[["store", "sku", "month", "success"]].values.tolist() == [["Store A", "NEW-A", "2026-02", True]]
