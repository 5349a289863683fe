"""Write the sample seller's input workbooks: demo_seller.xlsx (English) and demo_seller_zh.xlsx (Chinese).

Both hold THE SAME BUSINESS; only the language, the sheet layout and the look differ, so
`goalsheet plan` gives the same plan for either (tests/samples proves the validated tables
are equal).

The business: **Lumos Home** (路墨家居), a Shenzhen home-and-office goods seller on three
Amazon marketplaces — Lumos US (USD), Lumos UK (GBP, prices incl. 20 % VAT, 2 % DST) and
Lumos DE (EUR, 19 % VAT) — with base currency CNY. 41 SKUs (mostly the same products in
each store, some store-only), 30 months of history (2023-07 .. 2025-12) with a Prime Day
bump in July and a Q4 peak, outdoor products peaking in summer; growing, stable and
declining products, one discontinued SKU (sold out in 2025-09), a loss-making pet glove
and a thin-margin knife sharpener, six SKUs launched during the history. Three operators
(Wang Fang: US, Li Hao: UK and some US SKUs, Chen Jie: DE), fixed costs, one planned
launch, a bonus scheme, plan_year 2026 and 4 million CNY of cash.

    .venv/bin/python sample_workbooks/make_samples.py          # writes both files beside this script
    .venv/bin/python sample_workbooks/make_samples.py OUTDIR   # ... or into OUTDIR

English: canonical sheet/column names (SPEC section 2), long-form Sales with ad_spend.
Chinese: Chinese sheet names, headers and Settings keys, a title row above the headers,
WIDE Sales (店铺, SKU, one revenue column per month `2025年3月`, then `销量 …` and
`广告花费 …` blocks). Everything is generated from a seeded random source: running the
script twice gives the same tables.
"""
from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:                      # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from goalsheet.inputs import schema  # noqa: E402

SEED = 20251231
FIRST_MONTH = (2023, 7)
LAST_MONTH = (2025, 12)
PLAN_YEAR = 2026

STORES = [
    # store, marketplace, currency, operator, monthly_fee, monthly_growth, referral_min, new_price
    ("Lumos US", "US", "USD", "Wang Fang", None, None, None, None),
    ("Lumos UK", "UK", "GBP", "Li Hao", None, None, None, None),
    ("Lumos DE", "DE", "EUR", "Chen Jie", None, 0.02, None, 32.99),
]
FX = [("USD", 7.10), ("GBP", 9.40), ("EUR", 8.25)]

# Calendar-month demand of each store (Jan..Dec): July = Prime Day, October = Prime Big Deal Days, Nov-Dec = Q4.
STORE_SEASON = {
    "Lumos US": [0.80, 0.74, 0.84, 0.87, 0.92, 0.95, 1.18, 0.93, 0.90, 1.08, 1.36, 1.43],
    "Lumos UK": [0.84, 0.76, 0.85, 0.88, 0.90, 0.92, 1.12, 0.92, 0.93, 1.06, 1.38, 1.44],
    "Lumos DE": [0.86, 0.78, 0.86, 0.89, 0.90, 0.90, 1.10, 0.91, 0.94, 1.07, 1.36, 1.43],
}
# Outdoor products sell in summer (and a little as Christmas gifts), on top of the store's season.
OUTDOOR_SEASON = [0.55, 0.60, 0.85, 1.10, 1.30, 1.40, 1.35, 1.20, 0.95, 0.75, 0.95, 1.00]


@dataclass(frozen=True)
class Listing:
    """One SKUs row plus how its history is generated."""
    store: str
    sku: str
    name: str
    category: str
    price: float                 # store currency, incl. VAT
    cogs: float                  # CNY
    freight: float               # CNY
    duty_rate: float
    fba_fee: float
    storage_fee: float
    ad_rate: float | None        # None: left blank, the default comes from Sales ad_spend
    true_ad_share: float         # ad_spend / revenue in the history
    return_rate: float
    units: int                   # units a month at the start of the history (or once ramped, if launched later)
    trend: float                 # month-on-month change of demand
    referral_rate: float = 0.15
    promo_rate: float = 0.0
    return_cost: float | None = None
    other_cost: float = 0.0
    placement_fee: float = 0.0
    operator: str | None = None  # None: the store's operator
    status: str = "active"
    growth_rate: float | None = None
    launch_month: str | None = None   # written to the SKUs sheet (else: first month with sales)
    first: str | None = None     # first month with sales, when launched during the history
    last: str | None = None      # last month with sales (discontinued)


