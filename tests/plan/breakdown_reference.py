"""SPEC 3.7's split of a store-month target over its operators, stated with long pandas frames (one row per month
× store × operator): the reference the planner's `cells.operator_cells` is held to, to the cent
(tests/plan/test_cells.py), and the hand-worked share tests (tests/plan/test_breakdown.py)."""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd


def operator_shares(existing: pd.DataFrame, launches: pd.DataFrame | None = None,
                    store_operators: Mapping[str, Sequence[str]] | None = None,
                    months: Sequence[str] | None = None) -> pd.DataFrame:
    """Each operator's share of a store-month target (SPEC 3.7).

    share = (their SKUs' existing forecast + their launches' contribution there)
            / (the store's existing forecast + launch contributions there),
    so the operators add up to the store.  A store-month where that total is 0 (a
    store with no forecast and no launch that month) is split equally over the
    store's operators, so its target still lands on someone.
    """
    frames = [f[["month", "store", "operator", "sales"]] for f in (existing, launches)
              if f is not None and len(f)]
    contrib = (pd.concat(frames, ignore_index=True) if frames
               else pd.DataFrame({"month": [], "store": [], "operator": [], "sales": []}))
    stores: list[str] = list(store_operators) if store_operators else []
    operators: dict[str, list[str]] = {s: list(dict.fromkeys(store_operators[s])) for s in stores}
    for store, operator in zip(contrib["store"], contrib["operator"]):
        if store not in operators:
            stores.append(store)
            operators[store] = []
        if operator not in operators[store]:
            operators[store].append(operator)   # a contributor the caller did not list still gets their share
    month_list = list(dict.fromkeys(months)) if months is not None else list(pd.unique(contrib["month"]))
    grid = pd.DataFrame([(m, s, o) for m in month_list for s in stores for o in operators[s]],
                        columns=["month", "store", "operator"])
    sums = contrib.groupby(["month", "store", "operator"], sort=False)["sales"].sum()
    grid["sales"] = sums.reindex(pd.MultiIndex.from_frame(grid[["month", "store", "operator"]])).fillna(0.0).to_numpy(float) \
        if len(grid) else np.zeros(0)
    store_total = grid.groupby(["month", "store"], sort=False)["sales"].transform("sum")
    n_ops = grid.groupby(["month", "store"], sort=False)["sales"].transform("size")
    zero = np.isclose(store_total.to_numpy(float), 0.0, atol=1e-9)
    grid["share"] = np.where(zero, 1.0 / n_ops.to_numpy(float),
                             grid["sales"].to_numpy(float) / np.where(zero, 1.0, store_total.to_numpy(float)))
    return grid[["month", "store", "operator", "share"]]


def split_store_targets(store_targets: pd.DataFrame, shares: pd.DataFrame) -> pd.DataFrame:
    """Store-month targets split over operators by `operator_shares`: value = target × share."""
    merged = shares.merge(store_targets[["month", "store", "target"]], on=["month", "store"], how="left",
                          validate="many_to_one")
    covered = set(zip(shares["month"], shares["store"]))
    orphans = [(m, s) for m, s in zip(store_targets["month"], store_targets["store"]) if (m, s) not in covered]
    if orphans:
        raise ValueError(f"split_store_targets: no operator shares for {orphans[:5]}")
    merged["value"] = merged["target"].fillna(0.0) * merged["share"]
    return merged[["month", "store", "operator", "value"]]
