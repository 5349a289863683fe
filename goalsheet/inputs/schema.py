"""The input contract of SPEC.md section 2, as data: every sheet, column and Settings key.

One place says what goalsheet reads. The reader (`inputs.read`), the validator
(`inputs.validate`), `goalsheet init` (the blank workbook and its instructions sheet)
and the output's Assumptions sheet all work from these tables, so a column added here
is read, checked, documented and offered in `init` at once.

Kinds of value:
    text     free text, kept verbatim (never a formula)
    money    a non-negative amount (`min` says otherwise: prices must be > 0)
    number   any number (units may be 0; growth may be negative)
    rate     a ratio; `lo`/`hi` is its plausible range (SPEC section 6).  Where `hi` <= 1 a
             plain value > 1 means percent (15 -> 0.15, with a warning); where `hi` > 1
             (duty, up to 300 %) plain numbers are ratios (1.5 = 150 %).
    int      a whole number
    month    a calendar month (Excel date, 2025-03, 2025/3, 2025年3月, Mar 2025)
    enum     one of `choices`
    months   a month list for Expenses: `1-6`, `3,4,5`
    list     Settings `seasonality`: history, off, or 12 comma-separated indices
"""
from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Column:
    key: str                      # canonical name used everywhere in the code
    zh: str                       # Chinese header
    kind: str = "text"
    required: bool = False
    default: object = None        # a constant default; derived defaults are described in `note`
    lo: float | None = None       # plausible range (rates: as ratios)
    hi: float | None = None
    min_exclusive: bool = False   # True: value must be > lo (prices)
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = () # further accepted headers (Seller Central reports, ...)
    unit: str = ""                # shown in init's instructions
    note: str = ""                # what the column means, for the instructions sheet
    example: object = None        # the example row of `goalsheet init`
    open_above: bool = False      # a value above `hi` means "no upper bound" (a top tier "to 1000 %"), not a typo


@dataclass(frozen=True)
class Sheet:
    key: str
    zh: str
    columns: tuple[Column, ...]
    required: bool = False
    note: str = ""
    aliases: tuple[str, ...] = ()

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)


MARKETPLACES = ("US", "CA", "MX", "BR", "UK", "DE", "FR", "IT", "ES", "NL", "SE", "PL", "BE", "JP", "AU",
                "SG", "AE", "SA", "IN", "TR")
CURRENCIES = ("CNY", "USD", "CAD", "MXN", "BRL", "GBP", "EUR", "SEK", "PLN", "JPY", "AUD", "SGD", "AED", "SAR",
              "INR", "TRY", "HKD")

# Marketplace defaults (SPEC 3.2).  A marketplace missing from a table gets 0 and a warning.
MARKET_CURRENCY = {"US": "USD", "CA": "CAD", "MX": "MXN", "BR": "BRL", "UK": "GBP", "DE": "EUR", "FR": "EUR",
                   "IT": "EUR", "ES": "EUR", "NL": "EUR", "SE": "SEK", "PL": "PLN", "BE": "EUR", "JP": "JPY",
                   "AU": "AUD", "SG": "SGD", "AE": "AED", "SA": "SAR", "IN": "INR", "TR": "TRY"}
MARKET_VAT = {"US": 0.0, "CA": 0.0, "MX": 0.16, "UK": 0.20, "DE": 0.19, "FR": 0.20, "IT": 0.22, "ES": 0.21,
              "NL": 0.21, "JP": 0.10}
MARKET_DST = {"UK": 0.02, "FR": 0.03, "IT": 0.03, "ES": 0.03, "US": 0.0, "CA": 0.0, "MX": 0.0, "DE": 0.0,
              "NL": 0.0, "JP": 0.0}
MARKET_MONTHLY_FEE = {"US": 39.99, "UK": 25.0, "DE": 39.0, "FR": 39.0, "IT": 39.0, "ES": 39.0, "NL": 39.0,
                      "JP": 4900.0, "CA": 0.0, "MX": 0.0}
# By currency: the minimum referral fee and the cap of Amazon's refund administration fee.
CURRENCY_REFERRAL_MIN = {"USD": 0.30, "CAD": 0.30, "GBP": 0.25, "EUR": 0.30, "JPY": 30.0}
CURRENCY_ADMIN_FEE_CAP = {"USD": 5.0, "CAD": 5.0, "GBP": 5.0, "EUR": 5.0, "JPY": 500.0}
# Customs value is cogs only (FOB) in these marketplaces, cogs + freight (CIF) elsewhere.
FOB_MARKETPLACES = ("US", "CA")
# Currencies rounded to whole units in the output.
ZERO_DECIMAL_CURRENCIES = ("JPY",)

