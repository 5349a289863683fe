"""The plan workbook (SPEC.md section 4): Plan -> template context -> .xlsx, marked and with the plan embedded.

One place, `LAYOUT` below, says which table column goes under which header of which sheet, in English and
Chinese, with its number format and whether it has a total.  `templates/make_templates.py` builds the default
templates from it and `plan_context` fills them from it, so a column added here appears in both.

Writing is atomic (the package is rendered straight into a temporary file in the output's folder, then
`os.replace`).  Every workbook goalsheet writes
carries two custom document properties, `goalsheet` (the version) and `goalsheet_plan_sha256` (of the embedded
plan JSON), which is how `plan` knows it may overwrite the file (SPEC section 1).  The plan itself
(`Plan.to_json(by_column=True)`: its tables by column) is embedded in a very hidden sheet `_goalsheet_plan`
(column A, in chunks), so
`plan --baseline EARLIER.xlsx` can take its figures back (SPEC 3.1) even after the workbook was opened and saved
in Excel, WPS or LibreOffice.  Both are added to the workbook during the render (`embed_plan`, the render's
`before_save` hook); the Assumptions sheet's per-row number formats and heights (`fit_assumptions`) are applied
to its XML and styles.xml as the package is written (the render's `fix_parts` hook): the file is written once.
"""
from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import io
import json
import math
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from goalsheet import __version__
from goalsheet.paths import error_writing

EMBED_SHEET = "_goalsheet_plan"
PROPERTY_VERSION = "goalsheet"
PROPERTY_SHA = "goalsheet_plan_sha256"
CHUNK = 30000            # characters of plan JSON per cell (Excel's limit is 32 767)

# ---------------------------------------------------------------------------------------------------------------
# The layout: sheets, their tables and the columns of each table.
# ---------------------------------------------------------------------------------------------------------------

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_ZH = tuple(f"{m}月" for m in range(1, 13))


@dataclass(frozen=True)
class Col:
    """One column of an output table.

    keys    the plan table's column key; further keys are accepted aliases (the first one present is used)
    fmt     text | setting | month | money | money_store | flow | balance | units | int | pct | rate | bool |
            number
    total   the column gets a SUM total under the table
    """
    keys: tuple[str, ...]
    en: str
    zh: str
    fmt: str = "money"
    total: bool = False
    width: float | None = None

    @property
    def key(self) -> str:
        return self.keys[0]


def _c(keys: str, en: str, zh: str, fmt: str = "money", total: bool = False, width: float | None = None) -> Col:
    return Col(tuple(keys.split("|")), en, zh, fmt, total, width)


@dataclass(frozen=True)
class SheetLayout:
    key: str                 # the table's key in Plan.tables, and its defined name without `gs_`
    en: str
    zh: str
    columns: tuple[Col, ...]
    title_en: str
    title_zh: str
    wide_months: bool = False    # Stores/Operators: store × month, months as columns Jan..Dec


MONTH_COLS = tuple(Col((f"m{i:02d}",), MONTHS_EN[i - 1], MONTHS_ZH[i - 1], "money", True, 14) for i in range(1, 13))

