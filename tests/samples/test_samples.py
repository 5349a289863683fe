"""The sample seller (sample_workbooks/): both workbooks load, are the same business, and are reproducible.

demo_seller.xlsx (English, long Sales) and demo_seller_zh.xlsx (Chinese, title rows, wide
Sales, Chinese Settings keys, 400万 and 2026年4月 spellings) must give equal validated
tables; regenerating them from make_samples.py must give the committed tables again.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from goalsheet.inputs import load

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_workbooks"
EN, ZH = SAMPLES / "demo_seller.xlsx", SAMPLES / "demo_seller_zh.xlsx"
FRAMES = ("sales", "skus", "stores", "team", "launches", "expenses", "bonus")


def make_samples():
    spec = importlib.util.spec_from_file_location("goalsheet_make_samples", SAMPLES / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module          # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def loaded(path: Path):
    book, problems = load(path)
    errors = [str(p) for p in problems if p.severity == "error"]
    assert book is not None and not errors, f"{path.name}: " + "; ".join(errors[:10])
    return book


@pytest.fixture(scope="module")
def en():
    return loaded(EN)


@pytest.fixture(scope="module")
def zh():
    return loaded(ZH)


def assert_same_business(a, b) -> None:
    assert a.settings == b.settings
    assert a.fx == b.fx
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)


def test_both_samples_load_without_errors_or_warnings():
    for path in (EN, ZH):
        book, problems = load(path)
        assert book is not None, [str(p) for p in problems]
        assert [str(p) for p in problems] == []


def test_english_and_chinese_are_the_same_business(en, zh):
    assert_same_business(en, zh)
    assert (en.lang, zh.lang) == ("en", "zh")
    assert en.sheet_names["Sales"] == "Sales" and zh.sheet_names["Sales"] == "销售"
    assert en.sheet_names["SKUs"] == "SKUs" and zh.sheet_names["SKUs"] == "产品"


def test_generator_is_deterministic(tmp_path, en, zh):
    paths = make_samples().write_samples(tmp_path)
    assert [p.name for p in paths] == ["demo_seller.xlsx", "demo_seller_zh.xlsx"]
    assert_same_business(loaded(paths[0]), en)
    assert_same_business(loaded(paths[1]), zh)


def test_the_chinese_workbook_is_laid_out_as_sellers_keep_it():
    """Title row above the headers on 销售 and 产品; wide Sales: 店铺, SKU, a revenue column per month,
    then a 销量 block and a 广告花费 block (30 months: 2 + 3 × 30 = 92 columns)."""
    wb = openpyxl.load_workbook(ZH, read_only=True)
    assert wb.sheetnames == ["设置", "销售", "产品", "店铺", "汇率", "团队", "新品计划", "费用", "绩效"]
    rows = list(wb["销售"].iter_rows(max_row=3, values_only=True))
    assert "Lumos Home" in rows[0][0] and all(v is None for v in rows[0][1:])
    header = rows[2]
    assert len(header) == 92
    assert header[:4] == ("店铺", "SKU", "2023年7月", "2023年8月")
    assert header[31] == "2025年12月"
    assert header[32] == "销量 2023年7月" and header[62] == "广告花费 2023年7月" and header[91] == "广告花费 2025年12月"
    skus = list(wb["产品"].iter_rows(max_row=2, values_only=True))
    assert "Lumos Home" in skus[0][0]
    assert skus[1][:6] == ("店铺", "SKU", "品名", "类目", "运营", "售价")
    settings = {r[0]: r[1] for r in wb["设置"].iter_rows(min_row=3, values_only=True)}
    assert settings["计划年度"] == 2026 and settings["可用资金"] == "400万"


def test_three_stores_on_three_marketplaces(en):
    stores = en.stores.set_index("store")
    assert list(stores.index) == ["Lumos US", "Lumos UK", "Lumos DE"]
    assert stores["marketplace"].tolist() == ["US", "UK", "DE"]
    assert stores["currency"].tolist() == ["USD", "GBP", "EUR"]
    assert stores["operator"].tolist() == ["Wang Fang", "Li Hao", "Chen Jie"]
    assert en.settings["base_currency"] == "CNY"
    assert en.fx == {"CNY": 1.0, "USD": 7.10, "GBP": 9.40, "EUR": 8.25}


def test_catalogue(en):
    skus = en.skus
    assert len(skus) >= 40
    assert len(skus[["store", "sku"]].drop_duplicates()) == len(skus)
    assert skus["ad_rate"].isna().sum() >= 5                    # blank: the default comes from ad_spend
    assert (skus["promo_rate"] > 0).sum() >= 3
    assert skus.loc[skus["status"] == "discontinued", "sku"].tolist() == ["LM-WC15"]
    store_op = en.stores.set_index("store")["operator"]
    other = skus[skus["operator"] != skus["store"].map(store_op)]
    assert set(zip(other["store"], other["sku"], other["operator"])) == {
        ("Lumos US", "LM-WB04", "Li Hao"), ("Lumos US", "LM-KS05", "Li Hao"), ("Lumos US", "LM-PF11", "Li Hao"),
        ("Lumos DE", "LM-LS16", "Wang Fang")}


def test_pet_glove_loses_money(en):
    """The flags must show: Lumos US LM-PG10 loses money on every unit (SPEC 3.2, by hand).

        sell_price 9.99 (no promo, US: VAT 0, DST 0)  referral = 0.15 × 9.99 = 1.4985
        landed = (9 + 2) / 7.10 = 1.549296           duty = 0.30 × 9 / 7.10 = 0.380282 (FOB)
        ads = 0.28 × 9.99 = 2.7972
        return_cost = 9.99 − 1.4985 + min(5, 0.2997) − 0.5 × (1.549296 + 0.380282) = 7.826411
        returns = 0.06 × 7.826411 = 0.469585
        payout_fee = 0.008 × (9.99 − 1.4985 − 3.45 − 0.08 − 0.30) = 0.037292
        unit_net = 9.99 − 1.4985 − 3.45 − 0.08 − 0.30 − 1.549296 − 0.380282 − 2.7972 − 0.469585
                   − 0.037292 = −0.572155 USD
    The test pins the inputs that working uses.
    """
    row = en.skus[(en.skus["store"] == "Lumos US") & (en.skus["sku"] == "LM-PG10")].iloc[0]
    assert (row["price"], row["cogs"], row["freight"], row["duty_rate"], row["referral_rate"]) == (
        9.99, 9.0, 2.0, 0.30, 0.15)
    assert (row["fba_fee"], row["storage_fee"], row["placement_fee"], row["ad_rate"], row["return_rate"]) == (
        3.45, 0.08, 0.30, 0.28, 0.06)
    assert row["promo_rate"] == 0 and row["other_cost"] == 0 and pd.isna(row["return_cost"])
    assert en.settings["payout_fee_rate"] == 0.008 and en.fx["USD"] == 7.10


def test_history_and_season(en):
    """30 months, 2023-07 .. 2025-12; in CNY the business peaks in Q4 and bumps in July (Prime Day)."""
    sales = en.sales
    months = sorted(sales["month"].unique())
    assert len(months) >= 24 and months[0] == "2023-07" and months[-1] == "2025-12"
    assert en.settings["plan_year"] == 2026
    fx = sales["store"].map(en.stores.set_index("store")["currency"]).map(en.fx)
    cny = (sales["revenue"] * fx).groupby(sales["month"]).sum()
    year = cny[[f"2025-{m:02d}" for m in range(1, 13)]]
    assert cny["2025-12"] > year.mean()
    assert cny["2025-12"] == year.max()
    assert cny["2025-07"] > max(cny["2025-06"], cny["2025-08"])
    assert 3_000_000 <= en.settings["cash_available"] <= 5_000_000


def test_revenue_is_units_at_the_promoted_price(en):
    """Sales revenue = units × price × (1 − promo_rate), to the cent: e.g. Lumos US LM-MS02 sells at
    39.99 × 0.95 = 37.9905 USD, so 100 units would be 3 799.05."""
    merged = en.sales.merge(en.skus[["store", "sku", "price", "promo_rate"]], on=["store", "sku"])
    assert len(merged) == len(en.sales)
    expected = (merged["units"] * merged["price"] * (1 - merged["promo_rate"])).round(2)
    assert (merged["revenue"] - expected).abs().max() < 0.011     # a half cent may round either way
    ms02 = en.skus[(en.skus["store"] == "Lumos US") & (en.skus["sku"] == "LM-MS02")].iloc[0]
    assert round(100 * ms02["price"] * (1 - ms02["promo_rate"]), 2) == 3799.05


def test_launches_during_history_and_the_discontinued_sku(en):
    first = en.sales.groupby(["store", "sku"])["month"].min()
    last = en.sales.groupby(["store", "sku"])["month"].max()
    assert first[("Lumos US", "LM-DM17")] == "2025-06"
    assert first[("Lumos DE", "LM-TH19")] == "2024-09"
    assert (first > "2023-07").sum() == 6
    assert last[("Lumos US", "LM-WC15")] == "2025-09"
    assert (last < "2025-12").sum() == 1


def test_team_costs_launch_and_bonus(en):
    assert en.team["operator"].tolist() == ["Wang Fang", "Li Hao", "Chen Jie"]
    assert (en.team["base_salary"] > 0).all() and (en.team["bonus_base"] > 0).all()
    assert en.launches[["launch_month", "store", "operator", "count"]].values.tolist() == [
        ["2026-04", "Lumos US", "Wang Fang", 1]]
    de = en.expenses[en.expenses["store"] == "Lumos DE"].iloc[0]
    assert tuple(de["months"]) == (1, 2, 3, 4, 5, 6)
    assert en.expenses["store"].isna().sum() == 3
    bonus = en.bonus
    assert set(zip(bonus["period"], bonus["metric"], bonus["mode"])) == {
        ("year", "sales", "step"), ("quarter", "net_profit", "marginal"), ("year", "launches", "step")}
    assert (bonus.loc[bonus["mode"] == "marginal", "cap"] == 1.5).all()
    # the weights of the three (period, metric) pairs add up to the whole bonus base
    assert bonus.groupby(["period", "metric"])["weight"].first().sum() == pytest.approx(1.0)
