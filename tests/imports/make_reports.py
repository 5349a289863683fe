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
                            promotional rebates, refunds, service fees and transfers; the DE one in German, or
                            with langs=LOCALISED the US one in Chinese (GBK) and the UK one in Japanese (Shift-JIS,
                            dates 2025/01/15 10:03:05 JST)
    advertising(dir)        a Sponsored Products Advertised product report (daily, .xlsx) per store; with
                            langs=LOCALISED Chinese (GBK CSV), Japanese (Shift-JIS CSV) and German headers
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


ADS_HEADER_DE = ["Datum", "Portfolioname", "Währung", "Kampagnenname", "Anzeigengruppenname", "Beworbene SKU",
                 "Beworbene ASIN", "Impressionen", "Klicks", "Klickrate (CTR)", "Kosten pro Klick (CPC)", "Ausgaben",
                 "Umsatz insgesamt innerhalb von 7 Tagen ", "Zugeschriebene Umsatzkosten insgesamt (ACOS) ",
                 "Return on Advertising Spend (ROAS) insgesamt", "Bestellungen insgesamt innerhalb von 7 Tagen (#)",
                 "Einheiten insgesamt innerhalb von 7 Tagen (#)", "Konversionsrate innerhalb von 7 Tagen",
                 "Einheiten der beworbenen SKU innerhalb von 7 Tagen (#)",
                 "Einheiten anderer SKUs innerhalb von 7 Tagen (#)", "Umsatz der beworbenen SKU innerhalb von 7 Tagen ",
                 "Umsatz anderer SKUs innerhalb von 7 Tagen "]
ADS_HEADER_ZH = ["日期", "广告组合名称", "货币", "广告活动名称", "广告组名称", "广告SKU", "广告ASIN", "展示量", "点击量",
                 "点击率 (CTR)", "单次点击成本 (CPC)", "花费", "7天总销售额 ", "广告投入产出比 (ACOS) 总计 ",
                 "投入产出比 (ROAS) 总计", "7天总订单数(#)", "7天总销量(#)", "7天的转化率", "7天内广告SKU销量(#)",
                 "7天内其他SKU销量(#)", "7天内广告SKU销售额 ", "7天内其他SKU销售额 "]
ADS_HEADER_JA = ["日付", "ポートフォリオ名", "通貨", "キャンペーン名", "広告グループ名", "広告対象SKU", "広告対象ASIN",
                 "インプレッション", "クリック", "クリックスルー率 (CTR)", "クリック単価 (CPC)", "費用",
                 "7日間の総売上高 ", "広告費売上高比率 (ACOS) 合計 ", "広告費用対効果 (ROAS) 合計",
                 "7日間の総注文数 (#)", "7日間の総販売数 (#)", "7日間のコンバージョン率", "7日間の広告SKU販売数 (#)",
                 "7日間のその他のSKU販売数 (#)", "7日間の広告SKU売上 ", "7日間のその他のSKU売上 "]
# per language: the header, and the encoding of a CSV download (None: an .xlsx)
ADS_LANGS = {"en": (ADS_HEADER, None), "de": (ADS_HEADER_DE, None), "zh": (ADS_HEADER_ZH, "gbk"),
             "ja": (ADS_HEADER_JA, "cp932")}