L = Listing
LISTINGS = [
    # ---- Lumos US (USD; US duty = 2025 tariffs on Chinese goods, on cogs: FOB) ----
    L("Lumos US", "LM-DL01", "LED desk lamp with USB-C port", "Home office", 45.99, 78, 16, 0.30, 6.45, 0.42,
      None, 0.13, 0.04, 470, 1.022, other_cost=0.35, placement_fee=0.30),
    L("Lumos US", "LM-MS02", "Monitor stand riser with drawer", "Home office", 39.99, 68, 24, 0.30, 7.20, 0.85,
      0.10, 0.10, 0.03, 290, 1.0, promo_rate=0.05, placement_fee=0.30),
    L("Lumos US", "LM-CO03", "Bamboo desk organiser", "Home office", 24.99, 26, 9, 0.29, 5.10, 0.35,
      None, 0.15, 0.025, 420, 0.975, placement_fee=0.30),
    L("Lumos US", "LM-CB09", "Cable management box, 2-pack", "Home office", 27.99, 24, 10, 0.30, 5.60, 0.40,
      0.12, 0.12, 0.02, 230, 1.003),
    L("Lumos US", "LM-WB04", "Insulated water bottle 750 ml", "Kitchen", 22.99, 24, 6, 0.35, 4.55, 0.22,
      None, 0.12, 0.03, 530, 1.0, operator="Li Hao"),
    L("Lumos US", "LM-KS05", "Digital kitchen scale", "Kitchen", 16.99, 15, 4, 0.30, 3.95, 0.15,
      0.16, 0.16, 0.05, 480, 0.99, operator="Li Hao"),
    L("Lumos US", "LM-KN06", "3-stage knife sharpener", "Kitchen", 13.99, 13, 3, 0.30, 3.65, 0.10,
      0.22, 0.22, 0.04, 680, 0.97, promo_rate=0.10, placement_fee=0.30),
    L("Lumos US", "LM-PG10", "Pet grooming glove", "Pet", 9.99, 9, 2, 0.30, 3.45, 0.08,
      0.28, 0.28, 0.06, 600, 0.99, placement_fee=0.30),
    L("Lumos US", "LM-PF11", "Pet water fountain 2 L", "Pet", 32.99, 52, 12, 0.30, 5.85, 0.45,
      None, 0.14, 0.05, 210, 1.03, return_cost=18.00, operator="Li Hao"),
    L("Lumos US", "LM-CH12", "Portable camping hammock", "Outdoor", 29.99, 42, 10, 0.30, 5.40, 0.40,
      0.12, 0.12, 0.03, 200, 1.01, growth_rate=0.02),
    L("Lumos US", "LM-SL13", "Solar string lights, 100 LED", "Outdoor", 19.99, 20, 5, 0.30, 4.10, 0.20,
      None, 0.13, 0.05, 340, 1.0),
    L("Lumos US", "LM-VB08", "Vacuum storage bags, 8-pack", "Home storage", 26.99, 28, 9, 0.30, 5.30, 0.35,
      0.11, 0.11, 0.035, 320, 1.0, promo_rate=0.05),
    L("Lumos US", "LM-WC15", "15 W wireless charging pad", "Electronics", 19.99, 22, 3, 0.30, 3.80, 0.12,
      0.15, 0.15, 0.06, 380, 0.94, referral_rate=0.08, status="discontinued", last="2025-09"),
    L("Lumos US", "LM-LS16", "Aluminium laptop stand", "Home office", 34.99, 40, 10, 0.30, 5.90, 0.40,
      None, 0.17, 0.03, 260, 1.04, first="2024-11"),
    L("Lumos US", "LM-DM17", "Under-desk drawer, clamp-on", "Home office", 21.99, 18, 6, 0.30, 4.40, 0.25,
      None, 0.20, 0.03, 230, 1.05, first="2025-06"),
    # ---- Lumos UK (GBP incl. 20 % VAT; duty on cogs + freight: CIF) ----
    L("Lumos UK", "LM-DL01", "LED desk lamp with USB-C port", "Home office", 39.99, 78, 18, 0.027, 4.05, 0.35,
      None, 0.12, 0.045, 170, 1.02),
    L("Lumos UK", "LM-MS02", "Monitor stand riser with drawer", "Home office", 34.99, 68, 26, 0.0, 4.60, 0.70,
      0.11, 0.11, 0.03, 90, 1.0),
    L("Lumos UK", "LM-WB04", "Insulated water bottle 750 ml", "Kitchen", 19.99, 24, 7, 0.032, 3.05, 0.18,
      None, 0.11, 0.03, 240, 1.01),
    L("Lumos UK", "LM-KS05", "Digital kitchen scale", "Kitchen", 14.99, 15, 5, 0.0, 2.85, 0.12,
      0.15, 0.15, 0.05, 220, 0.97),
    L("Lumos UK", "LM-CO03", "Bamboo desk organiser", "Home office", 21.99, 26, 10, 0.0, 3.30, 0.30,
      0.14, 0.14, 0.025, 140, 0.98),
    L("Lumos UK", "LM-VB08", "Vacuum storage bags, 8-pack", "Home storage", 22.99, 28, 10, 0.04, 3.45, 0.30,
      None, 0.10, 0.03, 190, 1.0, promo_rate=0.10),
    L("Lumos UK", "LM-PF11", "Pet water fountain 2 L", "Pet", 29.99, 52, 14, 0.0, 3.90, 0.40,
      0.13, 0.13, 0.05, 85, 1.035),
    L("Lumos UK", "LM-CH12", "Portable camping hammock", "Outdoor", 27.99, 42, 12, 0.12, 3.60, 0.35,
      0.12, 0.12, 0.03, 80, 1.0),
    L("Lumos UK", "LM-SL13", "Solar string lights, 100 LED", "Outdoor", 17.99, 20, 6, 0.027, 2.95, 0.20,
      None, 0.14, 0.05, 170, 0.99),
    L("Lumos UK", "LM-KN06", "3-stage knife sharpener", "Kitchen", 11.99, 13, 3, 0.017, 2.75, 0.08,
      0.20, 0.20, 0.04, 230, 0.98, promo_rate=0.05),
    L("Lumos UK", "LM-PG10", "Pet grooming glove", "Pet", 8.99, 9, 2.5, 0.027, 2.55, 0.06,
      0.25, 0.25, 0.06, 170, 0.99),
    L("Lumos UK", "LM-LS16", "Aluminium laptop stand", "Home office", 29.99, 40, 12, 0.0, 3.75, 0.35,
      None, 0.18, 0.03, 100, 1.04, first="2025-01"),
    L("Lumos UK", "LM-TT18", "Bamboo serving tea tray", "Kitchen", 27.99, 34, 12, 0.0, 3.85, 0.45,
      0.15, 0.15, 0.03, 70, 1.05, first="2025-03"),
    # ---- Lumos DE (EUR incl. 19 % VAT; duty CIF) ----
    L("Lumos DE", "LM-DL01", "LED desk lamp with USB-C port", "Home office", 42.99, 78, 18, 0.047, 4.65, 0.38,
      None, 0.12, 0.05, 160, 1.0),
    L("Lumos DE", "LM-MS02", "Monitor stand riser with drawer", "Home office", 36.99, 68, 26, 0.0, 5.10, 0.70,
      0.11, 0.11, 0.03, 90, 1.02),
    L("Lumos DE", "LM-WB04", "Insulated water bottle 750 ml", "Kitchen", 21.99, 24, 7, 0.032, 3.35, 0.18,
      None, 0.10, 0.03, 230, 1.04),
    L("Lumos DE", "LM-KS05", "Digital kitchen scale", "Kitchen", 15.99, 15, 5, 0.0, 3.10, 0.12,
      0.14, 0.14, 0.05, 180, 1.0),
    L("Lumos DE", "LM-CO03", "Bamboo desk organiser", "Home office", 22.99, 26, 10, 0.0, 3.45, 0.30,
      None, 0.13, 0.025, 130, 0.97),
    L("Lumos DE", "LM-VB08", "Vacuum storage bags, 8-pack", "Home storage", 23.99, 28, 10, 0.04, 3.70, 0.30,
      0.10, 0.10, 0.03, 160, 1.0),
    L("Lumos DE", "LM-PF11", "Pet water fountain 2 L", "Pet", 31.99, 52, 14, 0.0, 4.20, 0.40,
      0.13, 0.13, 0.05, 70, 1.03),
    L("Lumos DE", "LM-SL13", "Solar string lights, 100 LED", "Outdoor", 18.99, 20, 6, 0.027, 3.20, 0.20,
      0.13, 0.13, 0.05, 120, 1.0, promo_rate=0.05),
    L("Lumos DE", "LM-CB09", "Cable management box, 2-pack", "Home office", 24.99, 24, 10, 0.0, 3.75, 0.35,
      0.12, 0.12, 0.02, 95, 0.99),
    L("Lumos DE", "LM-KN06", "3-stage knife sharpener", "Kitchen", 12.99, 13, 3, 0.017, 3.05, 0.08,
      0.20, 0.20, 0.04, 130, 1.0),
    L("Lumos DE", "LM-DS20", "Door draught stopper", "Home", 19.99, 16, 8, 0.08, 3.40, 0.25,
      0.15, 0.15, 0.04, 110, 1.0),
    L("Lumos DE", "LM-TH19", "Thermal lunch box 1.2 L", "Kitchen", 26.99, 30, 9, 0.032, 3.80, 0.30,
      None, 0.16, 0.03, 120, 1.03, first="2024-09"),
    L("Lumos DE", "LM-LS16", "Aluminium laptop stand", "Home office", 32.99, 40, 12, 0.0, 4.35, 0.35,
      0.17, 0.17, 0.03, 90, 1.05, operator="Wang Fang", launch_month="2025-05", first="2025-05"),
]