LAYOUT: tuple[SheetLayout, ...] = (
    SheetLayout("monthly", "Monthly", "月度目标", (
        _c("month", "Month", "月份", "month", width=11),
        _c("target_sales|target", "Target sales", "目标销售额", total=True),
        _c("existing_sales|existing", "Existing products", "老品销售额", total=True),
        _c("new_sales|new", "New products", "新品销售额", total=True),
        _c("units|target_units", "Units", "销量", "units", total=True),
        _c("target_net_profit|net_profit", "Target net profit", "目标净利润", total=True),
        _c("ad_budget|advertising|ads", "Ad budget", "广告预算", total=True),
        _c("launches", "Launches", "上新数", "int", total=True),
        _c("actual_sales|actual", "Actual sales", "实际销售额", total=True),
        _c("variance", "Variance", "差额", total=True),
        _c("attainment", "Attainment", "达成率", "pct"),
        _c("reforecast|reforecast_sales", "Reforecast", "滚动预测", total=True),
    ), "Monthly targets", "月度目标"),
    SheetLayout("stores", "Stores", "店铺目标", (
        _c("store", "Store", "店铺", "text", width=18),
        *MONTH_COLS,
        _c("total|target_sales", "Total", "合计", total=True, width=14),
        _c("net_profit|target_net_profit", "Net profit", "净利润", total=True, width=14),
    ), "Target sales by store and month", "店铺月度目标", wide_months=True),
    SheetLayout("operators", "Operators", "运营目标", (
        _c("operator", "Operator", "运营", "text", width=16),
        *MONTH_COLS,
        _c("total|target_sales", "Total", "合计", total=True, width=14),
        _c("net_profit|target_net_profit", "Net profit", "净利润", total=True, width=14),
    ), "Target sales by operator and month", "运营月度目标", wide_months=True),
    SheetLayout("products", "Products", "老品分析", (
        _c("store", "Store", "店铺", "text", width=14),
        _c("sku", "SKU", "SKU", "text", width=16),
        _c("name", "Name", "品名", "text", width=22),
        _c("operator", "Operator", "运营", "text"),
        _c("trend", "Trend", "趋势", "text", width=10),
        _c("growth_rate|g", "Monthly growth", "月增长率", "pct"),
        _c("run_rate|run_rate_store_currency", "Run-rate (store currency)", "月均销售额(本店币种)", "money_store"),
        _c("history_sales|trailing_sales", "Last 12 months sales", "近12个月销售额", total=True),
        _c("stable_forecast|forecast_stable", "Stable forecast", "稳定预测", total=True),
        _c("growth_forecast|forecast_growth", "Growth forecast", "增长预测", total=True),
        _c("forecast_units|units", "Forecast units", "预测销量", "units", total=True),
        _c("unit_net_base|unit_net", "Net profit per unit", "单件净利润"),
        _c("net_margin", "Net margin", "净利率", "pct"),
        _c("flags", "Flags", "提示", "text", width=30),
    ), "Existing products: history, trend and forecast", "老品分析：历史、趋势与预测"),
    SheetLayout("profit", "Profit", "利润测算", (
        _c("store", "Store", "店铺", "text", width=14),
        _c("sku", "SKU", "SKU", "text", width=16),
        _c("currency", "Currency", "币种", "text", width=8),
        _c("price", "Price", "售价", "money_store"),
        _c("promotion|promo", "Promotion", "促销折扣", "money_store"),
        _c("sell_price", "Sell price", "成交价", "money_store"),
        _c("vat", "VAT", "增值税", "money_store"),
        _c("net_price", "Net price", "不含税售价", "money_store"),
        _c("referral", "Referral fee", "佣金", "money_store"),
        _c("fba_fee", "FBA fee", "FBA配送费", "money_store"),
        _c("storage_fee", "Storage fee", "仓储费", "money_store"),
        _c("placement_fee", "Placement fee", "入库配置费", "money_store"),
        _c("dst", "Digital services tax", "数字服务税", "money_store"),
        _c("landed", "Landed cost", "到岸成本", "money_store"),
        _c("duty", "Duty", "关税", "money_store"),
        _c("ads", "Advertising", "广告", "money_store"),
        _c("returns", "Returns", "退货损失", "money_store"),
        _c("other_cost", "Other cost", "其他成本", "money_store"),
        _c("payout_fee", "Payout fee", "回款手续费", "money_store"),
        _c("unit_net", "Net profit per unit (store currency)", "单件净利润(本店币种)", "money_store"),
        _c("referral_base", "Referral fee (base)", "佣金(本位币)"),
        _c("fba_fee_base", "FBA fee (base)", "FBA配送费(本位币)"),
        _c("storage_fee_base", "Storage fee (base)", "仓储费(本位币)"),
        _c("placement_fee_base", "Placement fee (base)", "入库配置费(本位币)"),
        _c("dst_base", "Digital services tax (base)", "数字服务税(本位币)"),
        _c("landed_base", "Landed cost (base)", "到岸成本(本位币)"),
        _c("duty_base", "Duty (base)", "关税(本位币)"),
        _c("ads_base", "Advertising (base)", "广告(本位币)"),
        _c("returns_base", "Returns (base)", "退货损失(本位币)"),
        _c("other_cost_base", "Other cost (base)", "其他成本(本位币)"),
        _c("payout_fee_base", "Payout fee (base)", "回款手续费(本位币)"),
        _c("unit_net_base", "Net profit per unit", "单件净利润"),
        _c("net_margin", "Net margin", "净利率", "pct"),
    ), "Unit economics per SKU", "单品利润测算"),
    SheetLayout("launches", "Launches", "新品计划", (
        _c("launch_month|month", "Launch month", "上新月份", "month", width=12),
        _c("store", "Store", "店铺", "text", width=14),
        _c("operator", "Operator", "运营", "text", width=14),
        _c("source|kind", "Planned or added", "计划/新增", "text", width=12),
        _c("count", "Count", "数量", "int", total=True),
        _c("price", "Price (store currency)", "售价(本店币种)", "money_store"),
        _c("monthly_units", "Monthly units when ramped", "成熟月销量", "units"),
        _c("contribution|sales", "Contribution", "年内贡献销售额", total=True),
        _c("first_order_cost|first_order", "First order", "首单货款", total=True),
        _c("launch_budget", "Launch budget", "推广预算", total=True),
        _c("writeoff", "Expected write-off", "预计失败损失", total=True),
        _c("capital", "Capital", "所需资金", total=True),
    ), "New launches", "新品上新计划"),
    SheetLayout("cash", "Cash", "资金计划", (
        _c("month", "Month", "月份", "month", width=9.5),
        _c("opening_balance|opening", "Opening balance", "期初余额", "balance", width=11.5),
        _c("receivables", "Receivables", "期初应收回款", "flow", total=True, width=12),
        _c("payouts_in|payouts", "Payouts in", "回款", "flow", total=True, width=10.5),
        _c("refunds", "Refunds", "退款", "flow", total=True, width=10.5),
        _c("purchase_deposits|deposits", "Purchase deposits", "采购定金", "flow", total=True, width=10.5),
        _c("balances_freight_duty|balances", "Balances, freight, duty", "尾款/运费/关税", "flow", total=True, width=10.5),
        _c("opening_payables", "Opening payables", "期初应付", "flow", total=True, width=10.5),
        _c("advertising|ads", "Advertising", "广告", "flow", total=True, width=12),
        _c("launch_budgets", "Launch budgets", "新品推广", "flow", total=True, width=10.5),
        _c("first_orders", "First orders", "新品首单", "flow", total=True, width=10.5),
        _c("store_fees", "Store fees", "店铺月租", "flow", total=True, width=10.5),
        _c("expenses", "Expenses", "费用", "flow", total=True, width=10.5),
        _c("salaries", "Salaries", "工资", "flow", total=True, width=10.5),
        _c("bonuses", "Bonuses", "奖金", "flow", total=True, width=10.5),
        _c("net_flow|net", "Net cash flow", "净现金流", "flow", total=True, width=10.5),
        _c("closing_balance|closing", "Closing balance", "期末余额", "balance", width=11.5),
        _c("downside_closing_balance|closing_downside", "Closing at 80% payouts", "期末余额(回款按80%)", "balance",
           width=11.5),
    ), "Monthly cash plan (outflows negative)", "月度资金计划（流出为负）"),
    SheetLayout("purchases", "Purchases", "采购计划", (
        _c("month", "Month", "月份", "month", width=11),
        _c("store", "Store", "店铺", "text", width=14),
        _c("units", "Units to order", "采购数量", "units", total=True),
        _c("value", "Order value", "采购货值", total=True),
        _c("deposits", "Deposits due", "应付定金", total=True),
        _c("balances", "Balances due", "应付尾款", total=True),
        _c("first_order_units", "First-order units", "新品首单数量", "units", total=True),
        _c("first_order_value", "First-order value", "新品首单货值", total=True),
    ), "Purchases by month and store", "采购计划"),
    SheetLayout("bonus", "Bonus", "绩效奖金", (
        _c("operator", "Operator", "运营", "text", width=14),
        _c("period", "Period", "周期", "text", width=10),
        _c("metric", "Metric", "指标", "text", width=12),
        _c("target", "Target", "目标", "money"),
        _c("share|bonus_share", "Share of bonus base", "奖金基数份额", total=True, width=12),
        _c("bonus_80", "Bonus at 80%", "80%达成奖金", total=True, width=12),
        _c("bonus_100", "Bonus at 100%", "100%达成奖金", total=True, width=12),
        _c("bonus_120", "Bonus at 120%", "120%达成奖金", total=True, width=12),
        _c("plan_to_date", "Plan to date", "截至当期计划", "money"),
        _c("actual|actual_to_date", "Actual to date", "截至当期实际", "money"),
        _c("attainment", "Attainment to date", "当期达成率", "pct", width=11),
        _c("status", "Status", "状态", "text", width=9),
        _c("earned", "Earned", "已得奖金", total=True, width=12),
        _c("paid", "Paid", "已发放", total=True, width=12),
        _c("forecast", "Forecast", "预计奖金", total=True, width=12),
        _c("true_up", "True-up vs budget", "与预算差额", total=True, width=12),
    ), "Bonus per operator and period", "运营绩效奖金"),
    SheetLayout("tracking", "Tracking", "跟踪", (
        _c("level", "Level", "层级", "text", width=10),
        _c("name|period", "Period or name", "期间/名称", "text", width=16),
        _c("plan|target_sales", "Plan", "计划"),
        _c("plan_to_date", "Plan to date", "截至当期计划"),
        _c("actual|actual_sales", "Actual", "实际"),
        _c("variance", "Variance", "差额"),
        _c("attainment", "Attainment", "达成率", "pct"),
        _c("reforecast", "Reforecast", "滚动预测"),
    ), "Plan against actuals", "计划与实际"),
    SheetLayout("assumptions", "Assumptions", "假设", (
        _c("setting|key", "Setting", "参数", "text", width=44),
        _c("value", "Value", "值", "setting", width=18),
        _c("source|origin", "Source", "来源", "text", width=9),
        _c("note|reason", "Note", "说明", "text", width=55),
    ), "Assumptions: every setting used", "假设：使用的全部参数"),
    SheetLayout("checks", "Checks", "校验", (
        _c("check|name", "Check", "校验项", "text", width=44),
        _c("expected", "Expected", "应为", "number"),
        _c("actual", "Actual", "实际", "number"),
        _c("difference", "Difference", "差额", "number"),
        _c("result", "Result", "结果", "text", width=9),
    ), "Reconciliations", "勾稽校验"),
)
LAYOUT_BY_KEY = {s.key: s for s in LAYOUT}

SUMMARY_EN, SUMMARY_ZH = "Summary", "总览"

# Headline figures on the Summary sheet: (key, English label, Chinese label, format); each is the cell named
# gs_<key>.  Those after `bonus_total` exist only with actuals (blank otherwise).
HEADLINE: tuple[tuple[str, str, str, str], ...] = (
    ("plan_year", "Plan year", "计划年度", "year"),
    ("target_sales", "Target sales", "年度目标销售额", "money"),
    ("target_net_profit", "Target net profit", "目标净利润", "money"),
    ("existing_sales", "Existing products", "老品预测销售额", "money"),
    ("new_sales", "New products (target − existing)", "新品销售额(目标−老品)", "money"),
    ("gap", "Gap new products must fill", "新品需填补的缺口", "money"),
    ("launches_needed", "Launches needed", "需上新数量", "int"),
    ("shortfall", "Shortfall (launch capacity)", "上新产能不足的缺口", "money"),
    ("cash_available", "Cash available", "可用资金", "money"),
    ("peak_cash_need", "Peak cash need", "资金峰值缺口", "money"),
    ("funding_feasible", "Funding feasible", "资金可行", "bool"),
    ("max_feasible_sales", "Largest fundable target", "资金可支撑的最大目标", "money"),
    ("bonus_total", "Bonus at 100% attainment", "100%达成奖金总额", "money"),
    ("as_of", "Actuals as of", "实际数据截至", "text"),
    ("plan_sales_ytd", "Plan sales, year to date", "年初至今计划销售额", "money"),
    ("actual_sales_ytd", "Actual sales, year to date", "年初至今实际销售额", "money"),
    ("attainment_ytd", "Attainment, year to date", "年初至今达成率", "pct"),
    ("reforecast_sales", "Reforecast sales for the year", "全年滚动预测销售额", "money"),
    ("bonus_earned", "Bonus earned to date", "截至当期已得奖金", "money"),
    ("bonus_true_up", "Bonus forecast vs budget", "预计奖金与预算差额", "money"),
)
ACTUALS_HEADLINE = ("as_of", "plan_sales_ytd", "actual_sales_ytd", "attainment_ytd", "reforecast_sales",
                    "bonus_earned", "bonus_true_up")