def advertising(folder: Path, sales: pd.DataFrame | None = None, langs: dict[str, str] | None = None) -> list[Path]:
    """Per store a daily report: each SKU-month's spend over two campaigns on two days (the 3rd and the last).
    `langs`: store -> the report's language (default English); a Chinese (GBK) or Japanese (Shift-JIS) report
    is a CSV with its dates as text (2025-01-03, 2025/01/03), the others .xlsx."""
    sales = sample_sales() if sales is None else sales
    paths = []
    for store, group in sales.groupby("store"):
        lang = (langs or {}).get(store, "en")
        header, encoding = ADS_LANGS[lang]
        rows = [header]
        for r in group.itertuples():
            y, m = map(int, r.month.split("-"))
            (q1, c1), (q2, c2) = (_split(2, _cents(r.ad_spend), 2))
            for day, cents, campaign in ((3, c1, "Auto - all"), (_last_day(r.month), c2, "Exact - brand")):
                date = dt.datetime(y, m, day)
                if encoding is not None:
                    date = f"{date:%Y/%m/%d}" if lang == "ja" else f"{date:%Y-%m-%d}"
                rows.append([date, "Lumos", CURRENCY[store], campaign, "Ad group 1", r.sku,
                             "B0ADV00001", 1000, 20, 0.02, round(cents / 2000, 2), cents / 100, cents / 40, 0.25, 4.0,
                             3, 3, 0.15, 2, 1, cents / 50, cents / 200])
        stem = f"Sponsored_Products_Advertised_product_report_{MARKET[store]}"
        if encoding is None:
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.title = "Sponsored Product Advertised P"
            for row in rows:
                ws.append(row)
            path = folder / f"{stem}.xlsx"
            wb.save(path)
        else:
            out = io.StringIO()
            csv.writer(out, lineterminator="\r\n").writerows(rows)
            path = folder / f"{stem}.csv"
            path.write_bytes(out.getvalue().encode(encoding))
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


TRANSACTION_HEADER_ZH = ["日期/时间", "结算编号", "类型", "订单编号", "SKU", "描述", "数量", "商城", "账户类型", "配送",
                         "订单城市", "订单州", "订单邮编", "税收模式", "商品销售", "商品销售税", "运费积分", "运费积分税",
                         "礼品包装积分", "礼品包装积分税", "Regulatory Fee", "Tax On Regulatory Fee", "促销返点",
                         "促销返点税", "市场预扣税", "销售佣金", "FBA 费用", "其他交易费用", "其他", "总计"]
TRANSACTION_HEADER_JA = ["日付/時間", "決済番号", "トランザクションの種類", "注文番号", "SKU", "説明", "数量",
                         "Amazon 出品サービス", "アカウントタイプ", "フルフィルメント", "市町村", "都道府県", "郵便番号",
                         "税金徴収型", "商品売上", "商品の売上税", "配送料", "配送料の税金", "ギフト包装手数料",
                         "ギフト包装クレジットの税金", "規制手数料", "規制手数料の税金", "プロモーション割引額",
                         "プロモーション割引の税金", "源泉徴収税を伴うマーケットプレイス", "手数料", "FBA 手数料",
                         "トランザクションに関するその他の手数料", "その他", "合計"]
PREAMBLE_ZH = [["包括亚马逊商城、亚马逊物流 (FBA) 和亚马逊网店交易"], ["除非另有说明，所有金额均以 {currency} 为单位"],
               ["定义："], ["已收取的销售税：包括向买家收取的商品、运费和礼品包装的销售税。"],
               ["销售佣金：包括可变结算费和销售佣金。"], ["其他交易费用：包括运费扣款、运费预留和按件收取的费用。"],
               ["其他：包括非订单交易金额。"]]
PREAMBLE_JA = [["Amazon マーケットプレイス、フルフィルメント by Amazon (FBA)、Amazon Webstore のトランザクションを含む"],
               ["特に記載がない限り、金額はすべて {currency} です"], ["定義:"],
               ["売上税: 購入者から徴収した商品、配送料、ギフト包装の売上税を含む"], ["手数料: 成約料と販売手数料を含む"],
               ["トランザクションに関するその他の手数料: 配送料のチャージバックなどを含む"],
               ["その他: 注文以外のトランザクションの金額を含む"]]
