"""Existing products (SPEC 3.3): run-rate, trend classes, growth, forecasts."""
import numpy as np
import pandas as pd
import pytest

from goalsheet.plan.calendar import make_calendar
from goalsheet.plan.existing import forecast_existing

# S for Jan..Dec; only Jul..Dec matter below (history Jul..Dec 2025)
S = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.8, 0.9, 1.0, 1.1, 1.3, 1.5])


def analyse(series: dict[str, list[float]], growth_rate=None, status=None, store_growth=0.04, baseline=3,
            months=("2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12")):
    rows = [(m, "S", sku, v / 10, v) for sku, values in series.items()
            for m, v in zip(months[len(months) - len(values):], values)]
    sales = pd.DataFrame(rows, columns=["month", "store", "sku", "units", "revenue"])
    skus = pd.DataFrame({"store": "S", "sku": list(series), "operator": "Op",
                         "status": status or ["active"] * len(series),
                         "growth_rate": growth_rate or [np.nan] * len(series), "launch_month": None})
    cal, _ = make_calendar(set(sales["month"]), 2026)
    return forecast_existing(sales, skus, cal, S, baseline, pd.Series({"S": store_growth}))


def test_run_rate_is_the_deseasonalised_mean():
    """Oct 110, Nov 130, Dec 150 over S 1.1, 1.3, 1.5 -> 100, 100, 100: run-rate 100, units 10.
    Forecast for January 2026 (m = 1, S_Jan 1.0), stable: 100 × 1 = 100."""
    ex = analyse({"A": [80, 90, 100, 110, 130, 150]})
    p = ex.products.iloc[0]
    assert p["run_rate"] == pytest.approx(100.0) and p["run_rate_units"] == pytest.approx(10.0)
    assert ex.stable_sales[0, 0] == pytest.approx(100.0)


def test_run_rate_over_the_months_since_first_sale_when_fewer():
    """First sale in December: 150 / 1.5 = 100 over one month (not (0 + 0 + 150/1.5) / 3)."""
    ex = analyse({"A": [150]})
    assert ex.products.iloc[0]["run_rate"] == pytest.approx(100.0)
    assert ex.products.iloc[0]["trend"] == "stable"       # under 6 months of history


def test_trend_classes_and_their_growth():
    """Deseasonalised Jul..Sep and Oct..Dec means (S 0.8, 0.9, 1.0 | 1.1, 1.3, 1.5):
    G: 100 then 120 -> ratio 1.2 > 1.10 growing, g = store's 0.04
    F: 100 then 100 -> 1.0 stable, g = 0.04 / 2 = 0.02
    D: 100 then 80  -> 0.8 declining, g = 0.8^(1/3) − 1 = −0.071682
    X: 100 then 50  -> 0.5 declining, 0.5^(1/3) − 1 = −0.2063 floored at −0.10
    O: stable, but its SKUs growth_rate 0.07 overrides."""
    base = [80, 90, 100]
    last = lambda x: [1.1 * x, 1.3 * x, 1.5 * x]            # noqa: E731
    ex = analyse({"G": base + last(120), "F": base + last(100), "D": base + last(80), "X": base + last(50),
                  "O": base + last(100)}, growth_rate=[np.nan] * 4 + [0.07])
    p = ex.products.set_index("sku")
    assert list(p["trend"]) == ["growing", "stable", "declining", "declining", "stable"]
    assert p.loc["G", "trend_ratio"] == pytest.approx(1.2)
    assert p.loc["G", "g"] == pytest.approx(0.04) and p.loc["F", "g"] == pytest.approx(0.02)
    assert p.loc["D", "g"] == pytest.approx(0.8 ** (1 / 3) - 1) and p.loc["D", "g"] == pytest.approx(-0.071682, abs=1e-6)
    assert p.loc["X", "g"] == pytest.approx(-0.10)
    assert p.loc["O", "g"] == pytest.approx(0.07)


def test_growth_forecast():
    """G: run-rate 120, g 0.04; March 2026 is m = 3, S_Mar 1.0: 120 × 1.04^3 = 134.98368."""
    ex = analyse({"G": [80, 90, 100, 132, 156, 180]})
    assert ex.products.iloc[0]["run_rate"] == pytest.approx(120.0)
    assert ex.growth_sales[0, 2] == pytest.approx(134.98368)
    assert ex.growth_units[0, 2] == pytest.approx(13.498368)


def test_discontinued_and_silent_skus_are_not_existing():
    ex = analyse({"A": [80, 90, 100, 110, 130, 150], "B": [80, 90, 100, 110, 130, 150]},
                 status=["active", "discontinued"])
    assert list(ex.products["existing"]) == [True, False]
    assert ex.growth_sales[1].sum() == 0
