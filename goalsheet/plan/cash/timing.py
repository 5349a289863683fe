"""The cash table's timing (SPEC 3.6).
  The table runs on a grid of 30.4-day months: table month i (0 = the first
table month, the month after the last history month) covers days [30.4·i, 30.4·(i+1)); a
history month j months before the table covers [−30.4·j, −30.4·(j−1)).  A month's sales happen
evenly over it, so a flow due d days after (or before) its sales is spread evenly over the
30.4 days shifted by d and split pro rata between the months that window falls in.  Parts due
before the first table month are paid in the first month; parts after December are left out.
Receivables are the exception: only the part of a history month's payouts falling after the
last history month is a receivable; the part before was received in history.
"""
from __future__ import annotations

import numpy as np


DAYS_PER_MONTH = 30.4


def month_offset(month: str, first: str) -> int:
    """Months from `first` to `month` ('YYYY-MM'): 0 for the first table month, −1 for the last
    history month."""
    y, m = int(month[:4]), int(month[5:7])
    y0, m0 = int(first[:4]), int(first[5:7])
    return (y - y0) * 12 + (m - m0)


def spread_over_months(start, end, value, shift, n_months: int, before: str = "first") -> np.ndarray:
    """The timing rule of SPEC 3.6, vectorised over flows.

    Each flow's `value` belongs to sales spread evenly over days [start, end) of the table's
    30.4-day grid; it is due `shift` days later (negative: earlier), so it is spread evenly over
    [start + shift, end + shift) and split pro rata between the table months that window falls
    in.  Parts after the last table month are left out.  Parts before the first table month are
    paid in the first month (`before="first"`) or left out (`before="drop"`, for receivables:
    history payouts received before the table starts).  A window of no length is a payment on
    its day.  Returns an array (flows × n_months).
    """
    start, end, value, shift = (np.atleast_1d(np.asarray(x, dtype=float)) for x in (start, end, value, shift))
    start, end, value, shift = np.broadcast_arrays(start, end, value, shift)
    lo = DAYS_PER_MONTH * np.arange(n_months, dtype=float)
    hi = lo + DAYS_PER_MONTH
    if before == "first" and n_months:
        lo[0] = -np.inf
    a = (start + shift)[:, None]
    b = (end + shift)[:, None]
    length = (end - start)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        overlap = np.clip(np.minimum(b, hi[None, :]) - np.maximum(a, lo[None, :]), 0.0, None)
        share = np.where(length > 0, overlap / np.where(length > 0, length, 1.0), 0.0)
    point = (length <= 0)[:, 0]
    if point.any():
        day = a[point, 0]
        idx = np.floor(day / DAYS_PER_MONTH)
        keep = idx < n_months
        if before == "first":
            idx = np.maximum(idx, 0)
        else:
            keep &= idx >= 0
        rows = np.zeros((int(point.sum()), n_months))
        sel = np.flatnonzero(keep)
        rows[sel, idx[sel].astype(int)] = 1.0
        share[point] = rows
    return share * value[:, None]