SETTINGS = Sheet("Settings", "设置", required=True, aliases=("参数",), note="two columns: key and value", columns=(
    Column("plan_year", "计划年度", "int", lo=2000, hi=2100, note="the year planned; default: the year after the last "
           "history month when that is December, else its year", example=2026),
    Column("base_currency", "本位币", "enum", default="CNY", choices=CURRENCIES,
           note="currency of every figure in the output", example="CNY"),
    Column("target_mode", "目标模式", "enum", default="growth", choices=("growth", "total"),
           note="growth = current level + growth; total = reverse calculation from target_total", example="growth"),
    Column("target_total", "年度总目标", "money", unit="base currency",
           note="annual sales target (mode total)"),
    Column("monthly_growth", "月增长率", "rate", default=0.03, lo=-0.5, hi=0.5,
           note="month-on-month growth of the baseline", example=0.03),
    Column("baseline_months", "基准月数", "int", default=3, lo=1, hi=24,
           note="history months averaged for the run-rate", example=3),
    Column("seasonality", "季节性", "list", default="history",
           note="history, off, or 12 comma-separated indices Jan..Dec", example="history"),
    Column("existing_scenario", "老品预测情景", "enum", default="growth", choices=("growth", "stable"),
           note="which forecast of existing products is subtracted from the target", example="growth"),
    Column("cash_available", "可用资金", "money", required=True, unit="base currency",
           note="cash the business can put in", example=1000000),
    Column("credit_line", "授信额度", "money", default=0.0, unit="base currency", note="extra borrowing available"),
    Column("opening_stock_value", "期初库存货值", "money", unit="base currency",
           note="landed value of stock on hand and in transit; default: lead_time_days + safety_stock_days "
                "of run-rate sales"),
    Column("lead_time_days", "备货周期天数", "int", default=60, lo=0, hi=365,
           note="purchase order to sellable at Amazon", example=60),
    Column("transit_days", "头程时效天数", "int", default=35, lo=0, hi=365,
           note="shipment to sellable at Amazon"),
    Column("min_cash", "最低现金", "money", default=0.0, unit="base currency",
           note="cash the business never wants to go below"),
    Column("opening_payables", "期初应付", "money", unit="base currency",
           note="owed to suppliers and forwarders when the plan starts; default from run-rate purchases"),
    Column("safety_stock_days", "安全库存天数", "int", default=30, lo=0, hi=365, note="stock kept beyond lead time"),
    Column("min_order_days", "最小采购天数", "int", default=30, lo=0, hi=365,
           note="a purchase order covers at least this many days of a store's stock need (0: one order a month)"),
    Column("deposit_rate", "定金比例", "rate", default=0.3, lo=0, hi=1, note="share of a purchase paid at order"),
    Column("payout_delay_days", "回款周期天数", "int", default=21, lo=0, hi=120, note="sale to cash in the bank"),
    Column("new_price", "新品客单价", "money", min_exclusive=True, lo=0, unit="base currency",
           note="what buyers pay for a new product; default per store: median sell price of its SKUs"),
    Column("new_monthly_units", "新品成熟月销量", "number", lo=0,
           note="units per month once ramped; default per store: median of its SKUs"),
    Column("new_ramp_months", "新品爬坡月数", "int", default=3, lo=1, hi=24, note="months to reach mature sales"),
    Column("new_success_rate", "新品成功率", "rate", default=0.6, lo=0, hi=1,
           note="share of launches that reach mature sales"),
    Column("new_unit_cost", "新品单位成本", "money", unit="base currency",
           note="cogs + freight; default per store: median of its SKUs"),
    Column("new_first_order_units", "新品首单数量", "number", lo=0, note="first purchase order; default 3 × new_monthly_units"),
    Column("new_launch_budget", "新品推广预算", "money", default=0.0, unit="base currency",
           note="launch advertising per new product"),
    Column("new_failure_writeoff", "新品失败损失率", "rate", default=0.5, lo=0, hi=1,
           note="share of a failed launch's first order that is lost"),
    # The new product's own rates and fees (3.5: per store, the medians of its SKUs when blank); the price-band
    # scenarios of 3.10 set them to a band's medians.  Fees are in base currency, converted to each store's.
    Column("new_freight", "新品头程运费", "money", unit="base currency",
           note="freight per unit, part of new_unit_cost; default per store: median of its SKUs"),
    Column("new_referral_rate", "新品佣金比例", "rate", lo=0, hi=0.5,
           note="referral rate of a new product; default per store: median of its SKUs"),
    Column("new_duty_rate", "新品关税率", "rate", lo=0, hi=3.0,
           note="duty rate of a new product; default per store: median of its SKUs"),
    Column("new_fba_fee", "新品FBA配送费", "money", unit="base currency",
           note="FBA fee per unit of a new product; default per store: median of its SKUs"),
    Column("new_storage_fee", "新品仓储费", "money", unit="base currency",
           note="storage fee per unit sold of a new product; default per store: median of its SKUs"),
    Column("new_placement_fee", "新品入库配置费", "money", unit="base currency",
           note="placement fee per unit of a new product; default per store: median of its SKUs"),
    Column("new_ad_rate", "新品广告占比", "rate", lo=0, hi=1,
           note="advertising share of sales (TACoS) of a new product; default per store: median of its SKUs"),
    Column("new_return_rate", "新品退货率", "rate", lo=0, hi=1,
           note="return rate of a new product; default per store: median of its SKUs"),
    Column("new_other_cost", "新品其他成本", "money", unit="base currency",
           note="other cost per unit of a new product; default per store: median of its SKUs"),
    Column("launches_per_operator_month", "每人每月上新数", "number", default=1, lo=0, hi=50,
           note="launch capacity per operator and month"),
    Column("payout_fee_rate", "回款手续费率", "rate", default=0.01, lo=0, hi=0.1,
           note="currency-conversion / payment fee on payouts"),
    Column("profit_pool_rate", "利润分享比例", "rate", default=0.0, lo=0, hi=1,
           note="share of net profit above target paid into the bonus pool"),
    Column("launch_bonus", "新品奖金", "money", default=0.0, unit="base currency",
           note="bonus per successful launch"),
))