SETTINGS = [
    # key, value, English note, Chinese note
    ("plan_year", PLAN_YEAR, "the year planned", "计划的年度"),
    ("base_currency", "CNY", "every output figure in CNY", "输出金额一律为人民币"),
    ("target_mode", "growth", "current level + growth", "当前水平 + 增长"),
    ("monthly_growth", 0.03, "month-on-month growth of each store's run-rate (Lumos DE: 2 %, Stores sheet)",
     "店铺月环比增长（德国站见店铺表：2%）"),
    ("baseline_months", 3, "Oct-Dec 2025 make the run-rate", "以2025年10-12月为基准"),
    ("seasonality", "history", "seasonality measured from 30 months of history", "按历史销售测算季节性"),
    ("existing_scenario", "growth", "existing products keep growing", "老品按增长情景预测"),
    ("cash_available", 4000000, "CNY the business can put in", "可投入资金（人民币）"),
    ("credit_line", 500000, "bank credit line", "银行授信"),
    ("min_cash", 300000, "never below 300k in the bank", "账上最低保留30万"),
    ("lead_time_days", 60, "purchase order to sellable at Amazon", "下单到亚马逊可售"),
    ("transit_days", 35, "sea freight + receiving", "海运头程 + 入仓"),
    ("safety_stock_days", 30, "stock kept beyond lead time", "安全库存天数"),
    ("deposit_rate", 0.3, "30 % deposit, balance before shipping", "30%定金，发货前付尾款"),
    ("payout_delay_days", 21, "sale to cash in the bank", "销售到回款"),
    ("new_ramp_months", 3, "a new product takes 3 months to mature", "新品3个月爬坡"),
    ("new_success_rate", 0.6, "3 of 5 launches succeed", "5个新品成3个"),
    ("new_launch_budget", 20000, "CNY of launch advertising per new product", "每个新品推广预算（人民币）"),
    ("new_failure_writeoff", 0.5, "half of a failed first order is lost", "失败新品首单损失一半"),
    ("launches_per_operator_month", 1, "one launch per operator and month", "每人每月上新1款"),
    ("payout_fee_rate", 0.008, "payment provider's conversion fee", "收款平台换汇手续费"),
    ("profit_pool_rate", 0.1, "10 % of net profit above target goes to the team", "超额净利润的10%分给团队"),
    ("launch_bonus", 2000, "CNY per successful launch", "每个成功新品奖金（人民币）"),
]

