"""Cell values as sellers type them: numbers, percentages, months (SPEC.md section 2).

Scalar parsers (`parse_number`, `parse_month`, `parse_months_list`, ...) say what one cell means and
raise `BadValue` with a sentence a seller understands.  The column functions (`number_column`,
`month_column`) apply them to a whole pandas column fast: numbers that are already numbers go
through `pd.to_numeric` at C speed, and the scalar parser only sees the distinct text values.

Numbers accepted as text (decided here, documented in docs/input-format.md):
    1234.5   1,234.50   $1,234.50   US$12   ¥88   ￥88   €12.50   12.50 €   12 EUR   RMB 88   88元
    15%  (= 0.15)   1.2万 (= 12 000)   3亿   5千   3k / 3K (= 3 000)   2.5m / 2.5M (= 2 500 000)   1.2w (= 12 000)
    (123) and −123 (negative)   full-width digits １２３   non-breaking / thin spaces inside
A comma is a thousands separator (`1,234` = 1234) unless it is the only separator and is followed by
exactly one or two digits: then it is a decimal comma (`€12,50` = 12.5, `1.234,50` = 1234.5).
"""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

import numpy as np
import pandas as pd

from goalsheet.words import Phrase


class BadValue(ValueError):
    """A cell that cannot be read as what its column needs: `phrase` is the catalogue's sentence for it (code and
    args, `goalsheet.words`); str() is that sentence in English."""

    def __init__(self, code: str, **args: object):
        self.phrase = Phrase(code, args)
        super().__init__(self.phrase.text("en"))

    def __reduce__(self):
        return _bad_value, (self.phrase.code, dict(self.phrase.args))


def _bad_value(code: str, args: dict) -> BadValue:
    return BadValue(code, **args)


_CURRENCY_MARKS = re.compile(
    r"(?i)(us\$|c\$|ca\$|a\$|au\$|hk\$|s\$|mx\$|r\$|\$|¥|￥|€|£|₹|元|rmb|cny|usd|cad|mxn|brl|gbp|eur|sek|pln|jpy|"
    r"aud|sgd|aed|sar|inr|try|hkd|円|kr|zł)")
_MULTIPLIERS = {"万": 1e4, "w": 1e4, "亿": 1e8, "千": 1e3, "k": 1e3, "m": 1e6, "百万": 1e6}
_NUMBER = re.compile(r"^(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$", re.I)


def _fmt(v: float) -> str:
    """A number as a seller would write it (no trailing zeros, no exponent)."""
    if not math.isfinite(v):
        return str(v)
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return f"{v:.6f}".rstrip("0").rstrip(".")


def parse_number_text(text: str) -> tuple[float, bool]:
    """Read a number written as text; returns (value, had_percent_sign).

    >>> parse_number_text("$1,234.50")
    (1234.5, False)
    >>> parse_number_text("15%")
    (0.15, True)
    """
    s = unicodedata.normalize("NFKC", text).strip()
    if not s:
        raise BadValue("blank")
    s = s.replace("\u2212", "-").replace("\u2013", "-").replace("\u2014", "-")
    s = re.sub(r"[\s\u00a0\u2009\u202f']", "", s)
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if s.startswith("-"):
        negative, s = not negative, s[1:]
    elif s.startswith("+"):
        s = s[1:]
    s = _CURRENCY_MARKS.sub("", s)
    if s.startswith("-") and not negative:     # "$-12" / "USD -12"
        negative, s = True, s[1:]
    percent = False
    if s.endswith("%"):
        percent, s = True, s[:-1]
    factor = 1.0
    for suffix in ("百万", "万", "亿", "千", "k", "K", "m", "M", "w", "W"):
        if s.endswith(suffix) and len(s) > len(suffix):
            factor, s = _MULTIPLIERS[suffix.lower()], s[: -len(suffix)]
            break
    if "," in s:
        if "." in s:
            if s.rfind(",") > s.rfind("."):        # 1.234,50 (European)
                s = s.replace(".", "").replace(",", ".")
            else:                                  # 1,234.50
                s = s.replace(",", "")
        elif s.count(",") == 1 and re.fullmatch(r"\d+,\d{1,2}", s):
            s = s.replace(",", ".")                # €12,50: a decimal comma
        else:
            if not re.fullmatch(r"\d{1,3}(,\d{3})+", s):
                raise BadValue("not_number", text=text)
            s = s.replace(",", "")
    elif s.count(".") > 1 and re.fullmatch(r"\d{1,3}(\.\d{3})+", s):
        s = s.replace(".", "")                     # 1.234.567 (European thousands)
    if not _NUMBER.match(s):
        raise BadValue("not_number", text=text)
    value = float(s) * factor
    if percent:
        value /= 100
    if negative:
        value = -value
    if not math.isfinite(value):
        raise BadValue("not_number", text=text)
    return value, percent


