"""`goalsheet import` (issue 16): reports made from the sample seller's figures (make_reports.py), imported into
the sample book with its Sales sheet emptied, plan to the sample's own figures to the cent."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from goalsheet.cli import cli
from goalsheet.inputs import load
from goalsheet.plan import make_plan
from imports import make_reports

SAMPLE = make_reports.SAMPLE


@pytest.fixture(scope="module")
def sample_plan():
    book, problems = load(SAMPLE)
    assert book is not None, problems
    return make_plan(book)[0]


def emptied_sample(folder: Path) -> Path:
    """The sample book with its Sales sheet's rows removed (the header kept)."""
    path = folder / "shop.xlsx"
    wb = openpyxl.load_workbook(SAMPLE)
    ws = wb["Sales"]
    ws.delete_rows(2, ws.max_row)
    wb.save(path)
    return path


def run_import(*args) -> object:
    result = CliRunner().invoke(cli, ["import", *map(str, args)])
    return result


def plan_of(path: Path):
    book, problems = load(path)
    assert book is not None, [p.message for p in problems if p.severity == "error"]
    return make_plan(book)[0]


def assert_same_sales_plan(plan, expected, net_profit: bool = False):
    for key in ("target_sales", "existing_sales", "gap", "launches_needed"):
        assert plan.headline[key] == expected.headline[key], key
    cols = ["store", *(f"m{i:02d}" for i in range(1, 13)), "total", "existing_sales", "gap"]
    got = plan.tables["stores"][cols].reset_index(drop=True)
    want = expected.tables["stores"][cols].reset_index(drop=True)
    assert got.equals(want), (got, want)
    if net_profit:
        assert plan.headline["target_net_profit"] == expected.headline["target_net_profit"]


def test_business_reports_plan_as_the_sample(tmp_path, sample_plan):
    reports = make_reports.business_reports(tmp_path)
    book = emptied_sample(tmp_path)
    result = run_import(reports, "--into", book)
    assert result.exit_code == 0, result.output
    assert "LM-VIEW-ONLY" not in "".join(str(c.value) for c in openpyxl.load_workbook(book)["Sales"]["C"])
    assert_same_sales_plan(plan_of(book), sample_plan)


def test_business_and_advertising_reports_give_the_sample_net_profit(tmp_path, sample_plan):
    book = emptied_sample(tmp_path)
    result = run_import(make_reports.business_reports(tmp_path), *make_reports.advertising(tmp_path), "--into", book)
    assert result.exit_code == 0, result.output
    assert_same_sales_plan(plan_of(book), sample_plan, net_profit=True)


def test_all_orders_plan_as_the_sample(tmp_path, sample_plan):
    book = emptied_sample(tmp_path)
    result = run_import(*make_reports.all_orders(tmp_path), "--into", book)
    assert result.exit_code == 0, result.output
    assert "cancelled" in result.output and "pending" in result.output
    assert_same_sales_plan(plan_of(book), sample_plan)


def test_transaction_reports_plan_as_the_sample(tmp_path, sample_plan):
    book = emptied_sample(tmp_path)
    result = run_import(*make_reports.transactions(tmp_path), "--into", book)
    assert result.exit_code == 0, result.output
    assert "Service Fee" in result.output and "Transfer" in result.output
    assert_same_sales_plan(plan_of(book), sample_plan)
    # each SKU-month has one refunded unit of 19.99
    ws = openpyxl.load_workbook(book)["Sales"]
    heads = [c.value for c in ws[1]]
    refunds = [row[heads.index("refunds")] for row in ws.iter_rows(min_row=2, values_only=True) if row[2]]
    assert refunds and all(v == 19.99 for v in refunds)


def _sales_rows(path: Path) -> list[tuple]:
    ws = openpyxl.load_workbook(path)["Sales"]
    return [r for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]


def test_importing_twice_changes_nothing(tmp_path):
    book = emptied_sample(tmp_path)
    reports = make_reports.transactions(tmp_path)
    assert run_import(*reports, "--into", book).exit_code == 0
    once = _sales_rows(book)
    assert run_import(*reports, "--into", book).exit_code == 0
    assert _sales_rows(book) == once
    assert len(once) == 1 + 1114          # the header and the sample's 1,114 SKU-months


def test_typed_figures_are_replaced_only_with_force_and_other_sheets_kept(tmp_path):
    """The sample book as it is: its Sales of 2025-12 were typed by the seller, so the December Business Report
    of the US store is refused without --force; other store-months and sheets are never touched."""
    book = tmp_path / "shop.xlsx"
    shutil.copyfile(SAMPLE, book)
    zipped = make_reports.business_reports(tmp_path)
    import zipfile
    with zipfile.ZipFile(zipped) as z:
        name = "Lumos_US_BusinessReport_2025-12-01_2025-12-31.csv"
        (tmp_path / name).write_bytes(z.read(name))
    before = book.read_bytes()
    result = run_import(tmp_path / name, "--into", book)
    assert result.exit_code == 1 and "--force" in result.output
    assert book.read_bytes() == before
    wb0 = openpyxl.load_workbook(SAMPLE)
    result = run_import(tmp_path / name, "--into", book, "--force")
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(book)
    for sheet in wb0.sheetnames:
        if sheet != "Sales":
            assert [r for r in wb[sheet].iter_rows(values_only=True)] == \
                   [r for r in wb0[sheet].iter_rows(values_only=True)], sheet
    # the sample's figures come back (the report was made from them); the months as typed ('2023-07' text)
    assert _sales_rows(book) == [r for r in wb0["Sales"].iter_rows(values_only=True) if any(v is not None for v in r)]


