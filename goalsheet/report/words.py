"""Every word of the plan workbook that is not a column header (those are in `layout.py`), in English and
Chinese: month names, the Summary's sheet name, the sentences the Summary and the notes are made of, the Chinese
for the plan's own words in its tables.  The sentences of problems and warnings are the catalogue's
(`goalsheet.words`)."""
from __future__ import annotations

import re
from typing import Any

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_ZH = tuple(f"{m}月" for m in range(1, 13))

SUMMARY_EN, SUMMARY_ZH = "Summary", "总览"

# Words the context supplies (the templates hold their own labels; these change with the plan).
TEXTS = {
    "en": {
        "feasible": "FUNDABLE — the cash available carries this plan",
        "infeasible": "NOT FUNDABLE — the cash available cannot carry this plan",
        "unknown": "Funding not assessed",
        "verdict_red": "ACT BEFORE COMMITTING — {reason}",
        "verdict_amber": "CHECK BEFORE COMMITTING — {reason}",
        "verdict_green": "ON TRACK — profitable, fundable, and the launches cover the gap",
        "more_reasons": "{n} more point(s) on the Warnings sheet.",
        "reachable_note": "Largest reachable target {reach} ({ratio} of the target): {binding} binds first.",
        "peak_note": "Lowest cash balance falls {need} below the minimum; credit line {credit}.",
        "low_note": "Lowest cash balance {low} in {month}, {need} below the minimum of {min}; credit line "
                    "{credit}.",
        "low_ok_note": "Lowest cash balance {low} in {month}, above the minimum of {min}.",
        "standing": "Through {as_of}: actual sales {actual} against a plan to date of {plan} ({att} attained, "
                    "{var}).",
        "standing_ahead": "ahead by {x}", "standing_behind": "behind by {x}",
        "reforecast": "At this pace the year ends at {ref}, {ratio} of the {target} target ({diff}).",
        "bonus_standing": "Bonus earned so far {earned}, paid {paid}; the bonus is forecast at {forecast}, "
                          "{diff} the budget of {budget}.",
        "bonus_more": "{x} more than", "bonus_less": "{x} less than", "bonus_same": "the same as",
        "max_note": "Largest fundable target found: {max} ({ratio} of the target).",
        "no_warnings": "No warnings.",
        "no_actuals": "No actuals yet: the Actual, Variance, Attainment and Reforecast figures fill in once "
                      "Sales has months of {year}.",
        "actuals_to": "Actuals through {as_of}.",
        "amounts_in": "Amounts in {cur}",
        "after_year": "Due after December, not in this table: {parts}; keep the cash for them in {year}.",
        "after_year_bonus_after_year": "bonuses {amount}", "after_year_budgets_after_year": "launch budgets {amount}",
        "after_year_orders_after_year": "purchase orders {amount}",
        "empty": "(none)",
        "pass": "PASS", "fail": "FAIL",
        "baseline": "Plan figures frozen from an earlier plan (--baseline).",
    },
    "zh": {
        "feasible": "资金可行 —— 可用资金足以支撑本计划",
        "infeasible": "资金不可行 —— 可用资金无法支撑本计划",
        "unknown": "未评估资金",
        "verdict_red": "确定目标前须处理 —— {reason}",
        "verdict_amber": "确定目标前请核对 —— {reason}",
        "verdict_green": "状态良好 —— 盈利、资金可行，上新足以填补缺口",
        "more_reasons": "另有 {n} 项见警告表。",
        "reachable_note": "可实现的最大目标 {reach}（为目标的 {ratio}），首先受限于{binding}。",
        "peak_note": "最低现金余额低于最低现金 {need}；授信额度 {credit}。",
        "low_note": "最低现金余额 {low}（{month}），低于最低现金 {min} 达 {need}；授信额度 {credit}。",
        "low_ok_note": "最低现金余额 {low}（{month}），高于最低现金 {min}。",
        "standing": "截至 {as_of}：实际销售额 {actual}，同期计划 {plan}，达成 {att}（{var}）。",
        "standing_ahead": "超出 {x}", "standing_behind": "落后 {x}",
        "reforecast": "按目前进度，全年预计 {ref}，为目标 {target} 的 {ratio}（{diff}）。",
        "bonus_standing": "截至目前已得奖金 {earned}，已发放 {paid}；预计全年奖金 {forecast}（预算 {budget}，{diff}）。",
        "bonus_more": "多 {x}", "bonus_less": "少 {x}", "bonus_same": "持平",
        "max_note": "资金可支撑的最大目标：{max}（为目标的 {ratio}）。",
        "no_warnings": "没有警告。",
        "no_actuals": "暂无实际数据：销售表中有 {year} 年的月份后，实际、差额、达成率与滚动预测才会填入。",
        "actuals_to": "实际数据截至 {as_of}。",
        "amounts_in": "金额单位：{cur}",
        "after_year": "12 月之后支付、不在本表内：{parts}；请在 {year} 年预留资金。",
        "after_year_bonus_after_year": "奖金 {amount}", "after_year_budgets_after_year": "新品推广预算 {amount}",
        "after_year_orders_after_year": "采购订单 {amount}",
        "empty": "（无）",
        "pass": "通过", "fail": "未通过",
        "baseline": "计划数据取自早先的计划（--baseline）。",
    },
}