TEAM = [("Wang Fang", 12000, 36000), ("Li Hao", 9500, 24000), ("Chen Jie", 9500, 24000)]

# launch_month, store, operator, count, price (store currency), monthly_units, unit_cost (CNY)
LAUNCHES = [("2026-04", "Lumos US", "Wang Fang", 1, 36.99, 300, 58)]

EXPENSES = [
    # item, monthly_amount (CNY), store, months
    ("Office rent and utilities", 16000, None, None),
    ("ERP, software and bookkeeping", 4500, None, None),
    ("Product photography and A+ content", 3000, None, None),
    ("UK VAT agent", 1200, "Lumos UK", None),
    ("DE EPR registration and packaging licence", 3500, "Lumos DE", "1-6"),
]

BONUS = [
    # period, metric, from, to, rate, mode, cap, weight
    ("year", "sales", 0.0, 0.8, 0.0, "step", None, 0.5),
    ("year", "sales", 0.8, 1.0, 0.6, "step", None, 0.5),
    ("year", "sales", 1.0, 1.2, 1.0, "step", None, 0.5),
    ("year", "sales", 1.2, None, 1.3, "step", None, 0.5),
    ("quarter", "net_profit", 0.0, 1.0, 1.0, "marginal", 1.5, 0.4),
    ("quarter", "net_profit", 1.0, 1.5, 1.5, "marginal", 1.5, 0.4),
    ("year", "launches", 0.0, 1.0, 0.0, "step", None, 0.1),
    ("year", "launches", 1.0, None, 1.0, "step", None, 0.1),
]


