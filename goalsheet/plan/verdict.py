"""The plan's verdict (SPEC section 4, the Summary banner): red, amber or green, and why.

Red: the plan loses money (target net profit below 0) or the cash cannot carry it.  Amber: launch capacity falls
short of the gap, the history is under 12 months (so seasonality is flat), a whole store has no advertising or no
Amazon fees (costs that defaulted to zero: the profit is overstated), example rows of a new workbook are still in
it, or the input was reinterpreted (a percent written as 15, a total row left out).  Green otherwise.

Each reason is a warning of the plan's Warnings sheet (the input's own warnings are carried there too), so the
banner only names the worst and points to the rest.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

import numpy as np
import pandas as pd

from goalsheet.inputs import schema
from goalsheet.inputs.model import Join, Problem

if TYPE_CHECKING:
    from goalsheet.inputs.model import SellerBook
    from goalsheet.plan.basis import Basis
    from goalsheet.plan.result import Headline

RED = ("plan_loses_money", "funding_infeasible")
AMBER = ("launch_shortfall", "short_history", "store_no_ads", "store_no_fees", "example_rows_left",
         "read_as_percent", "read_as_open", "total_row", "base_currency_rate", "wide_column_repeats")
"""The warning codes that make the verdict red or amber, most serious first (the input's reinterpretations last)."""

FULL_HISTORY_MONTHS = 12


def alarm_warnings(basis: Basis, headline: Headline) -> list[Problem]:
    """The warnings of the verdict that no other step raises: a loss, a short history, a store whose advertising
    or fees are all zero, example rows left in the book."""
    out: list[Problem] = []
    cur = basis.base_currency
    if headline.target_net_profit < 0:
        out.append(Problem("SKUs", "", severity="warning", code="plan_loses_money",
                           args={"profit": headline.target_net_profit, "currency": cur}))
    months = history_months_sold(basis.book.sales, basis.calendar.history)
    if months < FULL_HISTORY_MONTHS:
        out.append(Problem("Sales", "", severity="warning", code="short_history", args={"months": months}))
    no_ads, no_fees = stores_without_costs(basis.econ, basis.stores)
    if no_ads:
        out.append(Problem("Sales", "", severity="warning", code="store_no_ads", args={"stores": Join(tuple(no_ads))}))
    if no_fees:
        out.append(Problem("SKUs", "", severity="warning", code="store_no_fees",
                           args={"stores": Join(tuple(no_fees))}))
    out += example_rows(basis.book)
    return out


def history_months_sold(sales: pd.DataFrame, history: Iterable[str]) -> int:
    """History months in which the business sold anything (closed months are not history, 3.4)."""
    history = set(history)
    if not len(sales) or not history:
        return 0
    sold = sales.loc[sales["revenue"].to_numpy(float) > 0, "month"].astype(str).str[:7]
    return len(set(sold) & history)


def stores_without_costs(econ: pd.DataFrame, stores: list[str]) -> tuple[list[str], list[str]]:
    """Stores selling something where no SKU has advertising (no ad_spend in the history and no ad_rate typed),
    and where every SKU's Amazon fees (referral and FBA) are zero: costs left out of the input read as zero, so
    the profit is overstated."""
    if not len(econ):
        return [], []
    active = econ[econ["price"].to_numpy(float) > 0]
    # an ad_rate the seller typed (0 included) says what the store spends on advertising: no warning then
    typed = active["ad_rate_given"].to_numpy(bool) if "ad_rate_given" in active else np.zeros(len(active), bool)
    no_ad = (np.nan_to_num(active["ads"].to_numpy(float)) == 0) & ~typed
    ads = pd.Series(no_ad, index=active.index).groupby(active["store"], sort=False).all()
    fees = (np.nan_to_num(active["referral"].to_numpy(float)) + np.nan_to_num(active["fba_fee"].to_numpy(float)))
    no_fees = pd.Series(fees == 0, index=active.index).groupby(active["store"], sort=False).all()
    return ([s for s in stores if ads.get(s, False)], [s for s in stores if no_fees.get(s, False)])


def example_rows(book: SellerBook) -> list[Problem]:
    """Rows a workbook made by an older `goalsheet init` came with (unmarked), left as they were: every column with
    an example holds it.  Today's init marks its example rows ("e.g."), the reader skips them, and this finds none.

    Only in a book that still has the example store ("My Store US"): a real team member or expense can match its
    example row by chance, the example store's name cannot."""
    tables = {"Sales": book.sales, "SKUs": book.skus, "Stores": book.stores, "Team": book.team,
              "Launches": book.launches, "Expenses": book.expenses, "Bonus": book.bonus}
    store = schema.STORES.column("store").example
    if not any(frame is not None and "store" in frame and (frame["store"].astype(str) == store).any()
               for frame in (book.sales, book.skus, book.stores)):
        return []
    out: list[Problem] = []
    for sheet in schema.SHEETS:
        frame = tables.get(sheet.key)
        if frame is None or not len(frame):
            continue
        shown = [c for c in sheet.columns if c.example is not None and c.key in frame]
        if not shown:
            continue
        left = np.ones(len(frame), bool)
        for c in shown:
            left &= _equals(frame[c.key], c.example)
        if left.any():
            out.append(Problem(sheet.key, "", severity="warning", code="example_rows_left",
                               args={"count": int(left.sum())}))
    return out


def _equals(values: pd.Series, example: object) -> np.ndarray:
    if isinstance(example, (int, float)) and not isinstance(example, bool):
        v = pd.to_numeric(values, errors="coerce").to_numpy(float)
        return np.isclose(v, float(example), rtol=0, atol=1e-9)
    return (values.astype(str).str.strip() == str(example)).to_numpy(bool)


def verdict(warnings: Iterable[Problem]) -> tuple[str, list[Problem]]:
    """("red" | "amber" | "green", the warnings behind it, most serious first)."""
    order = {code: i for i, code in enumerate(RED + AMBER)}
    reasons = sorted((w for w in warnings if w.code in order), key=lambda w: order[w.code])
    if any(w.code in RED for w in reasons):
        return "red", reasons
    return ("amber" if reasons else "green"), reasons
