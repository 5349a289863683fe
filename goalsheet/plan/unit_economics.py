"""Net profit per unit (SPEC.md 3.2), vectorised over a frame of products.

One function per formula of 3.2, each with the SPEC's name, so the code reads line by
line against the SPEC.  `unit_economics(products)` applies them to a frame with one row
per product (the SKUs, or a store's new product of 3.5) and returns every term as its
own column in store currency; `in_base_currency` adds the `_base` twin of each money
column.  Flags (3.3): loss-making, net margin under 10 %, ads heavy.

Inputs per row (store currency unless marked base):
    price, promo_rate, vat_rate, referral_rate, referral_min, cogs (base), freight (base),
    fx (base per store unit), customs_fob (True in US, CA), duty_rate, dst_rate, fba_fee,
    storage_fee, placement_fee, ad_rate, return_rate, return_cost (NaN: by formula),
    admin_fee_cap, other_cost, payout_fee_rate
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from goalsheet.inputs import schema

# Money columns of the Profit table, in the order of 3.2 (each also as `<name>_base`).
MONEY_TERMS = ("price", "promotion", "sell_price", "vat", "net_price", "referral", "fba_fee", "storage_fee",
               "placement_fee", "dst", "landed", "duty", "ads", "returns", "other_cost", "payout_fee", "unit_net",
               "return_cost")

LOW_MARGIN = 0.10


def sell_price(price, promo_rate):
    """What the buyer pays: price × (1 − promo_rate)."""
    return price * (1 - promo_rate)


def net_price(sell_price, vat_rate):
    """Sales less VAT: sell_price / (1 + vat_rate)."""
    return sell_price / (1 + vat_rate)


def referral(referral_rate, sell_price, referral_min):
    """max(referral_rate × sell_price, referral_min)."""
    return np.maximum(referral_rate * sell_price, referral_min)


def landed(cogs, freight, fx):
    """(cogs + freight) / fx_s: the base-currency cost in store currency."""
    return (cogs + freight) / fx


def customs_value(cogs, freight, customs_fob):
    """cogs in US, CA (FOB); cogs + freight elsewhere (CIF); base currency."""
    return np.where(customs_fob, cogs, cogs + freight)


def duty(duty_rate, customs_value, fx):
    """duty_rate × customs_value / fx_s."""
    return duty_rate * customs_value / fx


def dst(dst_rate, referral, fba_fee, storage_fee, placement_fee):
    """Digital services fee: dst_rate × (referral + fba_fee + storage_fee + placement_fee)."""
    return dst_rate * (referral + fba_fee + storage_fee + placement_fee)


def ads(ad_rate, sell_price):
    """ad_rate × sell_price."""
    return ad_rate * sell_price


def return_cost_default(net_price, referral, admin_fee_cap, landed, duty):
    """Loss per returned unit when not given: the refund, the referral fee refunded less Amazon's
    admin fee (min(cap, 0.2 × referral)), and half the returned units resold:
    net_price − referral + min(cap, 0.2 × referral) − 0.5 × (landed + duty)."""
    return net_price - referral + np.minimum(admin_fee_cap, 0.2 * referral) - 0.5 * (landed + duty)


def returns(return_rate, return_cost):
    """return_rate × return_cost."""
    return return_rate * return_cost


def payout_fee(payout_fee_rate, net_price, referral, fba_fee, storage_fee, placement_fee, dst):
    """payout_fee_rate × (net_price − referral − fba_fee − storage_fee − placement_fee − dst)."""
    return payout_fee_rate * (net_price - referral - fba_fee - storage_fee - placement_fee - dst)


def unit_net(net_price, referral, fba_fee, storage_fee, placement_fee, dst, landed, duty, ads, returns,
             other_cost, payout_fee):
    """Net profit per unit, store currency: net_price less every cost of 3.2."""
    return (net_price - referral - fba_fee - storage_fee - placement_fee - dst
            - landed - duty - ads - returns - other_cost - payout_fee)


def net_margin(unit_net, net_price):
    """Net profit / net sales."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(net_price > 0, unit_net / net_price, 0.0)