def parse_number(value: object) -> tuple[float | None, bool]:
    """One cell as a number: (value or None when blank, had_percent_sign). Raises BadValue."""
    if value is None:
        return None, False
    if isinstance(value, bool):
        raise BadValue("bool_not_number", word="TRUE" if value else "FALSE")
    if isinstance(value, (int, float, np.integer, np.floating)):
        v = float(value)
        if math.isnan(v):
            return None, False
        if not math.isfinite(v):
            raise BadValue("not_finite")
        return v, False
    if isinstance(value, (dt.date, dt.datetime, dt.time, dt.timedelta, pd.Timestamp)):
        raise BadValue("date_not_number", value=value)
    text = str(value)
    if not text.strip():
        return None, False
    return parse_number_text(text)


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


# ---------------------------------------------------------------- months

_MONTH_NAMES = {m.lower(): i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_MONTH_NAMES.update({"sept": 9, "january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7,
                     "august": 8, "september": 9, "october": 10, "november": 11, "december": 12})
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)

_MONTH_PATTERNS = [
    # 2025-03, 2025/3, 2025.03, 2025-03-15, 2025/3/15, 2025-03-15 00:00:00, 2025-03-15T...
    (re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?:[ T].*)?$"), "ym"),
    # 2025年3月, 2025年3月15日, 2025年03月
    (re.compile(r"^(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?$"), "ym"),
    # 202503
    (re.compile(r"^(\d{4})(\d{2})$"), "ym"),
    # 03/2025, 3-2025
    (re.compile(r"^(\d{1,2})[-/.](\d{4})$"), "my"),
    # 15.03.2025: dots are written day first (Germany, Amazon's European reports)
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T].*)?$"), "d.m.y"),
    # 15/03/2025 or 03/15/2025: the month is ambiguous unless one side is > 12
    (re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T].*)?$"), "dmy"),
]
# the time of day after a date, as Amazon's reports write it: `10:03:05 AM PST`, `10:03:05 UTC`, `10:03:05JST`,
# `23:30:00+00:00`
_TIME_OF_DAY = re.compile(r"[\sT]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?"
                          r"(?:\s*(?:[A-Za-z]{1,5}|[+-]\d{2}:?\d{2}))?\s*$")


def _month_str(year: int, month: int, text: str) -> str:
    if not (1 <= month <= 12) or not (1900 <= year <= 2200):
        raise BadValue("not_month", text=text)
    return f"{year:04d}-{month:02d}"