def test_an_unreadable_report_writes_nothing(tmp_path):
    book = emptied_sample(tmp_path)
    before = book.read_bytes()
    bad = tmp_path / "report.csv"
    bad.write_text("just,some\nwords,here\n", encoding="utf-8")
    good = make_reports.business_reports(tmp_path)
    result = run_import(good, bad, "--into", book)
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "report.csv" in result.output
    assert book.read_bytes() == before


def test_a_new_book_is_made_from_the_init_layout(tmp_path):
    book = tmp_path / "new.xlsx"
    us = [p for p in make_reports.advertising(tmp_path) if p.name.endswith("_US.xlsx")]
    # a new book knows no store and the report names none: nothing is written
    result = run_import(*us, "--into", book, "--lang", "en")
    assert result.exit_code == 1 and "--store" in result.output and not book.exists()
    result = run_import(*us, "--into", book, "--lang", "en", "--store", "Shop US")
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(book)
    assert {"Instructions", "Settings", "Sales", "SKUs", "Stores", "Imports"} <= set(wb.sheetnames)
    rows = _sales_rows(book)
    assert rows[0][:3] == ("month", "store", "sku") and "My Store US" not in {r[1] for r in rows}
    heads = list(rows[0])
    spend = {(r[0], r[2]): r[heads.index("ad_spend")] for r in rows[1:]}
    sample = make_reports.sample_sales()
    first = sample[(sample["store"] == "Lumos US") & (sample["month"] == "2023-07")].iloc[0]
    assert spend[("2023-07", first["sku"])] == first["ad_spend"]
    assert len(spend) == len(sample[sample["store"] == "Lumos US"])


def test_store_named_for_a_report_of_another_marketplace_is_refused(tmp_path):
    book = emptied_sample(tmp_path)
    before = book.read_bytes()
    na = [p for p in make_reports.all_orders(tmp_path) if p.name.endswith("_NA.txt")]
    result = run_import(*na, "--into", book, "--store", "Lumos UK")
    assert result.exit_code == 1 and "UK" in result.output
    assert book.read_bytes() == before


def test_chinese_japanese_and_german_transaction_reports_plan_as_the_sample(tmp_path, sample_plan):
    """The US store's report in Chinese (GBK, 2025年1月15日 10:03:05 PST, 订单/退款/服务费/转账), the UK store's in
    Japanese (Shift-JIS, 2025/01/15 10:03:05 JST, 注文/返金/サービス料/振込み), the DE store's in German: the same
    plan as the sample's own figures, and the same refunds (one unit of 19.99 a SKU-month)."""
    book = emptied_sample(tmp_path)
    result = run_import(*make_reports.transactions(tmp_path, langs=make_reports.LOCALISED), "--into", book)
    assert result.exit_code == 0, result.output
    assert "服务费" in result.output and "サービス料" in result.output and "Servicegebühr" in result.output
    assert_same_sales_plan(plan_of(book), sample_plan)
    ws = openpyxl.load_workbook(book)["Sales"]
    heads = [c.value for c in ws[1]]
    refunds = [row[heads.index("refunds")] for row in ws.iter_rows(min_row=2, values_only=True) if row[2]]
    assert len(refunds) == 1114 and all(v == 19.99 for v in refunds)


def test_chinese_japanese_and_german_advertising_reports_give_the_sample_net_profit(tmp_path, sample_plan):
    """Sponsored Products reports with Chinese (GBK CSV), Japanese (Shift-JIS CSV) and German (.xlsx) headers,
    beside the Business Reports: the sample's net profit to the cent."""
    book = emptied_sample(tmp_path)
    ads = make_reports.advertising(tmp_path, langs=make_reports.LOCALISED)
    assert {p.suffix for p in ads} == {".csv", ".xlsx"}
    result = run_import(make_reports.business_reports(tmp_path), *ads, "--into", book)
    assert result.exit_code == 0, result.output
    assert_same_sales_plan(plan_of(book), sample_plan, net_profit=True)


def test_lingxing_export_with_the_local_sku_first_plans_as_the_sample_net_profit_too(tmp_path, sample_plan):
    """Lingxing's 产品表现 (统计日期 by day, shops `Lumos-US`, local `SKU` in column D before `MSKU` in E, ad spend
    beside): the MSKU is taken and the local SKU named; the sample's plan and net profit to the cent."""
    book = emptied_sample(tmp_path)
    result = run_import(make_reports.lingxing(tmp_path), "--into", book)
    assert result.exit_code == 0, result.output
    assert "E1" in result.output and "D1" in result.output and "LOCAL-" not in result.output
    assert "LOCAL-" not in "".join(str(c.value) for c in openpyxl.load_workbook(book)["Sales"]["C"])
    assert_same_sales_plan(plan_of(book), sample_plan, net_profit=True)


def test_jijia_export_plans_as_the_sample(tmp_path, sample_plan):
    """积加's export (日期, 本地SKU before MSKU, a GBK CSV): the sample's plan and net profit."""
    book = emptied_sample(tmp_path)
    result = run_import(make_reports.lingxing(tmp_path, jijia=True), "--into", book)
    assert result.exit_code == 0, result.output
    assert "Jijia" in result.output
    assert_same_sales_plan(plan_of(book), sample_plan, net_profit=True)


def test_mabang_orders_plan_as_the_sample(tmp_path, sample_plan):
    """Mabang's orders (付款时间, 商品总金额, local SKU before 平台SKU, an 已作废 order each SKU-month left out)."""
    book = emptied_sample(tmp_path)
    result = run_import(make_reports.mabang(tmp_path), "--into", book)
    assert result.exit_code == 0, result.output
    assert "已作废" in result.output and "1114" in result.output
    assert_same_sales_plan(plan_of(book), sample_plan)