NUMBER_FORMATS = {
    "money": '#,##0.00;[Red]-#,##0.00',
    "money_store": '#,##0.00;[Red]-#,##0.00',
    "flow": '#,##0;-#,##0',                 # cash flows: outflows are negative by design, not alarming; whole
    "balance": '#,##0;[Red]-#,##0',         # units on the Cash sheet so its 18 columns print readably
    "units": '#,##0',
    "int": '0',
    "pct": '0.0%',
    "rate": '0.00%',
    "number": '#,##0.00',
    "year": '0',
    "text": 'General',
    "setting": '[>=10000]#,##0;[<=-10000]-#,##0;General',   # Assumptions: 4,000,000 and 0.03 and 2026 alike
    "bool": 'General',
}
MONTH_FORMAT = {"en": 'mmm yyyy', "zh": 'yyyy"年"m"月"'}
# The Assumptions sheet's values, by the row's `format` (set on each value cell after rendering, since one
# template cell serves every row): rates as %, money with thousands separators, indices to 6 decimals.
ASSUMPTION_FORMATS = {
    "rate": '0.00%',
    "money": '#,##0.00',
    "int": '0',
    "number": '#,##0.####;-#,##0.####;0',
    "index": '0.000000',
}
LINE_HEIGHT = 15.75      # points per line of wrapped 11 pt text (Excel's default row is 15, CJK lines are taller)

# Words the context supplies (the templates hold their own labels; these change with the plan).
TEXTS = {
    "en": {
        "feasible": "FUNDABLE — the cash available carries this plan",
        "infeasible": "NOT FUNDABLE — the cash available cannot carry this plan",
        "unknown": "Funding not assessed",
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
        "empty": "(none)",
        "pass": "PASS", "fail": "FAIL",
        "baseline": "Plan figures frozen from an earlier plan (--baseline).",
    },
    "zh": {
        "feasible": "资金可行 —— 可用资金足以支撑本计划",
        "infeasible": "资金不可行 —— 可用资金无法支撑本计划",
        "unknown": "未评估资金",
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
        "empty": "（无）",
        "pass": "通过", "fail": "未通过",
        "baseline": "计划数据取自早先的计划（--baseline）。",
    },
}


# ---------------------------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------------------------

def default_template(lang: str = "en") -> Path:
    """The default template shipped in `goalsheet.templates` (plan_en.xlsx / plan_zh.xlsx)."""
    lang = "zh" if lang == "zh" else "en"
    ref = resources.files("goalsheet.templates").joinpath(f"plan_{lang}.xlsx")
    return Path(str(ref))


# ---------------------------------------------------------------------------------------------------------------
# The context: what the template's Jinja sees
# ---------------------------------------------------------------------------------------------------------------

def plan_context(plan, lang: str = "en") -> dict[str, Any]:
    """Everything a plan template can name: `headline.<key>`, one list of rows per table, and the words.

    Every row carries every column key of `LAYOUT` (None where the plan has no such column), so a template
    never fails on a blank; month columns become dates (formatted as months by the template); text stays text.
    """
    lang = "zh" if lang == "zh" else "en"
    texts = TEXTS[lang]
    cur = plan.base_currency
    headline = {key: _cell_value(plan.headline.get(key), fmt) for key, _en, _zh, fmt in HEADLINE}
    for key, value in plan.headline.items():           # further headline figures a custom template may use
        headline.setdefault(key, _cell_value(value, "number" if isinstance(value, (int, float)) else "text"))
    if isinstance(headline.get("plan_year"), float) and headline["plan_year"].is_integer():
        headline["plan_year"] = int(headline["plan_year"])
    if headline.get("plan_year") is None:
        headline["plan_year"] = plan.plan_year

    feasible = plan.headline.get("funding_feasible")
    if feasible is None:
        verdict = texts["unknown"]
        detail = ""
    else:
        verdict = texts["feasible"] if bool(feasible) else texts["infeasible"]
        detail = funding_detail(plan, lang)

    if plan.has_actuals:
        actuals_note = texts["actuals_to"].format(as_of=month_label(plan.headline.get("as_of", ""), lang))
        standing = standing_text(plan, lang)
    else:
        actuals_note = texts["no_actuals"].format(year=headline["plan_year"])
        standing = actuals_note
    amounts_in = texts["amounts_in"].format(cur=cur)
    generated = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %z")
    source = plan.source_name or "?"
    sha = (plan.source_sha256 or "")[:16]
    source_note = (f"{source} (sha256 {sha}…) · goalsheet {__version__} · {generated}" if sha
                   else f"{source} · goalsheet {__version__} · {generated}")
    if plan.frozen and plan.frozen.get("baseline"):
        source_note += " · " + texts["baseline"]
    warnings = [{"text": warning_text(w, lang)} for w in plan.warnings] or [{"text": texts["no_warnings"]}]
    warning_lines = [{"text": line} for w in warnings for line in wrap_text(w["text"], 64, first="• ")]
    context: dict[str, Any] = {
        "lang": lang, "base_currency": cur, "plan_year": headline["plan_year"], "headline": headline,
        "verdict": verdict, "verdict_detail": detail, "actuals_note": actuals_note, "has_actuals": plan.has_actuals,
        "amounts_in": amounts_in, "source_name": source, "source_sha256": plan.source_sha256 or "",
        "version": __version__, "generated": generated, "source_note": source_note, "warnings": warnings,
        "warning_lines": warning_lines, "standing": standing,
        "standing_lines": [{"text": line} for line in wrap_text(standing, 64)],
        "profit_note": (f"{amounts_in}; store-currency columns in the row's currency" if lang == "en"
                        else f"{amounts_in}；本店币种列按该行币种"),
        "products_note": amounts_in, "checks_note": amounts_in,
    }
    for layout in LAYOUT:
        context[layout.key] = table_rows(plan.tables.get(layout.key), layout, lang)
    return context


def month_label(month: Any, lang: str) -> str:
    """'2026-02' -> 'Feb 2026' / '2026年2月' (anything else as it is)."""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", str(month or "").strip())
    if not m:
        return str(month or "")
    year, mon = int(m.group(1)), int(m.group(2))
    return f"{year}年{mon}月" if lang == "zh" else f"{MONTHS_EN[mon - 1]} {year}"


def _pct_text(x: float) -> str:
    return f"{x:.1%}"


def funding_detail(plan, lang: str) -> str:
    """The Summary's sentence under the funding verdict: how low the cash gets and when, against the minimum
    and the credit line; then the largest fundable target."""
    texts, cur = TEXTS[lang], plan.base_currency
    parts = []
    need = plan.headline.get("peak_cash_need")
    credit = plan.headline.get("credit_line", _assumption(plan, "credit_line"))
    minimum = _assumption(plan, "min_cash")
    low, when = _lowest_balance(plan)
    if low is not None:
        words = dict(low=_money_text(low, cur), month=month_label(when, lang), min=_money_text(minimum, cur),
                     need=_money_text(need or 0, cur), credit=_money_text(credit or 0, cur))
        parts.append((texts["low_note"] if need and need > 0 else texts["low_ok_note"]).format(**words))
    elif need is not None:
        parts.append(texts["peak_note"].format(need=_money_text(need, cur), credit=_money_text(credit or 0, cur)))
    top, target = plan.headline.get("max_feasible_sales"), plan.headline.get("target_sales")
    if top is not None and target:
        parts.append(texts["max_note"].format(max=_money_text(top, cur), ratio=f"{top / target:.0%}"))
    return " ".join(parts) if lang == "en" else "".join(parts)