def parse_month_text(text: str) -> str:
    """A month written as text, as 'YYYY-MM'.

    >>> [parse_month_text(t) for t in ["2025-03", "2025/3", "2025年3月", "Mar 2025", "2025-03-15"]]
    ['2025-03', '2025-03', '2025-03', '2025-03', '2025-03']
    >>> [parse_month_text(t) for t in ["Jan 17, 2025 10:03:05 AM PST", "17 Jan 2025 10:03:05 UTC",
    ...                                "05.01.2025 10:03:05 UTC", "2025年1月15日 10:03:05 JST"]]
    ['2025-01', '2025-01', '2025-01', '2025-01']
    """
    s = unicodedata.normalize("NFKC", text).strip()
    for pattern, order in _MONTH_PATTERNS:
        m = pattern.match(s)
        if not m:
            continue
        if order == "ym":
            return _month_str(int(m.group(1)), int(m.group(2)), text)
        if order == "my":
            return _month_str(int(m.group(2)), int(m.group(1)), text)
        if order == "d.m.y":
            return _month_str(int(m.group(3)), int(m.group(2)), text)
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if a > 12 >= b:
            return _month_str(year, b, text)      # day/month/year
        if b > 12 >= a:
            return _month_str(year, a, text)      # month/day/year
        if a == b:
            return _month_str(year, a, text)
        raise BadValue("month_ambiguous", text=text, year=year)
    # Mar 2025, March 2025, Mar-2025, Mar-25, 2025 Mar, 1-Mar-2025
    words = re.findall(r"[A-Za-z]+|\d+", s)
    names = [w for w in words if w.lower() in _MONTH_NAMES]
    numbers = [w for w in words if w.isdigit()]
    if len(names) == 1 and len(words) == len(names) + len(numbers) and 1 <= len(numbers) <= 2:
        years = [int(n) for n in numbers if len(n) == 4]
        if not years and len(numbers) == 1 and len(numbers[0]) == 2:
            years = [2000 + int(numbers[0])]     # Mar-25
        if len(years) == 1:
            return _month_str(years[0], _MONTH_NAMES[names[0].lower()], text)
    # a date with its time of day and time zone (`Jan 17, 2025 10:03:05 AM PST`): the month of the date as written
    day = _TIME_OF_DAY.sub("", s)
    if day != s and day:
        try:
            return parse_month_text(day)
        except BadValue:
            pass
    raise BadValue("month_unreadable", text=text)


def parse_month(value: object) -> str | None:
    """One cell as a month 'YYYY-MM' (None when blank). Dates and datetimes give their month."""
    if is_blank(value):
        return None
    if isinstance(value, (dt.datetime, dt.date, pd.Timestamp)):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, bool):
        raise BadValue("bool_not_month", word="TRUE" if value else "FALSE")
    if isinstance(value, (int, float, np.integer, np.floating)):
        v = float(value)
        if not math.isfinite(v):
            raise BadValue("number_not_month", value=f"{v}")
        if v == int(v) and 190001 <= v <= 220012 and 1 <= v % 100 <= 12:
            return f"{int(v) // 100:04d}-{int(v) % 100:02d}"      # 202503
        if 1 <= v < 2958466:                                      # an Excel serial date
            d = _EXCEL_EPOCH + dt.timedelta(days=v)
            return f"{d.year:04d}-{d.month:02d}"
        raise BadValue("number_not_month", value=_fmt(v))
    return parse_month_text(str(value))


def parse_months_list(value: object) -> tuple[int, ...] | None:
    """Expenses `months`: `1-6`, `3,4,5`, `1-3, 10-12`, `1，2` -> calendar months (None when blank)."""
    if is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if math.isfinite(float(value)) and float(value) == int(value) and 1 <= int(value) <= 12:
            return (int(value),)
        raise BadValue("not_month_number", value=value)
    s = unicodedata.normalize("NFKC", str(value)).strip()
    months: list[int] = []
    for part in re.split(r"[,;、\s]+", s):
        if not part:
            continue
        m = re.fullmatch(r"(\d{1,2})(?:月)?(?:[-~到至](\d{1,2})(?:月)?)?", part)
        if not m:
            raise BadValue("not_month_list", value=value)
        a, b = int(m.group(1)), int(m.group(2) or m.group(1))
        if not (1 <= a <= 12 and 1 <= b <= 12 and a <= b):
            raise BadValue("month_list_range", value=value)
        months.extend(range(a, b + 1))
    if not months:
        raise BadValue("not_month_list", value=value)
    return tuple(sorted(set(months)))


# ---------------------------------------------------------------- rates

def percent_text(v: float) -> str:
    return _fmt(round(v * 100, 6)) + " %"