def history_months() -> list[tuple[int, int]]:
    (y, m), out = FIRST_MONTH, []
    while (y, m) <= LAST_MONTH:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def ym(y: int, m: int) -> str:
    return f"{y}-{m:02d}"


def sales_rows() -> list[tuple[str, str, str, int, float, float]]:
    """Long-form history: (month, store, sku, units, revenue, ad_spend), store currency.

    units = start units × trend^i × store season × (outdoor season) × launch ramp × noise;
    revenue = units × price × (1 − promo_rate); ad_spend = revenue × ad share × noise, heavier
    in a launch's first three months.  Months without sales have no row.
    """
    rng = random.Random(SEED)
    months = history_months()
    rows = []
    for i, (y, m) in enumerate(months):
        for s in LISTINGS:
            noise, ad_noise = rng.gauss(1.0, 0.045), rng.gauss(1.0, 0.06)   # drawn for every cell: stable stream
            month = ym(y, m)
            if (s.first and month < s.first) or (s.last and month > s.last):
                continue
            if s.first:
                age = months.index(tuple(map(int, s.first.split("-"))))
                age = i - age                        # 0 in the launch month
                ramp = (0.25, 0.5, 0.8)[age] if age < 3 else 1.0
                ad_push = (1.8, 1.5, 1.2)[age] if age < 3 else 1.0
                level = s.units * s.trend ** age * ramp
            else:
                ad_push = 1.0
                level = s.units * s.trend ** i
            season = STORE_SEASON[s.store][m - 1] * (OUTDOOR_SEASON[m - 1] if s.category == "Outdoor" else 1.0)
            if s.last:                               # sell-out of a discontinued SKU: the last months fade
                left = months.index(tuple(map(int, s.last.split("-")))) - i
                season *= (0.45, 0.7, 0.85)[left] if left < 3 else 1.0
            units = max(1, round(level * season * min(1.15, max(0.85, noise))))
            revenue = round(units * s.price * (1 - s.promo_rate), 2)
            ad_spend = round(revenue * s.true_ad_share * ad_push * min(1.2, max(0.8, ad_noise)), 2)
            rows.append((month, s.store, s.sku, units, revenue, ad_spend))
    return rows


# ---------------------------------------------------------------- the tables, in canonical column order

SKU_COLUMNS = [c.key for c in schema.SKUS.columns]


def sku_rows() -> list[list]:
    store_operator = {s[0]: s[3] for s in STORES}
    rows = []
    for s in LISTINGS:
        values = {
            "store": s.store, "sku": s.sku, "name": s.name, "category": s.category,
            "operator": s.operator or store_operator[s.store], "price": s.price, "cogs": s.cogs,
            "freight": s.freight, "duty_rate": s.duty_rate, "referral_rate": s.referral_rate,
            "fba_fee": s.fba_fee, "storage_fee": s.storage_fee, "ad_rate": s.ad_rate, "promo_rate": s.promo_rate,
            "return_rate": s.return_rate, "return_cost": s.return_cost, "vat_rate": None,
            "other_cost": s.other_cost, "placement_fee": s.placement_fee, "dst_rate": None, "status": s.status,
            "growth_rate": s.growth_rate, "launch_month": s.launch_month,
        }
        rows.append([values[k] for k in SKU_COLUMNS])
    return rows


