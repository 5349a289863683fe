"""Seller workbooks with actual months of the plan year, built for the tests from the shipped sample.

`sample_with_actuals(path, months)` copies `sample_workbooks/demo_seller.xlsx` (plan_year 2026, history
2023-07 .. 2025-12) and appends Sales rows for the given months of 2026: each SKU's row of the same month a
year earlier, its units and revenue scaled by a store factor (US 1.25, UK 1.12, DE 1.20: against the plan's
growth, the US a little ahead, the UK behind, DE about on plan), so the actuals are realistic and differ by
store (discontinued SKUs sell nothing).  It returns the rows appended, so a test can add them up
independently of goalsheet.
"""
from __future__ import annotations

from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_workbooks" / "demo_seller.xlsx"
SAMPLE_ZH = ROOT / "sample_workbooks" / "demo_seller_zh.xlsx"
STORE_FACTOR = {"Lumos US": 1.25, "Lumos UK": 1.12, "Lumos DE": 1.20}
NEW_SKU, NEW_SKU_PRICE, NEW_SKU_UNITS = "LM-FL21", 49.99, 340
FX = {"Lumos US": 7.10, "Lumos UK": 9.40, "Lumos DE": 8.25}      # the sample's FX sheet (CNY per unit)


def sample_with_actuals(path: Path, months: tuple[str, ...] = ("2026-01", "2026-02"),
                        factor: dict[str, float] | None = None, source: Path = SAMPLE,
                        settings: dict[str, object] | None = None,
                        price_factor: float | None = None, new_sku_from: str | None = None) -> list[dict]:
    """Write the sample with actual Sales rows for `months` to `path`; return the appended rows as dicts
    (month, store, sku, units, revenue, ad_spend).  `settings` overrides Settings values; `price_factor`
    scales every SKU price (a mid-year price change); `new_sku_from` ('2026-03') adds a new product to
    Lumos US (NEW_SKU, a SKUs row copied from LM-DL01) that sells NEW_SKU_UNITS a month from that month."""
    factor = factor or STORE_FACTOR
    wb = openpyxl.load_workbook(source)
    ws = wb["Sales"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]
    sk = wb["SKUs"]
    sk_head = [c.value for c in sk[1]]
    gone = {(r[0], r[1]) for r in sk.iter_rows(min_row=2, values_only=True)
            if r[sk_head.index("status")] == "discontinued"}        # a discontinued SKU sells no more
    added = []
    for month in months:
        year_before = f"{int(month[:4]) - 1}-{month[5:7]}"
        for r in rows:
            if str(r["month"])[:7] != year_before or (r["store"], r["sku"]) in gone:
                continue
            f = factor.get(r["store"], 1.0)
            units = round(r["units"] * f)
            revenue = round(r["revenue"] * f, 2)
            ad = round((r.get("ad_spend") or 0.0) * f, 2)
            new = {"month": month, "store": r["store"], "sku": r["sku"], "units": units, "revenue": revenue,
                   "ad_spend": ad}
            ws.append([new.get(h) for h in header])
            added.append(new)
    if new_sku_from is not None:
        sk = wb["SKUs"]
        head = [c.value for c in sk[1]]
        model = next(r for r in sk.iter_rows(min_row=2, values_only=True) if r[0] == "Lumos US" and r[1] == "LM-DL01")
        row = dict(zip(head, model), sku=NEW_SKU, name="LED floor lamp, dimmable", price=NEW_SKU_PRICE,
                   launch_month=new_sku_from)
        sk.append([row.get(h) for h in head])
        for month in months:
            if month >= new_sku_from:
                new = {"month": month, "store": "Lumos US", "sku": NEW_SKU, "units": NEW_SKU_UNITS,
                       "revenue": round(NEW_SKU_UNITS * NEW_SKU_PRICE, 2), "ad_spend": 2500.0}
                ws.append([new.get(h) for h in header])
                added.append(new)
    if settings:
        st = wb["Settings"]
        for row in st.iter_rows(min_row=2):
            if row[0].value in settings:
                row[1].value = settings[row[0].value]
    if price_factor is not None:
        sk = wb["SKUs"]
        head = [c.value for c in sk[1]]
        col = head.index("price")
        for row in sk.iter_rows(min_row=2):
            if isinstance(row[col].value, (int, float)):
                row[col].value = round(row[col].value * price_factor, 2)
    wb.save(path)
    return added
