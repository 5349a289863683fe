"""The seasonality index S (SPEC.md 3.4): one index per calendar month for the business, mean 1.

`history` with >= 24 months: each month's ratio to the centred 12-month moving average,
averaged per calendar month, renormalised to mean 1; with 12-23 months: each month's
share of its 12-month window (the last 12 history months) x 12; under 12 months: flat.
`off`: flat.  Twelve numbers given: used, renormalised to mean 1.

The input series is the business's monthly revenue in base currency (every Sales row,
revenue x FX), one value per calendar month of history, missing months 0.  A month in which
the whole business sold nothing (a closure, a stock-out) is not a season: it is left out of
the averages (the moving average, the window's mean, each calendar month's mean), a calendar
month with no value left gets 1 before the renormalisation, and the plan warns (`closed_months`).
"""
from __future__ import annotations

import numpy as np

from goalsheet.inputs.model import Problem

FLAT = np.ones(12)


def renormalise(index: np.ndarray) -> np.ndarray:
    """Scale twelve indices to mean 1 (flat when they add up to nothing)."""
    index = np.asarray(index, dtype=float)
    total = index.sum()
    return index * 12 / total if total > 0 else FLAT.copy()


def closed_months(revenue: np.ndarray) -> np.ndarray:
    """True for each history month in which the whole business sold nothing."""
    return ~(np.asarray(revenue, dtype=float) > 0)


def centred_moving_average(revenue: np.ndarray) -> np.ndarray:
    """Centred 12-month moving average: months t-6 and t+6 at half weight, t-5 .. t+5 in full, divided by
    the weights of the months in the window that are not closed (12 when none is).

    NaN where the window does not fit (the first and last six months)."""
    revenue = np.asarray(revenue, dtype=float)
    n = len(revenue)
    cma = np.full(n, np.nan)
    if n >= 13:
        open_ = (~closed_months(revenue)).astype(float)
        value = np.where(open_ > 0, revenue, 0.0)
        csum = np.concatenate([[0.0], np.cumsum(value)])
        wsum = np.concatenate([[0.0], np.cumsum(open_)])
        t = np.arange(6, n - 6)
        total = 0.5 * value[t - 6] + (csum[t + 6] - csum[t - 5]) + 0.5 * value[t + 6]
        weight = 0.5 * open_[t - 6] + (wsum[t + 6] - wsum[t - 5]) + 0.5 * open_[t + 6]
        cma[t] = np.where(weight > 0, total / np.where(weight > 0, weight, 1.0), np.nan)
    return cma


def ratio_to_moving_average(revenue: np.ndarray, first_calendar_month: int) -> np.ndarray:
    """S from >= 24 months: revenue / centred MA, averaged per calendar month, renormalised.

    `first_calendar_month` is 1..12, the calendar month of revenue[0].  A closed month has no ratio; a
    calendar month with no usable ratio (moving average 0, or closed) gets 1 before renormalising."""
    revenue = np.asarray(revenue, dtype=float)
    cma = centred_moving_average(revenue)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where((cma > 0) & ~closed_months(revenue), revenue / cma, np.nan)
    calendar = (np.arange(len(revenue)) + first_calendar_month - 1) % 12
    index = np.ones(12)
    for k in range(12):
        r = ratio[(calendar == k) & ~np.isnan(ratio)]
        if len(r):
            index[k] = r.mean()
    return renormalise(index)


def share_of_window(revenue: np.ndarray, first_calendar_month: int) -> np.ndarray:
    """S from 12-23 months: each calendar month's share of the last 12 history months x 12, i.e. its revenue
    over the window's monthly mean; the mean is over the months that are not closed, and a closed month's
    calendar month gets 1.

    `first_calendar_month` is 1..12, the calendar month of the first of those twelve."""
    revenue = np.asarray(revenue, dtype=float)[-12:]
    closed = closed_months(revenue)
    if closed.all():
        return FLAT.copy()
    mean = revenue[~closed].mean()
    index = np.empty(12)
    for j, value in enumerate(revenue):
        index[(first_calendar_month - 1 + j) % 12] = 1.0 if closed[j] else value / mean
    return renormalise(index)


def seasonality_index(revenue: np.ndarray, first_month: str | None, setting: object = "history"
                      ) -> tuple[np.ndarray, str, list[Problem]]:
    """S for January .. December, the method used, and any problem with the setting.

    revenue      the business's monthly revenue in base currency, one value per history month
    first_month  'YYYY-MM' of revenue[0] (None without history)
    setting      Settings `seasonality`: 'history', 'off', or twelve numbers (a list or '1.0, 0.9, ...')
    """
    problems: list[Problem] = []
    if isinstance(setting, str) and setting.strip().lower() in ("off", "none", "flat"):
        return FLAT.copy(), "off", problems
    if setting is None or (isinstance(setting, str) and setting.strip().lower() in ("history", "")):
        revenue = np.asarray(revenue, dtype=float)
        n = len(revenue)
        if n >= 24:
            first_calendar = int(first_month[5:7])
            return ratio_to_moving_average(revenue, first_calendar), "history: ratio to centred moving average", \
                problems
        if n >= 12:
            last_twelve_first = (int(first_month[5:7]) - 1 + n - 12) % 12 + 1
            return share_of_window(revenue[-12:], last_twelve_first), "history: share of the last 12 months", \
                problems
        return FLAT.copy(), "flat (under 12 months of history)", problems
    values = setting
    if isinstance(setting, str):
        values = [v for v in setting.replace("，", ",").replace(";", ",").split(",") if v.strip()]
    try:
        index = np.array([float(v) for v in values], dtype=float)
    except (TypeError, ValueError):
        index = np.array([])
    if len(index) != 12 or (index < 0).any() or index.sum() <= 0:
        problems.append(Problem("Settings", "", severity="warning", code="seasonality_bad"))
        S, method, _ = seasonality_index(revenue, first_month, "history")
        return S, method, problems
    return renormalise(index), "given", problems