def suggest_rate(value: float, lo: float, hi: float, had_percent: bool) -> float | None:
    """The value the seller most likely meant when `value` is outside lo..hi, or None.

    A referral of `250%` is most likely 25 % (an extra zero); a payout fee of `1` (read as 100 %)
    is most likely 1 %.
    """
    factors = (10, 100, 1000) if had_percent else (100, 10, 1000)
    for f in factors:
        candidate = value / f
        if lo <= candidate <= hi and candidate != 0:
            return candidate
    return None


def rate_value(value: float, had_percent: bool, lo: float | None, hi: float | None) -> tuple[float, bool]:
    """Apply SPEC section 2's percent rule to a rate: (ratio, read_as_percent).

    Where the range ends at or below 100 % (hi <= 1) a plain value above 1 (in size) means percent:
    15 -> 0.15 (the caller warns).  Where the range allows more (duty up to 300 %), plain numbers are
    ratios: 1.5 = 150 %.
    """
    if not had_percent and hi is not None and hi <= 1 and abs(value) > 1:
        return value / 100, True
    return value, False


# ---------------------------------------------------------------- whole columns

def number_column(raw: pd.Series) -> tuple[pd.Series, pd.Series, dict[int, Phrase], pd.Series]:
    """Parse a column of cells as numbers, fast.

    Returns (values float64 with NaN for blanks, percent flags bool, {row position: why (a Phrase)} for the
    cells that are not numbers, blank mask).
    """
    n = len(raw)
    if raw.dtype.kind in "fi":
        values = raw.astype("float64")
        return (values.reset_index(drop=True), pd.Series(np.zeros(n, bool)), {},
                values.isna().reset_index(drop=True))
    obj = raw.astype(object).reset_index(drop=True)
    arr = obj.to_numpy()
    if pd.api.types.infer_dtype(arr, skipna=True) in ("floating", "integer", "mixed-integer-float", "empty"):
        values = pd.Series(arr.astype("float64"))      # all numbers (or blank): C speed
        return values, pd.Series(np.zeros(n, bool)), {}, values.isna()
    is_num = np.fromiter((type(v) in (float, int) for v in arr), dtype=bool, count=n)
    values = np.full(n, np.nan)
    if is_num.any():
        values[is_num] = arr[is_num].astype("float64")
    percent = np.zeros(n, bool)
    blank = np.zeros(n, bool)
    bad: dict[int, Phrase] = {}
    rest = np.flatnonzero(~is_num)
    if len(rest):
        cache: dict[object, tuple[float | None, bool] | Phrase] = {}
        for i in rest:
            v = arr[i]
            key = (type(v), v) if not isinstance(v, float) else ("nan", 0)
            try:
                hit = cache.get(key)
            except TypeError:
                hit, key = None, None
            if hit is None:
                try:
                    hit = parse_number(v)
                except BadValue as e:
                    hit = e.phrase
                if key is not None:
                    cache[key] = hit
            if isinstance(hit, Phrase):
                bad[int(i)] = hit
            elif hit[0] is None:
                blank[i] = True
            else:
                values[i], percent[i] = hit
    nan_num = is_num & np.isnan(values)
    blank |= nan_num
    return pd.Series(values), pd.Series(percent), bad, pd.Series(blank)


def month_column(raw: pd.Series) -> tuple[pd.Series, dict[int, Phrase]]:
    """Parse a column of cells as months 'YYYY-MM' (None for blanks), parsing each distinct value once."""
    obj = raw.astype(object).reset_index(drop=True)
    codes, uniques = pd.factorize(obj, use_na_sentinel=True)
    parsed: list[str | None] = []
    bad_unique: dict[int, Phrase] = {}
    for j, u in enumerate(uniques):
        try:
            parsed.append(parse_month(u))
        except BadValue as e:
            parsed.append(None)
            bad_unique[j] = e.phrase
    lookup = np.array(parsed + [None], dtype=object)
    months = lookup[codes]           # code -1 (NaN/None) picks the trailing None
    bad: dict[int, Phrase] = {}
    if bad_unique:
        for j, msg in bad_unique.items():
            for i in np.flatnonzero(codes == j):
                bad[int(i)] = msg
    return pd.Series(months, dtype=object), bad
