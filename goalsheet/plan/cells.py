"""The finest cells, month × store × operator (SPEC 3.7): each store-month's target split over its operators,
the targets rounded to the cent by largest remainder, and every total a sum of rounded cells."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from goalsheet.inputs.model import SellerBook
from goalsheet.plan import breakdown as bd
from goalsheet.plan.basis import Basis, Derived
from goalsheet.plan.launches import UNASSIGNED
from goalsheet.plan.profit import store_costs


def operator_cells(basis: Basis, d: Derived) -> pd.DataFrame:
    """The finest cells with their target (value) and existing forecast at full precision (3.7).

    An operator's share of a store-month = (their SKUs' existing forecast + their launches'
    contribution there) / the store's.

    Made over arrays, every sum pandas' group sum over the (store, operator) rows in their order with the group
    ids a groupby gives them (pandas adds sorted groups plainly and others compensated, so the ids matter): the
    same figures, bit for bit, as the long frames of `operator_shares` and `split_store_targets` (the reference in
    tests/plan/breakdown_reference.py, held to in test_array_paths.py).  A SKU whose store or operator is blank
    counts in no cell, as the groupby leaves it out (build_basis names a SKU with no operator, and no store
    operator, "(unassigned)", so a validated book has none)."""
    pc = basis.plan_cols
    months = list(basis.calendar.plan_months)
    econ = basis.econ
    lt = d.launches.table
    sku_store, sku_op = econ["store"], econ["operator"]
    l_store = lt["store"] if len(lt) else None
    l_op = lt["operator"].fillna(UNASSIGNED) if len(lt) else None
    if len(months) != len(pc):
        raise ValueError("operator_cells: plan_cols are not the plan months' columns (a Basis invariant)")
    n_m = len(months)
    ads = basis.E_units_sku[:, pc] * econ["ads_base"].to_numpy(float)[:, None]
    sku_pairs, sku_sums = _pair_sums(sku_store, sku_op,
                                     [basis.E_sku[:, pc], basis.P_sku[:, pc], basis.E_units_sku[:, pc], ads])
    if len(lt):
        launch_pairs, launch_sums = _pair_sums(l_store, l_op, [d.launches.monthly[:, pc]])
    else:
        launch_pairs, launch_sums = [], np.zeros((0, n_m))
    stores = list(basis.stores)
    s_index = {s: i for i, s in enumerate(stores)}
    if any(s not in s_index for s, _ in sku_pairs + launch_pairs):
        raise ValueError("operator_cells: a SKU or launch of a store not on the Stores sheet (validation refuses it)")
    # each store's operators: the listed ones, then any contributor not listed (as the reference's operator_shares)
    ops = {s: list(dict.fromkeys(basis.operators.get(s) or [UNASSIGNED])) for s in stores}
    for s, o in sku_pairs + launch_pairs:
        if o not in ops[s]:
            ops[s].append(o)
    pairs = [(s, o) for s in stores for o in ops[s]]
    n_p = len(pairs)
    pair_at = {p: i for i, p in enumerate(pairs)}
    # a pair's sales in a month: pandas' group sum over its SKUs' sum, then its launches' (the frames' rows in
    # their order, grouped as they were: the same ids, so the same summation, whichever way pandas adds)
    sku_rows = np.array([pair_at[p] for p in sku_pairs], dtype=np.intp)
    l_rows = np.array([pair_at[p] for p in launch_pairs], dtype=np.intp)
    month_ix = np.arange(n_m)
    key = np.concatenate([(sku_rows[:, None] + month_ix[None, :] * n_p).reshape(-1),
                          (l_rows[:, None] + month_ix[None, :] * n_p).reshape(-1)])
    codes, uniques = pd.factorize(key)
    got = pd.Series(np.concatenate([sku_sums[:, :n_m].reshape(-1), launch_sums.reshape(-1)])) \
        .groupby(codes, sort=True).sum().to_numpy(dtype=float)
    sales_cells = np.zeros(n_m * n_p)                                # month-major cells; absent: 0
    sales_cells[uniques] = got
    # the store-month total over its operators, and how many they are
    n_ops = np.array([len(ops[s]) for s in stores])
    store_of_pair = np.repeat(np.arange(len(stores)), n_ops)
    store_month = (month_ix[:, None] * len(stores) + store_of_pair[None, :]).reshape(-1)
    total_cells = pd.Series(sales_cells).groupby(store_month, sort=True).transform("sum").to_numpy(dtype=float)
    sales = sales_cells.reshape(n_m, n_p).T
    total_p = total_cells.reshape(n_m, n_p).T
    s_pos_p = store_of_pair
    zero = np.isclose(total_p, 0.0, atol=1e-9)
    share = np.where(zero, 1.0 / n_ops[s_pos_p].astype(float)[:, None], sales / np.where(zero, 1.0, total_p))
    value = d.T[s_pos_p] * share

    def existing(col: int) -> np.ndarray:
        """The SKUs' sum of block `col` per pair (0 for a pair without SKUs), as the frames' re-grouping gives it."""
        out = np.zeros((n_p, n_m))
        v = sku_sums[:, col * n_m:(col + 1) * n_m]
        if np.isnan(v).any() or (np.signbit(v) & (v == 0)).any():
            # a group of one value is that value, but for a blank or a −0.0 pandas' way of adding matters
            v = pd.Series(v.reshape(-1)).groupby(np.arange(v.size), sort=True).sum().to_numpy(float).reshape(v.shape)
        out[sku_rows] = v
        return out

    # month-major cells: month, then store, then operator (the reference operator_shares' grid)
    def cell(a: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(a.T).reshape(-1)

    s_pos = np.tile(s_pos_p, n_m)
    m_pos = np.repeat(np.arange(n_m), n_p)
    cells = pd.DataFrame({"month": np.repeat(np.array(months, dtype=object), n_p).tolist(),
                          "store": [p[0] for p in pairs] * n_m, "operator": [p[1] for p in pairs] * n_m,
                          "value": cell(value), "share": cell(share), "existing": cell(existing(0)),
                          "existing_profit": cell(existing(1)), "existing_units": cell(existing(2)),
                          "existing_ads": cell(existing(3))})
    share_c = cells["share"].to_numpy()
    new = cells["value"].to_numpy() - cells["existing"].to_numpy()
    cells["new"] = new
    cells["new_profit"] = new * d.profit_rate[s_pos, m_pos]
    cells["new_units"] = new * d.units_rate[s_pos, m_pos]
    cells["new_ads"] = new * d.ads_rate[s_pos, m_pos]
    cells["store_costs"] = store_costs(basis, d)[s_pos, m_pos] * share_c
    return cells


def _pair_sums(store: pd.Series, operator: pd.Series, blocks: list[np.ndarray]) -> tuple[list[tuple], np.ndarray]:
    """The (store, operator) pairs in order of first appearance and each block's rows summed per pair (the blocks
    side by side), as `df.groupby(["store", "operator"], sort=False)[block columns].sum()` gives them: pandas'
    group sum over the same rows with the same group ids (one call for all blocks unless one holds a blank,
    which changes how pandas adds: then one call per block, as the frames made them).  A row whose store or
    operator is blank is in no pair: its group id is blank, so pandas drops it just as that groupby does."""
    s_codes, s_names = pd.factorize(store.to_numpy(dtype=object))
    o_codes, o_names = pd.factorize(operator.to_numpy(dtype=object))
    width = max(len(o_names), 1)
    keyed = (s_codes >= 0) & (o_codes >= 0)
    key = s_codes.astype(np.int64) * width + o_codes
    if keyed.all():
        codes, uniques = pd.factorize(key)
        ids: np.ndarray = codes
    else:
        codes, uniques = pd.factorize(key[keyed])
        ids = np.full(len(key), np.nan)
        ids[keyed] = codes
    pairs = [(s_names[u // width], o_names[u % width]) for u in uniques]
    if any(np.isnan(b).any() for b in blocks):
        parts = [pd.DataFrame(np.ascontiguousarray(b)).groupby(ids, sort=True).sum().to_numpy(dtype=float)
                 for b in blocks]
        return pairs, np.hstack(parts)
    return pairs, pd.DataFrame(np.hstack(blocks)).groupby(ids, sort=True).sum().to_numpy(dtype=float)


def operator_salaries(book: SellerBook, cells: pd.DataFrame) -> pd.DataFrame:
    """operator, monthly salary (Team base_salary; 0 for operators not on the Team sheet)."""
    ops = list(dict.fromkeys(list(book.team["operator"].astype(str)) if len(book.team) else []))
    ops += [o for o in pd.unique(cells["operator"]) if o not in ops]
    pay = {}
    if len(book.team):
        for o, s in zip(book.team["operator"].astype(str), pd.to_numeric(book.team.get("base_salary", 0.0),
                                                                         errors="coerce")):
            pay[o] = pay.get(o, 0.0) + (0.0 if np.isnan(s) else float(s))
    return pd.DataFrame({"operator": ops, "monthly_salary": [pay.get(o, 0.0) for o in ops]})


@dataclass
class RoundedCells:
    """The finest cells (`operator_cells`) with their targets rounded to the cent (`rounded`, 3.7), the existing
    forecast rounded the same way (`existing_rounded`) and the new products' part (`new_rounded`), and the
    rollups of both (`breakdown.rollups`: month, store, operator, ... and the company total)."""
    cells: pd.DataFrame
    sums: dict
    ex_sums: dict


def rounded_cells(basis: Basis, d: Derived, decimals: int) -> RoundedCells:
    cells = bd.breakdown_cells(operator_cells(basis, d), decimals)
    existing_cells = bd.breakdown_cells(cells[["month", "store", "operator"]].assign(value=cells["existing"]),
                                        decimals)
    cells["existing_rounded"] = existing_cells["rounded"].to_numpy()
    cells["new_rounded"] = np.round(cells["rounded"] - cells["existing_rounded"], decimals)
    return RoundedCells(cells, bd.rollups(cells, "rounded", decimals), bd.rollups(cells, "existing_rounded", decimals))


def cell_profit(cells: pd.DataFrame) -> pd.Series:
    """Each cell's net profit before salaries and bonuses (3.2, 3.8): its existing and new products' profit less
    its share of the store's costs."""
    return cells["existing_profit"] + cells["new_profit"] - cells["store_costs"]
