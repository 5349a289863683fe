"""The plan workbook's layout (SPEC section 4): which plan table goes on which sheet, which column under which
header (English and Chinese), with its number format, width and whether it gets a total; the Summary's headline
figures; the number formats by kind.

`templates/make_templates.py` builds the default templates from it and `context.plan_context` fills them from
it, so a column added here appears in both."""
from __future__ import annotations

from dataclasses import dataclass

from goalsheet.report.words import MONTHS_EN, MONTHS_ZH


@dataclass(frozen=True)
class Col:
    """One column of an output table.

    key     the plan table's column key (one name per figure, the same in the JSON)
    fmt     text | note | setting | month | date | money | money_store | flow | balance | units | int | pct | rate | bool |
            number
    total   the column gets a SUM total under the table
    """
    key: str
    en: str
    zh: str
    fmt: str = "money"
    total: bool = False
    width: float | None = None


_c = Col


@dataclass(frozen=True)
class SheetLayout:
    key: str                 # the table's key in Plan.tables, and its defined name without `gs_`
    en: str
    zh: str
    columns: tuple[Col, ...]
    title_en: str
    title_zh: str
    wide_months: bool = False    # Stores/Operators: store × month, months as columns Jan..Dec


MONTH_COLS = tuple(Col(f"m{i:02d}", MONTHS_EN[i - 1], MONTHS_ZH[i - 1], "money", True, 14) for i in range(1, 13))