# per language: preamble, header, the words of the types Order, Refund, Service Fee, Transfer, the encoding
TRANSACTION_LANGS = {
    "en": (PREAMBLE_EN, TRANSACTION_HEADER_EN, ("Order", "Refund", "Service Fee", "Transfer"), "utf-8-sig"),
    "de": (PREAMBLE_DE, TRANSACTION_HEADER_DE, ("Bestellung", "Erstattung", "Servicegebühr", "Übertrag"), "cp1252"),
    "zh": (PREAMBLE_ZH, TRANSACTION_HEADER_ZH, ("订单", "退款", "服务费", "转账"), "gbk"),
    "ja": (PREAMBLE_JA, TRANSACTION_HEADER_JA, ("注文", "返金", "サービス料", "振込み"), "cp932"),
}
LANG_OF_STORE = {"Lumos US": "en", "Lumos UK": "en", "Lumos DE": "de"}
LOCALISED = {"Lumos US": "zh", "Lumos UK": "ja", "Lumos DE": "de"}


def _transaction_date(store: str, month: str, day: int, lang: str = "en") -> str:
    y, m = map(int, month.split("-"))
    d = dt.datetime(y, m, day, 10, 3, 5)
    if lang == "ja":
        return f"{d:%Y/%m/%d %H:%M:%S} JST"
    if lang == "zh":
        zone = "PDT" if 3 < m < 11 else "PST"
        return f"{d.year}年{d.month}月{d.day}日 {d:%H:%M:%S} {zone}"
    if store == "Lumos US":
        zone = "PDT" if 3 < m < 11 else "PST"
        return f"{d:%b} {d.day}, {d.year} {d:%I:%M:%S %p} {zone}"
    if store == "Lumos UK":
        return f"{d.day} {d:%b} {d.year} {d:%H:%M:%S} UTC"
    return f"{d:%d.%m.%Y %H:%M:%S} UTC"


