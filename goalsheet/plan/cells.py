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
    """The finest cells with their target (value) and existing forecast at full precision (3.7), month-major
    (month, then store, then operator).

    An operator's share of a store-month = (their SKUs' existing forecast + their launches'
    contribution there) / the store's; equal shares where the store has nothing there.  A store's operators are
    its listed ones, then anyone else with SKUs or launches there.  A SKU whose store or operator is blank counts
    in no cell (build_basis names a SKU with no operator, and no store operator, "(unassigned)", so a validated
    book has none)."""
    pc = basis.plan_cols
    months = list(basis.calendar.plan_months)
    if len(months) != len(pc):
        raise ValueError("operator_cells: plan_cols are not the plan months' columns (a Basis invariant)")
    n_m = len(months)
    econ = basis.econ
    ads = basis.E_units_sku[:, pc] * econ["ads_base"].to_numpy(float)[:, None]
    sku = _pair_sums(econ["store"], econ["operator"],
                     np.hstack([basis.E_sku[:, pc], basis.P_sku[:, pc], basis.E_units_sku[:, pc], ads]))
    lt = d.launches.table
    launch = _pair_sums(lt["store"], lt["operator"].fillna(UNASSIGNED), d.launches.monthly[:, pc]) if len(lt) \
        else pd.DataFrame(np.zeros((0, n_m)), index=pd.MultiIndex.from_arrays([[], []], names=["store", "operator"]))
    stores = list(basis.stores)
    contributors = list(sku.index) + list(launch.index)
    if any(s not in set(stores) for s, _ in contributors):
        raise ValueError("operator_cells: a SKU or launch of a store not on the Stores sheet (validation refuses it)")
    ops = {s: list(dict.fromkeys(basis.operators.get(s) or [UNASSIGNED])) for s in stores}
    for s, o in contributors:
        if o not in ops[s]:
            ops[s].append(o)
    pairs = pd.MultiIndex.from_tuples([(s, o) for s in stores for o in ops[s]], names=["store", "operator"])
    n_p = len(pairs)
    sku = sku.reindex(pairs, fill_value=0.0).to_numpy(float)           # pair × (4 blocks of the plan months)
    sales = sku[:, :n_m] + launch.reindex(pairs, fill_value=0.0).to_numpy(float)
    n_ops = np.array([len(ops[s]) for s in stores])
    s_pos_p = np.repeat(np.arange(len(stores)), n_ops)                 # each pair's store
    total = np.zeros((len(stores), n_m))
    np.add.at(total, s_pos_p, sales)
    total_p = total[s_pos_p]
    zero = np.isclose(total_p, 0.0, atol=1e-9)
    share = np.where(zero, 1.0 / n_ops[s_pos_p].astype(float)[:, None], sales / np.where(zero, 1.0, total_p))
    value = d.T[s_pos_p] * share

    def cell(a: np.ndarray) -> np.ndarray:
        """(pair × month) as the month-major cells."""
        return np.ascontiguousarray(a.T).reshape(-1)

    s_pos = np.tile(s_pos_p, n_m)
    m_pos = np.repeat(np.arange(n_m), n_p)
    cells = pd.DataFrame({"month": np.repeat(np.array(months, dtype=object), n_p).tolist(),
                          "store": [p[0] for p in pairs] * n_m, "operator": [p[1] for p in pairs] * n_m,
                          "value": cell(value), "share": cell(share), "existing": cell(sku[:, :n_m]),
                          "existing_profit": cell(sku[:, n_m:2 * n_m]),
                          "existing_units": cell(sku[:, 2 * n_m:3 * n_m]), "existing_ads": cell(sku[:, 3 * n_m:])})
    share_c = cells["share"].to_numpy()
    new = cells["value"].to_numpy() - cells["existing"].to_numpy()
    cells["new"] = new
    cells["new_profit"] = new * d.profit_rate[s_pos, m_pos]
    cells["new_units"] = new * d.units_rate[s_pos, m_pos]
    cells["new_ads"] = new * d.ads_rate[s_pos, m_pos]
    cells["store_costs"] = store_costs(basis, d)[s_pos, m_pos] * share_c
    return cells


def _pair_sums(store: pd.Series, operator: pd.Series, values: np.ndarray) -> pd.DataFrame:
    """`values`' rows summed per (store, operator), in order of first appearance; a row whose store or operator
    is blank is in no pair."""
    keys = [pd.Series(store.to_numpy(dtype=object), name="store"),
            pd.Series(operator.to_numpy(dtype=object), name="operator")]
    return pd.DataFrame(values).groupby(keys, sort=False).sum()


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
