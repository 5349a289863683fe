"""SKU economics from the reports (issue 16): the transaction report's actual referral rate, FBA fee per unit and
return rate, the FBA Fee Preview's price, FBA fee and referral rate, written into blank SKUs cells only, listed
on the Imports sheet, shown as derived on the plan's Assumptions sheet; `--refresh` replaces only what an earlier
import derived."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from goalsheet.cli import cli
from goalsheet.imports import import_reports
from goalsheet.inputs import load
from goalsheet.plan import make_plan
from imports import make_reports
from imports.test_import_reports import emptied_sample

BLANKED = ("referral_rate", "fba_fee", "return_rate")


def sample_with_blank_economics(folder: Path) -> Path:
    """The sample book, Sales emptied, with LM-DL01 (Lumos US)'s referral_rate, fba_fee and return_rate blank
    (LM-MS02 keeps the 0.15, 7.20 and 0.03 the seller typed)."""
    path = emptied_sample(folder)
    wb = openpyxl.load_workbook(path)
    ws = wb["SKUs"]
    heads = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if (row[0].value, row[1].value) == ("Lumos US", "LM-DL01"):
            for key in BLANKED:
                row[heads.index(key)].value = None
    wb.save(path)
    return path


def transaction_report(folder: Path, lines: list[tuple], name: str = "US_DateRangeReport.csv",
                       lang: str = "en") -> Path:
    """A US Date Range transaction report in `lang` (make_reports.TRANSACTION_LANGS: its preamble, header, type
    words and encoding), per line (date, type, sku, quantity, product sales, selling fees, fba fees); the types
    written in English here are put in the report's language."""
    preamble, header, words, encoding = make_reports.TRANSACTION_LANGS[lang]
    english = make_reports.TRANSACTION_HEADER_EN
    rows = [[line[0].format(currency="USD")] for line in preamble]
    rows.append(header)
    for date, kind, sku, qty, sales, fees, fba in lines:
        row = [""] * len(header)
        kind = dict(zip(("Order", "Refund", "Service Fee", "Transfer"), words))[kind]
        values = {"date/time": date, "type": kind, "sku": sku, "quantity": qty, "marketplace": "amazon.com",
                  "product sales": sales, "selling fees": fees, "fba fees": fba}
        for key, value in values.items():
            row[english.index(key)] = value
        rows.append(row)
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    path = folder / name
    path.write_bytes(out.getvalue().encode(encoding))
    return path


# LM-DL01 in January and February 2025:
#   Order 2 units, sales 100.00, selling fees −15.00, FBA −12.90
#   Order 1 unit,  sales  50.00, selling fees  −7.80, FBA  −6.45
#   Order 1 unit,  sales  50.00, selling fees  −7.50, FBA  −6.45      (February)
#   Refund 1 unit, sales −50.00, selling fees  +6.00                   (February)
SMALL = [("Jan 5, 2025 10:03:05 AM PST", "Order", "LM-DL01", "2", "100.00", "-15.00", "-12.90"),
         ("Jan 20, 2025 9:00:00 AM PST", "Order", "LM-DL01", "1", "50.00", "-7.80", "-6.45"),
         ("Feb 3, 2025 11:00:00 PM PST", "Order", "LM-DL01", "1", "50.00", "-7.50", "-6.45"),
         ("Feb 10, 2025 8:00:00 AM PST", "Refund", "LM-DL01", "1", "-50.00", "6.00", "0"),
         ("Feb 14, 2025 8:00:00 AM PST", "Service Fee", "", "", "0", "0", "0"),
         ("Jan 7, 2025 8:00:00 AM PST", "Order", "LM-MS02", "1", "40.00", "-6.40", "-7.00")]


def _skus(path: Path) -> dict[tuple[str, str], dict]:
    ws = openpyxl.load_workbook(path)["SKUs"]
    rows = list(ws.iter_rows(values_only=True))
    return {(r[0], r[1]): dict(zip(rows[0], r)) for r in rows[1:] if r[1]}


def _derived_table(path: Path) -> list[tuple]:
    ws = openpyxl.load_workbook(path)["Imports"]
    return [r[8:14] for r in ws.iter_rows(values_only=True) if any(v is not None for v in r[8:14])]