LAYOUT: tuple[SheetLayout, ...] = (
    SheetLayout("monthly", "Monthly", "月度目标", (
        _c("month", "Month", "月份", "month", width=11),
        _c("target_sales", "Target sales", "目标销售额", total=True),
        _c("existing_sales", "Existing products", "老品销售额", total=True),
        _c("new_sales", "New products", "新品销售额", total=True),
        _c("new_before_launches", "Before launches", "上新前增长", total=True),
        _c("new_from_launches", "From launches", "来自上新", total=True),
        _c("units", "Units", "销量", "units", total=True),
        _c("target_net_profit", "Target net profit", "目标净利润", total=True),
        _c("ad_budget", "Ad budget", "广告预算", total=True),
        _c("launches", "Launches", "上新数", "int", total=True),
        _c("actual_sales", "Actual sales", "实际销售额", total=True),
        _c("variance", "Variance", "差额", total=True),
        _c("attainment", "Attainment", "达成率", "pct"),
        _c("reforecast", "Reforecast", "滚动预测", total=True),
    ), "Monthly targets", "月度目标"),
    SheetLayout("stores", "Stores", "店铺目标", (
        _c("store", "Store", "店铺", "text", width=18),
        *MONTH_COLS,
        _c("total", "Total", "合计", total=True, width=14),
        _c("net_profit", "Net profit", "净利润", total=True, width=14),
    ), "Target sales by store and month", "店铺月度目标", wide_months=True),
    SheetLayout("coverage", "Coverage", "缺口覆盖", (
        _c("store", "Store", "店铺", "text", width=18),
        _c("target_sales", "Target", "目标销售额", total=True),
        _c("existing_sales", "Existing products", "老品销售额", total=True),
        _c("gap", "Gap", "缺口", total=True),
        _c("launches", "Launches", "上新数", "int", total=True, width=10),
        _c("contribution", "Their contribution", "新品贡献", total=True),
        _c("covered", "Covered", "已覆盖", total=True),
        _c("over_covered", "Over-covered", "超额覆盖", total=True),
        _c("shortfall", "Short", "不足", total=True),
    ), "Gap and launches, store by store", "缺口与上新：逐店铺"),
    SheetLayout("operators", "Operators", "运营目标", (
        _c("operator", "Operator", "运营", "text", width=16),
        *MONTH_COLS,
        _c("total", "Total", "合计", total=True, width=14),
        _c("net_profit", "Net profit", "净利润", total=True, width=14),
    ), "Target sales by operator and month", "运营月度目标", wide_months=True),
    SheetLayout("products", "Products", "老品分析", (
        _c("store", "Store", "店铺", "text", width=14),
        _c("sku", "SKU", "SKU", "text", width=16),
        _c("name", "Name", "品名", "text", width=22),
        _c("operator", "Operator", "运营", "text"),
        _c("trend", "Trend", "趋势", "text", width=10),
        _c("g", "Monthly growth", "月增长率", "pct"),
        _c("g_source", "Growth from", "增长率来源", "text", width=16),
        _c("run_rate", "Run-rate (store currency)", "月均销售额(本店币种)", "money_store"),
        _c("history_sales", "Last 12 months sales", "近12个月销售额", total=True),
        _c("stable_forecast", "Stable forecast", "稳定预测", total=True),
        _c("growth_forecast", "Growth forecast", "增长预测", total=True),
        _c("forecast_units", "Forecast units", "预测销量", "units", total=True),
        _c("unit_net_base", "Net profit per unit", "单件净利润"),
        _c("net_margin", "Net margin", "净利率", "pct"),
        _c("flags", "Flags", "提示", "text", width=30),
    ), "Existing products: history, trend and forecast", "老品分析：历史、趋势与预测"),
    SheetLayout("profit", "Profit", "利润测算", (
        _c("store", "Store", "店铺", "text", width=14),
        _c("sku", "SKU", "SKU", "text", width=16),
        _c("currency", "Currency", "币种", "text", width=8),
        _c("price", "Price", "售价", "money_store"),
        _c("promotion", "Promotion", "促销折扣", "money_store"),
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
        _c("launch_month", "Launch month", "上新月份", "month", width=12),
        _c("store", "Store", "店铺", "text", width=14),
        _c("operator", "Operator", "运营", "text", width=14),
        _c("source", "Planned or added", "计划/新增", "text", width=12),
        _c("count", "Count", "数量", "int", total=True),
        _c("price", "Price (store currency)", "售价(本店币种)", "money_store"),
        _c("monthly_units", "Monthly units when ramped", "成熟月销量", "units"),
        _c("contribution", "Contribution", "年内贡献销售额", total=True),
        _c("first_order_cost", "First order", "首单货款", total=True),
        _c("launch_budget", "Launch budget", "推广预算", total=True),
        _c("writeoff", "Expected write-off", "预计失败损失", total=True),
        _c("capital", "Capital", "所需资金", total=True),
    ), "New launches", "新品上新计划"),
    SheetLayout("cash", "Cash", "资金计划", (
        _c("month", "Month", "月份", "month", width=9.5),
        _c("opening_balance", "Opening balance", "期初余额", "balance", width=11.5),
        _c("receivables", "Receivables", "期初应收回款", "flow", total=True, width=12),
        _c("payouts_in", "Payouts in", "回款", "flow", total=True, width=10.5),
        _c("refunds", "Refunds", "退款", "flow", total=True, width=10.5),
        _c("purchase_deposits", "Purchase deposits", "采购定金", "flow", total=True, width=10.5),
        _c("balances_freight_duty", "Balances, freight, duty", "尾款/运费/关税", "flow", total=True, width=10.5),
        _c("opening_payables", "Opening payables", "期初应付", "flow", total=True, width=10.5),
        _c("advertising", "Advertising", "广告", "flow", total=True, width=12),
        _c("launch_budgets", "Launch budgets", "新品推广", "flow", total=True, width=10.5),
        _c("first_orders", "First orders", "新品首单", "flow", total=True, width=10.5),
        _c("store_fees", "Store fees", "店铺月租", "flow", total=True, width=10.5),
        _c("expenses", "Expenses", "费用", "flow", total=True, width=10.5),
        _c("salaries", "Salaries", "工资", "flow", total=True, width=10.5),
        _c("bonuses", "Bonuses", "奖金", "flow", total=True, width=10.5),
        _c("net_flow", "Net cash flow", "净现金流", "flow", total=True, width=10.5),
        _c("closing_balance", "Closing balance", "期末余额", "balance", width=11.5),
        _c("downside_closing_balance", "Closing at 80% payouts", "期末余额(回款按80%)", "balance",
           width=11.5),
    ), "Monthly cash plan (outflows negative)", "月度资金计划（流出为负）"),
    SheetLayout("purchases", "Purchases", "采购计划", (
        _c("month", "Month", "月份", "month", width=11),
        _c("store", "Store", "店铺", "text", width=14),
        _c("units", "Units ordered", "采购数量", "units", total=True),
        _c("value", "Order value", "采购货值", total=True),
        _c("deposits", "Replenishment deposits paid", "补货定金付款", total=True),
        _c("balances", "Replenishment balances paid", "补货尾款付款", total=True),
        _c("first_order_units", "First-order units", "新品首单数量", "units", total=True),
        _c("first_order_value", "First-order value", "新品首单货值", total=True),
        _c("first_orders_paid", "First orders paid", "新品首单付款", total=True),
    ), "Purchases by month and store", "采购计划"),
    SheetLayout("bonus", "Bonus", "绩效奖金", (
        _c("operator", "Operator", "运营", "text", width=14),
        _c("period", "Period", "周期", "text", width=10),
        _c("metric", "Metric", "指标", "text", width=12),
        _c("target", "Target", "目标", "money"),
        _c("share", "Share of bonus base", "奖金基数份额", total=True, width=12),
        _c("bonus_80", "Bonus at 80%", "80%达成奖金", total=True, width=12),
        _c("bonus_100", "Bonus at 100%", "100%达成奖金", total=True, width=12),
        _c("bonus_120", "Bonus at 120%", "120%达成奖金", total=True, width=12),
        _c("plan_to_date", "Plan to date", "截至当期计划", "money"),
        _c("actual", "Actual to date", "截至当期实际", "money"),
        _c("attainment", "Attainment to date", "当期达成率", "pct", width=11),
        _c("status", "Status", "状态", "text", width=9),
        _c("earned", "Earned", "已得奖金", total=True, width=12),
        _c("paid", "Paid", "已发放", total=True, width=12),
        _c("forecast", "Forecast", "预计奖金", total=True, width=12),
        _c("true_up", "True-up vs budget", "与预算差额", total=True, width=12),
    ), "Bonus per operator and period", "运营绩效奖金"),
    SheetLayout("tracking", "Tracking", "跟踪", (
        _c("level", "Level", "层级", "text", width=10),
        _c("name", "Period or name", "期间/名称", "text", width=16),
        _c("plan", "Plan", "计划"),
        _c("plan_to_date", "Plan to date", "截至当期计划"),
        _c("actual", "Actual", "实际"),
        _c("variance", "Variance", "差额"),
        _c("attainment", "Attainment", "达成率", "pct"),
        _c("reforecast", "Reforecast", "滚动预测"),
    ), "Plan against actuals", "计划与实际"),
    SheetLayout("orders", "Orders", "采购订单", (
        _c("order_date", "Order by", "下单日期", "date", width=11),
        _c("arrival_date", "Sellable from", "可售日期", "date", width=11),
        _c("store", "Store", "店铺", "text", width=12),
        _c("order_for", "For", "用途", "text", width=12),
        _c("covers_from", "Covers sales from", "覆盖销售起", "month", width=11),
        _c("covers_to", "to", "至", "month", width=11),
        _c("units", "Units", "数量", "units", total=True, width=9),
        _c("value", "Order value", "货值", total=True, width=12),
        _c("deposit", "Deposit", "定金", total=True, width=12),
        _c("deposit_date", "Deposit paid", "定金付款日", "date", width=11),
        _c("balance", "Balance, freight, duty", "尾款/运费/关税", total=True, width=12),
        _c("balance_date", "Balance paid", "尾款付款日", "date", width=11),
    ), "Purchase orders", "采购订单"),
    SheetLayout("scenarios", "Scenarios", "情景", (
        _c("scenario", "Scenario", "情景", "note", width=16),
        _c("changes", "Changes", "改变的设置", "note", width=21),
        _c("target_sales", "Target sales", "目标销售额", "balance", width=12),
        _c("target_net_profit", "Target net profit", "目标净利润", "balance", width=12),
        _c("net_margin", "Net margin", "净利率", "pct", width=7),
        _c("launches_needed", "Launches needed", "需上新数", "int", width=7),
        _c("shortfall", "Shortfall", "上新不足的缺口", "balance", width=11),
        _c("peak_cash_need", "Peak cash need", "资金峰值缺口", "balance", width=11),
        _c("fundable", "Fundable", "资金可行", "note", width=7),
        _c("max_reachable_sales", "Largest reachable target", "可实现的最大目标", "balance", width=12),
        _c("binding", "Binding limit", "首先受限于", "note", width=11),
        _c("bonus_total", "Bonus at 100%", "100%达成奖金", "balance", width=10),
    ), "Scenarios: the choices side by side", "情景：各方案并排比较"),
    SheetLayout("assumptions", "Assumptions", "假设", (
        _c("setting", "Setting", "参数", "text", width=44),
        _c("value", "Value", "值", "setting", width=18),
        _c("source", "Source", "来源", "text", width=9),
        _c("note", "Note", "说明", "text", width=55),
    ), "Assumptions: every setting used", "假设：使用的全部参数"),
    SheetLayout("checks", "Checks", "校验", (
        _c("check", "Check", "校验项", "text", width=44),
        _c("expected", "Expected", "应为", "number"),
        _c("actual", "Actual", "实际", "number"),
        _c("difference", "Difference", "差额", "number"),
        _c("result", "Result", "结果", "text", width=9),
    ), "Reconciliations", "勾稽校验"),
)
LAYOUT_BY_KEY = {s.key: s for s in LAYOUT}

