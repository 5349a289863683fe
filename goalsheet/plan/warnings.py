"""The warnings a seller needs to see about the plan (SPEC 3.4-3.6): closed history months, operators nobody
named or with no Team sheet, weak SKUs, negative new-product sales, launch capacity short of the gap, cash that
cannot carry the target."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from goalsheet.inputs.model import Join, Phrase, Problem, Term
from goalsheet.plan.launches import UNASSIGNED
from goalsheet.plan.target import negative_new_sales_notes

if TYPE_CHECKING:
    from goalsheet.plan.basis import Basis, Derived
    from goalsheet.plan.result import Headline


MAX_NAMED = 10   # SKUs named in one warning before "and N more"


def closed_month_warnings(months: list[str]) -> list[Problem]:
    """History months in which the whole business sold nothing are missing, not seasonal (3.4): say which."""
    if not months:
        return []
    names = ", ".join(months)
    return [Problem("Sales", "", severity="warning", code="closed_months",
                    args={"months": names, "which": Term("months_are", "one" if len(months) == 1 else "many")})]


def no_team_warning(operators: dict[str, list[str]], team: pd.DataFrame) -> list[Problem]:
    """Operators named in Stores and SKUs launch like the Team's (3.5) but have no salary or bonus base.  With a
    Team sheet, validation warns at the cell of each name not on it; without one, the plan says it once."""
    if team is not None and len(team):
        return []
    named = list(dict.fromkeys(o for ops in operators.values() for o in ops))
    if not named:
        return []
    names = ", ".join(named)
    return [Problem("Team", "", severity="warning", code="no_team_sheet", args={"names": names})]


def unassigned_warnings(stores: list[str], operators: dict[str, list[str]], skus: pd.DataFrame) -> list[Problem]:
    """The plan says where the unnamed operator "(unassigned)" is used: a store where nobody is named launches
    through them; a store with named operators keeps its SKUs that name nobody under them in the split."""
    out: list[Problem] = []
    unnamed = skus.loc[skus["operator"] == UNASSIGNED, "store"].astype(str)
    for s in stores:
        if not operators.get(s):
            out.append(Problem("Stores", "", severity="warning", code="unassigned_store", args={"store": s}))
        elif (unnamed == s).any():
            n = int((unnamed == s).sum())
            out.append(Problem("SKUs", "", severity="warning", code="unassigned_skus",
                               args={"store": s, "count": n}))
    return out


def seller_warnings(basis: Basis, d: Derived, headline: Headline, store_shortfall) -> list[Problem]:
    """What a seller needs to see: weak SKUs, funding that cannot carry the target, capacity short of the gap
    (each store's shortfall as the Coverage table shows it, `store_shortfall`)."""
    out: list[Problem] = []
    e = basis.econ
    for flag in ("loss_making", "low_margin", "ads_heavy"):
        mask = e[flag].to_numpy(bool).copy()
        if flag == "low_margin":
            mask &= ~e["loss_making"].to_numpy(bool)
        if mask.any():
            names = [f"{s} / {k}" for s, k in zip(e.loc[mask, "store"], e.loc[mask, "sku"])]
            more = Phrase("skus_more", {"more": len(names) - MAX_NAMED, "count": len(names)}) \
                if len(names) > MAX_NAMED else ""
            out.append(Problem("SKUs", "", severity="warning", code=flag,
                               args={"count": len(names), "names": Join(tuple(names[:MAX_NAMED])), "more": more}))
    out += negative_new_sales_notes(d.T, d.E, basis.stores, list(basis.calendar.plan_months), basis.base_currency)
    if headline.shortfall > 0:
        short = {s: float(v) for s, v in zip(basis.stores, store_shortfall) if v > 0}
        cur = basis.base_currency
        out.append(Problem("Settings", "", severity="warning", code="launch_shortfall",
                           args={"currency": cur, "stores": Join(tuple(
                               Phrase("store_short", {"store": s, "amount": v, "currency": cur})
                               for s, v in short.items()), "clause")}))
    if headline.funding_feasible is False:
        cur = basis.base_currency
        need = float(headline.peak_cash_need or 0)
        credit = basis.settings.credit_line
        top, asked = headline.max_feasible_sales or 0, headline.target_sales
        out.append(Problem("Settings", "", severity="warning", code="funding_infeasible",
                           args={"need": need, "credit": credit, "over": need - credit, "top": top, "asked": asked,
                                 "currency": cur}))
    return out