# The Settings keys in the order `goalsheet init` lists them, by section (each section's title is
# `words.TERMS["settings_section"]`).  A key of SETTINGS missing here is listed under "other".
SETTINGS_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("target", ("plan_year", "base_currency", "target_mode", "target_total", "monthly_growth", "baseline_months",
                "seasonality", "existing_scenario")),
    ("cash", ("cash_available", "credit_line", "min_cash", "opening_stock_value", "opening_payables", "deposit_rate",
              "payout_delay_days", "payout_fee_rate")),
    ("stock", ("lead_time_days", "transit_days", "safety_stock_days", "min_order_days")),
    ("launches", ("new_price", "new_monthly_units", "new_ramp_months", "new_success_rate", "new_unit_cost",
                  "new_first_order_units", "new_launch_budget", "new_failure_writeoff",
                  "launches_per_operator_month", "new_freight", "new_referral_rate", "new_duty_rate", "new_fba_fee",
                  "new_storage_fee", "new_placement_fee", "new_ad_rate", "new_return_rate", "new_other_cost")),
    ("bonus", ("profit_pool_rate", "launch_bonus")),
)


def settings_sections() -> list[tuple[str, list[Column]]]:
    """(section, its Settings columns) in `SETTINGS_SECTIONS` order; every key of SETTINGS exactly once."""
    listed = {k for _, keys in SETTINGS_SECTIONS for k in keys}
    out = [(name, [SETTINGS.column(k) for k in keys if k in {c.key for c in SETTINGS.columns}])
           for name, keys in SETTINGS_SECTIONS]
    other = [c for c in SETTINGS.columns if c.key not in listed]
    if other:
        out.append(("other", other))
    return [(name, cols) for name, cols in out if cols]


SALES = Sheet("Sales", "销售", required=True, aliases=("销售数据", "销量"), note="one row per month × store × SKU", columns=(
    Column("month", "月份", "month", required=True, aliases=("date", "日期", "period"), example="2025-01"),
    Column("store", "店铺", "text", required=True, aliases=("shop", "店铺名称"), example="My Store US"),
    Column("sku", "SKU", "text", required=True, aliases=("seller sku", "msku", "(child) asin"), example="SKU-001"),
    Column("units", "销量", "number", required=True, lo=0,
           aliases=("units ordered", "已订购商品数量", "quantity", "数量"), example=120),
    Column("revenue", "销售额", "money", required=True,
           aliases=("ordered product sales", "已订购商品销售额", "sales", "sales amount"), unit="store currency",
           example=2398.80),
    Column("ad_spend", "广告花费", "money", aliases=("advertising", "ad cost", "spend", "广告费"),
           unit="store currency", example=290.0),
    Column("refunds", "退款", "money", aliases=("refund", "退款金额"), unit="store currency"),
))