def _lowest_balance(plan) -> tuple[float | None, str]:
    """The lowest closing balance of the cash table and its month (None when there is no cash table)."""
    cash = plan.tables.get("cash")
    if cash is None or len(cash) == 0:
        return None, ""
    col = next((c for c in LAYOUT_BY_KEY["cash"].columns if c.key == "closing_balance"), None)
    src = next((k for k in col.keys if k in cash.columns), None) if col else None
    if src is None or "month" not in cash.columns:
        return None, ""
    values = [float(v) for v in cash[src]]
    i = min(range(len(values)), key=lambda k: values[k])
    return values[i], str(cash["month"].iloc[i])[:7]


def standing_text(plan, lang: str) -> str:
    """Where the year stands, in words: actual to date against plan to date, the reforecast for the year
    against the target, and the bonus so far against its budget."""
    texts, cur, h = TEXTS[lang], plan.base_currency, plan.headline
    money = lambda x: _money_text(float(x or 0), cur)   # noqa: E731
    actual, plan_td = float(h.get("actual_sales_ytd") or 0), float(h.get("plan_sales_ytd") or 0)
    att = h.get("attainment_ytd")
    if att is None:
        att = actual / plan_td if plan_td else 1.0
    var = actual - plan_td
    var_text = texts["standing_ahead" if var >= 0 else "standing_behind"].format(x=money(abs(var)))
    out = [texts["standing"].format(as_of=month_label(h.get("as_of"), lang), actual=money(actual),
                                    plan=money(plan_td), att=_pct_text(float(att)), var=var_text)]
    ref, target = h.get("reforecast_sales"), h.get("target_sales")
    if ref is not None and target:
        diff = float(ref) - float(target)
        diff_text = texts["standing_ahead" if diff >= 0 else "standing_behind"].format(x=money(abs(diff)))
        out.append(texts["reforecast"].format(ref=money(ref), ratio=_pct_text(float(ref) / float(target)),
                                              target=money(target), diff=diff_text))
    if h.get("bonus_earned") is not None:
        true_up = float(h.get("bonus_true_up") or 0)
        budget = float(h.get("bonus_total") or 0)
        forecast = h.get("bonus_forecast", budget + true_up)
        diff = (texts["bonus_more"].format(x=money(true_up)) if true_up > 0.005 else
                texts["bonus_less"].format(x=money(-true_up)) if true_up < -0.005 else texts["bonus_same"])
        out.append(texts["bonus_standing"].format(earned=money(h.get("bonus_earned")), paid=money(h.get("bonus_paid")),
                                                  forecast=money(forecast), diff=diff, budget=money(budget)))
    return " ".join(out) if lang == "en" else "".join(out)


# Chinese for the words the plan's tables hold (values, not headers), by table and column.
VALUE_ZH: dict[str, dict[str, dict[str, str]]] = {
    "bonus": {"metric": {"sales": "销售额", "net_profit": "净利润", "launches": "上新数", "launch_bonus": "新品奖金",
                         "profit_pool": "利润分享"},
              "status": {"closed": "已结束", "open": "进行中", "future": "未开始"},
              "period": {"Total": "合计"}},
    "tracking": {"level": {"year": "全年", "month": "月", "quarter": "季度", "store": "店铺", "operator": "运营"}},
    "launches": {"source": {"planned": "计划", "added": "新增"}},
    "products": {"trend": {"growing": "增长", "stable": "平稳", "declining": "下滑"},
                 "flags": {"loss-making": "亏损", "margin under 10%": "净利率低于10%", "ads heavy": "广告过重"}},
    "assumptions": {"source": {"input": "输入", "default": "默认", "derived": "推算", "run": "运行"}},
    "checks": {"result": {"PASS": "通过", "FAIL": "未通过"}},
}


def display_value(table: str, column: str, value: Any, lang: str) -> Any:
    """A table's text value as the workbook shows it in `lang` (Chinese words for the plan's own words)."""
    words = VALUE_ZH.get(table, {}).get(column) if lang == "zh" else None
    if not words or not isinstance(value, str):
        return value
    if table == "products" and column == "flags":
        return "，".join(words.get(x.strip(), x.strip()) for x in value.split(",") if x.strip())
    return words.get(value, value)


_SHEET_ZH = {}


def _sheet_zh(name: str) -> str:
    if not _SHEET_ZH:
        from goalsheet.inputs import schema
        _SHEET_ZH.update({sh.key: sh.zh for sh in schema.SHEETS})
    return _SHEET_ZH.get(name, name)


# Warnings made where no Chinese is given (by modules that say it in English only): (code, pattern, Chinese).
WARNING_ZH: tuple[tuple[str, str, str], ...] = (
    ("plan_year_default", r"plan_year is not set: planning (\d{4})\b.*",
     "未设置计划年度：按 {0} 年计划（最后一个销售月份为 12 月时取下一年，否则取该年）；如需计划其他年份，请设置计划年度"),
    ("capacity_binds", r"launch capacity binds before cash: from a target of ([\d,.]+ \w+) the launches needed exceed "
     r"what the operators can launch",
     "上新产能先于资金成为瓶颈：目标达到 {0} 起，所需上新数超出运营的上新能力"),
    ("cash_carries_100x", r"the cash carries at least 100 × the target", "现有资金至少可支撑 100 倍的目标"),
    ("store_no_skus", r"store (.+) has no SKUs to take its new product's price and costs from: no launches are planned "
     r"for it", "店铺 {0} 没有可参照价格和成本的SKU：不为其安排上新"),
    ("launch_outside", r"planned launch in (\S+) for store (.+) is outside the months planned \((.+)\) or names an "
     r"unknown store: left out", "{0} 店铺 {1} 的计划上新不在计划月份（{2}）内，或店铺不存在：已忽略"),
    ("seasonality_bad", r"seasonality must be history, off, or 12 non-negative numbers.*",
     "季节性须为 history、off 或 12 个非负数（1月至12月）：按历史数据计算"),
    ("cash_not_computed", r"the cash table is not computed in this build", "本版本未计算资金表"),
)


def warning_text(problem, lang: str) -> str:
    """A plan warning as the workbook says it: `Sheet: message`, in Chinese for lang zh (its message_zh, else
    the translation of a known English message, else the English)."""
    if lang != "zh":
        return str(problem)
    where = problem.where
    sheet = getattr(problem, "sheet", "")
    if sheet:
        where = _sheet_zh(sheet) + (f"!{problem.cell}" if getattr(problem, "cell", "") else "")
    message = getattr(problem, "message_zh", "") or ""
    if not message:
        for _code, pattern, zh in WARNING_ZH:
            m = re.fullmatch(pattern, problem.message)
            if m:
                message = zh.format(*m.groups())
                break
    return f"{where}：{message or problem.message}"


def _assumption(plan, key: str) -> float:
    """A numeric setting from the Assumptions table (0 when absent or not a number)."""
    df = plan.tables.get("assumptions")
    if df is None or len(df) == 0 or "setting" not in df.columns or "value" not in df.columns:
        return 0.0
    hit = df.loc[df["setting"] == key, "value"]
    try:
        return float(hit.iloc[0]) if len(hit) else 0.0
    except (TypeError, ValueError):
        return 0.0