def unit_economics(products: pd.DataFrame) -> pd.DataFrame:
    """Every term of 3.2 for each row of `products` (see the module docstring), store currency.

    Returns a copy of `products` with the columns of MONEY_TERMS, `customs_value` (base),
    `return_cost_given` (bool), `net_margin`, and the flags `loss_making`, `low_margin`, `ads_heavy`."""
    f = lambda c: products[c].to_numpy(dtype=float)   # noqa: E731 - a column as float array
    price, fx, cogs, freight = f("price"), f("fx"), f("cogs"), f("freight")
    fba, storage, placement = f("fba_fee"), f("storage_fee"), f("placement_fee")
    out: dict[str, np.ndarray] = {}
    out["sell_price"] = sp = sell_price(price, f("promo_rate"))
    out["promotion"] = price - sp
    out["net_price"] = npr = net_price(sp, f("vat_rate"))
    out["vat"] = sp - npr
    out["referral"] = ref = referral(f("referral_rate"), sp, f("referral_min"))
    out["landed"] = land = landed(cogs, freight, fx)
    out["customs_value"] = cv = customs_value(cogs, freight, products["customs_fob"].to_numpy(dtype=bool))
    out["duty"] = dut = duty(f("duty_rate"), cv, fx)
    out["dst"] = ds = dst(f("dst_rate"), ref, fba, storage, placement)
    out["ads"] = ad = ads(f("ad_rate"), sp)
    given = products["return_cost"].notna().to_numpy()
    out["return_cost_given"] = given
    out["return_cost"] = rc = np.where(given, f("return_cost"),
                                       return_cost_default(npr, ref, f("admin_fee_cap"), land, dut))
    out["returns"] = ret = returns(f("return_rate"), rc)
    out["payout_fee"] = pay = payout_fee(f("payout_fee_rate"), npr, ref, fba, storage, placement, ds)
    out["unit_net"] = un = unit_net(npr, ref, fba, storage, placement, ds, land, dut, ad, ret, f("other_cost"), pay)
    out["net_margin"] = nm = net_margin(un, npr)
    out["loss_making"] = un < 0
    out["low_margin"] = nm < LOW_MARGIN
    out["ads_heavy"] = ads_heavy(ad, un)
    return with_columns(products, out)


def with_columns(frame: pd.DataFrame, columns: dict[str, np.ndarray]) -> pd.DataFrame:
    """A copy of `frame` with each of `columns` set as `frame[name] = values` would, in that order (a column
    the frame has keeps its place, the others follow in order), the new ones joined at once."""
    old = {name: values for name, values in columns.items() if name in frame.columns}
    new = {name: values for name, values in columns.items() if name not in frame.columns}
    out = frame.copy() if old or not new else frame
    for name, values in old.items():
        out[name] = values
    if new:
        out = pd.concat([out, pd.DataFrame(new, index=out.index)], axis=1)
    return out


def ads_heavy(ads, unit_net):
    """Ads take more than half of the margin before ads: ads > 0.5 × (unit_net + ads)."""
    return (ads > 0) & (ads > 0.5 * (unit_net + ads))


def in_base_currency(econ: pd.DataFrame) -> pd.DataFrame:
    """Add `<term>_base` = term × fx for every money term (the Profit table shows both)."""
    fx = econ["fx"].to_numpy(dtype=float)
    return with_columns(econ, {f"{term}_base": econ[term].to_numpy(dtype=float) * fx for term in MONEY_TERMS})


