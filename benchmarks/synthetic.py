"""Synthetic sellers for the benchmarks: mid (20 stores, 2 000 SKUs, 24 months), max (1,048,575 Sales rows) and
many_skus (10 000 SKUs × 26 months through February 2026, so its plan year 2026 has two months of actuals).

    python benchmarks/synthetic.py mid|max|many_skus [OUT.xlsx]

Written with xlsxwriter in constant_memory mode so the max workbook (Excel's row limit on the Sales sheet,
20 000 SKUs, 50 stores) is made in about a minute.  Deterministic: the same size gives the same bytes of data.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"

MARKETS = [("US", "USD", 7.2), ("UK", "GBP", 9.1), ("DE", "EUR", 7.8), ("FR", "EUR", 7.8), ("IT", "EUR", 7.8),
           ("ES", "EUR", 7.8), ("CA", "CAD", 5.2), ("JP", "JPY", 0.048)]
SEASON = [0.82, 0.78, 0.88, 0.92, 0.95, 0.97, 1.08, 0.95, 0.93, 1.05, 1.30, 1.37]

SIZES = {
    # stores, skus, months of Sales for every SKU, extra SKUs with one more month (to land on a row count), the
    # last month of Sales (after 2025-12: actuals of the plan year 2026)
    "mid": dict(stores=20, skus=2_000, months=24, extra=0, last="2025-12"),
    "max": dict(stores=50, skus=20_000, months=52, extra=1_048_575 - 20_000 * 52, last="2025-12"),
    "many_skus": dict(stores=20, skus=10_000, months=26, extra=0, last="2026-02"),
}


def month_label(index_from_end: int, last: str = "2025-12") -> str:
    """`last` is index 0, the month before it 1, ..."""
    y, m = divmod(int(last[:4]) * 12 + int(last[5:7]) - 1 - index_from_end, 12)
    return f"{y}-{m + 1:02d}"


def write(size: str, path: Path | None = None) -> Path:
    import xlsxwriter

    spec = SIZES[size]
    path = path or OUT / f"seller_{size}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    stores = [(f"Store {i + 1:02d} {MARKETS[i % len(MARKETS)][0]}",) + MARKETS[i % len(MARKETS)]
              for i in range(spec["stores"])]
    operators = [f"Operator {i + 1}" for i in range(max(3, spec["stores"] // 2))]

    ws = wb.add_worksheet("Settings")
    for r, row in enumerate([("key", "value"), ("plan_year", 2026), ("base_currency", "CNY"),
                             ("cash_available", 5_000_000 * spec["stores"]), ("lead_time_days", 60),
                             ("new_launch_budget", 15_000)]):
        ws.write_row(r, 0, row)
    ws = wb.add_worksheet("Stores")
    ws.write_row(0, 0, ("store", "marketplace", "currency", "operator"))
    for i, (name, market, cur, _) in enumerate(stores):
        ws.write_row(i + 1, 0, (name, market, cur, operators[i % len(operators)]))
    ws = wb.add_worksheet("FX")
    ws.write_row(0, 0, ("currency", "rate"))
    for i, (cur, rate) in enumerate(sorted({(m[1], m[2]) for m in MARKETS})):
        ws.write_row(i + 1, 0, (cur, rate))
    ws = wb.add_worksheet("Team")
    ws.write_row(0, 0, ("operator", "base_salary", "bonus_base"))
    for i, op in enumerate(operators):
        ws.write_row(i + 1, 0, (op, 9_000, 24_000))

    skus = []
    ws = wb.add_worksheet("SKUs")
    ws.write_row(0, 0, ("store", "sku", "price", "cogs", "freight", "duty_rate", "referral_rate", "fba_fee",
                        "storage_fee", "ad_rate", "return_rate"))
    for k in range(spec["skus"]):
        store, market, cur, fx = stores[k % len(stores)]
        scale = 150 if cur == "JPY" else 1
        price = round((12 + (k * 37) % 60 + 0.99) * scale, 2)
        cogs = round(price / scale * 7.2 * 0.22, 2)
        skus.append((store, f"SKU-{k:05d}", price, 40 + (k * 13) % 400, 1.0 + ((k * 7) % 9 - 4) / 100))
        ws.write_row(k + 1, 0, (store, f"SKU-{k:05d}", price, cogs, round(cogs * 0.2, 2), 0.05, 0.15,
                                round((3.2 + (k % 5) * 0.6) * scale, 2), round(0.2 * scale, 2), 0.1, 0.03))

    ws = wb.add_worksheet("Sales")
    ws.write_row(0, 0, ("month", "store", "sku", "units", "revenue", "ad_spend"))
    r = 1
    for k, (store, sku, price, base_units, trend) in enumerate(skus):
        months = spec["months"] + (1 if k < spec["extra"] else 0)
        for back in range(months - 1, -1, -1):
            label = month_label(back, spec["last"])
            units = max(0, round(base_units * trend ** (months - back) * SEASON[int(label[5:]) - 1]))
            revenue = round(units * price, 2)
            ws.write_row(r, 0, (label, store, sku, units, revenue, round(revenue * 0.1, 2)))
            r += 1
    wb.close()
    return path


if __name__ == "__main__":
    size = sys.argv[1] if len(sys.argv) > 1 else "mid"
    print(write(size, Path(sys.argv[2]) if len(sys.argv) > 2 else None))