def test_the_transaction_report_gives_referral_rate_fba_fee_and_return_rate_into_blank_cells(tmp_path):
    """LM-DL01 (lines above), Order lines only for the fees:
        referral_rate = (15.00 + 7.80 + 7.50) / (100 + 50 + 50) = 30.30 / 200 = 0.1515
        fba_fee       = (12.90 + 6.45 + 6.45) / (2 + 1 + 1)     = 25.80 / 4   = 6.45
        return_rate   = 1 refunded unit / 4 ordered              = 0.25
    over 2025-01 .. 2025-02.  LM-MS02's cells hold what the seller typed (0.15, 7.20, 0.03): kept, although its
    order says 6.40 / 40 = 0.16 and 7.00."""
    book = sample_with_blank_economics(tmp_path)
    report = transaction_report(tmp_path, SMALL)
    result = CliRunner().invoke(cli, ["import", str(report), "--into", str(book)])
    assert result.exit_code == 0, result.output
    skus = _skus(book)
    dl = skus[("Lumos US", "LM-DL01")]
    assert (dl["referral_rate"], dl["fba_fee"], dl["return_rate"]) == (0.1515, 6.45, 0.25)
    ms = skus[("Lumos US", "LM-MS02")]
    assert (ms["referral_rate"], ms["fba_fee"], ms["return_rate"]) == (0.15, 7.2, 0.03)
    assert "3 value(s)" in result.output and "3 kept as you typed" in result.output
    table = _derived_table(book)
    assert table[0] == ("store", "SKU", "derived column", "value", "from report", "period")
    assert sorted(table[1:]) == sorted([
        ("Lumos US", "LM-DL01", "referral_rate", 0.1515, report.name, "2025-01 .. 2025-02"),
        ("Lumos US", "LM-DL01", "fba_fee", 6.45, report.name, "2025-01 .. 2025-02"),
        ("Lumos US", "LM-DL01", "return_rate", 0.25, report.name, "2025-01 .. 2025-02")])
    # importing again changes nothing
    before = (_skus(book), _derived_table(book))
    assert CliRunner().invoke(cli, ["import", str(report), "--into", str(book)]).exit_code == 0
    assert (_skus(book), _derived_table(book)) == before


@pytest.mark.parametrize("lang, dates", [("zh", "{y}年{m}月{d}日 10:03:05 PST"), ("ja", "{y}/{m:02d}/{d:02d} 10:03:05 JST")])
def test_chinese_and_japanese_transaction_reports_give_the_same_fees(tmp_path, lang, dates):
    """The lines of SMALL in a Chinese (GBK: 销售佣金, FBA 费用) or Japanese (Shift-JIS: 手数料, FBA 手数料) report,
    dated the report's way: the same 0.1515, 6.45 and 0.25 as worked out above."""
    book = sample_with_blank_economics(tmp_path)
    lines = [(dates.format(y=2025, m=int(d[:3] == "Feb") + 1, d=int(d.split()[1].rstrip(","))), *rest)
             for d, *rest in SMALL]
    result = import_reports([transaction_report(tmp_path, lines, lang=lang)], book)
    dl = _skus(book)[("Lumos US", "LM-DL01")]
    assert (dl["referral_rate"], dl["fba_fee"], dl["return_rate"]) == (0.1515, 6.45, 0.25), result.lines
    assert _derived_table(book)[1][5] == "2025-01 .. 2025-02"


def test_the_plan_shows_derived_values_on_its_assumptions_sheet_until_the_seller_types_over_them(tmp_path):
    """After the import above, the plan's Assumptions sheet has a derived row per (column, report, period) for
    LM-DL01 with the report's name and months; once the seller types 6.10 over the FBA fee, that value is the
    seller's (no derived fba_fee row), the other two stay derived."""
    book = sample_with_blank_economics(tmp_path)
    report = transaction_report(tmp_path, SMALL)
    import_reports([report], book)

    def derived_rows() -> dict[str, tuple]:
        loaded, problems = load(book)
        assert loaded is not None, [p.message for p in problems if p.severity == "error"]
        table = make_plan(loaded)[0].tables["assumptions"]
        rows = table[table["source"] == "derived"]
        return {r["setting"]: (r["value"], r["note_args"]) for r in rows.to_dict("records")
                if r["label_code"] == "sku_default"}

    rows = derived_rows()
    assert set(rows) == {"SKUs: referral_rate [1 SKU]", "SKUs: fba_fee [1 SKU]", "SKUs: return_rate [1 SKU]"}
    value, note = rows["SKUs: referral_rate [1 SKU]"]
    assert value == 0.1515 and note["report"] == report.name and note["period"] == "2025-01 .. 2025-02"
    from goalsheet.report.assumptions import note_words
    en, zh = note_words("from_report", note)
    assert report.name in en and "2025-01 .. 2025-02" in en and report.name in zh

    wb = openpyxl.load_workbook(book)
    ws = wb["SKUs"]
    heads = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if (r[0].value, r[1].value) == ("Lumos US", "LM-DL01"))
    row[heads.index("fba_fee")].value = 6.10
    wb.save(book)
    assert set(derived_rows()) == {"SKUs: referral_rate [1 SKU]", "SKUs: return_rate [1 SKU]"}