def table_rows(df, layout: SheetLayout, lang: str = "en") -> list[dict[str, Any]]:
    """A plan table as template rows: one dict per row, keyed by the layout's column keys (the plan's own
    words in Chinese for lang zh).  Converted a column at a time (`column_cells`), then zipped into rows."""
    if df is None or len(df) == 0:
        return []
    if layout.wide_months:
        df = _wide_by_month(df, layout.columns[0].key)
    present = set(df.columns)
    keys, columns = [], []
    for col in layout.columns:
        src = next((k for k in col.keys if k in present), None)
        # a table may carry its own Chinese beside a column: `setting_zh` for `setting`
        zh_src = f"{src}_zh" if lang == "zh" and src and f"{src}_zh" in present else None
        keys.append(col.key)
        if src is None:
            columns.append([None] * len(df))
            continue
        columns.append(column_cells(df[src], col.fmt, layout.key, col.key, lang,
                                    _raw_values(df[zh_src]) if zh_src else None))
    if "format" in present:
        keys.append("format")
        columns.append(_raw_values(df["format"]))
    # filled a column at a time into copies of one dict of the keys (no dict grown key by key, row by row)
    blank = dict.fromkeys(keys).copy
    rows = [blank() for _ in range(len(df))]
    for key, values in zip(keys, columns):
        for row, value in zip(rows, values):
            row[key] = value
    return rows


def _raw_values(s) -> list[Any]:
    """A column's values as Python objects (numbers of numeric columns as Python numbers, NaN kept)."""
    if _numpy_numbers(s):
        return s.to_numpy().tolist()
    return s.tolist()


def column_cells(s, fmt: str, table: str, key: str, lang: str, zh: list[Any] | None = None) -> list[Any]:
    """One table column as cell values: `_cell_value` (and the Chinese words for lang zh) of each value, worked
    out once per distinct value; a numeric column in one pass (NaN -> blank).  `zh`: the column's own Chinese,
    used where it is non-empty text."""
    raw = _raw_values(s)
    if zh is not None:
        raw = [z if isinstance(z, str) and z else v for v, z in zip(raw, zh)]
    if zh is None and _numpy_numbers(s) and fmt not in ("month", "text", "bool"):
        if s.dtype.kind == "f":
            blank = np.isnan(s.to_numpy())
            if blank.any():
                for i in np.flatnonzero(blank).tolist():
                    raw[i] = None
        return raw
    if fmt != "month" and not (lang == "zh" and VALUE_ZH.get(table, {}).get(key)) and \
            set(map(type, raw)) == {str}:
        return raw                     # text as it is (`_cell_value` of a str is the str)
    cache: dict[tuple[type, Any], Any] = {}
    out = []
    for v in raw:
        try:
            out.append(cache[(type(v), v)])
            continue
        except KeyError:
            cell = _cell_value(v, fmt)
            if lang == "zh":
                cell = display_value(table, key, cell, lang)
            cache[(type(v), v)] = cell
        except TypeError:          # unhashable (a list): as it is
            cell = _cell_value(v, fmt)
            if lang == "zh":
                cell = display_value(table, key, cell, lang)
        out.append(cell)
    return out


def _numpy_numbers(s) -> bool:
    """A column of numpy ints, floats or bools (not a nullable pandas dtype, whose blanks are pd.NA)."""
    return isinstance(s.dtype, np.dtype) and s.dtype.kind in "iubf"


def _wide_by_month(df, key: str):
    """Stores/Operators as `key, m01..m12`: from long form (key, month, value) or from month-named columns."""
    if "month" in df.columns:
        value = next(c for c in ("target_sales", "rounded", "value", "target", "sales") if c in df.columns)
        long = df[[key, "month", value]].copy()
        long["m"] = long["month"].map(lambda m: f"m{_month_number(m):02d}")
        order = list(dict.fromkeys(long[key]))
        wide = long.pivot_table(index=key, columns="m", values=value, aggfunc="sum", sort=False).reindex(order)
        wide = wide.reset_index()
        wide["total"] = wide[[c for c in wide.columns if str(c).startswith("m") and c != key]].sum(axis=1)
        extra = [c for c in df.columns if c in ("net_profit", "target_net_profit")]
        if extra:
            wide = wide.merge(df.groupby(key, sort=False)[extra].sum().reset_index(), on=key, how="left")
        return wide
    renames = {}
    for c in df.columns:
        n = _month_number(c)
        if n:
            renames[c] = f"m{n:02d}"
    return df.rename(columns=renames)


def _month_number(label: Any) -> int:
    """'2026-03', 'Mar', '3月', 3, a date -> 3; anything else -> 0."""
    if isinstance(label, (dt.date, dt.datetime)):
        return label.month
    if isinstance(label, int) and 1 <= label <= 12:
        return label
    text = str(label).strip()
    m = re.fullmatch(r"(?:\d{4}[-/])?(\d{1,2})(?:月)?", text) or re.fullmatch(r"m(\d{2})", text)
    if m and 1 <= int(m.group(1)) <= 12:
        return int(m.group(1))
    for i, name in enumerate(MONTHS_EN, start=1):
        if text.lower() == name.lower():
            return i
    return 0


def _cell_value(value: Any, fmt: str) -> Any:
    """A plan value as a cell value: numbers as numbers, months as dates, NaN as blank, text as text."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is not None and type(value).__name__ in ("NAType", "NaTType"):
        return None
    if fmt == "month":
        if isinstance(value, dt.datetime):
            return value.date().replace(day=1)
        if isinstance(value, dt.date):
            return value.replace(day=1)
        m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?", str(value).strip())
        return dt.date(int(m.group(1)), int(m.group(2)), 1) if m else str(value)
    if fmt == "text":
        if isinstance(value, bool):
            return value
        if isinstance(value, (list, tuple)):
            return ", ".join(str(v) for v in value)
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            return int(value)
        return value if isinstance(value, (int, float)) else str(value)
    if fmt == "bool":
        return bool(value) if isinstance(value, (bool, int, float)) else value
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def wrap_text(text: str, width: int, first: str = "") -> list[str]:
    """Split text into lines of at most `width` display columns (a CJK character counts 2), first line
    prefixed with `first`, the others indented to match: the Summary lists warnings one line a row, which
    reads the same in every spreadsheet (wrapped text in merged cells does not grow its row)."""
    import unicodedata

    def cols(ch: str) -> int:
        return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1

    lines, line, used = [], first, sum(cols(c) for c in first)
    indent = " " * len(first)
    for token in re.findall(r"\S+\s*|\s+", text):
        w = sum(cols(c) for c in token.rstrip())
        if used + w > width and line.strip():
            if w > width:       # a long run without spaces (Chinese): break it by characters
                for ch in token:
                    if used + cols(ch) > width:
                        lines.append(line.rstrip())
                        line, used = indent, len(indent)
                    line += ch
                    used += cols(ch)
                continue
            lines.append(line.rstrip())
            line, used = indent, len(indent)
        line += token
        used += sum(cols(c) for c in token)
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _money_text(value: float, cur: str) -> str:
    return f"{value:,.2f} {cur}"


# ---------------------------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------------------------

def write_plan_workbook(plan, path: Path, lang: str = "en", template: Path | None = None,
                        compiled=None, json_path: Path | None = None) -> None:
    """Render the plan into `template` (default: the shipped one for `lang`) and write it to `path` atomically;
    with `json_path`, the plan's JSON (`plan_json_file_text`) too, published with the workbook: both files
    appear, or neither changes.

    The workbook is marked as goalsheet's own (custom properties `goalsheet`, `goalsheet_plan_sha256`) and
    carries `plan.to_json()` in the very hidden sheet `_goalsheet_plan`, for `--baseline`; both are added to
    the workbook during the render, and the Assumptions sheet fitted to its rows (`fit_assumptions`) as the
    package is written.  The package is written once, straight to a temporary file beside `path`, which then
    replaces `path`.

    Raises `goalsheet.paths.OutputError` (an OSError, one line naming the file) when a file cannot be
    written; nothing is left behind then.  Raises `goalsheet.render.TemplateError` for a bad template.
    """
    path = Path(path)
    lang = "zh" if lang == "zh" else "en"
    context = plan_context(plan, lang)
    plan_json = plan_json_text(plan)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise error_writing(path, exc) from None
    with _TempFiles() as temps:
        rendered = temps.beside(path)
        try:
            render_workbook(Path(template) if template else default_template(lang), context, out=rendered,
                            plan_json=plan_json, compiled=compiled,
                            assumptions=context.get("assumptions") or None)
        except OSError as exc:
            raise error_writing(path, exc) from None
        pairs = [(rendered, path)]
        if json_path is not None:
            json_path = Path(json_path)
            written = temps.beside(json_path)
            try:
                written.write_text(plan_json_file_text(plan), encoding="utf-8")
            except OSError as exc:
                raise error_writing(json_path, exc) from None
            pairs.append((written, json_path))
        publish_together(pairs)


def plan_json_file_text(plan) -> str:
    """The `plan --json` file: `Plan.to_json()` (tables as records), readable, UTF-8.  Its first key is
    "goalsheet_plan", by which a rerun knows the file as its own (`goalsheet.paths.is_plan_json`)."""
    return json.dumps(plan.to_json(), ensure_ascii=False, indent=1)


def plan_json_text(plan) -> str:
    """The embedded plan: `Plan.to_json(by_column=True)` as ASCII JSON (non-ASCII escaped as JSON's \\uXXXX, so
    a chunk of CHUNK characters is as many UTF-16 units in Excel, and any XML carries it); `read_embedded_plan`
    gives it back as `Plan.to_json()`.

    Serialised by orjson (the largest seller's 15 MB in ~25 ms; the standard library's `json` takes ~0.3 s);
    the text parses back to exactly what `json.dumps` would have written.  What orjson refuses (a string with a
    lone surrogate, an integer beyond 64 bits) is written by `json`."""
    import orjson

    data = plan.to_json(by_column=True)
    try:
        text = orjson.dumps(data, default=_json_default, option=orjson.OPT_SERIALIZE_NUMPY).decode("utf-8")
    except orjson.JSONEncodeError:
        return json.dumps(data, ensure_ascii=True, separators=(",", ":"), default=_json_default, allow_nan=False)
    return text if text.isascii() else text.encode("ascii", _JSON_ESCAPE).decode("ascii")


# orjson writes non-ASCII characters as they are, and only inside JSON strings: each becomes \uXXXX (a surrogate
# pair beyond the BMP), as json.dumps(ensure_ascii=True) writes it - by the ASCII encoder's error handler, which the
# encoder calls per run of non-ASCII characters (found in C, not by a regex over the whole text), escaping the run
# with json's own encoder (`_json_escape`, character by character, is the reference the tests hold it to).
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_JSON_ESCAPE = "goalsheet-json-escape"


def _escape_run(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    from json.encoder import encode_basestring_ascii

    return encode_basestring_ascii(exc.object[exc.start:exc.end])[1:-1], exc.end


codecs.register_error(_JSON_ESCAPE, _escape_run)


def _xml_attr(text: str) -> str:
    """Text for an XML attribute value: &, <, > and " escaped (as xml.sax.saxutils.escape with &quot;, whose
    module imports urllib.request, http.client, email and ssl: ~12 ms of start-up for three replacements)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _json_escape(m: re.Match) -> str:
    code = ord(m.group())
    if code > 0xFFFF:
        code -= 0x10000
        return "\\u%04x\\u%04x" % (0xD800 | (code >> 10), 0xDC00 | (code & 0x3FF))
    return "\\u%04x" % code


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return str(value)


