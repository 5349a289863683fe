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


ORDERS_HEADER = ["amazon-order-id", "merchant-order-id", "purchase-date", "last-updated-date", "order-status",
                 "fulfillment-channel", "sales-channel", "order-channel", "url", "ship-service-level", "product-name",
                 "sku", "asin", "item-status", "quantity", "currency", "item-price", "item-tax", "shipping-price",
                 "shipping-tax", "gift-wrap-price", "gift-wrap-tax", "item-promotion-discount",
                 "ship-promotion-discount", "ship-city", "ship-state", "ship-postal-code", "ship-country",
                 "promotion-ids", "is-business-order", "purchase-order-number", "price-designation"]


def _utc(store: str, month: str, day: int, hour: int, minute: int) -> str:
    y, m = map(int, month.split("-"))
    local = dt.datetime(y, m, day, hour, minute, tzinfo=ZoneInfo(ZONE[store]))
    return local.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def all_orders(folder: Path, sales: pd.DataFrame | None = None) -> list[Path]:
    """The NA account's file (the US store) and the EU account's (UK and DE, one file, Windows-1252)."""
    sales = sample_sales() if sales is None else sales
    paths = []
    for account, stores, encoding in (("NA", ["Lumos US"], "utf-8"), ("EU", ["Lumos UK", "Lumos DE"], "cp1252")):
        lines = ["\t".join(ORDERS_HEADER)]
        n = 0
        for r in sales[sales["store"].isin(stores)].itertuples():
            store, last = r.store, _last_day(r.month)
            parts = _split(int(r.units), _cents(r.revenue), 3)
            for k, (q, cents) in enumerate(parts):
                n += 1
                # the last line of a SKU-month is ordered at 23:30 on the month's last day, local time
                day, hour = ((1 + k * 9, 10) if k < len(parts) - 1 else (last, 23))
                stamp = _utc(store, r.month, day, hour, 30)
                promo = 100 if k == 0 else 0            # a coupon of 1.00 off the first line
                status = "Shipped" if k % 2 == 0 else "Unshipped"
                name = "Schreibtischlampe für Büro" if store == "Lumos DE" else f"{r.sku} product"
                lines.append("\t".join([f"1{n:02d}-{n:07d}-0000001", "", stamp, stamp, status, "Amazon",
                                        CHANNEL[store], "", "", "Expedited", name, r.sku, "B0ORDER001", status, str(q),
                                        CURRENCY[store], f"{(cents + promo) / 100:.2f}", "0.00", "0.00", "0.00", "",
                                        "", f"-{promo / 100:.2f}" if promo else "", "", "Springfield", "", "12345",
                                        MARKET[store], "", "false", "", ""]))
            # a cancelled order and a pending one that month
            for status in ("Cancelled", "Pending"):
                n += 1
                stamp = _utc(store, r.month, 15, 12, 0)
                lines.append("\t".join([f"1{n:02d}-{n:07d}-0000001", "", stamp, stamp, status, "Amazon",
                                        CHANNEL[store], "", "", "Expedited", "x", r.sku, "B0ORDER001",
                                        "Cancelled" if status == "Cancelled" else "Unshipped", "1",
                                        CURRENCY[store], "" if status == "Pending" else "19.99", "", "", "", "", "",
                                        "", "", "", "", "", MARKET[store], "", "false", "", ""]))
        path = folder / f"All_Orders_{account}.txt"
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
        paths.append(path)
    return paths


PREAMBLE_EN = [
    ["Includes Amazon Marketplace, Fulfillment by Amazon (FBA), and Amazon Webstore transactions"],
    ["All amounts in {currency}, unless specified"],
    ["Definitions:"],
    ["Sales tax collected: Includes sales tax collected from buyers for product sales, shipping, and gift wrap."],
    ["Selling fees: Includes variable closing fees and referral fees."],
    ["Other transaction fees: Includes shipping chargebacks, shipping holdbacks, per-item fees  and sales tax "
     "collection fees."],
    ["Other: Includes non-order transaction amounts. For more details see the \"Type\" and \"Description\" columns "
     "for each order ID."],
]
PREAMBLE_DE = [
    ["Enthält Transaktionen für Amazon Marketplace, Versand durch Amazon (FBA) und Amazon Webstore"],
    ["Alle Beträge in EUR, sofern nicht anders angegeben"],
    ["Definitionen:"],
    ["Eingenommene Umsatzsteuer: enthält die von Käufern eingenommene Umsatzsteuer."],
    ["Verkaufsgebühren: enthält variable Abschlussgebühren und Verkaufsgebühren."],
    ["Andere Transaktionsgebühren: enthält Rückbuchungen von Versandkosten und Gebühren pro Artikel."],
    ["Andere: enthält Beträge von Nicht-Bestellungstransaktionen."],
]
TRANSACTION_HEADER_EN = ["date/time", "settlement id", "type", "order id", "sku", "description", "quantity",
                         "marketplace", "account type", "fulfillment", "order city", "order state", "order postal",
                         "tax collection model", "product sales", "product sales tax", "shipping credits",
                         "shipping credits tax", "gift wrap credits", "giftwrap credits tax", "Regulatory Fee",
                         "Tax On Regulatory Fee", "promotional rebates", "promotional rebates tax",
                         "marketplace withheld tax", "selling fees", "fba fees", "other transaction fees", "other",
                         "total"]