# Headline figures on the Summary sheet: (key, English label, Chinese label, format); each is the cell named
# gs_<key>.  Those after `bonus_total` exist only with actuals (blank otherwise).
HEADLINE: tuple[tuple[str, str, str, str], ...] = (
    ("plan_year", "Plan year", "计划年度", "year"),
    ("target_sales", "Target sales", "年度目标销售额", "money"),
    ("target_net_profit", "Target net profit", "目标净利润", "money"),
    ("max_reachable_sales", "Largest reachable target", "可实现的最大目标", "money"),
    ("binding_limit", "Binds first", "首先受限于", "word"),
    ("max_feasible_sales", "Largest fundable target", "资金可支撑的最大目标", "money"),
    ("max_capacity_sales", "Largest target the team can launch for", "团队上新可支撑的最大目标", "money"),
    ("existing_sales", "Existing products", "老品预测销售额", "money"),
    ("new_sales", "New products (target − existing)", "新品销售额(目标−老品)", "money"),
    ("gap", "Gap new products must fill", "新品需填补的缺口", "money"),
    ("launches_needed", "Launches needed", "需上新数量", "int"),
    ("shortfall", "Shortfall (launch capacity)", "上新产能不足的缺口", "money"),
    ("cash_available", "Cash available", "可用资金", "money"),
    ("peak_cash_need", "Peak cash need", "资金峰值缺口", "money"),
    ("funding_feasible", "Funding feasible", "资金可行", "bool"),
    ("bonus_total", "Bonus at 100% attainment", "100%达成奖金总额", "money"),
    ("as_of", "Actuals as of", "实际数据截至", "text"),
    ("plan_sales_ytd", "Plan sales, year to date", "年初至今计划销售额", "money"),
    ("actual_sales_ytd", "Actual sales, year to date", "年初至今实际销售额", "money"),
    ("attainment_ytd", "Attainment, year to date", "年初至今达成率", "pct"),
    ("reforecast_sales", "Reforecast sales for the year", "全年滚动预测销售额", "money"),
    ("bonus_earned", "Bonus earned to date", "截至当期已得奖金", "money"),
    ("bonus_true_up", "Bonus forecast vs budget", "预计奖金与预算差额", "money"),
)
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
    "note": 'General',          # text that wraps in a column of fixed width (the Scenarios' names and changes)
    "setting": '[>=10000]#,##0;[<=-10000]-#,##0;General',   # Assumptions: 4,000,000 and 0.03 and 2026 alike
    "bool": 'General',
    "word": 'General',
}
MONTH_FORMAT = {"en": 'mmm yyyy', "zh": 'yyyy"年"m"月"'}
DATE_FORMAT = {"en": 'd mmm yyyy', "zh": 'yyyy-mm-dd'}
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