def month_label(month: Any, lang: str) -> str:
    """'2026-02' -> 'Feb 2026' / '2026年2月' (anything else as it is)."""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", str(month or "").strip())
    if not m:
        return str(month or "")
    year, mon = int(m.group(1)), int(m.group(2))
    return f"{year}年{mon}月" if lang == "zh" else f"{MONTHS_EN[mon - 1]} {year}"


# Chinese for the words the plan's tables hold (values, not headers), by table and column.
VALUE_ZH: dict[str, dict[str, dict[str, str]]] = {
    "bonus": {"metric": {"sales": "销售额", "net_profit": "奖金前净利润", "launches": "上新数", "launch_bonus": "新品奖金",
                         "profit_pool": "利润分享"},
              "status": {"closed": "已结束", "open": "进行中", "future": "未开始"},
              "period": {"Total": "合计"}},
    "tracking": {"level": {"year": "全年", "month": "月", "quarter": "季度", "store": "店铺", "operator": "运营"}},
    "launches": {"source": {"planned": "计划", "added": "新增"}},
    "orders": {"order_for": {"launch": "新品首单", "replenishment": "补货"}},
    "products": {"trend": {"growing": "增长", "stable": "平稳", "declining": "下滑"},
                 "g_source": {"trend class": "趋势分类", "SKUs growth_rate": "产品表月增长率"},
                 "flags": {"loss-making": "亏损", "margin under 10%": "净利率低于10%", "ads heavy": "广告过重"}},
    "assumptions": {"source": {"input": "输入", "default": "默认", "derived": "推算", "run": "运行"}},
    "checks": {"result": {"PASS": "通过", "FAIL": "未通过"},
               "check": {
                   "Rounded cells add up to the exact total": "取整后的单元格合计等于精确总额",
                   "Months add up to the year": "各月合计等于全年",
                   "Quarters add up to the year": "各季度合计等于全年",
                   "Stores add up to the company": "各店铺合计等于公司",
                   "Operators add up to the company": "各运营合计等于公司",
                   "Monthly target sales add up to the annual target": "各月目标销售额合计等于年度目标",
                   "Monthly existing + new products = target": "各月老品 + 新品 = 目标",
                   "Monthly target net profit adds up to the headline": "各月目标净利润合计等于总目标",
                   "Stores' net profit adds up to the headline": "各店铺净利润合计等于总目标",
                   "Operators' net profit adds up to the headline": "各运营净利润合计等于总目标",
                   "Store gaps add up to the gap": "各店铺缺口合计等于总缺口",
                   "Monthly existing + growth before launches + from launches = target":
                       "各月老品 + 上新前增长 + 新品上新 = 目标",
                   "Coverage: covered + short = the gap": "缺口覆盖：已覆盖 + 不足 = 缺口",
                   "Coverage: store shortfalls add up to the shortfall": "缺口覆盖：各店铺不足合计等于总不足",
                   "Coverage: contributions = the Launches sheet's": "缺口覆盖：贡献合计等于新品计划表",
                   "Coverage: covered + over-covered = contributions": "缺口覆盖：已覆盖 + 超额覆盖 = 贡献",
                   "Stores' totals add up to the target": "各店铺合计等于目标",
                   "Operators' totals add up to the target": "各运营合计等于目标",
                   "Target net profit = the sum of its parts": "目标净利润 = 各组成部分之和",
                   "Launch contributions add up": "新品贡献合计一致",
                   "Cash: the flows add up to the net cash flow": "资金：各项现金流合计等于净现金流",
                   "Cash: opening + net flows = closing balance": "资金：期初余额 + 净现金流 = 期末余额",
                   "Orders: deposits paid = Cash purchase deposits, month by month": "采购单：每月定金等于资金表采购定金",
                   "Orders: balances paid = Cash balances, freight, duty, month by month":
                       "采购单：每月尾款等于资金表尾款/运费/关税",
                   "Orders: first orders paid = Cash first orders, month by month": "采购单：每月新品首单付款等于资金表新品首单",
               }},
}


