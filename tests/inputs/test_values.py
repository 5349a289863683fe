"""Numbers, months and rates as sellers type them (SPEC.md section 2); expected values by hand."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from goalsheet.inputs.values import (BadValue, month_column, number_column, parse_month, parse_months_list,
                                     parse_number, rate_value, suggest_rate)


@pytest.mark.parametrize("text,value,percent", [
    ("1234.5", 1234.5, False),
    ("1,234.50", 1234.5, False),
    ("$1,234.50", 1234.5, False),
    ("US$12", 12.0, False),
    ("¥88", 88.0, False),
    ("￥88", 88.0, False),
    ("88元", 88.0, False),
    ("RMB 1,000", 1000.0, False),
    ("12 EUR", 12.0, False),
    ("€12,50", 12.5, False),            # a lone comma before 1-2 digits is a decimal comma
    ("1.234,50", 1234.5, False),        # European thousands dot + decimal comma
    ("1,234", 1234.0, False),           # three digits after the comma: thousands
    ("15%", 0.15, True),
    ("7.5 %", 0.075, True),
    ("1.2万", 12000.0, False),
    ("3亿", 3e8, False),
    ("5千", 5000.0, False),
    ("3k", 3000.0, False),
    ("3K", 3000.0, False),
    ("2.5M", 2.5e6, False),
    ("1.2w", 12000.0, False),
    ("(123)", -123.0, False),
    ("−45", -45.0, False),              # unicode minus
    ("-$12", -12.0, False),
    ("１２３", 123.0, False),            # full-width digits
    ("1 234,5", 1234.5, False),         # space as thousands separator
    ("  42  ", 42.0, False),
])
def test_number_text(text, value, percent):
    got, had = parse_number(text)
    assert got == pytest.approx(value)
    assert had is percent


@pytest.mark.parametrize("text", ["abc", "12abc", "1,2,3", "--5", "$", "%", "1.2.3.4x", "TRUE"])
def test_not_a_number(text):
    with pytest.raises(BadValue):
        parse_number(text)


def test_number_cells_of_other_types():
    assert parse_number(3) == (3.0, False)
    assert parse_number(2.5) == (2.5, False)
    assert parse_number(None) == (None, False)
    assert parse_number("") == (None, False)
    with pytest.raises(BadValue):
        parse_number(True)
    with pytest.raises(BadValue):
        parse_number(dt.date(2025, 3, 1))


@pytest.mark.parametrize("value,month", [
    ("2025-03", "2025-03"),
    ("2025/3", "2025-03"),
    ("2025.03", "2025-03"),
    ("2025年3月", "2025-03"),
    ("2025年03月15日", "2025-03"),
    ("Mar 2025", "2025-03"),
    ("March 2025", "2025-03"),
    ("mar-25", "2025-03"),
    ("2025 Mar", "2025-03"),
    ("2025-03-15", "2025-03"),
    ("2025/3/15", "2025-03"),
    ("15/03/2025", "2025-03"),          # day > 12: day/month/year
    ("03/15/2025", "2025-03"),          # month/day/year
    ("03/2025", "2025-03"),
    ("202503", "2025-03"),
    (dt.date(2025, 3, 31), "2025-03"),
    (dt.datetime(2025, 3, 1, 12, 30), "2025-03"),
    (45717.0, "2025-03"),               # Excel serial: 45658 = 2025-01-01; + 31 (Jan) + 28 (Feb) = 2025-03-01
    (202503, "2025-03"),
])
def test_months(value, month):
    assert parse_month(value) == month


@pytest.mark.parametrize("text", ["2025-13", "sometime", "03/04/2025", "Smarch 2025", "2025"])
def test_not_a_month(text):
    with pytest.raises(BadValue):
        parse_month(text)


def test_months_list():
    assert parse_months_list("1-6") == (1, 2, 3, 4, 5, 6)
    assert parse_months_list("3,4,5") == (3, 4, 5)
    assert parse_months_list("1-3, 10-12") == (1, 2, 3, 10, 11, 12)
    assert parse_months_list("1，2") == (1, 2)
    assert parse_months_list(7) == (7,)
    assert parse_months_list(None) is None
    for bad in ("13-15", "6-1", "spring"):
        with pytest.raises(BadValue):
            parse_months_list(bad)


def test_rate_percent_rule():
    """hi <= 1: a plain 15 means 15 % (0.15) and is flagged; 15% is already 0.15; 0.15 stays.
    hi > 1 (duty up to 300 %): a plain 1.5 is a ratio, 150 %."""
    assert rate_value(15, False, 0, 0.5) == (0.15, True)
    assert rate_value(0.15, True, 0, 0.5) == (0.15, False)
    assert rate_value(0.15, False, 0, 0.5) == (0.15, False)
    assert rate_value(-5, False, -0.5, 0.5) == (-0.05, True)     # growth -5 -> -5 %
    assert rate_value(1.5, False, 0, 3.0) == (1.5, False)


def test_rate_suggestions():
    """payout fee 1 (= 100 %, range 0-10 %): 1/100 = 1 %; referral 250 % (range 0-50 %): an extra zero, 25 %;
    bonus from 80 (range 0-5): 80/100 = 80 %."""
    assert suggest_rate(1.0, 0, 0.1, False) == pytest.approx(0.01)
    assert suggest_rate(2.5, 0, 0.5, True) == pytest.approx(0.25)
    assert suggest_rate(80, 0, 5, False) == pytest.approx(0.8)
    assert suggest_rate(1e9, 0, 0.5, False) is None


def test_number_column_mixed_cells():
    """Floats pass through; text is parsed; blanks are NaN; bad cells reported by position."""
    values, percent, bad, blank = number_column(pd.Series([1.5, "2,000", "", None, "15%", "x"], dtype=object))
    assert values.iloc[0] == 1.5 and values.iloc[1] == 2000.0 and values.iloc[4] == pytest.approx(0.15)
    assert blank.tolist() == [False, False, True, True, False, False]
    assert percent.tolist() == [False, False, False, False, True, False]
    assert list(bad) == [5]


def test_month_column_parses_distinct_values_once():
    months, bad = month_column(pd.Series(["2025-01", dt.date(2025, 1, 15), "Feb 2025", None, "nope"], dtype=object))
    assert months.tolist() == ["2025-01", "2025-01", "2025-02", None, None]
    assert list(bad) == [4]
