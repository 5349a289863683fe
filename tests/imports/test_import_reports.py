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