SKUS = Sheet("SKUs", "产品", required=True, aliases=("sku", "products", "产品成本", "商品"),
             note="one row per store × SKU", columns=(
    Column("store", "店铺", "text", required=True, example="My Store US"),
    Column("sku", "SKU", "text", required=True, aliases=("seller sku", "msku"), example="SKU-001"),
    Column("name", "品名", "text", aliases=("product name", "title", "产品名称"), example="LED desk lamp"),
    Column("category", "类目", "text", example="Home office"),
    Column("operator", "运营", "text", note="default: the store's operator", example="Wang Fang"),
    Column("price", "售价", "money", required=True, lo=0, min_exclusive=True, unit="store currency, incl. VAT",
           example=19.99),
    Column("cogs", "采购成本", "money", required=True, unit="base currency per unit", example=30.0),
    Column("freight", "头程运费", "money", default=0.0, unit="base currency per unit", example=8.0),
    Column("duty_rate", "关税率", "rate", default=0.0, lo=0, hi=3.0, note="of the customs value", example=0.075),
    Column("referral_rate", "佣金比例", "rate", default=0.15, lo=0, hi=0.5, note="of the sell price", example=0.15),
    Column("fba_fee", "FBA配送费", "money", required=True, unit="store currency per unit", example=4.5),
    Column("storage_fee", "仓储费", "money", default=0.0, unit="store currency per unit sold", example=0.3),
    Column("ad_rate", "广告占比", "rate", lo=0, hi=1, note="TACoS, of the sell price; default ad_spend / revenue of "
           "the last baseline_months", example=0.1),
    Column("promo_rate", "促销折扣率", "rate", default=0.0, lo=0, hi=0.9, note="discount off price"),
    Column("return_rate", "退货率", "rate", default=0.0, lo=0, hi=1, note="of units", example=0.03),
    Column("return_cost", "单件退货损失", "money", unit="store currency per returned unit",
           note="default: refund − referral refunded + admin fee − half resold"),
    Column("vat_rate", "增值税率", "rate", lo=0, hi=0.3, note="default by marketplace"),
    Column("other_cost", "其他成本", "money", default=0.0, unit="store currency per unit"),
    Column("placement_fee", "入库配置费", "money", default=0.0, unit="store currency per unit"),
    Column("dst_rate", "数字服务税率", "rate", lo=0, hi=0.1, note="of Amazon fees; default by marketplace"),
    Column("status", "状态", "enum", default="active", choices=("active", "discontinued"),
           aliases=("状态 status",), example="active"),
    Column("growth_rate", "增长率", "rate", lo=-0.5, hi=0.5, note="monthly, may be negative; default by trend class"),
    Column("launch_month", "上架月份", "month", note="default: first month with sales"),
))

STORES = Sheet("Stores", "店铺", aliases=("店铺信息",), columns=(
    Column("store", "店铺", "text", required=True, example="My Store US"),
    Column("marketplace", "站点", "enum", default="US", choices=MARKETPLACES, aliases=("market", "country", "国家"),
           example="US"),
    Column("currency", "币种", "enum", choices=CURRENCIES, note="default from marketplace", example="USD"),
    Column("operator", "运营", "text", example="Wang Fang"),
    Column("monthly_fee", "月租", "money", unit="store currency", note="default by marketplace"),
    Column("monthly_growth", "月增长率", "rate", lo=-0.5, hi=0.5, note="overrides Settings"),
    Column("referral_min", "最低佣金", "money", unit="store currency", note="default by currency"),
    Column("new_price", "新品客单价", "money", lo=0, min_exclusive=True, unit="store currency",
           note="overrides Settings new_price"),
))

FX = Sheet("FX", "汇率", aliases=("exchange rates", "rates"), columns=(
    Column("currency", "币种", "enum", required=True, choices=CURRENCIES, example="USD"),
    Column("rate", "汇率", "number", required=True, lo=0, min_exclusive=True,
           note="base-currency units per one unit of the currency", example=7.2),
))