def test_refresh_replaces_only_what_an_earlier_import_derived(tmp_path):
    """A later report (March: 1 unit, sales 60.00, fees −9.60, FBA −7.00: referral 9.60 / 60 = 0.16, FBA 7.00,
    return 0 / 1 = 0): without --refresh nothing changes (the cells hold derived values); with --refresh the
    derived referral and return rates are replaced, and the fba_fee the seller typed over (6.10) is kept."""
    book = sample_with_blank_economics(tmp_path)
    import_reports([transaction_report(tmp_path, SMALL)], book)
    wb = openpyxl.load_workbook(book)
    ws = wb["SKUs"]
    heads = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if (r[0].value, r[1].value) == ("Lumos US", "LM-DL01"))
    row[heads.index("fba_fee")].value = 6.10
    wb.save(book)
    later = transaction_report(tmp_path, [("Mar 3, 2025 10:00:00 AM PST", "Order", "LM-DL01", "1", "60.00", "-9.60",
                                           "-7.00")], name="US_March.csv")
    import_reports([later], book)
    dl = _skus(book)[("Lumos US", "LM-DL01")]
    assert (dl["referral_rate"], dl["fba_fee"], dl["return_rate"]) == (0.1515, 6.1, 0.25)
    result = CliRunner().invoke(cli, ["import", str(later), "--into", str(book), "--refresh"])
    assert result.exit_code == 0, result.output
    dl = _skus(book)[("Lumos US", "LM-DL01")]
    assert (dl["referral_rate"], dl["fba_fee"], dl["return_rate"]) == (0.16, 6.1, 0)
    lines = {(r[1], r[2]): r for r in _derived_table(book)[1:]}
    assert lines[("LM-DL01", "referral_rate")][4:] == ("US_March.csv", "2025-03")


FEE_PREVIEW_HEADER = ["sku", "fnsku", "asin", "amazon-store", "product-name", "product-group", "brand", "fulfilled-by",
                      "your-price", "sales-price", "longest-side", "median-side", "shortest-side", "length-and-girth",
                      "unit-of-dimension", "item-package-weight", "unit-of-weight", "product-size-weight-band",
                      "currency", "estimated-fee-total", "estimated-referral-fee-per-unit",
                      "estimated-variable-closing-fee", "estimated-order-handling-fee-per-order",
                      "estimated-pick-pack-fee-per-unit", "estimated-weight-handling-fee-per-unit",
                      "expected-fulfillment-fee-per-unit"]


def fee_preview(folder: Path, rows: list[tuple]) -> Path:
    """An FBA Fee Preview flat file: per row (sku, amazon-store, your-price, currency, referral fee, FBA fee)."""
    lines = ["\t".join(FEE_PREVIEW_HEADER)]
    for sku, store, price, currency, referral, fba in rows:
        row = dict.fromkeys(FEE_PREVIEW_HEADER, "")
        row.update({"sku": sku, "amazon-store": store, "your-price": price, "currency": currency,
                    "estimated-referral-fee-per-unit": referral, "expected-fulfillment-fee-per-unit": fba,
                    "fulfilled-by": "Amazon", "asin": "B0FEE00001"})
        lines.append("\t".join(row[h] for h in FEE_PREVIEW_HEADER))
    path = folder / "FBA_Fee_Preview.txt"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def test_the_fee_preview_gives_price_fba_fee_and_referral_rate(tmp_path):
    """LM-DL01 (US): your-price 40.00, referral fee 6.00, FBA 6.58 -> price 40.00, referral_rate 6.00 / 40 = 0.15,
    fba_fee 6.58 into its blank cells (price is typed: 45.99 kept).  LM-NEW01 (DE), not on the SKUs sheet:
    price 25.00, referral 4.00 / 25 = 0.16, FBA 3.10, a new row of store Lumos DE.  A row with no price is left
    out; the period is the day of the import."""
    book = sample_with_blank_economics(tmp_path)
    report = fee_preview(tmp_path, [("LM-DL01", "US", "40.00", "USD", "6.00", "6.58"),
                                    ("LM-NEW01", "DE", "25.00", "EUR", "4.00", "3.10"),
                                    ("LM-GONE", "US", "", "USD", "", "")])
    result = import_reports([report], book, today="2026-01-15")
    skus = _skus(book)
    dl = skus[("Lumos US", "LM-DL01")]
    assert (dl["price"], dl["referral_rate"], dl["fba_fee"], dl["return_rate"]) == (45.99, 0.15, 6.58, None)
    new = skus[("Lumos DE", "LM-NEW01")]
    assert (new["price"], new["referral_rate"], new["fba_fee"], new["cogs"]) == (25.0, 0.16, 3.1, None)
    assert ("Lumos US", "LM-GONE") not in skus
    assert any("no price" in line for line in result.lines)
    lines = {(r[0], r[1], r[2]): r for r in _derived_table(book)[1:]}
    assert lines[("Lumos DE", "LM-NEW01", "price")][3:] == (25.0, report.name, "2026-01-15")
    assert ("Lumos US", "LM-DL01", "price") not in lines
