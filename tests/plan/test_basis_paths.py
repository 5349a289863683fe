"""The basis' faster paths against the code they replace, kept here as the reference: the same frames to the last
bit, the same columns, order and dtypes (unit economics and their base-currency twins, the new products' medians)."""
from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_book import golden_book, sample_book  # noqa: E402

from goalsheet.plan import launches as nl  # noqa: E402
from goalsheet.plan import unit_economics as ue  # noqa: E402
from goalsheet.plan.engine import build_basis  # noqa: E402


def _sample_odd_values():
    """The sample with blanks, ties, zeros of both signs and an even count of SKUs in the stores' medians."""
    book = sample_book()
    skus = book.skus.copy()
    rng = np.random.default_rng(11)
    for col in ("fba_fee", "storage_fee", "other_cost", "freight"):
        if col in skus:
            v = pd.to_numeric(skus[col], errors="coerce").to_numpy(dtype=float).copy()
            v[rng.random(len(v)) < 0.3] = np.nan
            v[rng.random(len(v)) < 0.2] = 0.0
            skus[col] = v
    if "placement_fee" in skus:
        v = np.zeros(len(skus))
        v[::2] = -0.0
        skus["placement_fee"] = v
    return dataclasses.replace(book, skus=skus.iloc[: len(skus) - 1].reset_index(drop=True))


SELLERS = {"golden": golden_book, "sample": sample_book, "sample, odd values": _sample_odd_values}


@pytest.fixture(scope="module", params=list(SELLERS))
def basis(request):
    return build_basis(SELLERS[request.param]())


# ---- the reference: the code as it was ----

def _unit_economics_reference(products: pd.DataFrame) -> pd.DataFrame:
    p = products.copy()
    f = lambda c: p[c].to_numpy(dtype=float)          # noqa: E731
    p["sell_price"] = ue.sell_price(f("price"), f("promo_rate"))
    p["promotion"] = f("price") - f("sell_price")
    p["net_price"] = ue.net_price(f("sell_price"), f("vat_rate"))
    p["vat"] = f("sell_price") - f("net_price")
    p["referral"] = ue.referral(f("referral_rate"), f("sell_price"), f("referral_min"))
    p["landed"] = ue.landed(f("cogs"), f("freight"), f("fx"))
    p["customs_value"] = ue.customs_value(f("cogs"), f("freight"), p["customs_fob"].to_numpy(dtype=bool))
    p["duty"] = ue.duty(f("duty_rate"), f("customs_value"), f("fx"))
    p["dst"] = ue.dst(f("dst_rate"), f("referral"), f("fba_fee"), f("storage_fee"), f("placement_fee"))
    p["ads"] = ue.ads(f("ad_rate"), f("sell_price"))
    given = p["return_cost"].notna().to_numpy()
    p["return_cost_given"] = given
    p["return_cost"] = np.where(given, f("return_cost"),
                                ue.return_cost_default(f("net_price"), f("referral"), f("admin_fee_cap"),
                                                       f("landed"), f("duty")))
    p["returns"] = ue.returns(f("return_rate"), f("return_cost"))
    p["payout_fee"] = ue.payout_fee(f("payout_fee_rate"), f("net_price"), f("referral"), f("fba_fee"),
                                    f("storage_fee"), f("placement_fee"), f("dst"))
    p["unit_net"] = ue.unit_net(f("net_price"), f("referral"), f("fba_fee"), f("storage_fee"), f("placement_fee"),
                                f("dst"), f("landed"), f("duty"), f("ads"), f("returns"), f("other_cost"),
                                f("payout_fee"))
    p["net_margin"] = ue.net_margin(f("unit_net"), f("net_price"))
    p["loss_making"] = f("unit_net") < 0
    p["low_margin"] = f("net_margin") < ue.LOW_MARGIN
    p["ads_heavy"] = ue.ads_heavy(f("ads"), f("unit_net"))
    return p


def _in_base_currency_reference(econ: pd.DataFrame) -> pd.DataFrame:
    out = econ.copy()
    fx = out["fx"].to_numpy(dtype=float)
    for term in ue.MONEY_TERMS:
        out[f"{term}_base"] = out[term].to_numpy(dtype=float) * fx
    return out