def tables() -> dict[str, tuple[list[str], list[list]]]:
    """Every sheet as (canonical column keys, rows) — the business, language-neutral."""
    return {
        "Settings": (["key", "value", "note"], [[k, v, en] for k, v, en, _ in SETTINGS]),
        "Sales": (["month", "store", "sku", "units", "revenue", "ad_spend"], [list(r) for r in sales_rows()]),
        "SKUs": (SKU_COLUMNS, sku_rows()),
        "Stores": ([c.key for c in schema.STORES.columns], [list(s) for s in STORES]),
        "FX": (["currency", "rate"], [list(r) for r in FX]),
        "Team": (["operator", "base_salary", "bonus_base"], [list(r) for r in TEAM]),
        "Launches": ([c.key for c in schema.LAUNCHES.columns], [list(r) for r in LAUNCHES]),
        "Expenses": (["item", "monthly_amount", "store", "months"], [list(r) for r in EXPENSES]),
        "Bonus": ([c.key for c in schema.BONUS.columns], [list(r) for r in BONUS]),
    }


# ---------------------------------------------------------------- formatting

FORMAT_BY_KIND = {"money": "#,##0.00", "rate": "0.0%", "int": "0", "number": "#,##0"}
WHOLE_MONEY = {"base_salary", "bonus_base", "monthly_amount", "cogs", "unit_cost"}
HEADER_FILL = "1F4E78"


def number_format(sheet_key: str, col_key: str) -> str | None:
    if sheet_key == "Sales":
        return {"units": "#,##0", "revenue": "#,##0.00", "ad_spend": "#,##0.00"}.get(col_key)
    try:
        col = schema.SHEET_BY_KEY[sheet_key].column(col_key)
    except KeyError:
        return None
    if col.kind == "money" and col_key in WHOLE_MONEY:
        return "#,##0"
    if sheet_key == "Bonus" and col.kind == "rate":
        return "0%"
    if sheet_key == "Bonus" and col.kind == "number":
        return "0.0"
    return FORMAT_BY_KIND.get(col.kind)


def settings_format(key: str) -> str | None:
    col = schema.SETTINGS.column(key)
    if col.kind == "money":
        return "#,##0"
    return FORMAT_BY_KIND.get(col.kind) if col.kind in ("rate", "int") else None


@dataclass
class SheetOut:
    """A sheet to write: its name, an optional title row, header, rows and per-column formats."""
    name: str
    header: list[str]
    rows: list[list]
    formats: list[str | None] | Callable[[list], list[str | None]]   # per column, or per row (Settings)
    title: str | None = None
    freeze_cols: int = 0
    widths: list[float] | None = None


def write_book(path: Path, sheets: list[SheetOut], creator: str) -> Path:
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    head_font = Font(bold=True, color="FFFFFF")
    head_fill = PatternFill("solid", fgColor=HEADER_FILL)
    for sh in sheets:
        ws = wb.create_sheet(sh.name)
        r0 = 1
        if sh.title:
            ws.cell(1, 1, sh.title).font = Font(bold=True, size=14, color=HEADER_FILL)
            ws.row_dimensions[1].height = 24
            r0 = 3 if sh.name in ("销售", "Sales") else 2     # Sales: a blank row under the title, too
        for j, h in enumerate(sh.header, start=1):
            c = ws.cell(r0, j, h)
            c.font, c.fill = head_font, head_fill
            c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for i, row in enumerate(sh.rows, start=r0 + 1):
            fmts = sh.formats if not callable(sh.formats) else sh.formats(row)
            for j, v in enumerate(row, start=1):
                if v is None:
                    continue
                c = ws.cell(i, j, v)
                if isinstance(v, str):
                    c.data_type = "s"                # text stays text, never a formula
                elif fmts[j - 1]:
                    c.number_format = fmts[j - 1]
        for j in range(1, len(sh.header) + 1):
            if sh.widths:
                width = sh.widths[j - 1]
            else:
                values = [sh.header[j - 1]] + [r[j - 1] for r in sh.rows if r[j - 1] is not None]
                width = max(_display_len(v) for v in values) + 2
            ws.column_dimensions[get_column_letter(j)].width = min(40, max(8, width))
        ws.freeze_panes = ws.cell(r0 + 1, sh.freeze_cols + 1).coordinate
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr.fitToPage = len(sh.header) <= 30   # not the 92-column wide Sales
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.print_title_rows = f"{r0}:{r0}"
        ws.auto_filter.ref = f"A{r0}:{get_column_letter(len(sh.header))}{r0 + max(1, len(sh.rows))}"
    wb.properties.creator = creator
    wb.properties.title = "Lumos Home — goalsheet sample seller"
    wb.save(path)
    return path