def transactions(folder: Path, sales: pd.DataFrame | None = None, langs: dict[str, str] | None = None) -> list[Path]:
    """Per store a Date Range report over all its months: two Order lines per SKU-month (a promotional rebate on
    the first), a Refund of one unit on each SKU's first line of a month, a Service Fee and a Transfer a month.
    `langs`: store -> the report's language (en, de, zh in GBK, ja in Shift-JIS; default US and UK English, DE
    German)."""
    sales = sample_sales() if sales is None else sales
    langs = langs or LANG_OF_STORE
    paths = []
    for store, group in sales.groupby("store"):
        lang = langs[store]
        preamble, header, (order, refund, service, transfer), encoding = TRANSACTION_LANGS[lang]
        german = lang == "de"

        def amount(cents: int) -> str:
            text = f"{cents / 100:.2f}"
            return text.replace(".", ",") if german else text

        rows = [[line[0].format(currency=CURRENCY[store])] for line in preamble]
        rows.append(header)
        blank = [""] * 15
        market = CHANNEL[store].lower()
        for r in group.itertuples():
            for k, (q, cents) in enumerate(_split(int(r.units), _cents(r.revenue), 2)):
                rebate = 150 if k == 0 else 0
                fees, fba = -(cents * 15 // 100), -q * 645
                rows.append([_transaction_date(store, r.month, 5 + k * 10, lang), "123456", order,
                             "111-0000001-0000001", r.sku, "product", str(q), market, "Standard Orders", "Amazon",
                             *blank[:4], amount(cents + rebate), "0", "0", "0", "0", "0", "0", "0", amount(-rebate),
                             "0", "0", amount(fees), amount(fba), "0", "0", amount(cents + fees + fba)])
            rows.append([_transaction_date(store, r.month, 20, lang), "123456", refund, "111-0000002-0000001", r.sku,
                         "product", "1", market, "Standard Orders", "Amazon", *blank[:4], amount(-1999), "0", "0",
                         "0", "0", "0", "0", "0", "0", "0", "0", amount(300), "0", "0", "0", amount(-1699)])
        for month in sorted(group["month"].unique()):
            rows.append([_transaction_date(store, month, 2, lang), "123456", service, "", "", "Subscription", "", "",
                         "", "", *blank[:4], *(["0"] * 11), amount(-3999), "0", amount(-3999)])
            rows.append([_transaction_date(store, month, 14, lang), "123456", transfer, "", "", "To account", "", "",
                         "", "", *blank[:4], *(["0"] * 14), amount(-100000), amount(-100000)])
        out = io.StringIO()
        csv.writer(out, quoting=csv.QUOTE_ALL if lang == "en" else csv.QUOTE_MINIMAL,
                   lineterminator="\r\n").writerows(rows)
        path = folder / f"{MARKET[store]}_DateRangeReport.csv"
        path.write_bytes(out.getvalue().encode(encoding))
        paths.append(path)
    return paths


ERP_STORE = {"Lumos US": "Lumos-US", "Lumos UK": "Lumos-UK", "Lumos DE": "Lumos-DE"}
ERP_COUNTRY = {"Lumos US": "美国", "Lumos UK": "英国", "Lumos DE": "德国"}


def lingxing(folder: Path, sales: pd.DataFrame | None = None, jijia: bool = False) -> Path:
    """Lingxing's 产品表现 export (.xlsx) of every store, by day: each SKU-month on two days; the ERP's local
    `SKU` stands before `MSKU`; shops named `Lumos-US`; ad spend and refunds (none) beside.  With `jijia`, 积加's
    export: dated `日期`, its local SKU column `本地SKU`, and a CSV in GBK."""
    sales = sample_sales() if sales is None else sales
    header = ["日期" if jijia else "统计日期", "店铺", "国家", "本地SKU" if jijia else "SKU", "MSKU", "ASIN", "品名", "销量",
              "订单量", "销售额", "广告花费", "退款量", "退款金额"]
    rows = [header]
    for i, r in enumerate(sales.itertuples()):
        units_cents = _split(int(r.units), _cents(r.revenue), 2)
        ads = _split(2, _cents(r.ad_spend), 2)
        for k, ((q, cents), (_, ad)) in enumerate(zip(units_cents, ads)):
            rows.append([f"{r.month}-{1 + 14 * k:02d}", ERP_STORE[r.store], ERP_COUNTRY[r.store], f"LOCAL-{i:04d}",
                         r.sku, "B0ERP00001", f"{r.sku} 台灯", q, q, cents / 100, ad / 100, 0, 0])
    if jijia:
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        path = folder / "积加_销量统计.csv"
        path.write_bytes(out.getvalue().encode("gbk"))
        return path
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "产品表现"
    for row in rows:
        ws.append(row)
    path = folder / "领星_产品表现.xlsx"
    wb.save(path)
    return path


def mabang(folder: Path, sales: pd.DataFrame | None = None) -> Path:
    """Mabang's order export (.xlsx) of every store: each SKU-month in three orders paid on the 2nd, 11th and 20th
    (Beijing time as written), local `SKU` before `平台SKU`, and a cancelled (已作废) order a SKU-month."""
    sales = sample_sales() if sales is None else sales
    header = ["订单编号", "店铺名称", "平台", "站点", "订单状态", "付款时间", "SKU", "平台SKU", "商品名称", "商品数量",
              "商品总金额", "运费", "币种"]
    rows = [header]
    n = 0
    for i, r in enumerate(sales.itertuples()):
        for k, (q, cents) in enumerate(_split(int(r.units), _cents(r.revenue), 3)):
            n += 1
            rows.append([f"MB{n:08d}", ERP_STORE[r.store], "Amazon", ERP_COUNTRY[r.store], "已发货",
                         f"{r.month}-{2 + 9 * k:02d} 10:03:05", f"LOCAL-{i:04d}", r.sku, "台灯", q, cents / 100, 0,
                         CURRENCY[r.store]])
        n += 1
        rows.append([f"MB{n:08d}", ERP_STORE[r.store], "Amazon", ERP_COUNTRY[r.store], "已作废",
                     f"{r.month}-15 12:00:00", f"LOCAL-{i:04d}", r.sku, "台灯", 1, 19.99, 0, CURRENCY[r.store]])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "订单"
    for row in rows:
        ws.append(row)
    path = folder / "马帮_订单导出.xlsx"
    wb.save(path)
    return path