def _median_reference(values: np.ndarray) -> float:
    """The median of the values given (blanks left out, as pandas' median does); NaN when none is."""
    values = values[~np.isnan(values)]
    return float(np.median(values)) if len(values) else np.nan


def _store_medians_reference(sku_econ: pd.DataFrame, store_params: pd.DataFrame) -> pd.DataFrame:
    src = sku_econ.copy()
    src["landed_cost"] = src["cogs"] + src["freight"]
    rows = []
    store_codes, store_names = pd.factorize(src["store"].to_numpy(dtype=object))
    existing = src["existing"].to_numpy(dtype=bool)
    at = {name: j for j, name in enumerate(store_names)}
    columns = {f: pd.to_numeric(src[f], errors="coerce").to_numpy(dtype=float) for f in nl.MEDIAN_FIELDS}
    for store in store_params["store"]:
        j = at.get(store)
        mine = store_codes == j if j is not None else np.zeros(len(src), dtype=bool)
        own = np.flatnonzero(mine & existing)
        if not len(own):
            own = np.flatnonzero(mine)
        med = {f: _median_reference(columns[f][own]) for f in nl.MEDIAN_FIELDS}
        rows.append({"store": store, **{f"median_{k}": v for k, v in med.items()}})
    return store_params.merge(pd.DataFrame(rows), on="store", how="left", sort=False)


def _same(fast: pd.DataFrame, ref: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(fast, ref, check_exact=True)
    assert list(fast.columns) == list(ref.columns)
    for c in fast.columns:
        a, b = fast[c].to_numpy(), ref[c].to_numpy()
        if a.dtype.kind == "f":
            assert np.array_equal(a.view(np.int64), b.view(np.int64)), c       # to the last bit, signs of zero too


# ---- the tests ----

def _products(basis):
    b = basis.book
    skus = b.skus.copy()
    if "operator" not in skus:
        skus["operator"] = None
    ad_rates = ue.effective_ad_rate(b.sales, basis.calendar.last_history_months(3))
    return ue.sku_products(skus, basis.store_params, ad_rates, 0.01)


def test_unit_economics_is_the_reference(basis):
    products = _products(basis)
    fast = ue.unit_economics(products)
    _same(fast, _unit_economics_reference(products))
    _same(ue.in_base_currency(fast), _in_base_currency_reference(fast))


def test_unit_economics_over_its_own_columns_and_an_odd_index(basis):
    # a frame that has every term already (a launch re-costed), with an index neither ranged nor unique
    products = ue.in_base_currency(ue.unit_economics(_products(basis)))
    products.index = [i // 2 for i in range(len(products))]
    products["price"] = products["price"] * 1.1
    _same(ue.unit_economics(products), _unit_economics_reference(products))
    _same(ue.in_base_currency(products), _in_base_currency_reference(products))


def test_basis_econ_and_new_products(basis):
    econ = basis.econ
    _same(ue.in_base_currency(ue.unit_economics(econ)),
          _in_base_currency_reference(_unit_economics_reference(econ)))
    fast = nl._with_store_medians(basis.store_params, nl._store_medians(econ, basis.store_params["store"]))
    _same(fast, _store_medians_reference(econ, basis.store_params))


def test_column_medians_hand_worked():
    block = np.array([[3.0, np.nan, 1.0, np.nan],
                      [1.0, 2.0, 1.0, np.nan],
                      [2.0, 5.0, 4.0, np.nan],
                      [10.0, np.nan, 3.0, np.nan]])
    got = nl._column_medians(block)
    assert got[:3] == [2.5, 3.5, 2.0] and np.isnan(got[3])
    assert all(np.isnan(nl._column_medians(block[:0])))


def test_column_medians_are_np_median_of_each_column():
    """Signed zeros, ties and blanks: each column's median is np.median of its known values, zero signs too."""
    rng = np.random.default_rng(11)
    for i in range(600):
        choices = [0.0, -0.0, 1.0, -1.0, 2.5] + ([np.nan] if i % 2 else [])      # every other block no blank
        block = rng.choice(choices, size=(int(rng.integers(1, 30)), 5))
        got = nl._column_medians(block)
        for c in range(block.shape[1]):
            want = _median_reference(block[:, c])
            assert (np.isnan(got[c]) and np.isnan(want)) or (got[c] == want and
                                                              np.signbit(got[c]) == np.signbit(want))