TEAM = Sheet("Team", "团队", aliases=("staff", "人员"), columns=(
    Column("operator", "运营", "text", required=True, aliases=("name", "姓名"), example="Wang Fang"),
    Column("base_salary", "底薪", "money", default=0.0, unit="base currency per month", example=9000),
    Column("bonus_base", "奖金基数", "money", default=0.0, unit="base currency per year", example=24000),
))

LAUNCHES = Sheet("Launches", "新品计划", aliases=("new launches", "上新计划"), columns=(
    Column("launch_month", "上架月份", "month", required=True, aliases=("month", "月份"), example="2026-04"),
    Column("store", "店铺", "text", required=True, example="My Store US"),
    Column("operator", "运营", "text", example="Wang Fang"),
    Column("count", "数量", "int", default=1, lo=0, hi=1000, example=1),
    Column("price", "售价", "money", lo=0, min_exclusive=True, unit="store currency"),
    Column("monthly_units", "月销量", "number", lo=0),
    Column("unit_cost", "单位成本", "money", unit="base currency"),
))

EXPENSES = Sheet("Expenses", "费用", aliases=("costs", "fixed costs", "固定费用"), columns=(
    Column("item", "项目", "text", required=True, example="Office rent"),
    Column("monthly_amount", "月金额", "money", required=True, unit="base currency", example=10000),
    Column("store", "店铺", "text", note="blank: shared over stores by planned sales"),
    Column("months", "月份", "months", note="1-6 or 3,4,5; blank: every month"),
))

BONUS = Sheet("Bonus", "绩效", aliases=("bonus scheme", "奖金"), columns=(
    Column("period", "周期", "enum", required=True, choices=("month", "quarter", "year"), example="year"),
    Column("metric", "指标", "enum", required=True, choices=("sales", "net_profit", "launches"), example="sales"),
    Column("from", "达成率下限", "rate", required=True, lo=0, hi=5, example=0.8),
    Column("to", "达成率上限", "rate", lo=0, hi=5, open_above=True,
           note="blank, or anything above 500 % (\"to 1000 %\"): open-ended", example=1.0),
    Column("rate", "系数", "number", required=True, lo=0, hi=10, note="a multiplier, never a percent", example=0.5),
    Column("mode", "方式", "enum", default="step", choices=("step", "marginal"), example="step"),
    Column("cap", "封顶", "number", lo=0, hi=10, note="the largest multiplier"),
    Column("weight", "权重", "rate", lo=0, hi=1, note="share of bonus_base for this period and metric"),
))

# Scenarios (SPEC 3.10): a name column, then any Settings key as a column; each cell is read and checked as the
# Settings value of its key (`inputs.scenarios`), a blank cell keeps the Settings value.
SCENARIOS = Sheet("Scenarios", "情景", aliases=("scenario", "what if", "方案", "情景分析", "情景方案"),
                  note="one row per scenario: a name, and the Settings keys it changes as columns", columns=(
    Column("scenario", "情景", "text", required=True, aliases=("name", "名称", "情景名称", "scenario name", "方案"),
           note="the scenario's name, as the Scenarios sheet of the plan shows it", example="plan as set"),
    # kind "setting": each cell is read as the Settings value of its key (a scenario of target_mode "total" is
    # no sum row), never by a kind of the table's own
    *(replace(c, kind="setting", required=False, default=None, example=None, aliases=()) for c in SETTINGS.columns),
))
# The Settings keys `goalsheet init` offers as columns of its Scenarios sheet (the choices a seller weighs most);
# any other Settings key may be added as a column of its own.
SCENARIO_INIT_KEYS = ("monthly_growth", "target_mode", "target_total", "cash_available", "credit_line",
                      "launches_per_operator_month", "new_price", "new_unit_cost", "new_monthly_units")

SHEETS: tuple[Sheet, ...] = (SETTINGS, SALES, SKUS, STORES, FX, TEAM, LAUNCHES, EXPENSES, BONUS, SCENARIOS)


def as_setting(sheet: Sheet, column: Column) -> Column:
    """A Scenarios column that is a Settings key as its Settings column (its kind, range and unit); any other
    column as it is."""
    if sheet is SCENARIOS and column.kind == "setting":
        return SETTINGS.column(column.key)
    return column