class TemplateFileError(Exception):
    """A template file that is not a readable .xlsx workbook (not a zip, a damaged package); str() is one line
    naming the file."""


def load_template(template: Path):
    """The template workbook compiled (`goalsheet.render.Template`), less a plan sheet it carries when it is
    itself a goalsheet output.  The pipeline compiles it while the plan's capital is being made and hands it to
    `write_plan_workbook(compiled=...)`.

    Raises `goalsheet.render.TemplateError` for a bad user template (a cell naming an unknown field, a bad
    tag), `TemplateFileError` for a file that is no workbook at all or a damaged one."""
    from goalsheet.render import Template, TemplateError

    template = Path(template)
    try:
        return Template(_without_embedded_plan(template.read_bytes()))
    except TemplateError:
        raise
    except MemoryError:
        raise TemplateFileError(f"{template}: the template is too large to read") from None
    except Exception as exc:  # noqa: BLE001 - zipfile, XML and openpyxl each raise their own kind for a bad file
        raise TemplateFileError(f"{template}: not a readable .xlsx template ({_reason(exc)})") from None


def _reason(exc: BaseException) -> str:
    """A short reason for a damaged file: the exception's text on one line, at most 160 characters."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def render_workbook(template: Path, context: dict[str, Any], out: Path | None = None,
                    plan_json: str | None = None, compiled=None, *,
                    assumptions: list[dict[str, Any]] | None = None) -> bytes | None:
    """The template filled with the context, by `goalsheet.render` (SPEC section 5): written to `out`, or
    returned as .xlsx bytes when `out` is None.  With `plan_json` the workbook is marked and carries the plan
    (`embed_plan`).  `compiled`: `load_template(template)` made beforehand.  With `assumptions` (the context's
    Assumptions rows) the Assumptions sheet gets its per-row formats and heights (`fit_assumptions`) as the
    package is written.

    Raises `goalsheet.render.TemplateError` ("Sheet!B7: unknown name ...") for a bad user template."""
    from goalsheet.render import Template

    hook = None
    if compiled is None:
        source = Path(template).read_bytes()
        compiled = Template(_without_embedded_plan(source) if plan_json is not None else source)
    if plan_json is not None:
        hook = lambda wb: embed_plan(wb, plan_json)   # noqa: E731
    target = io.BytesIO() if out is None else Path(out)
    fix = None
    if assumptions:
        fix = lambda parts: fit_assumptions(parts, assumptions)   # noqa: E731
    compiled.render(context, target, before_save=hook, fix_parts=fix)
    return target.getvalue() if out is None else None


def embed_plan(wb, plan_json: str) -> dict:
    """Mark an openpyxl workbook as goalsheet's (custom properties) and add the very hidden plan sheet:
    A1 'goalsheet_plan', B1 the number of chunks, C1 the JSON's SHA-256; the JSON from A2 down, CHUNK
    characters a cell.  The sheet's rows are returned for the render to stream in ({sheet: rows}, the
    `before_save` protocol), not put in openpyxl cells: openpyxl would deflate the 34 MB of the largest
    seller's plan at level 6 only for the package writer to inflate it and deflate it again."""
    from openpyxl.packaging.custom import StringProperty

    sha = hashlib.sha256(plan_json.encode("ascii")).hexdigest()
    marks = {PROPERTY_VERSION: __version__, PROPERTY_SHA: sha}
    props = wb.custom_doc_props
    props.props = [p for p in props.props if p.name not in marks]
    for name, value in marks.items():
        props.append(StringProperty(name=name, value=value))
    chunks = [plan_json[i:i + CHUNK] for i in range(0, len(plan_json), CHUNK)] or [""]
    ws = wb.create_sheet(EMBED_SHEET)
    ws.sheet_state = "veryHidden"
    return {ws: [["goalsheet_plan", len(chunks), sha]] + [[chunk] for chunk in chunks]}


def _without_embedded_plan(xlsx: bytes) -> bytes:
    """A template that is itself a goalsheet output, without its plan sheet (the render adds the new one)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        if f'name="{EMBED_SHEET}"'.encode() not in z.read("xl/workbook.xml"):
            return xlsx
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx), rich_text=False)
    wb.remove(wb[EMBED_SHEET])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _temp_beside(path: Path, suffix: str = ".tmp") -> Path:
    """A new empty temporary file in `path`'s folder (so os.replace is atomic)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    return Path(tmp)


class _TempFiles:
    """Temporary files beside their targets, removed on leaving unless published (`beside` names one; an
    OSError making it is the target's one-line OutputError)."""

    def __init__(self):
        self.paths: list[Path] = []

    def beside(self, target: Path, suffix: str = ".tmp") -> Path:
        try:
            tmp = _temp_beside(Path(target), suffix)
        except OSError as exc:
            raise error_writing(Path(target), exc) from None
        self.paths.append(tmp)
        return tmp

    def __enter__(self) -> "_TempFiles":
        return self

    def __exit__(self, *exc_info) -> None:
        for tmp in self.paths:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            except OSError:         # best effort: a leftover hidden .tmp is harmless
                pass


