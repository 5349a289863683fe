"""Net profit per unit (SPEC 3.2), every term worked by hand."""
import numpy as np
import pandas as pd
import pytest

from goalsheet.plan import unit_economics as ue


def uk_sku(**over):
    row = dict(price=20.0, promo_rate=0.10, vat_rate=0.20, referral_rate=0.15, referral_min=0.25, cogs=36.0,
               freight=9.0, fx=9.0, customs_fob=False, duty_rate=0.10, dst_rate=0.02, fba_fee=3.0, storage_fee=0.5,
               placement_fee=0.2, ad_rate=0.10, return_rate=0.05, return_cost=np.nan, admin_fee_cap=5.0,
               other_cost=0.3, payout_fee_rate=0.01)
    row.update(over)
    return pd.DataFrame([row])


def test_every_term_non_zero_in_a_non_base_currency():
    """A UK SKU in GBP, base CNY at 9 CNY per GBP, every term of 3.2 non-zero:

        sell_price = 20 × (1 − 0.10)                     = 18        (promotion 2)
        net_price  = 18 / 1.20                           = 15        (VAT 3)
        referral   = max(0.15 × 18, 0.25)                = 2.70
        landed     = (36 + 9) / 9                        = 5
        duty       = 0.10 × (36 + 9) / 9  (UK: CIF)      = 0.50
        dst        = 0.02 × (2.70 + 3 + 0.5 + 0.2)       = 0.128
        ads        = 0.10 × 18                           = 1.80
        return_cost= 15 − 2.70 + min(5, 0.54) − 0.5 × (5 + 0.5) = 10.09
        returns    = 0.05 × 10.09                        = 0.5045
        payout_fee = 0.01 × (15 − 2.70 − 3 − 0.5 − 0.2 − 0.128) = 0.08472
        unit_net   = 15 − 2.70 − 3 − 0.5 − 0.2 − 0.128 − 5 − 0.5 − 1.80 − 0.5045 − 0.3 − 0.08472
                   = 0.28278 GBP = 2.54502 CNY;  net margin 0.28278 / 15 = 1.8852 %
    """
    e = ue.in_base_currency(ue.unit_economics(uk_sku())).iloc[0]
    expected = dict(sell_price=18, promotion=2, net_price=15, vat=3, referral=2.70, landed=5, duty=0.5, dst=0.128,
                    ads=1.8, return_cost=10.09, returns=0.5045, payout_fee=0.08472, unit_net=0.28278)
    for term, value in expected.items():
        assert e[term] == pytest.approx(value, abs=1e-9), term
    assert e["unit_net_base"] == pytest.approx(2.54502, abs=1e-9)
    assert e["landed_base"] == pytest.approx(45.0)
    assert e["net_margin"] == pytest.approx(0.018852, abs=1e-9)
    # flags: margin under 10 %; ads 1.80 > half of the margin before ads (0.28278 + 1.80) / 2 = 1.04139
    assert not e["loss_making"] and e["low_margin"] and e["ads_heavy"]


def test_referral_minimum_and_fob_customs_value():
    """US (FOB): duty on cogs only.  Price 1.50 USD: referral max(0.15 × 1.5 = 0.225, 0.30) = 0.30;
    duty 0.10 × 36 / 9 = 0.40 (freight 9 left out of the customs value)."""
    e = ue.unit_economics(uk_sku(price=1.5, promo_rate=0.0, vat_rate=0.0, referral_min=0.30, customs_fob=True))
    assert e["referral"].iloc[0] == pytest.approx(0.30)
    assert e["duty"].iloc[0] == pytest.approx(0.40)


def test_given_return_cost_is_kept_and_loss_is_flagged():
    """return_cost given as 4: returns = 0.05 × 4 = 0.20 (not 0.5045); unit_net rises by 0.3045 to 0.58728.
    With fba 10 instead of 3 the unit loses money: unit_net = 0.58728 − 7 − dst 0.02 × 7 + payout fee 0.01 × 7.14
    = 0.58728 − 7 − 0.14 + 0.0714 = −6.48132."""
    e = ue.unit_economics(uk_sku(return_cost=4.0))
    assert e["returns"].iloc[0] == pytest.approx(0.20)
    assert e["unit_net"].iloc[0] == pytest.approx(0.58728)
    e2 = ue.unit_economics(uk_sku(return_cost=4.0, fba_fee=10.0))
    assert e2["unit_net"].iloc[0] == pytest.approx(-6.48132)
    assert e2["loss_making"].iloc[0]


def test_ad_rate_default_is_measured_over_the_last_baseline_months():
    """ad_spend / revenue of the window: (10 + 30) / (100 + 300) = 0.10; a SKU without revenue there: 0."""
    sales = pd.DataFrame({"month": ["2025-09", "2025-10", "2025-11", "2025-11"], "store": ["S"] * 4,
                          "sku": ["A", "A", "A", "B"], "revenue": [999.0, 100.0, 300.0, 0.0],
                          "ad_spend": [999.0, 10.0, 30.0, 5.0]})
    r = ue.effective_ad_rate(sales, ("2025-10", "2025-11")).set_index("sku")["ad_rate_measured"]
    assert r["A"] == pytest.approx(0.10)
    assert r["B"] == 0.0


def test_store_parameters_take_marketplace_defaults():
    """DE: EUR, VAT 19 %, DST 0, referral_min 0.30, admin cap 5, CIF, fee 39; UK: DST 2 %, fee 25 GBP."""
    stores = pd.DataFrame({"store": ["D", "U"], "marketplace": ["DE", "UK"], "currency": [None, None]})
    p = ue.store_parameters(stores, {"EUR": 7.8, "GBP": 9.0, "CNY": 1.0}, "CNY").set_index("store")
    assert p.loc["D", "currency"] == "EUR" and p.loc["D", "fx"] == 7.8
    assert p.loc["D", "store_vat_rate"] == 0.19 and p.loc["U", "store_dst_rate"] == 0.02
    assert p.loc["D", "monthly_fee"] == 39.0 and p.loc["U", "monthly_fee"] == 25.0
    assert not p.loc["D", "customs_fob"]