def effective_ad_rate(sales: pd.DataFrame, months: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """ad_rate default per store × SKU: ad_spend / revenue over `months` (the last baseline_months
    history months), 0 when there was no revenue.  Columns store, sku, ad_rate_measured."""
    window = sales[sales["month"].isin(list(months))]
    sums = window.groupby(["store", "sku"], sort=False)[["ad_spend", "revenue"]].sum()
    rev = sums["revenue"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(rev > 0, sums["ad_spend"].to_numpy(dtype=float) / rev, 0.0)
    return pd.DataFrame({"store": sums.index.get_level_values(0), "sku": sums.index.get_level_values(1),
                         "ad_rate_measured": rate})


def store_parameters(stores: pd.DataFrame, fx: dict[str, float], base_currency: str) -> pd.DataFrame:
    """Per store: currency, fx, marketplace defaults needed by 3.2 (vat, dst, referral_min, admin fee cap,
    customs basis, monthly fee).  Columns store, marketplace, currency, fx, store_vat_rate, store_dst_rate,
    referral_min, admin_fee_cap, customs_fob, monthly_fee."""
    s = stores.copy()
    market = s["marketplace"].fillna("US").astype(str).str.upper()
    currency = s["currency"].where(s["currency"].notna(), market.map(schema.MARKET_CURRENCY)).fillna(base_currency)
    out = pd.DataFrame({"store": s["store"].astype(str).to_numpy(), "marketplace": market.to_numpy(),
                        "currency": currency.astype(str).to_numpy()})
    out["fx"] = [1.0 if c == base_currency else float(fx.get(c, np.nan)) for c in out["currency"]]
    out["store_vat_rate"] = market.map(schema.MARKET_VAT).fillna(0.0).to_numpy(dtype=float)
    out["store_dst_rate"] = market.map(schema.MARKET_DST).fillna(0.0).to_numpy(dtype=float)
    ref_min = s["referral_min"] if "referral_min" in s else pd.Series(np.nan, index=s.index)
    out["referral_min"] = pd.to_numeric(ref_min, errors="coerce").to_numpy(dtype=float)
    out["referral_min"] = out["referral_min"].where(out["referral_min"].notna(),
                                                    out["currency"].map(schema.CURRENCY_REFERRAL_MIN)).fillna(0.0)
    out["admin_fee_cap"] = out["currency"].map(schema.CURRENCY_ADMIN_FEE_CAP).fillna(0.0).to_numpy(dtype=float)
    out["customs_fob"] = market.isin(schema.FOB_MARKETPLACES).to_numpy()
    fee = s["monthly_fee"] if "monthly_fee" in s else pd.Series(np.nan, index=s.index)
    out["monthly_fee"] = pd.to_numeric(fee, errors="coerce").to_numpy(dtype=float)
    out["monthly_fee"] = out["monthly_fee"].where(out["monthly_fee"].notna(),
                                                  market.map(schema.MARKET_MONTHLY_FEE).to_numpy()).fillna(0.0)
    return out


SKU_DEFAULTS = {"freight": 0.0, "duty_rate": 0.0, "referral_rate": 0.15, "storage_fee": 0.0, "promo_rate": 0.0,
                "return_rate": 0.0, "other_cost": 0.0, "placement_fee": 0.0}


def sku_products(skus: pd.DataFrame, store_params: pd.DataFrame, ad_rates: pd.DataFrame,
                 payout_fee_rate: float) -> pd.DataFrame:
    """The SKUs frame ready for `unit_economics`: store parameters joined, blanks filled by the SPEC's
    defaults (vat and DST by marketplace, ad_rate measured from Sales, else 0).  Adds `ad_rate_given`."""
    p = skus.copy()
    p["store"] = p["store"].astype(str)
    p["sku"] = p["sku"].astype(str)
    p = p.merge(store_params, on="store", how="left", sort=False)
    for col, default in SKU_DEFAULTS.items():
        p[col] = pd.to_numeric(p[col], errors="coerce").fillna(default)
    for col in ("price", "cogs", "fba_fee", "return_cost", "ad_rate", "vat_rate", "dst_rate"):
        p[col] = pd.to_numeric(p[col], errors="coerce").astype(float)
    p["vat_rate"] = p["vat_rate"].fillna(p["store_vat_rate"])
    p["dst_rate"] = p["dst_rate"].fillna(p["store_dst_rate"])
    p["ad_rate_given"] = p["ad_rate"].notna()
    p = p.merge(ad_rates, on=["store", "sku"], how="left", sort=False)
    p["ad_rate"] = p["ad_rate"].fillna(p["ad_rate_measured"]).fillna(0.0)
    p["payout_fee_rate"] = float(payout_fee_rate)
    return p


def admin_fee(referral, admin_fee_cap):
    """Amazon's refund administration fee: min(cap, 0.2 × referral)."""
    return np.minimum(admin_fee_cap, 0.2 * referral)


def payout_per_unit(net_price, referral, fba_fee, storage_fee, placement_fee, dst, payout_fee):
    """What Amazon pays out per unit sold (3.6): net_price − referral − fba − storage − placement − dst − payout_fee."""
    return net_price - referral - fba_fee - storage_fee - placement_fee - dst - payout_fee


def refund_per_unit(return_rate, net_price, referral, admin_fee):
    """Refunds per unit sold (3.6): return_rate × (net_price − referral + admin fee), whatever return_cost says."""
    return return_rate * (net_price - referral + admin_fee)
