"""The Stores and SKUs sheets (stores made from Sales when there is no Stores sheet), and the checks of
Sales and FX against them (goalsheet.inputs.validate)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from goalsheet.inputs import schema
from goalsheet.inputs.columns import ProblemSink
from goalsheet.inputs.model import REASON_DEFAULT, Default, Problem, defaults_of
from goalsheet.inputs.schema import SKUS, STORES
from goalsheet.inputs.tables import Grid, Table, closest
from goalsheet.inputs.validate.common import _hint, empty_frame, named
from goalsheet.words import Phrase

# ---------------------------------------------------------------- Stores

def build_stores(table: Table | None, sales: pd.DataFrame | None, sales_grid: Grid | None,
                 problems: list[Problem], defaults: list[Default]) -> pd.DataFrame:
    """Stores with marketplace, currency, monthly_fee and referral_min filled by marketplace defaults."""
    if table is None:
        names = list(dict.fromkeys(sales["store"].tolist())) if len(sales) else []
        frame = pd.DataFrame({c.key: pd.Series([None] * len(names) if c.kind not in ("money", "number", "rate")
                                               else [np.nan] * len(names), dtype=object if c.kind not in
                                               ("money", "number", "rate") else "float64")
                              for c in STORES.columns})
        frame["store"] = pd.Series(names, dtype=object)
        if names:
            problems.append(Problem(sales_grid.name if sales_grid else "", "", severity="warning",
                                    code="no_stores_sheet"))
        positions = {}
    else:
        frame = table.parsed.copy()                # type: ignore[attr-defined]
        positions = {}
        keep = []
        for pos, s in enumerate(frame["store"]):
            if s is None:
                keep.append(False)
                continue
            if s in positions:
                problems.append(Problem(table.sheet, table.cell(pos, "store"), code="store_twice",
                                        args={"store": s, "first": table.cell(positions[s], "store")}))
                keep.append(False)
                continue
            positions[s] = pos
            keep.append(True)
        frame = frame[np.array(keep, dtype=bool)].reset_index(drop=True)
    missing_by_store: dict[str, list[str]] = {}
    rows = []
    for r in frame.to_dict("records"):
        store = r["store"]
        if r["marketplace"] is None:
            r["marketplace"] = "US"
            defaults.append(Default("Stores", store, "marketplace", "US", REASON_DEFAULT))
        m = r["marketplace"]
        if r["currency"] is None:
            cur = schema.MARKET_CURRENCY.get(m)
            if cur is None:
                cur = "USD"
                missing_by_store.setdefault(store, []).append("currency")
            r["currency"] = cur
            defaults.append(Default("Stores", store, "currency", cur, Phrase("reason_marketplace", {"marketplace": m})))
        for key, table_ in (("monthly_fee", schema.MARKET_MONTHLY_FEE),):
            if _blank_num(r[key]):
                value = table_.get(m)
                if value is None:
                    value = 0.0
                    missing_by_store.setdefault(store, []).append(key)
                r[key] = float(value)
                defaults.append(Default("Stores", store, key, float(value), Phrase("reason_marketplace", {"marketplace": m})))
        if _blank_num(r["referral_min"]):
            value = schema.CURRENCY_REFERRAL_MIN.get(r["currency"])
            if value is None:
                value = 0.0
                missing_by_store.setdefault(store, []).append("referral_min")
            r["referral_min"] = float(value)
            defaults.append(Default("Stores", store, "referral_min", float(value),
                                    Phrase("reason_currency", {"currency": r["currency"]})))
        for key, table_ in (("vat_rate", schema.MARKET_VAT), ("dst_rate", schema.MARKET_DST)):
            if m not in table_:
                missing_by_store.setdefault(store, []).append(key)
        rows.append(r)
    for store, keys in missing_by_store.items():
        m = next(r["marketplace"] for r in rows if r["store"] == store)
        where = table.cell(positions[store], "marketplace") if table is not None and "marketplace" in table.columns \
            and store in positions else (table.cell(positions[store], "store") if table is not None and store in
                                         positions else "")
        problems.append(Problem(table.sheet if table is not None else "Stores", where, severity="warning",
                                code="marketplace_no_default",
                                args={"marketplace": m, "store": store, "keys": ", ".join(keys)}))
    out = pd.DataFrame(rows, columns=[c.key for c in STORES.columns])
    for c in STORES.columns:
        if c.kind in ("money", "number", "rate"):
            out[c.key] = out[c.key].astype("float64")
        else:
            out[c.key] = out[c.key].astype(object)
    if table is not None:
        out.attrs["cells"] = {s: table.cell(p, "store") for s, p in positions.items()}
    return out


def _blank_num(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


# ---------------------------------------------------------------- SKUs

def build_skus(table: Table | None, stores: dict, problems: list[Problem],
               defaults: list[Default]) -> pd.DataFrame:
    if table is None:
        return empty_frame(SKUS)
    parsed = table.parsed                          # type: ignore[attr-defined]
    # duplicates
    seen: dict[tuple, int] = {}
    keep = np.ones(len(parsed), dtype=bool)
    for pos, key in enumerate(zip(parsed["store"].tolist(), parsed["sku"].tolist())):
        store, sku = key
        if store is None or sku is None:
            continue
        if key in seen:
            problems.append(Problem(table.sheet, table.cell(pos, "sku"), code="sku_twice",
                                    args={"sku": sku, "store": store, "first": table.cell(seen[key], "sku")}))
            keep[pos] = False
            continue
        seen[key] = pos
        if stores and store not in stores:
            hint = closest("", [store], list(stores))
            problems.append(Problem(table.sheet, table.cell(pos, "store"), code="store_not_in_stores",
                                    args={"store": store, "hint": _hint(hint)}))
    # the columns as arrays (the rows kept), filled, and made into the frame once at the end
    every = bool(keep.all())
    dtypes = {k: parsed[k].dtype for k in parsed.columns}
    columns = {k: parsed[k].to_numpy() if every else parsed[k].to_numpy()[keep] for k in parsed.columns}
    store_col = columns["store"].tolist()
    identity = [f"{a} / {b}" for a, b in zip(store_col, columns["sku"].tolist())]
    for c in SKUS.columns:
        if c.default is None:
            continue
        values = columns[c.key]
        blank = np.isnan(values) if values.dtype.kind == "f" else pd.isna(values)
        if not blank.any():
            continue
        values = values.copy()
        values[blank] = c.default
        columns[c.key] = values
        defaults.extend(defaults_of("SKUs", c.key, ((identity[i], c.default, REASON_DEFAULT)
                                                    for i in np.flatnonzero(blank).tolist())))
    # marketplace defaults and the store's operator
    market = [stores[s].marketplace if s in stores else "US" for s in store_col]
    reason_of = {m: Phrase("reason_marketplace", {"marketplace": m}) for m in set(market)}
    for key, by_market in (("vat_rate", schema.MARKET_VAT), ("dst_rate", schema.MARKET_DST)):
        values = columns[key].astype("float64", copy=True)
        blank = np.flatnonzero(np.isnan(values)).tolist()
        if blank:
            values[blank] = [by_market.get(market[i], 0.0) for i in blank]
            defaults.extend(defaults_of("SKUs", key, zip([identity[i] for i in blank], values[blank].tolist(),
                                                         [reason_of[market[i]] for i in blank])))
        columns[key] = values
    ops = columns["operator"].astype(object, copy=True)
    filled = []
    of_store: dict[str, Phrase] = {}
    for i in np.flatnonzero(pd.isna(ops)).tolist():
        info = stores.get(store_col[i])
        if info is not None and named(info.operator):
            ops[i] = info.operator
            reason = of_store.get(info.store)
            if reason is None:
                reason = of_store[info.store] = Phrase("reason_operator_of_store", {"store": info.store})
            filled.append((identity[i], info.operator, reason))
    defaults.extend(defaults_of("SKUs", "operator", filled))
    columns["operator"] = ops
    dtypes["operator"] = np.dtype(object)
    return pd.DataFrame({k: pd.Series(v, dtype=dtypes[k], copy=False) for k, v in columns.items()})


# ---------------------------------------------------------------- Sales checks

def check_sales(sales: pd.DataFrame, info: dict, table: Table | None, grid: Grid | None, skus: pd.DataFrame,
                skus_table: Table | None, stores: dict, has_stores_sheet: bool, sink: ProblemSink,
                problems: list[Problem], defaults: list[Default]) -> None:
    if grid is None or info.get("form") is None:
        return
    if sales.empty:
        if table is not None and len(table.data):
            problems.append(Problem(grid.name, "", code="sales_no_usable_rows"))
        elif not any(p.sheet == grid.name and p.code in ("sales_no_rows", "sales_no_data") for p in problems):
            problems.append(Problem(grid.name, "", code="sales_no_data"))
        return
    from goalsheet.inputs.sales import first_cell
    known = set(zip(skus["store"], skus["sku"])) if len(skus) else set()
    pairs = info.get("pairs")
    if pairs is None:
        pairs = list(sales[["store", "sku"]].drop_duplicates().itertuples(index=False, name=None))
    reported_stores: set[str] = set()
    for store, sku in pairs:
        if not (has_stores_sheet and store not in stores) and (skus_table is None or (store, sku) in known):
            continue
        cell = first_cell(info, store, sku)
        if has_stores_sheet and store not in stores:
            if store not in reported_stores:
                hint = closest("", [store], list(stores))
                scell = cell.rstrip("0123456789")
                store_cell = (table.grid.a1(0, table.columns["store"]).rstrip("0123456789") + cell[len(scell):]
                              if table is not None and "store" in table.columns and cell else cell)
                problems.append(Problem(grid.name, store_cell, code="store_not_in_stores",
                                        args={"store": store, "hint": _hint(hint)}))
                reported_stores.add(store)
            continue
        if skus_table is not None and (store, sku) not in known:
            problems.append(Problem(grid.name, cell, code="sku_not_in_skus", args={"sku": sku, "store": store}))
    if info.get("units_missing") and len(skus):
        price = {(a, b): p * (1 - (q if q == q else 0)) for a, b, p, q in
                 zip(skus["store"], skus["sku"], skus["price"], skus["promo_rate"])}
        sell = np.array([price.get((a, b), np.nan) for a, b in zip(sales["store"], sales["sku"])])
        sales["units"] = np.round(sales["revenue"].to_numpy() / sell, 2)
        problems.append(Problem(grid.name, "", severity="warning", code="wide_sales_no_units"))
        defaults.append(Default("Sales", Phrase("all_rows"), "units", None, Phrase("reason_no_units")))


def check_fx(stores: pd.DataFrame, table: Table | None, fx: dict, base: str, fx_grid: Grid | None,
             problems: list[Problem]) -> None:
    cells = stores.attrs.get("cells", {})
    reported = set()
    for store, cur in zip(stores["store"], stores["currency"]):
        if cur is None or cur in fx or cur in reported:
            continue
        reported.add(cur)
        where_sheet = table.sheet if table is not None else (fx_grid.name if fx_grid else "FX")
        where = ""
        if table is not None and store in cells:
            where = (table.grid.a1(0, table.columns["currency"]).rstrip("0123456789") + cells[store].lstrip(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZ")) if "currency" in table.columns else cells[store]
        problems.append(Problem(where_sheet, where, code="store_currency_no_rate",
                                args={"store": store, "currency": cur, "base": base}))
