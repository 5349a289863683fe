"""Months out of Amazon's dates: date-time texts with time-zone names, ISO time stamps, and the date range a
seller's file name carries (`goalsheet import`).

Seller Central writes a transaction's date in the marketplace's own time and way (`Jan 17, 2025 10:03:05 AM PST`
in the US, `17 Jan 2025 10:03:05 UTC` in the UK, `15.01.2025 10:03:05 UTC` in Germany, `2025/01/15 10:03:05JST`
in Japan): the month is the date as written, whatever the zone.  The order reports stamp orders in UTC
(`2025-01-31T23:30:00+00:00`); Seller Central counts an order in the month of the marketplace's own clock, so the
stamp is turned to that clock first (an order placed at 23:30 UTC on 31 January is a January order in London but
a February one in Tokyo).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# the clock Seller Central reports a marketplace's days in
MARKET_ZONE = {"US": "America/Los_Angeles", "CA": "America/Los_Angeles", "MX": "America/Los_Angeles",
               "BR": "America/Sao_Paulo", "UK": "Europe/London", "DE": "Europe/Berlin", "FR": "Europe/Paris",
               "IT": "Europe/Rome", "ES": "Europe/Madrid", "NL": "Europe/Amsterdam", "SE": "Europe/Stockholm",
               "PL": "Europe/Warsaw", "BE": "Europe/Brussels", "JP": "Asia/Tokyo", "AU": "Australia/Sydney",
               "SG": "Asia/Singapore", "AE": "Asia/Dubai", "SA": "Asia/Riyadh", "IN": "Asia/Kolkata",
               "TR": "Europe/Istanbul"}
# month names as the localised reports abbreviate them (English, German, French, Italian, Spanish)
MONTH_WORDS = {}
for _i, _names in enumerate((
        ("jan", "january", "januar", "jän", "janv", "janvier", "gen", "gennaio", "ene", "enero"),
        ("feb", "february", "februar", "févr", "fevr", "février", "febbraio", "febrero"),
        ("mar", "march", "mär", "märz", "maerz", "mars", "marzo"),
        ("apr", "april", "avr", "avril", "aprile", "abr", "abril"),
        ("may", "mai", "mag", "maggio", "mayo"),
        ("jun", "june", "juni", "juin", "giu", "giugno", "junio"),
        ("jul", "july", "juli", "juil", "juillet", "lug", "luglio", "julio"),
        ("aug", "august", "août", "aout", "ago", "agosto"),
        ("sep", "sept", "september", "septembre", "set", "settembre", "septiembre"),
        ("oct", "october", "okt", "oktober", "octobre", "ott", "ottobre", "octubre"),
        ("nov", "november", "novembre", "noviembre"),
        ("dec", "december", "dez", "dezember", "déc", "décembre", "dic", "dicembre", "diciembre")), start=1):
    for _n in _names:
        MONTH_WORDS[_n] = _i

_NAME_DAY_YEAR = re.compile(r"^([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})\b")         # Jan 17, 2025
_DAY_NAME_YEAR = re.compile(r"^(\d{1,2})\.?\s*([^\W\d_]+)\.?\s+(\d{4})\b")        # 17 Jan 2025, 17. Januar 2025
_YMD = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")                     # 2025/01/15, 2025-01-15
_DMY_DOTS = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\b")                       # 15.01.2025
_SLASHES = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2,4})\b")                         # 1/17/2025 or 17/01/2025
# the marketplaces that write a slashed date month first
MONTH_FIRST = ("US", "CA", "MX", "BR", "PH")


def _month(year: int, month: int) -> str | None:
    if 1 <= month <= 12 and 1990 <= year <= 2200:
        return f"{year:04d}-{month:02d}"
    return None


def month_of_date_text(value: object, marketplace: str | None = None) -> str | None:
    """The month 'YYYY-MM' of a date or date-time as a report writes it, or None when it is not one.

    >>> [month_of_date_text(t) for t in ("Jan 17, 2025 10:03:05 AM PST", "17 Jan 2025 10:03:05 UTC",
    ...                                   "15.01.2025 10:03:05 UTC", "2025/01/15 10:03:05JST")]
    ['2025-01', '2025-01', '2025-01', '2025-01']
    """
    if isinstance(value, dt.datetime | dt.date):
        return _month(value.year, value.month)
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    m = _NAME_DAY_YEAR.match(text)
    if m and m.group(1).lower() in MONTH_WORDS:
        return _month(int(m.group(3)), MONTH_WORDS[m.group(1).lower()])
    m = _DAY_NAME_YEAR.match(text)
    if m and m.group(2).lower() in MONTH_WORDS:
        return _month(int(m.group(3)), MONTH_WORDS[m.group(2).lower()])
    m = _YMD.match(text)
    if m:
        return _month(int(m.group(1)), int(m.group(2)))
    m = _DMY_DOTS.match(text)
    if m:
        return _month(int(m.group(3)), int(m.group(2)))
    m = _SLASHES.match(text)
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        year += 2000 if year < 100 else 0
        month_first = (marketplace or "US") in MONTH_FIRST
        if a > 12:
            month_first = False
        elif b > 12:
            month_first = True
        return _month(year, a if month_first else b)
    return None


def month_of_stamp(value: object, marketplace: str | None) -> str | None:
    """The month of an order's time stamp on the marketplace's clock (`2025-01-31T23:30:00+00:00`); a stamp with
    no zone is taken as written."""
    if isinstance(value, dt.datetime):
        stamp = value
    elif isinstance(value, str):
        text = value.strip().replace("Z", "+00:00")
        try:
            stamp = dt.datetime.fromisoformat(text)
        except ValueError:
            return month_of_date_text(value, marketplace)
    else:
        return month_of_date_text(value, marketplace)
    if stamp.tzinfo is not None and marketplace in MARKET_ZONE:
        try:
            stamp = stamp.astimezone(ZoneInfo(MARKET_ZONE[marketplace]))
        except ZoneInfoNotFoundError:
            pass
    return _month(stamp.year, stamp.month)


_FILE_DATE = re.compile(r"(?<!\d)(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")
_FILE_MONTH = re.compile(r"(?<!\d)(\d{4})[-_.年](\d{1,2})(?:月)?(?![-_.]?\d)")


def month_of_file_name(name: str) -> tuple[str | None, str | None]:
    """(month, trouble) from a file name: a date range within one month (`..._2025-01-01_2025-01-31.csv`), or a
    month alone (`..._2025-01.csv`, `2025年1月`).  A single full date is not taken (Seller Central names a
    download after the day it was made); a range over several months is `trouble` ("several")."""
    stem = name.rsplit(".", 1)[0]
    dates = []
    for m in _FILE_DATE.finditer(stem):
        month = _month(int(m.group(1)), int(m.group(2)))
        if month and 1 <= int(m.group(3)) <= 31:
            dates.append(month)
    if len(dates) >= 2:
        if len(set(dates)) == 1:
            return dates[0], None
        return None, "several"
    if not dates:
        months = {_month(int(m.group(1)), int(m.group(2))) for m in _FILE_MONTH.finditer(stem)} - {None}
        if len(months) == 1:
            return months.pop(), None
        if len(months) > 1:
            return None, "several"
    return None, None