def _display_len(v: object) -> int:
    if isinstance(v, float):
        v = f"{v:,.2f}"
    s = str(v)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in s)   # CJK characters are twice as wide


# ---------------------------------------------------------------- English workbook

def english_sheets() -> list[SheetOut]:
    out = []
    for key, (cols, rows) in tables().items():
        if key == "Settings":
            out.append(SheetOut("Settings", cols, rows, formats=lambda row: [None, settings_format(row[0]), None]))
            continue
        out.append(SheetOut(key, cols, rows, [number_format(key, c) for c in cols],
                            freeze_cols=3 if key == "Sales" else (2 if key == "SKUs" else 0)))
    return out


# ---------------------------------------------------------------- Chinese workbook

ZH_SETTINGS_HEADER = ["参数", "值", "说明"]
ZH_TITLES = {
    "Sales": "路墨家居 Lumos Home — 月度销售（2023年7月至2025年12月，店铺币种）",
    "SKUs": "路墨家居 Lumos Home — 产品成本与费用（售价、费用为店铺币种；采购成本、头程为人民币）",
    "Settings": "路墨家居 Lumos Home — 2026年度计划参数",
}


def zh_month(month: str) -> str:
    y, m = month.split("-")
    return f"{int(y)}年{int(m)}月"


def zh_header(sheet_key: str, col_key: str) -> str:
    return schema.SHEET_BY_KEY[sheet_key].column(col_key).zh


def wide_sales() -> tuple[list[str], list[list], list[str | None]]:
    """Wide Sales: 店铺, SKU, revenue per month, then 销量 … and 广告花费 … blocks.  Blank = no sales."""
    months = [ym(y, m) for y, m in history_months()]
    header = ["店铺", "SKU"] + [zh_month(m) for m in months] + [f"销量 {zh_month(m)}" for m in months] + \
             [f"广告花费 {zh_month(m)}" for m in months]
    cells = {(mo, st, sk): (u, r, a) for mo, st, sk, u, r, a in sales_rows()}
    rows = []
    for s in LISTINGS:
        got = [cells.get((m, s.store, s.sku)) for m in months]
        rows.append([s.store, s.sku] + [g[1] if g else None for g in got] + [g[0] if g else None for g in got] +
                    [g[2] if g else None for g in got])
    n = len(months)
    formats = [None, None] + ["#,##0.00"] * n + ["#,##0"] * n + ["#,##0.00"] * n
    return header, rows, formats


def chinese_sheets() -> list[SheetOut]:
    out = []
    for key, (cols, rows) in tables().items():
        zh_name = schema.SHEET_BY_KEY[key].zh
        if key == "Settings":
            zh_rows = [[schema.SETTINGS.column(k).zh, "400万" if k == "cash_available" else v, zh]
                       for k, v, _, zh in SETTINGS]
            out.append(SheetOut(zh_name, ZH_SETTINGS_HEADER, zh_rows, title=ZH_TITLES["Settings"],
                                formats=lambda row: [None, _zh_settings_format(row[0]), None],
                                widths=[22, 14, 40]))
        elif key == "Sales":
            header, wide, formats = wide_sales()
            out.append(SheetOut(zh_name, header, wide, formats, title=ZH_TITLES["Sales"], freeze_cols=2,
                                widths=[12, 11] + [13] * (len(header) - 2)))
        else:
            if key == "Launches":       # Chinese month spelling: the reader accepts 2026年4月
                rows = [[zh_month(r[0])] + r[1:] for r in rows]
            out.append(SheetOut(zh_name, [zh_header(key, c) for c in cols], rows,
                                [number_format(key, c) for c in cols], title=ZH_TITLES.get(key),
                                freeze_cols=2 if key == "SKUs" else 0))
    return out


def _zh_settings_format(zh_key: str) -> str | None:
    for c in schema.SETTINGS.columns:
        if c.zh == zh_key:
            return settings_format(c.key)
    return None


# ---------------------------------------------------------------- entry point

def write_samples(outdir: Path = HERE) -> list[Path]:
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    return [
        write_book(outdir / "demo_seller.xlsx", english_sheets(), "goalsheet sample_workbooks/make_samples.py"),
        write_book(outdir / "demo_seller_zh.xlsx", chinese_sheets(), "goalsheet sample_workbooks/make_samples.py"),
    ]


if __name__ == "__main__":
    for p in write_samples(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(p)