def _publish(tmp: Path, path: Path) -> None:
    """Make the finished temporary file `path`: flushed to disk, the usual permissions, replaced in one step."""
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    os.replace(tmp, path)


def publish_together(pairs: list[tuple[Path, Path]]) -> None:
    """Each finished temporary file (in its target's folder) becomes its target: all of them or none.

    Before a target is replaced its previous file, if any, is kept under a temporary name (a hard link, else a
    copy); if a later target cannot be replaced (a file open in Excel, a permission), the ones already
    replaced get their previous file back (or are removed when there was none) and the one-line OutputError
    of the failing target is raised.  A single pair is one `os.replace`."""
    done: list[tuple[Path, Path | None]] = []
    try:
        for tmp, target in pairs:
            kept = _keep_previous(target) if len(pairs) > 1 else None
            try:
                _publish(tmp, target)
            except OSError as exc:
                if kept is not None:
                    _remove(kept)
                raise error_writing(target, exc) from None
            done.append((target, kept))
    except BaseException:
        for target, kept in reversed(done):
            try:
                if kept is not None:
                    os.replace(kept, target)
                else:
                    os.unlink(target)
            except OSError:
                pass
        raise
    for _target, kept in done:
        if kept is not None:
            _remove(kept)


def _keep_previous(target: Path) -> Path | None:
    """The current file at `target` under a new temporary name beside it (None when there is none)."""
    if not os.path.isfile(target):
        return None
    try:
        kept = _temp_beside(target, ".previous")
        os.unlink(kept)
        try:
            os.link(target, kept)
        except OSError:             # no hard links here (FAT, some network shares): a copy
            import shutil
            shutil.copyfile(target, kept)
    except OSError as exc:
        raise error_writing(target, exc) from None
    return kept


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def made_beside(path: Path, make) -> None:
    """`make(tmp)` writes a file at a temporary name beside `path` (with `path`'s suffix, for writers that go by
    it), which then becomes `path` in one step: the file appears whole or not at all.  Raises
    `goalsheet.paths.OutputError` (one line naming `path`) when it cannot be written."""
    path = Path(path)
    with _TempFiles() as temps:
        tmp = temps.beside(path, path.suffix or ".tmp")
        try:
            make(tmp)
        except OSError as exc:
            raise error_writing(path, exc) from None
        publish_together([(tmp, path)])


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so a reader sees the old file or the new one, never half of one.
    Raises `goalsheet.paths.OutputError` (one line naming `path`) when it cannot."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise error_writing(path, exc) from None
    with _TempFiles() as temps:
        tmp = temps.beside(path)
        try:
            tmp.write_bytes(data)
        except OSError as exc:
            raise error_writing(path, exc) from None
        publish_together([(tmp, path)])


def _quote(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


# ---------------------------------------------------------------------------------------------------------------
# The Assumptions sheet: number formats and row heights per row, on the package's parts (only the sheet and
# styles.xml change), during the write (`render_workbook(assumptions=...)`; tests/output/refit_reference.py fits a
# written file afterwards, the way it was done before, as the reference)
# ---------------------------------------------------------------------------------------------------------------


def text_lines(text: Any, width: float) -> int:
    """Lines a text takes wrapped (at spaces; Chinese anywhere) in a column `width` wide, in widths of the digit 0:
    a CJK character counts 2, any other 0.85 (letters average narrower than 0; the rounding up errs
    towards a taller row, never an overlap).

    A token's width is the plain left-to-right sum of its characters' widths (`_token_width`: an ASCII token's
    sum looked up, the same additions made once)."""
    if text is None or text == "":
        return 1
    lines, used = 1, 0.0
    size = _token_width
    for token in _WRAP_TOKEN.findall(str(text)):
        w = size(token.rstrip())
        if used + w > width and used > 0:
            lines += 1
            used = 0.0
        while w > width:                      # a word longer than the column breaks inside
            lines += 1
            w -= width
        used += size(token)
    return lines


_WRAP_TOKEN = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]|[^\s\u2e80-\u9fff\uff00-\uffef]+\s*|\s+")


def _ascii_widths(n: int) -> list[float]:
    """[sum of k ASCII characters' widths for k in 0..n], each summed as `sum` sums them: 0 + 0.85 + 0.85 + ..."""
    out, acc = [0], 0
    for _ in range(n):
        acc += 0.85
        out.append(acc)
    return out


_ASCII_WIDTHS = _ascii_widths(256)


def _token_width(token: str) -> float:
    """sum(2.0 for a wide character (East Asian W or F), else 0.85), added up in the token's order."""
    if token.isascii() and len(token) < len(_ASCII_WIDTHS):
        return _ASCII_WIDTHS[len(token)]
    import unicodedata

    return sum(2.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.85 for ch in token)


def _sheet_part(parts: dict[str, bytes], sheet_name: str) -> str | None:
    """The part name (xl/worksheets/sheetN.xml) of the sheet called `sheet_name`."""
    book = parts["xl/workbook.xml"].decode("utf-8")
    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    for m in re.finditer(r'<(?:\w+:)?sheet\b[^>]*/>', book):
        name = re.search(r'\bname="([^"]*)"', m.group(0))
        rid = re.search(r'\b(?:\w+:)?id="([^"]+)"', m.group(0))
        if name and rid and name.group(1) == _xml_attr(sheet_name):
            rel = re.search(rf'<Relationship\b[^>]*Id="{re.escape(rid.group(1))}"[^>]*/>', rels)
            target = re.search(r'Target="([^"]+)"', rel.group(0)).group(1) if rel else None
            if target:
                return target.lstrip("/") if target.startswith("/") else "xl/" + target
    return None


def _styled(parts: dict[str, bytes], cache: dict[tuple[int, str], int], style: int, code: str) -> int:
    """The cellXfs index of `style` with number format `code` (added to styles.xml once)."""
    key = (style, code)
    if key in cache:
        return cache[key]
    styles = parts["xl/styles.xml"].decode("utf-8")
    builtin = {"0": 1, "0.00%": 10, "#,##0.00": 4, "General": 0}
    if code in builtin:
        fmt_id = builtin[code]
    else:
        found = re.search(rf'<numFmt numFmtId="(\d+)" formatCode="{re.escape(_xml_attr(code))}"',
                          styles)
        if found:
            fmt_id = int(found.group(1))
        else:
            fmt_id = max([int(i) for i in re.findall(r'<numFmt numFmtId="(\d+)"', styles)] + [163]) + 1
            entry = f'<numFmt numFmtId="{fmt_id}" formatCode="{_xml_attr(code)}"/>'
            if "<numFmts" in styles:
                styles = re.sub(r"</numFmts>", entry + "</numFmts>", styles, count=1)
                styles = re.sub(r'<numFmts count="\d+"', lambda m: f'<numFmts count="{styles.count("<numFmt ")}"',
                                styles, count=1)
            else:
                styles = re.sub(r"(<styleSheet\b[^>]*>)", rf'\1<numFmts count="1">{entry}</numFmts>', styles, count=1)
    cell_xfs = re.search(r"<cellXfs\b[^>]*>(.*?)</cellXfs>", styles, re.S)
    xfs = re.findall(r"<xf\b[^>]*?/>|<xf\b[^>]*?>.*?</xf>", cell_xfs.group(1), re.S)
    base = xfs[style] if style < len(xfs) else '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    new = re.sub(r'numFmtId="\d+"', f'numFmtId="{fmt_id}"', base, count=1)
    if "applyNumberFormat" not in new:
        new = new.replace("<xf ", '<xf applyNumberFormat="1" ', 1)
    index = len(xfs)
    body = cell_xfs.group(1) + new
    head = re.sub(r'count="\d+"', f'count="{index + 1}"', styles[cell_xfs.start():cell_xfs.start(1)])
    styles = styles[:cell_xfs.start()] + head + body + "</cellXfs>" + styles[cell_xfs.end():]
    parts["xl/styles.xml"] = styles.encode("utf-8")
    cache[key] = index
    return index