def init_columns(sheet: Sheet) -> tuple[Column, ...]:
    """The columns `goalsheet init` writes for `sheet`: all of them, but for Scenarios its name and
    `SCENARIO_INIT_KEYS`."""
    if sheet is not SCENARIOS:
        return sheet.columns
    return (sheet.columns[0], *(sheet.column(k) for k in SCENARIO_INIT_KEYS))

# Plausible maxima of the money and volume columns that have no range of their own (SPEC section 6;
# docs/limits.md): far above any Amazon seller in any currency, and low enough that the plan's sums of
# them stay exact in its rounding.  A value above one is an error naming the cell and the likely slip.
MONEY_PER_UNIT_MAX = 1e8          # a price, cost or fee of one unit (JPY 100 million)
MONEY_TOTAL_MAX = 1e12            # cash, a target, a month's expenses or sales (a trillion)
UNITS_MAX = 1e9                   # units sold or ordered
FX_RATE_MAX = 1e6                 # base-currency units for one unit of a currency


def plausible_max(column: Column) -> float | None:
    """The largest plausible value of a money or volume column without its own `hi`, else None."""
    if column.hi is not None or column.kind not in ("money", "number"):
        return None
    if column.kind == "number":
        return FX_RATE_MAX if column.key == "rate" else UNITS_MAX
    per_unit = "per unit" in column.unit or "per returned unit" in column.unit or column.key in (
        "price", "new_price", "unit_cost", "new_unit_cost", "referral_min", "new_freight", "new_fba_fee",
        "new_storage_fee", "new_placement_fee", "new_other_cost")
    return MONEY_PER_UNIT_MAX if per_unit else MONEY_TOTAL_MAX
SHEET_BY_KEY = {s.key: s for s in SHEETS}


def normalise(name: object) -> str:
    """Header/sheet-name matching key: case-insensitive, spaces and `_` ignored (SPEC section 2)."""
    return "".join(str(name).split()).replace("_", "").lower()


# The words of every choice, one table for the writer and the reader: column key -> code -> (English word,
# Chinese word, further spellings read as that code).  `goalsheet init` offers the words of the book's language
# in its drop-downs (a Chinese book: 增长, 总额 …); the reader takes the code, either word or a further spelling,
# ignoring case, spaces and `_` (`choice_code`).  Marketplaces and currencies are offered as their codes in both
# languages; their further spellings (美国, 人民币 …) are read too.  Settings `seasonality` is a list, not an
# enum, but its two words are here as well.
CHOICE_WORDS: dict[str, dict[str, tuple[str, str, tuple[str, ...]]]] = {
    "target_mode": {"growth": ("growth", "增长", ("增长模式",)),
                    "total": ("total", "总额", ("总目标", "年度总目标", "倒推"))},
    "existing_scenario": {"growth": ("growth", "增长", ("增长情景",)),
                          "stable": ("stable", "持平", ("稳定", "持平情景"))},
    "seasonality": {"history": ("history", "按历史", ("历史",)),
                    "off": ("off", "不考虑", ("none", "关闭", "无", "不用"))},
    "status": {"active": ("active", "在售", ("正常", "启用", "活跃", "on", "yes")),
               "discontinued": ("discontinued", "停售", ("下架", "淘汰", "清仓", "inactive", "off", "stopped", "no",
                                                      "discontinue"))},
    "period": {"month": ("month", "月度", ("月", "每月", "monthly")),
               "quarter": ("quarter", "季度", ("季", "quarterly", "q")),
               "year": ("year", "年度", ("年", "yearly", "annual", "annually"))},
    "metric": {"sales": ("sales", "销售额", ("销售", "业绩", "revenue")),
               "net_profit": ("net profit", "净利润", ("利润", "profit")),
               "launches": ("launches", "上新数", ("上新", "新品", "launch"))},
    "mode": {"step": ("step", "阶梯", ("台阶",)),
             "marginal": ("marginal", "累进", ("超额累进", "分段累进"))},
    "marketplace": {code: (code, code, words) for code, words in (
        ("US", ("美国", "usa", "amazon.com")), ("CA", ("加拿大",)), ("MX", ("墨西哥",)), ("BR", ("巴西",)),
        ("UK", ("英国", "gb")), ("DE", ("德国",)), ("FR", ("法国",)), ("IT", ("意大利",)), ("ES", ("西班牙",)),
        ("NL", ("荷兰",)), ("SE", ("瑞典",)), ("PL", ("波兰",)), ("BE", ("比利时",)), ("JP", ("日本",)),
        ("AU", ("澳洲", "澳大利亚")), ("SG", ("新加坡",)), ("AE", ("阿联酋",)), ("SA", ("沙特",)), ("IN", ("印度",)),
        ("TR", ("土耳其",)))},
    "currency": {code: (code, code, words) for code, words in (
        ("CNY", ("rmb", "人民币", "元")), ("USD", ("美元", "us$", "$")), ("CAD", ("加元",)), ("MXN", ("墨西哥比索",)),
        ("GBP", ("英镑", "£")), ("EUR", ("欧元", "€")), ("JPY", ("日元", "円")), ("AUD", ("澳元",)),
        ("HKD", ("港币",)), ("SEK", ("瑞典克朗",)), ("SGD", ("新加坡元",)))},
}
CHOICE_WORDS["base_currency"] = CHOICE_WORDS["currency"]