# The plan's own codes the English workbook shows as words (the bonus metrics: a net-profit target is before the
# bonus it pays, so it reads higher than the Operators sheet's net profit by exactly that bonus).
VALUE_EN: dict[str, dict[str, dict[str, str]]] = {
    "bonus": {"metric": {"net_profit": "net profit before bonus", "profit_pool": "profit pool",
                         "launch_bonus": "launch bonus"}},
    "products": {"g_source": {"trend class": "its trend class", "SKUs growth_rate": "SKUs sheet growth_rate"}},
    "orders": {"order_for": {"launch": "first order", "replenishment": "replenishment"}},
}


def display_value(table: str, column: str, value: Any, lang: str) -> Any:
    """A table's text value as the workbook shows it in `lang` (words for the plan's own codes)."""
    words = (VALUE_ZH if lang == "zh" else VALUE_EN).get(table, {}).get(column)
    if not words or not isinstance(value, str):
        return value
    if table == "products" and column == "flags":
        return "，".join(words.get(x.strip(), x.strip()) for x in value.split(",") if x.strip())
    return words.get(value, value)


def warning_text(problem, lang: str) -> str:
    """A plan warning as the workbook says it: `Sheet: message`, in Chinese for lang zh (the catalogue's sentence
    of its code, the sheet named as a Chinese workbook names it)."""
    return problem.text(lang) if lang == "zh" else str(problem)


def console_summary(plan, lang: str) -> list[str]:
    """The lines `goalsheet plan` prints about the plan it wrote: the year's targets, the gap, the funding."""
    from goalsheet.words import Term, console

    h, cur = plan.headline, plan.base_currency

    def get(key: str) -> Any:
        return h.get(key) if isinstance(h, dict) else getattr(h, key, None)

    lines = [console("summary_plan", lang, year=get("plan_year"), sales=get("target_sales"),
                     profit=get("target_net_profit"), currency=cur),
             console("summary_gap", lang, existing=get("existing_sales"), gap=get("gap"),
                     launches=get("launches_needed"))]
    feasible = get("funding_feasible")
    if feasible is not None:
        lines.append(console("summary_cash", lang, verdict=Term("funding", bool(feasible)),
                             need=get("peak_cash_need"), top=get("max_feasible_sales"), currency=cur))
    if get("verdict") is not None and get("max_reachable_sales") is not None and get("binding_limit") is not None:
        lines.append(console("summary_reach", lang, verdict=Term("verdict", get("verdict")),
                             reach=get("max_reachable_sales"), binding=Term("binding_limit", get("binding_limit")),
                             currency=cur))
    return lines