TRANSACTION_HEADER_DE = ["Datum/Uhrzeit", "Abrechnungsnummer", "Typ", "Bestellnummer", "SKU", "Beschreibung",
                         "Menge", "Marketplace", "Kontotyp", "Versand", "Ort der Bestellung", "Bundesland",
                         "Postleitzahl", "Steuererhebungsmodell", "Umsätze", "Produktumsatzsteuer",
                         "Gutschrift für Versandkosten", "Steuer auf Versandgutschrift", "Gutschrift für Geschenkverpackung",
                         "Steuer auf Geschenkverpackungsgutschriften", "Regulierungsgebühr",
                         "Steuer auf Regulierungsgebühr", "Rabatte aus Werbeaktionen",
                         "Steuer auf Aktionsrabatte", "Einbehaltene Steuer auf Marketplace", "Verkaufsgebühren",
                         "Gebühren zu Versand durch Amazon", "Andere Transaktionsgebühren", "Andere", "Gesamt"]


def _transaction_date(store: str, month: str, day: int) -> str:
    y, m = map(int, month.split("-"))
    d = dt.datetime(y, m, day, 10, 3, 5)
    if store == "Lumos US":
        zone = "PDT" if 3 < m < 11 else "PST"
        return f"{d:%b} {d.day}, {d.year} {d:%I:%M:%S %p} {zone}"
    if store == "Lumos UK":
        return f"{d.day} {d:%b} {d.year} {d:%H:%M:%S} UTC"
    return f"{d:%d.%m.%Y %H:%M:%S} UTC"


def transactions(folder: Path, sales: pd.DataFrame | None = None) -> list[Path]:
    """Per store a Date Range report over all its months: two Order lines per SKU-month (a promotional rebate on
    the first), a Refund of one unit on each SKU's first line of a month, a Service Fee and a Transfer a month."""
    sales = sample_sales() if sales is None else sales
    paths = []
    for store, group in sales.groupby("store"):
        german = store == "Lumos DE"
        order, refund = ("Bestellung", "Erstattung") if german else ("Order", "Refund")

        def amount(cents: int) -> str:
            text = f"{cents / 100:.2f}"
            return text.replace(".", ",") if german else text

        rows = [[line[0].format(currency=CURRENCY[store])] for line in (PREAMBLE_DE if german else PREAMBLE_EN)]
        rows.append(TRANSACTION_HEADER_DE if german else TRANSACTION_HEADER_EN)
        blank = [""] * 15
        market = CHANNEL[store].lower()
        for r in group.itertuples():
            for k, (q, cents) in enumerate(_split(int(r.units), _cents(r.revenue), 2)):
                rebate = 150 if k == 0 else 0
                fees, fba = -(cents * 15 // 100), -q * 645
                rows.append([_transaction_date(store, r.month, 5 + k * 10), "123456", order, "111-0000001-0000001",
                             r.sku, "product", str(q), market, "Standard Orders", "Amazon", *blank[:4],
                             amount(cents + rebate), "0", "0", "0", "0", "0", "0", "0", amount(-rebate), "0", "0",
                             amount(fees), amount(fba), "0", "0", amount(cents + fees + fba)])
            rows.append([_transaction_date(store, r.month, 20), "123456", refund, "111-0000002-0000001", r.sku,
                         "product", "1", market, "Standard Orders", "Amazon", *blank[:4], amount(-1999), "0", "0",
                         "0", "0", "0", "0", "0", "0", "0", "0", amount(300), "0", "0", "0", amount(-1699)])
        for month in sorted(group["month"].unique()):
            rows.append([_transaction_date(store, month, 2), "123456", "Service Fee", "", "", "Subscription", "", "",
                         "", "", *blank[:4], *(["0"] * 11), amount(-3999), "0", amount(-3999)])
            rows.append([_transaction_date(store, month, 14), "123456", "Transfer", "", "", "To account", "", "", "",
                         "", *blank[:4], *(["0"] * 14), amount(-100000), amount(-100000)])
        out = io.StringIO()
        csv.writer(out, quoting=csv.QUOTE_ALL if not german else csv.QUOTE_MINIMAL, lineterminator="\r\n").writerows(rows)
        path = folder / f"{MARKET[store]}_DateRangeReport.csv"
        path.write_bytes(out.getvalue().encode("utf-8-sig" if not german else "cp1252"))
        paths.append(path)
    return paths