def choice_word(key: str, code: str, lang: str) -> str:
    """The word for a choice in `lang` ("zh": its Chinese word), the code itself when the table has none."""
    words = CHOICE_WORDS.get(key, {}).get(code)
    if words is None:
        return code
    return words[1] if lang == "zh" else words[0]


def choice_words(column: Column, lang: str) -> tuple[str, ...]:
    """The words a drop-down of `column` offers in a book of `lang`, in the order of its choices."""
    codes = column.choices or tuple(CHOICE_WORDS.get(column.key, {}))
    return tuple(choice_word(column.key, code, lang) for code in codes)


@functools.lru_cache(maxsize=None)
def choice_spellings(key: str) -> dict[str, str]:
    """Every spelling read as a choice of column `key`, normalised (`normalise`), -> its code."""
    out: dict[str, str] = {}
    for code, (en, zh, more) in CHOICE_WORDS.get(key, {}).items():
        for word in (code, en, zh, *more):
            out.setdefault(normalise(word), code)
    return out


def choice_code(key: str, value: object) -> str | None:
    """The code a cell names among the choices of column `key` (any spelling of `CHOICE_WORDS`), else None."""
    return choice_spellings(key).get(normalise(unicodedata.normalize("NFKC", str(value))))


# The words a Bonus sheet may use for its periods, metrics and modes, by the one each means (for a scheme given
# as rows rather than read from a workbook: `plan.bonus`).
BONUS_PERIOD_WORDS = choice_spellings("period")
BONUS_METRIC_WORDS = choice_spellings("metric")
BONUS_MODE_WORDS = choice_spellings("mode")


# ---------------------------------------------------------------- the example rows of `goalsheet init`

# `goalsheet init` writes one example row under each table's header, its first cell marked "e.g. " (English
# book) or "例：" (Chinese book), in grey italics.  The reader skips a row whose first cell starts with a mark
# (`example_mark`), so an example left in the book changes no figure; a marked row the seller has edited is
# skipped too, with a warning saying to remove the mark.
EXAMPLE_MARK = {"en": "e.g. ", "zh": "例："}
_EXAMPLE_MARKS = ("e.g.", "eg:", "例:", "示例:", "例子:")


def example_mark(value: object) -> str | None:
    """The example mark a cell starts with, as written ("e.g." of "e.g. 2025-01", "例：" of "例：My Store US"; any
    case or width), else None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    folded = unicodedata.normalize("NFKC", text).lower()
    for mark in _EXAMPLE_MARKS:
        if folded.startswith(mark) and len(folded) == len(text):
            return text[:len(mark)]
        if folded.startswith(mark):
            return mark
    return None


# The Chinese book's own example text where the English one is a name (the columns' `example` is English).
_EXAMPLE_ZH = {"scenario": "按设置计划", "store": "我的美国店", "operator": "王芳", "name": "LED 台灯", "category": "家居办公", "item": "办公室房租"}


def example_cells(sheet: Sheet, lang: str) -> list[object]:
    """The example row `goalsheet init` writes under `sheet`'s header in a book of `lang`: one cell per column
    (None where the column has no example), the first marked, choices in the book's words."""
    cells: list[object] = []
    for i, c in enumerate(sheet.columns):
        value = c.example
        if value is not None and lang == "zh" and c.kind == "text":
            value = _EXAMPLE_ZH.get(c.key, value)
        if value is not None and c.kind == "enum":
            value = choice_word(c.key, str(value), lang)
        if i == 0 and value is not None:
            value = EXAMPLE_MARK[lang] + (f"{value:g}" if isinstance(value, float) else str(value))
        cells.append(value)
    return cells
