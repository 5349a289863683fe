"""The golden seller as a SellerBook for the planner's tests (and `sample_book`, the sample workbook loaded).

Uses `goalsheet.inputs.from_rows` when the reader provides it; until then (and as a
cross-check) builds the book directly from `golden_sheets()` with pandas, applying the
constant and marketplace defaults the reader applies.  Not a workbook reader: it knows
only the golden seller's clean English rows.
"""
from __future__ import annotations

import dataclasses
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from goalsheet.inputs import schema
from goalsheet.inputs.model import SellerBook

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
SAMPLE = Path(__file__).resolve().parents[2] / "sample_workbooks" / "demo_seller.xlsx"


def golden_sheets() -> dict[str, list[list]]:
    spec = importlib.util.spec_from_file_location("make_golden", GOLDEN / "make_golden.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_golden", mod)
    spec.loader.exec_module(mod)
    return mod.golden_sheets()


def frame(rows: list[list]) -> pd.DataFrame:
    return pd.DataFrame(rows[1:], columns=rows[0]).astype(object)


def book_from_sheets(sheets: dict[str, list[list]]) -> SellerBook:
    """A SellerBook from clean rows (canonical headers, numbers as numbers)."""
    try:
        from goalsheet.inputs import from_rows  # the reader, once it lands
        book, problems = _call_from_rows(from_rows, sheets)
        if book is not None:
            return book
    except ImportError:
        pass
    return manual_book(sheets)


def _call_from_rows(from_rows, sheets):
    out = from_rows(sheets)
    return out if isinstance(out, tuple) else (out, [])


def manual_book(sheets: dict[str, list[list]]) -> SellerBook:
    settings = {c.key: c.default for c in schema.SETTINGS.columns if c.default is not None}
    for key, value, *_ in sheets["Settings"][1:]:
        settings[key] = value
    sales = frame(sheets["Sales"])
    for c in ("units", "revenue", "ad_spend", "refunds"):
        sales[c] = pd.to_numeric(sales[c], errors="coerce").fillna(0.0).astype(float) if c in sales else 0.0
    sales = sales.groupby(["month", "store", "sku"], as_index=False, sort=True)[
        ["units", "revenue", "ad_spend", "refunds"]].sum()
    skus = frame(sheets["SKUs"])
    for c in schema.SKUS.columns:
        if c.key not in skus:
            skus[c.key] = None
        if c.kind in ("money", "rate", "number"):
            skus[c.key] = pd.to_numeric(skus[c.key], errors="coerce").astype(float)
            if c.default is not None:
                skus[c.key] = skus[c.key].fillna(c.default)
    stores = frame(sheets["Stores"]) if "Stores" in sheets else pd.DataFrame(
        {"store": pd.unique(sales["store"]), "marketplace": "US"})
    for c in schema.STORES.columns:
        if c.key not in stores:
            stores[c.key] = None
    stores["currency"] = stores["currency"].where(stores["currency"].notna(),
                                                  stores["marketplace"].map(schema.MARKET_CURRENCY))
    for c in ("monthly_fee", "monthly_growth", "referral_min", "new_price"):
        stores[c] = pd.to_numeric(stores[c], errors="coerce").astype(float)
    stores["monthly_fee"] = stores["monthly_fee"].fillna(stores["marketplace"].map(schema.MARKET_MONTHLY_FEE))
    stores["referral_min"] = stores["referral_min"].fillna(stores["currency"].map(schema.CURRENCY_REFERRAL_MIN))
    # SKU defaults by marketplace and by the store's operator
    market = dict(zip(stores["store"], stores["marketplace"]))
    op = dict(zip(stores["store"], stores["operator"]))
    skus["vat_rate"] = skus["vat_rate"].fillna(skus["store"].map(market).map(schema.MARKET_VAT))
    skus["dst_rate"] = skus["dst_rate"].fillna(skus["store"].map(market).map(schema.MARKET_DST))
    skus["operator"] = skus["operator"].where(skus["operator"].notna(), skus["store"].map(op))
    fx = {settings["base_currency"]: 1.0}
    fx.update({r[0]: float(r[1]) for r in sheets.get("FX", [[]])[1:]})
    team = frame(sheets["Team"]) if "Team" in sheets else pd.DataFrame(columns=["operator", "base_salary",
                                                                                "bonus_base"])
    launches = frame(sheets["Launches"]) if "Launches" in sheets else pd.DataFrame(
        columns=["launch_month", "store", "operator", "count", "price", "monthly_units", "unit_cost"])
    for c in ("price", "monthly_units", "unit_cost"):
        if c not in launches:
            launches[c] = np.nan
    expenses = frame(sheets["Expenses"]) if "Expenses" in sheets else pd.DataFrame(
        columns=["item", "monthly_amount", "store", "months"])
    expenses["months"] = [_months(v) for v in expenses["months"]]
    bonus = frame(sheets["Bonus"]) if "Bonus" in sheets else pd.DataFrame(
        columns=["period", "metric", "from", "to", "rate", "mode", "cap", "weight"])
    for c in ("from", "to", "rate", "cap", "weight"):
        bonus[c] = pd.to_numeric(bonus[c], errors="coerce").astype(float)
    return SellerBook(settings=settings, sales=sales, skus=skus, stores=stores, fx=fx, team=team,
                      launches=launches, expenses=expenses, bonus=bonus, source_name="golden_seller.xlsx")


def _months(v) -> tuple[int, ...]:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return tuple(range(1, 13))
    s = str(v)
    if "-" in s:
        a, b = s.split("-")
        return tuple(range(int(a), int(b) + 1))
    return tuple(int(x) for x in s.split(","))


def golden_book() -> SellerBook:
    return book_from_sheets(golden_sheets())


def sample_book() -> SellerBook:
    """The sample workbook (sample_workbooks/demo_seller.xlsx) as the reader loads it, a fresh book each call."""
    from goalsheet.inputs import load
    book, problems = load(SAMPLE)
    assert book is not None, problems
    return book


def sample_shuffled_operators() -> SellerBook:
    """The sample with its SKUs' operators shuffled over the team and an operator of its own on one store's
    SKUs, so stores have several operators, in orders that differ from store to store."""
    book = sample_book()
    skus = book.skus.copy()
    rng = np.random.default_rng(7)
    names = list(dict.fromkeys([*book.stores.get("operator", pd.Series(dtype=object)).dropna().astype(str),
                                "Extra A", "Extra B"]))
    skus["operator"] = [names[i] for i in rng.integers(0, len(names), len(skus))]
    return dataclasses.replace(book, skus=skus)
