"""A hand-made Plan for the output tests, with the golden seller's headline figures (tests/golden/README.md).

The output side must not depend on the planner being finished, so these tests render this Plan.  Monthly
targets and store/operator totals are the golden figures; the split of each month into existing and new
products, and the smaller tables, are made up but consistent (every total is the sum of its parts).
"""
from __future__ import annotations

from dataclasses import replace

import pandas as pd

from goalsheet.inputs.model import Problem
from goalsheet.plan.result import Headline, Plan

MONTHLY_TARGETS = [371896.94, 360185.27, 419968.99, 448312.34, 471749.38, 489186.72, 566994.16, 516537.58,
                   527351.61, 613686.37, 775214.27, 841504.49]           # add up to 6 402 588.12
DE_TARGETS = [169347.51, 164014.47, 191237.67, 204144.14, 214816.46, 222756.75, 258187.26, 235211.28,
              240135.57, 279449.09, 353002.66, 383188.67]                # add up to 2 915 491.53
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]


def cents(x: float) -> float:
    return round(x + 0.0, 2)


def sample_plan(*, actuals_through: int = 0, sku: str = "US-LAMP-01", feasible: bool = True) -> Plan:
    """The plan; `actuals_through` = number of closed months of 2026 (0: no actuals); `sku` renames a SKU."""
    us = [cents(t - d) for t, d in zip(MONTHLY_TARGETS, DE_TARGETS)]
    existing = [cents(t * 0.89) for t in MONTHLY_TARGETS]
    new = [cents(t - e) for t, e in zip(MONTHLY_TARGETS, existing)]
    profit = [cents(t * 0.125) for t in MONTHLY_TARGETS]
    monthly = pd.DataFrame({
        "month": MONTHS, "target_sales": MONTHLY_TARGETS, "existing_sales": existing, "new_sales": new,
        "units": [round(t / 60) for t in MONTHLY_TARGETS], "target_net_profit": profit,
        "ad_budget": [cents(t * 0.1) for t in MONTHLY_TARGETS], "launches": [0, 0, 2, 2, 1, 0, 0, 0, 0, 0, 0, 0],
    })
    if actuals_through:
        actual = [cents(t * 0.95) if i < actuals_through else None for i, t in enumerate(MONTHLY_TARGETS)]
        monthly["actual_sales"] = actual
        monthly["variance"] = [cents(a - t) if a is not None else None for a, t in zip(actual, MONTHLY_TARGETS)]
        monthly["attainment"] = [round(a / t, 6) if a is not None else None for a, t in zip(actual, MONTHLY_TARGETS)]
        monthly["reforecast"] = [a if a is not None else cents(t * 0.95) for a, t in zip(actual, MONTHLY_TARGETS)]
    stores = pd.DataFrame([["Acme US", *us], ["Acme DE", *DE_TARGETS]], columns=["store", *MONTHS])
    stores["total"] = [3487096.59, 2915491.53]
    stores["net_profit"] = [450000.00, 351502.25]
    operators = pd.DataFrame([{"operator": op, "month": m, "target_sales": v}
                              for op, vals in (("Wang Fang", us), ("Chen Jie", DE_TARGETS))
                              for m, v in zip(MONTHS, vals)])
    profit_rows = []
    for store, cur, fx, code, price, unit_net in (("Acme US", "USD", 7.2, sku, 39.99, 7.97732),
                                                  ("Acme US", "USD", 7.2, "US-BOTTLE-02", 23.7405, 6.41),
                                                  ("Acme DE", "EUR", 7.8, "DE-BOTTLE-02", 26.99, 5.851211),
                                                  ("Acme DE", "EUR", 7.8, "DE-LOSS-04", 9.99, -0.85)):
        profit_rows.append({"store": store, "sku": code, "currency": cur, "price": price, "promotion": 0.0,
                            "sell_price": price, "vat": 0.0, "net_price": price, "referral": cents(price * 0.15),
                            "unit_net": unit_net, "referral_base": cents(price * 0.15 * fx),
                            "landed_base": 76.0, "unit_net_base": cents(unit_net * fx),
                            "net_margin": round(unit_net / price, 6)})
    profit = pd.DataFrame(profit_rows)
    products = pd.DataFrame([{"store": r["store"], "sku": r["sku"], "name": "Desk lamp" if i == 0 else "Item",
                              "trend": "growing", "g": 0.03, "growth_forecast": 100000.0 * (i + 1),
                              "stable_forecast": 90000.0 * (i + 1), "unit_net_base": r["unit_net_base"],
                              "flags": "loss-making" if r["unit_net"] < 0 else ""}
                             for i, r in enumerate(profit_rows)])
    launches = pd.DataFrame([
        ["2026-04", "Acme DE", "Chen Jie", "planned", 1, 162131.06],
        ["2026-03", "Acme US", "Wang Fang", "added", 1, 145773.44],
        ["2026-03", "Acme DE", "Chen Jie", "added", 1, 179536.82],
        ["2026-04", "Acme US", "Wang Fang", "added", 1, 131640.98],
        ["2026-05", "Acme US", "Wang Fang", "added", 1, 117207.30],
    ], columns=["launch_month", "store", "operator", "source", "count", "contribution"])
    balance = 2_000_000.0
    cash_rows = []
    for i, m in enumerate(MONTHS):
        payouts, out = cents(MONTHLY_TARGETS[i] * 0.6), cents(MONTHLY_TARGETS[i] * 0.75)
        closing = cents(balance + payouts - out)
        cash_rows.append({"month": m, "opening_balance": balance, "payouts_in": payouts, "purchase_deposits": -out,
                          "net_flow": cents(payouts - out), "closing_balance": closing,
                          "downside_closing_balance": cents(closing - 0.2 * payouts)})
        balance = closing
    cash = pd.DataFrame(cash_rows)
    bonus = pd.DataFrame([["Wang Fang", "2026", "sales", 3487096.59, 14400.0, 16320.0, 24000.0, 31200.0],
                          ["Chen Jie", "2026", "sales", 2915491.53, 10800.0, 12240.0, 18000.0, 23400.0]],
                         columns=["operator", "period", "metric", "target", "share", "bonus_80", "bonus_100",
                                  "bonus_120"])
    checks = pd.DataFrame([["months add up to the year", 6402588.12, 6402588.12, 0.0, "PASS"],
                           ["stores add up to the year", 6402588.12, 6402588.12, 0.0, "PASS"]],
                          columns=["check", "expected", "actual", "difference", "result"])
    assumptions = pd.DataFrame([["monthly_growth", 0.03, "input", ""],
                                ["new_price", "median sell price", "default", "per store"]],
                               columns=["setting", "value", "source", "note"])
    tracking = pd.DataFrame(columns=["level", "name", "plan", "actual", "variance", "attainment", "reforecast"])
    if actuals_through:
        tracking = pd.DataFrame([["month", m, t, a, cents(a - t), round(a / t, 6), a]
                                 for m, t, a in zip(MONTHS[:actuals_through], MONTHLY_TARGETS,
                                                    monthly["actual_sales"])],
                                columns=tracking.columns)
    headline = Headline(plan_year=2026, target_sales=6402588.12, target_net_profit=801502.25,
                        existing_sales=5702760.37, new_sales=699827.75, gap=699827.75, launches_needed=5,
                        shortfall=0.0, peak_cash_need=0.0 if feasible else 350000.0, cash_available=2000000.0,
                        funding_feasible=feasible, max_feasible_sales=9100000.0 if feasible else 5200000.0,
                        bonus_total=42000.0)
    if actuals_through:
        headline = replace(headline, as_of=MONTHS[actuals_through - 1],
                           actual_sales_ytd=cents(sum(monthly["actual_sales"][:actuals_through])),
                           reforecast_sales=cents(sum(monthly["reforecast"])))
    warnings = [Problem("SKUs", "B5", "DE-LOSS-04 loses 0.85 EUR on every unit sold", "warning")]
    return Plan(headline=headline, tables={"monthly": monthly, "stores": stores, "operators": operators,
                                           "products": products, "profit": profit, "launches": launches,
                                           "cash": cash, "purchases": pd.DataFrame(), "bonus": bonus,
                                           "tracking": tracking, "assumptions": assumptions, "checks": checks},
                warnings=warnings, base_currency="CNY", plan_year=2026, has_actuals=bool(actuals_through),
                source_name="golden_seller.xlsx", source_sha256="ab" * 32)