def fit_assumptions(parts: dict[str, bytes], rows: list[dict[str, Any]]) -> None:
    """The Assumptions sheet after rendering: each value cell in its row's number format (ASSUMPTION_FORMATS:
    3.00 %, 4,000,000.00, 0.783810), and each row whose setting or note wraps made tall enough to show every
    line (LibreOffice does not grow rows on opening).  Found by the `gs_assumptions` name and its header words;
    a template without them is left as it is."""
    book = parts["xl/workbook.xml"].decode("utf-8")
    m = re.search(r'<(?:\w+:)?definedName\b[^>]*name="gs_assumptions"[^>]*>([^<]+)<', book)
    if not m:
        return
    ref = re.fullmatch(r"(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)",
                       m.group(1).replace("&apos;", "'").strip())
    if not ref:
        return
    sheet_name = (ref.group(1) or ref.group(2)).replace("''", "'")
    sheet_name = sheet_name.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    first, last = int(ref.group(4)), int(ref.group(6))
    part = _sheet_part(parts, sheet_name)
    if part is None or part not in parts or last - first != len(rows):
        return
    xml = parts[part].decode("utf-8")
    header = re.search(rf'<row r="{first}"[^>]*>(.*?)</row>', xml, re.S)
    if not header:
        return
    words = {}
    for c in re.finditer(r'<c r="([A-Z]+)\d+"[^>]*>(.*?)</c>', header.group(1), re.S):
        words["".join(re.findall(r"<t[^>]*>([^<]*)</t>", c.group(2)))] = c.group(1)
    layout = LAYOUT_BY_KEY["assumptions"]
    col_of = {}
    for col in layout.columns:
        letter = words.get(col.en) or words.get(col.zh)
        if letter:
            col_of[col.key] = letter
    if "value" not in col_of:
        return
    widths = {}
    for c in re.finditer(r"<col\b[^>]*/>", xml):
        w, lo, hi = (re.search(rf'\b{a}="([^"]+)"', c.group(0)) for a in ("width", "min", "max"))
        if w and lo and hi:
            for i in range(int(lo.group(1)), int(hi.group(1)) + 1):
                widths[i] = float(w.group(1))

    def width_of(letter: str) -> float:
        n = 0
        for ch in letter:
            n = n * 26 + ord(ch) - 64
        return widths.get(n, 8.43)

    wrapped = [(k, width_of(col_of[k])) for k in ("setting", "note") if k in col_of]
    cache: dict[tuple[int, str], int] = {}

    def fix(match: re.Match) -> str:
        r = int(match.group(1))
        i = r - first - 1
        if not 0 <= i < len(rows):
            return match.group(0)
        attrs, body = match.group(2), match.group(3)
        code = ASSUMPTION_FORMATS.get(str(rows[i].get("format") or ""))
        if code:
            cell = re.search(rf'<c r="{col_of["value"]}{r}"( s="(\d+)")?', body)
            if cell:
                style = _styled(parts, cache, int(cell.group(2) or 0), code)
                body = body[:cell.start()] + f'<c r="{col_of["value"]}{r}" s="{style}"' + body[cell.end():]
        lines = max([text_lines(rows[i].get(k), w) for k, w in wrapped] or [1])
        if lines > 1:
            attrs = re.sub(r'\s(?:ht|customHeight)="[^"]*"', "", attrs)
            attrs += f' ht="{lines * LINE_HEIGHT:g}" customHeight="1"'
        return f'<row r="{r}"{attrs}>{body}</row>'

    lo_row, hi_row = first + 1, last
    xml = re.sub(r'<row r="(\d+)"([^>]*?)(?<!/)>(.*?)</row>',
                 lambda mm: fix(mm) if lo_row <= int(mm.group(1)) <= hi_row else mm.group(0), xml, flags=re.S)
    parts[part] = xml.encode("utf-8")


# ---------------------------------------------------------------------------------------------------------------
# Reading back
# ---------------------------------------------------------------------------------------------------------------

def custom_properties(path: Path) -> dict[str, str]:
    """The workbook's custom document properties ({} for a file that is not an .xlsx)."""
    from xml.etree import ElementTree as ET

    try:
        with zipfile.ZipFile(path) as z:
            if "docProps/custom.xml" not in z.namelist():
                return {}
            root = ET.fromstring(z.read("docProps/custom.xml"))
    except (OSError, zipfile.BadZipFile, ET.ParseError, KeyError):
        return {}
    props = {}
    for prop in root:
        value = next(iter(prop), None)
        props[prop.get("name", "")] = value.text if value is not None and value.text is not None else ""
    return props


def is_goalsheet_output(path: Path) -> bool:
    """True when goalsheet wrote this file (its custom property, or its embedded plan sheet), so `plan` may
    overwrite it (SPEC section 1)."""
    path = Path(path)
    if not path.is_file():
        return False
    if PROPERTY_VERSION in custom_properties(path):
        return True
    try:
        with zipfile.ZipFile(path) as z:
            book = z.read("xl/workbook.xml").decode("utf-8", "replace")
    except (OSError, zipfile.BadZipFile, KeyError):
        return False
    return f'name="{EMBED_SHEET}"' in book


def read_embedded_plan(path: Path) -> dict | None:
    """The plan JSON goalsheet embedded in a plan workbook, or None when there is none (or it is damaged)."""
    import warnings

    from openpyxl import load_workbook

    path = Path(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:   # noqa: BLE001 - any unreadable file simply holds no plan
        return None
    try:
        if EMBED_SHEET not in wb.sheetnames:
            return None
        ws = wb[EMBED_SHEET]
        sha, count, chunks = None, None, []
        for i, row in enumerate(ws.iter_rows(min_col=1, max_col=3, values_only=True)):
            if i == 0:
                if row[0] != "goalsheet_plan":
                    return None
                count, sha = row[1], row[2]
                continue
            if row[0] is None:
                break
            chunks.append(str(row[0]))
    finally:
        wb.close()
    text = "".join(chunks)
    if not isinstance(sha, str) or not isinstance(count, (int, float)) or int(count) != len(chunks):
        return None
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != sha:
        return None
    try:
        plan = json.loads(text)
    except ValueError:
        return None
    if not _plan_shaped(plan):
        return None
    from goalsheet.plan.result import tables_as_records
    try:
        return tables_as_records(plan)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None


_SCALARS = (str, int, float, bool, type(None))


def _plan_shaped(plan: Any) -> bool:
    """The embedded plan has the shape `Plan.to_json(by_column=True)` gives: an object marked "goalsheet_plan",
    a headline of plain values, tables each {"columns": names, "values": one list of plain values per column,
    "rows": their length} (or lists of records), and a "frozen" object.  Anything else (an edited or forged
    plan sheet) is no plan: `--baseline` then says so in one line instead of failing deep in the planner."""
    if not isinstance(plan, dict) or plan.get("goalsheet_plan") != 1:
        return False
    headline, tables, frozen = plan.get("headline", {}), plan.get("tables", {}), plan.get("frozen", {})
    if not (isinstance(headline, dict) and isinstance(tables, dict) and isinstance(frozen, dict)):
        return False
    if not all(isinstance(v, _SCALARS) for v in headline.values()):
        return False
    for table in tables.values():
        if isinstance(table, list):
            if not all(isinstance(r, dict) and all(isinstance(v, _SCALARS) for v in r.values()) for r in table):
                return False
            continue
        if not isinstance(table, dict):
            return False
        columns, values, rows = table.get("columns"), table.get("values"), table.get("rows")
        if not (isinstance(columns, list) and isinstance(values, list) and isinstance(rows, int)
                and 0 <= rows <= 1_048_576 and len(columns) == len(values) and all(isinstance(c, str) for c in columns)):
            return False
        if not all(isinstance(col, list) and len(col) == rows and all(isinstance(v, _SCALARS) for v in col)
                   for col in values):
            return False
    return True
