"""Small synthetic sellers for the planner's tests (rows as the input workbook holds them)."""
from __future__ import annotations

SKU_HEADER = ["store", "sku", "operator", "price", "cogs", "freight", "fba_fee", "status", "growth_rate"]


def seller_sheets(stores: list[dict], history: dict[tuple[str, str], list[tuple[str, float, float]]],
                  settings: dict, team: list[tuple] | None = None, launches: list[list] | None = None,
                  skus: list[list] | None = None) -> dict[str, list[list]]:
    """stores: dicts with store, marketplace, currency, operator; history: (store, sku) -> [(month, units, revenue)]."""
    sheets = {
        "Settings": [["key", "value"]] + [[k, v] for k, v in settings.items()],
        "Stores": [["store", "marketplace", "currency", "operator"]]
                  + [[s["store"], s.get("marketplace", "US"), s.get("currency", "USD"), s.get("operator")]
                     for s in stores],
        "FX": [["currency", "rate"]] + [[c, r] for c, r in settings.get("_fx", {}).items()],
        "Sales": [["month", "store", "sku", "units", "revenue", "ad_spend"]]
                 + [[m, st, sku, u, r, 0.0] for (st, sku), rows in history.items() for m, u, r in rows],
        "SKUs": [SKU_HEADER] + (skus if skus is not None else
                                [[st, sku, None, 100.0, 200.0, 20.0, 10.0, "active", None] for (st, sku) in history]),
    }
    sheets["Settings"] = [r for r in sheets["Settings"] if r[0] != "_fx"]
    if team:
        sheets["Team"] = [["operator", "base_salary", "bonus_base"]] + [list(t) for t in team]
    if launches:
        sheets["Launches"] = [["launch_month", "store", "operator", "count"]] + launches
    return sheets


def months(first_year: int, n: int, first_month: int = 1) -> list[str]:
    out = []
    for i in range(n):
        k = first_month - 1 + i
        out.append(f"{first_year + k // 12:04d}-{k % 12 + 1:02d}")
    return out


def three_stores_at_30000(settings_extra: dict | None = None) -> dict[str, list[list]]:
    """The article's example: three stores at 30 000 a month (one SKU each, 300 units at 100), 24 months
    of history through December 2025, seasonality off, monthly growth 0.05."""
    stores = [{"store": f"Store {c}", "operator": f"Op {c}"} for c in "ABC"]
    history = {(s["store"], f"SKU-{s['store'][-1]}"): [(m, 300.0, 30000.0) for m in months(2024, 24)]
               for s in stores}
    settings = {"base_currency": "USD", "plan_year": 2026, "monthly_growth": 0.05, "seasonality": "off",
                "cash_available": 1_000_000_000, "lead_time_days": 60, "new_price": 100, "new_monthly_units": 500,
                "payout_fee_rate": 0.0}
    settings.update(settings_extra or {})
    return seller_sheets(stores, history, settings)
