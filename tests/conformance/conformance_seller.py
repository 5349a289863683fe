"""Tiny sellers for the conformance tests: numbers chosen so every figure can be worked by hand.

`book(...)` runs the real input pipeline (`goalsheet.inputs.from_rows`) so a test covers reading,
validation and planning together.  Defaults: one US store "S" selling in USD, base currency USD,
seasonality off, no payout fee, cash plenty, one SKU "A" at price 100, cogs 40, fba 10 (unit_net
100 − 15 referral − 10 fba − 40 landed = 35), 100 units a month for 24 months through 2025-12.
"""
from __future__ import annotations

from goalsheet.inputs import from_rows


def months(first: str, n: int) -> list[str]:
    y, m = int(first[:4]), int(first[5:7]) - 1
    return [f"{y + (m + i) // 12:04d}-{(m + i) % 12 + 1:02d}" for i in range(n)]


BASE_SETTINGS = {"base_currency": "USD", "plan_year": 2026, "seasonality": "off", "payout_fee_rate": 0,
                 "cash_available": 1_000_000_000, "monthly_growth": 0.0, "lead_time_days": 60,
                 "new_success_rate": 1.0, "new_ramp_months": 1}


def sheets(settings: dict | None = None, history: dict | None = None, skus: list[list] | None = None,
           stores: list[list] | None = None, drop: tuple[str, ...] = (), **extra) -> dict[str, list[list]]:
    """history: (store, sku) -> list of (month, units, revenue); default ("S", "A") 100 × 100 for 24 months.
    skus: rows under SKU_HEADER; stores: rows under [store, marketplace, currency, operator]."""
    s = dict(BASE_SETTINGS)
    s.update(settings or {})
    s = {k: v for k, v in s.items() if k not in drop}
    history = history if history is not None else {
        ("S", "A"): [(m, 100, 10_000) for m in months("2024-01", 24)]}
    out = {
        "Settings": [["key", "value"]] + [[k, v] for k, v in s.items()],
        "Stores": [["store", "marketplace", "currency", "operator"]] + (stores or [["S", "US", "USD", "Ann"]]),
        "Sales": [["month", "store", "sku", "units", "revenue"]]
                 + [[m, st, sku, u, r] for (st, sku), rows in history.items() for m, u, r in rows],
        "SKUs": [list(SKU_HEADER)] + (skus if skus is not None else
                                [[st, sku, None, 100, 40, 0, 10, "active"] for (st, sku) in history]),
    }
    out.update(extra)
    return out


SKU_HEADER = ["store", "sku", "operator", "price", "cogs", "freight", "fba_fee", "status"]


def book(sheets_: dict[str, list[list]]):
    b, problems = from_rows(sheets_)
    errors = [str(p) for p in problems if p.severity == "error"]
    assert b is not None and not errors, errors
    return b
