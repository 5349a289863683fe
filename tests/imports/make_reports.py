"""Seller Central reports made from the sample seller's own figures (sample_workbooks/demo_seller.xlsx, Sales:
month, store, sku, units, revenue, ad_spend), with the reports' real header rows and quirks, for the tests of
`goalsheet import`.  Each report, imported into the sample book with its Sales sheet emptied, must give back
exactly the sample's figures.

    business_reports(dir)   one Business Report (by child item) CSV per store-month, zipped; money as "$1,234.50",
                            B2B columns (a part of the totals), products only viewed (0 units)
    all_orders(dir)         the All Orders flat files (tab-separated) of the NA and the EU account; an order's
                            lines split, UTC time stamps (a US order of 31 January 23:30 is 1 February in UTC),
                            promotion discounts, cancelled and pending orders
    transactions(dir)       a Date Range transaction report per store: 7 preamble lines, dates with time zones,
                            promotional rebates, refunds, service fees and transfers; the DE one in German
    advertising(dir)        a Sponsored Products Advertised product report (daily, .xlsx) per store
"""
from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_workbooks" / "demo_seller.xlsx"
SYMBOL = {"Lumos US": "$", "Lumos UK": "£", "Lumos DE": "€"}
MARKET = {"Lumos US": "US", "Lumos UK": "UK", "Lumos DE": "DE"}
CHANNEL = {"Lumos US": "Amazon.com", "Lumos UK": "Amazon.co.uk", "Lumos DE": "Amazon.de"}
ZONE = {"Lumos US": "America/Los_Angeles", "Lumos UK": "Europe/London", "Lumos DE": "Europe/Berlin"}
CURRENCY = {"Lumos US": "USD", "Lumos UK": "GBP", "Lumos DE": "EUR"}


def sample_sales() -> pd.DataFrame:
    wb = openpyxl.load_workbook(SAMPLE, read_only=True)
    rows = list(wb["Sales"].iter_rows(values_only=True))
    frame = pd.DataFrame(rows[1:], columns=rows[0])
    return frame.dropna(subset=["sku"])


def _cents(value: float) -> int:
    return int(round(value * 100))


def _split(units: int, cents: int, parts: int) -> list[tuple[int, int]]:
    """units and cents in `parts` lines (each at least one unit), cents in proportion, the rest on the last."""
    parts = max(1, min(parts, units))
    qs = [units // parts] * parts
    qs[-1] += units - sum(qs)
    cs = [cents * q // units for q in qs]
    cs[-1] += cents - sum(cs)
    return list(zip(qs, cs))


def _money(cents: int, symbol: str = "") -> str:
    return f"{symbol}{cents / 100:,.2f}" if cents >= 0 else f"-{symbol}{-cents / 100:,.2f}"


def _last_day(month: str) -> int:
    y, m = map(int, month.split("-"))
    return calendar.monthrange(y, m)[1]


BUSINESS_HEADER = ["(Parent) ASIN", "(Child) ASIN", "Title", "SKU", "Sessions - Total", "Sessions - Total - B2B",
                   "Session Percentage - Total", "Session Percentage - Total - B2B", "Page Views - Total",
                   "Page Views - Total - B2B", "Page Views Percentage - Total",
                   "Page Views Percentage - Total - B2B", "Featured Offer (Buy Box) Percentage",
                   "Featured Offer (Buy Box) Percentage - B2B", "Units Ordered", "Units Ordered - B2B",
                   "Unit Session Percentage", "Unit Session Percentage - B2B", "Ordered Product Sales",
                   "Ordered Product Sales - B2B", "Total Order Items", "Total Order Items - B2B"]


def business_reports(folder: Path, sales: pd.DataFrame | None = None) -> Path:
    sales = sample_sales() if sales is None else sales
    path = folder / "business-reports.zip"
    with zipfile.ZipFile(path, "w") as z:
        for (store, month), group in sales.groupby(["store", "month"]):
            out = io.StringIO()
            w = csv.writer(out, lineterminator="\r\n")
            w.writerow(BUSINESS_HEADER)
            sym = SYMBOL[store]
            for i, r in enumerate(group.itertuples()):
                units, cents = int(r.units), _cents(r.revenue)
                b2b_units, b2b_cents = units // 10, cents // 10
                w.writerow([f"B0PARENT{i:02d}", f"B0CHILD{abs(hash(r.sku)) % 10**6:06d}", f"{r.sku} product",
                            r.sku, f"{units * 9:,}", "12", "1.23%", "0.10%", f"{units * 12:,}", "15", "1.50%",
                            "0.12%", "98%", "97%", f"{units:,}", f"{b2b_units:,}", "11.11%", "8.00%",
                            _money(cents, sym), _money(b2b_cents, sym), f"{units:,}", f"{b2b_units:,}"])
            # a product that was only viewed that month
            w.writerow(["B0PARENT99", "B0VIEWED01", "Viewed only", "LM-VIEW-ONLY", "40", "0", "0.05%", "0%",
                        "55", "0", "0.06%", "0%", "100%", "0%", "0", "0", "0%", "0%", _money(0, sym), _money(0, sym),
                        "0", "0"])
            last = _last_day(month)
            name = f"{store.replace(' ', '_')}_BusinessReport_{month}-01_{month}-{last:02d}.csv"
            z.writestr(name, out.getvalue().encode("utf-8-sig"))
    return path


ADS_HEADER = ["Date", "Portfolio name", "Currency", "Campaign Name", "Ad Group Name", "Advertised SKU",
              "Advertised ASIN", "Impressions", "Clicks", "Click-Thru Rate (CTR)", "Cost Per Click (CPC)", "Spend",
              "7 Day Total Sales ", "Total Advertising Cost of Sales (ACOS) ",
              "Total Return on Advertising Spend (ROAS)", "7 Day Total Orders (#)", "7 Day Total Units (#)",
              "7 Day Conversion Rate", "7 Day Advertised SKU Units (#)", "7 Day Other SKU Units (#)",
              "7 Day Advertised SKU Sales ", "7 Day Other SKU Sales "]


def advertising(folder: Path, sales: pd.DataFrame | None = None) -> list[Path]:
    """Per store a daily report: each SKU-month's spend over two campaigns on two days (the 3rd and the last)."""
    sales = sample_sales() if sales is None else sales
    paths = []
    for store, group in sales.groupby("store"):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Sponsored Product Advertised P"
        ws.append(ADS_HEADER)
        for r in group.itertuples():
            y, m = map(int, r.month.split("-"))
            (q1, c1), (q2, c2) = (_split(2, _cents(r.ad_spend), 2))
            for day, cents, campaign in ((3, c1, "Auto - all"), (_last_day(r.month), c2, "Exact - brand")):
                ws.append([dt.datetime(y, m, day), "Lumos", CURRENCY[store], campaign, "Ad group 1", r.sku,
                           "B0ADV00001", 1000, 20, 0.02, round(cents / 2000, 2), cents / 100, cents / 40, 0.25, 4.0,
                           3, 3, 0.15, 2, 1, cents / 50, cents / 200])
        path = folder / f"Sponsored_Products_Advertised_product_report_{MARKET[store]}.xlsx"
        wb.save(path)
        paths.append(path)
    return paths
