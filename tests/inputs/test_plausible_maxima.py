"""Plausible maxima of money and volume fields (SPEC section 6, docs/limits.md): a value above one is an error
at its cell naming the likely slip; the largest values allowed plan without an overflow in the rounding."""
from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from broken import _set, _settings_set, golden  # noqa: E402

from goalsheet.inputs import from_rows  # noqa: E402
from goalsheet.inputs.schema import MONEY_PER_UNIT_MAX, MONEY_TOTAL_MAX, UNITS_MAX  # noqa: E402


def _errors(sheets) -> list[str]:
    return [str(p) for p in from_rows(sheets)[1] if p.severity == "error"]


@pytest.mark.parametrize("value", [1e17, 1e308])
def test_cash_far_above_any_seller_is_an_error_at_its_cell(value):
    errors = _errors(_settings_set(golden(), "cash_available", value))
    assert len(errors) == 1 and errors[0].startswith("Settings!B8: cash_available ")
    assert "plausible maximum of 1,000,000,000,000" in errors[0] and "typo" in errors[0]


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, "1e400"])
def test_non_finite_money_is_an_error_not_a_crash(value):
    errors = _errors(_settings_set(golden(), "cash_available", value))
    if value != value:          # NaN reads as blank: a required value is missing
        assert any("cash_available" in e for e in errors)
    else:
        assert len(errors) == 1 and errors[0].startswith("Settings!B8: cash_available")


def test_a_price_of_1e15_names_its_cell_and_the_per_unit_slip():
    errors = _errors(_set(golden(), "SKUs", 2, 6, 1e15))          # F2: the first SKU's price
    assert errors == ["SKUs!F2: price 1e+15 is above the plausible maximum of 100,000,000 for one unit; "
                      "is it a total, or a typo with extra digits?"]


def test_sales_units_above_the_maximum_are_an_error():
    errors = _errors(_set(golden(), "Sales", 2, 4, UNITS_MAX * 10))
    assert len(errors) == 1 and errors[0].startswith("Sales!D2: units ") and "1,000,000,000 units" in errors[0]


def test_the_maximum_itself_is_allowed():
    sheets = _set(golden(), "SKUs", 2, 6, MONEY_PER_UNIT_MAX)
    assert not [e for e in _errors(sheets) if "plausible maximum" in e]


def test_the_largest_allowed_values_plan_without_a_traceback():
    """Every total at its maximum: the plan's rounding (integer minor units) must hold sums past int64."""
    from goalsheet.plan import make_plan

    sheets = golden()
    for key in ("cash_available", "credit_line", "min_cash"):
        _settings_set(sheets, key, MONEY_TOTAL_MAX)
    header = sheets["Sales"][0]
    units, revenue = header.index("units"), header.index("revenue")
    for row in sheets["Sales"][1:]:
        row[units], row[revenue] = UNITS_MAX, MONEY_TOTAL_MAX
    book, problems = from_rows(sheets)
    assert book is not None, [str(p) for p in problems if p.severity == "error"]
    plan, _ = make_plan(book)
    headline = plan.to_json()["headline"]
    assert headline["gs_target_sales"] > 100 * MONEY_TOTAL_MAX        # the sums really are past int64 cents
    assert all(math.isfinite(v) for v in headline.values() if isinstance(v, float))


def test_rounding_keeps_its_total_past_int64():
    from goalsheet.plan.breakdown import round_largest_remainder
    values = [MONEY_TOTAL_MAX * 1e6 / 3] * 3 + [0.005]
    out = round_largest_remainder(values, 2)
    assert out.sum() == pytest.approx(sum(values), rel=1e-12) and all(math.isfinite(v) for v in out)
