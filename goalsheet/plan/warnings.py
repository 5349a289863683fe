"""The warnings a seller needs to see about the plan (SPEC 3.4-3.6): closed history months, operators nobody
named or with no Team sheet, weak SKUs, negative new-product sales, launch capacity short of the gap, cash that
cannot carry the target."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from goalsheet.inputs.model import Problem
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
    return [Problem("Sales", "", f"the whole business sold nothing in {names}: "
                    f"{'this month is' if len(months) == 1 else 'these months are'} left out of the seasonality and "
                    "the run-rates (a closure or stock-out is not a season)", "warning",
                    message_zh=f"全店在 {names} 无销售：季节性与日常销售速度的计算不计入这些月份（停业或断货不是季节）",
                    code="closed_months")]


def no_team_warning(operators: dict[str, list[str]], team: pd.DataFrame) -> list[Problem]:
    """Operators named in Stores and SKUs launch like the Team's (3.5) but have no salary or bonus base.  With a
    Team sheet, validation warns at the cell of each name not on it; without one, the plan says it once."""
    if team is not None and len(team):
        return []
    named = list(dict.fromkeys(o for ops in operators.values() for o in ops))
    if not named:
        return []
    names = ", ".join(named)
    return [Problem("Team", "", f"there is no Team sheet: the operators {names} launch and are given targets, but "
                    "have no salary and no bonus base (add a Team sheet to plan their pay)", "warning",
                    message_zh=f"没有团队表：运营 {names} 有上新能力和目标，但没有工资和奖金基数（添加团队表以计划薪酬）",
                    code="no_team_sheet")]


def unassigned_warnings(stores: list[str], operators: dict[str, list[str]], skus: pd.DataFrame) -> list[Problem]:
    """The plan says where the unnamed operator "(unassigned)" is used: a store where nobody is named launches
    through them; a store with named operators keeps its SKUs that name nobody under them in the split."""
    out: list[Problem] = []
    unnamed = skus.loc[skus["operator"] == UNASSIGNED, "store"].astype(str)
    for s in stores:
        if not operators.get(s):
            out.append(Problem("Stores", "", f'store {s} names no operator (Stores or SKUs): its launches and sales '
                               f'are planned for "{UNASSIGNED}", who has launch capacity but no salary or bonus base',
                               "warning", message_zh=f"店铺 {s} 未指定运营（店铺表或SKU表）：其新品与销售计入"
                                                     f"“未分配”，有上新能力，但无工资、无奖金基数",
                               code="unassigned_store"))
        elif (unnamed == s).any():
            n = int((unnamed == s).sum())
            out.append(Problem("SKUs", "", f'store {s}: {n} SKU(s) name no operator and the store none: their sales '
                               f'count as "{UNASSIGNED}"\'s in the operator split (launches go to the named '
                               f'operators)', "warning",
                               message_zh=f"店铺 {s}：{n} 个 SKU 未指定运营、店铺也未指定：其销售在运营拆分中计入"
                                          f"“未分配”（新品由已指定的运营负责）", code="unassigned_skus"))
    return out


def seller_warnings(basis: Basis, d: Derived, headline: Headline) -> list[Problem]:
    """What a seller needs to see: weak SKUs, funding that cannot carry the target, capacity short of the gap."""
    out: list[Problem] = []
    e = basis.econ
    for flag, text, text_zh in (("loss_making", "lose money on every unit sold", "每卖一件都亏损"),
                                ("low_margin", "earn a net margin under 10 %", "净利率低于 10%"),
                                ("ads_heavy", "spend more than half of their margin before ads on advertising",
                                 "广告花费超过广告前利润的一半")):
        mask = e[flag].to_numpy(bool).copy()
        if flag == "low_margin":
            mask &= ~e["loss_making"].to_numpy(bool)
        if mask.any():
            names = [f"{s} / {k}" for s, k in zip(e.loc[mask, "store"], e.loc[mask, "sku"])]
            more = f" and {len(names) - MAX_NAMED} more" if len(names) > MAX_NAMED else ""
            more_zh = f" 等 {len(names)} 个" if len(names) > MAX_NAMED else ""
            out.append(Problem("SKUs", "", f"{len(names)} SKU(s) {text}: {', '.join(names[:MAX_NAMED])}{more}",
                               "warning", message_zh=f"{len(names)} 个SKU{text_zh}：{'、'.join(names[:MAX_NAMED])}"
                                                     f"{more_zh}", code=flag))
    out += negative_new_sales_notes(d.T, d.E, basis.stores, list(basis.calendar.plan_months), basis.base_currency)
    if headline.shortfall > 0:
        short = {s: v for s, v in zip(basis.stores, d.launches.shortfall) if v > 0}
        cur = basis.base_currency
        out.append(Problem("Settings", "", "launch capacity cannot cover the gap: "
                           + ", ".join(f"{s} short by {v:,.2f}" for s, v in short.items())
                           + f" {cur}; the shortfall stays in the target (raise "
                           "launches_per_operator_month, add operators, or lower the target)", "warning",
                           message_zh="上新产能不足以填补缺口："
                           + "，".join(f"{s} 差 {v:,.2f} {cur}" for s, v in short.items())
                           + "；差额仍计入目标（可提高每人每月上新数、增加运营或降低目标）",
                           code="launch_shortfall"))
    if headline.funding_feasible is False:
        cur = basis.base_currency
        need = float(headline.peak_cash_need or 0)
        credit = basis.settings.credit_line
        top, asked = headline.max_feasible_sales or 0, headline.target_sales
        out.append(Problem("Settings", "", f"the cash cannot carry this target: the peak cash need "
                           f"{need:,.2f} {cur} exceeds the credit line {credit:,.2f} {cur} by {need - credit:,.2f}; "
                           f"the largest fundable target found is {top:,.2f} {cur} (the plan asks {asked:,.2f})",
                           "warning",
                           message_zh=f"资金无法支撑该目标：资金峰值缺口 {need:,.2f} {cur}，超出授信额度 "
                                      f"{credit:,.2f} {cur} 达 {need - credit:,.2f}；资金可支撑的最大目标为 "
                                      f"{top:,.2f} {cur}（计划目标 {asked:,.2f}）", code="funding_infeasible"))
    return out
