"""Reading real-world layouts: golden tables, title rows, merged cells, wide and daily Sales, Chinese
names, defaults (SPEC.md sections 2, 3.2).  Expected figures worked by hand from the golden rows."""
from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from broken import golden, rows_to_xlsx  # noqa: E402

from goalsheet.inputs import from_rows, load  # noqa: E402
from goalsheet.words import Phrase  # noqa: E402

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "golden_seller.xlsx"


def errors(problems):
    return [p for p in problems if p.severity == "error"]


def warnings(problems):
    return [str(p) for p in problems if p.severity == "warning"]


# ---------------------------------------------------------------- the golden seller

def test_golden_file_loads_without_errors_and_matches_its_rows():
    """24 months × 6 SKUs = 144 Sales rows; 6 SKUs; 2 stores; Acme DE is marketplace DE, so its SKUs get
    VAT 19 % and DST 0 by default (SPEC 3.2), recorded in defaults."""
    book, problems = load(GOLDEN)
    assert not errors(problems), problems
    assert len(book.sales) == 144
    assert len(book.skus) == 6
    assert book.stores["store"].tolist() == ["Acme US", "Acme DE"]
    assert book.source_sha256 == hashlib.sha256(GOLDEN.read_bytes()).hexdigest()
    assert book.source_name == "golden_seller.xlsx"
    assert book.lang == "en"
    de = book.skus[book.skus["store"] == "Acme DE"]
    assert de["vat_rate"].tolist() == [0.19, 0.19, 0.19]
    recorded = {(d.row, d.column): (d.value, d.reason) for d in book.defaults}
    assert recorded[("Acme DE / DE-LAMP-01", "vat_rate")] == (0.19, Phrase("reason_marketplace", {"marketplace": "DE"}))
    assert recorded[("Acme US / US-LAMP-01", "vat_rate")] == (0.0, Phrase("reason_marketplace", {"marketplace": "US"}))
    # store defaults by marketplace: monthly fee 39.99 USD (US) and 39 EUR (DE); referral_min 0.30
    assert book.stores["monthly_fee"].tolist() == [39.99, 39.0]
    assert book.stores["referral_min"].tolist() == [0.30, 0.30]
    assert book.fx == {"CNY": 1.0, "USD": 7.2, "EUR": 7.8}
    # Settings: constant defaults applied and recorded; derived ones (plan_year, ...) left absent
    assert book.settings["payout_fee_rate"] == 0.01 and book.settings["lead_time_days"] == 45
    assert "plan_year" not in book.settings and "new_price" not in book.settings
    assert ("payout_fee_rate", "payout_fee_rate") in recorded
    # blank derived SKU columns stay NaN for the planner: ad_rate of US-LAMP-01, return_cost
    lamp = book.skus.iloc[0]
    assert lamp["ad_rate"] != lamp["ad_rate"] and lamp["return_cost"] != lamp["return_cost"]


def test_golden_rows_and_file_agree():
    """from_rows(golden_sheets()) gives the same tables as loading the written file."""
    a, pa = from_rows(golden())
    b, pb = load(GOLDEN)
    assert not errors(pa) and not errors(pb)
    assert a.sales.equals(b.sales)
    assert a.skus.equals(b.skus)
    assert a.settings == b.settings


def test_sales_sums_and_sorting():
    """First row sorted by month, store, SKU is 2024-01 / Acme DE / DE-BOTTLE-02 (D before U, B before L)."""
    book, _ = from_rows(golden())
    first = book.sales.iloc[0]
    assert (first["month"], first["store"], first["sku"]) == ("2024-01", "Acme DE", "DE-BOTTLE-02")
    assert book.sales["refunds"].eq(0).all()
    assert list(book.sales.columns) == ["month", "store", "sku", "units", "revenue", "ad_spend", "refunds"]


# ---------------------------------------------------------------- layouts

def test_title_rows_merged_store_cells_and_chinese_headers(tmp_path):
    """A Chinese SKUs sheet: two title rows, headers like `price 售价`, the store merged down its rows."""
    import openpyxl

    s = golden()
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in s.items():
        if name == "SKUs":
            continue
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    ws = wb.create_sheet("产品")
    ws.append(["产品成本表 2026"])
    ws.append([])
    header = ["店铺 store", "SKU", "售价 price", "采购成本", "FBA配送费", "运营"]
    ws.append(header)                                      # header on row 3
    for r in s["SKUs"][1:]:
        ws.append([r[0], r[1], r[5], r[6], r[10], None])
    ws.merge_cells("A4:A6")                                # Acme US, rows 4-6
    ws.merge_cells("A7:A9")                                # Acme DE, rows 7-9
    ws["C8"] = "oops"                                      # DE-BOTTLE-02's price, row 8
    path = tmp_path / "zh.xlsx"
    wb.save(path)
    book, problems = load(path)
    assert [str(p) for p in errors(problems)] == ['产品!C8: 售价 price "oops" is not a number']
    ws["C8"] = 26.99
    wb.save(path)
    book, problems = load(path)
    assert not errors(problems), problems
    assert book.skus["store"].tolist() == ["Acme US"] * 3 + ["Acme DE"] * 3
    assert book.skus["price"].tolist()[:2] == [39.99, 24.99]
    # operator blank -> the store's operator, recorded
    assert book.skus["operator"].tolist() == ["Wang Fang"] * 3 + ["Chen Jie"] * 3
    assert any(d.column == "operator" and d.row == "Acme DE / DE-ORG-03" for d in book.defaults)


def test_lang_is_zh_when_sheet_names_are_chinese():
    s = golden()
    names = {"Settings": "设置", "Sales": "销售", "SKUs": "产品", "Stores": "店铺", "FX": "汇率"}
    book, problems = from_rows({names.get(k, k): v for k, v in s.items()})
    assert not errors(problems), problems
    assert book.lang == "zh"
    assert book.sheet_names["Sales"] == "销售"


def test_wide_sales_form():
    """Acme US / US-LAMP-01: revenue 100 in 2025-01 and 200 in 2025-02, units 5 and 10; ad_spend block too."""
    s = golden()
    s["Sales"] = [
        ["store", "sku", "2025-01", "2025-02", "units 2025-01", "销量 2025年2月", "ad_spend 2025-01"],
        ["Acme US", "US-LAMP-01", 100, 200, 5, 10, 12.5],
        ["Acme DE", "DE-LAMP-01", 50, None, 1, None, None],
    ]
    book, problems = from_rows(s)
    assert not errors(problems), problems
    got = {(r.month, r.store, r.sku): (r.units, r.revenue, r.ad_spend) for r in book.sales.itertuples()}
    assert got == {("2025-01", "Acme DE", "DE-LAMP-01"): (1, 50, 0),
                   ("2025-01", "Acme US", "US-LAMP-01"): (5, 100, 12.5),
                   ("2025-02", "Acme US", "US-LAMP-01"): (10, 200, 0)}


def test_daily_rows_sum_into_months_with_seller_central_headers():
    """Seller Central style: Date, Units Ordered, Ordered Product Sales ("$1,234.50" text).
    March: 2 + 3 = 5 units, 79.98 + 119.97 = 199.95; April 1 unit, 39.99."""
    s = golden()
    s["Sales"] = [
        ["Date", "Store", "SKU", "Units Ordered", "Ordered Product Sales"],
        [dt.date(2025, 3, 1), "Acme US", "US-LAMP-01", 2, "$79.98"],
        [dt.datetime(2025, 3, 17), "Acme US", "US-LAMP-01", 3, "$119.97"],
        ["2025-04-02", "Acme US", "US-LAMP-01", 1, 39.99],
        [None, None, None, None, None],                    # a blank row is skipped
    ]
    book, problems = from_rows(s)
    assert not errors(problems), problems
    assert book.sales[["month", "units"]].values.tolist() == [["2025-03", 5.0], ["2025-04", 1.0]]
    assert book.sales["revenue"].tolist() == pytest.approx([199.95, 39.99])


def test_no_stores_sheet_takes_stores_from_sales_as_us():
    s = golden()
    del s["Stores"]
    book, problems = from_rows(s)
    assert not errors(problems), problems
    assert set(book.stores["store"]) == {"Acme US", "Acme DE"}
    assert set(book.stores["marketplace"]) == {"US"} and set(book.stores["currency"]) == {"USD"}
    assert any("no Stores sheet" in w for w in warnings(problems))


def test_settings_percent_warning_unknown_key_and_headerless():
    """monthly_growth 5 (plain, range up to 50 %) is read as 5 % with a warning; an unknown key warns."""
    s = golden()
    s["Settings"] = [r for r in s["Settings"][1:]]         # no header row: key/value straight away
    s["Settings"][2][1] = 5                                # monthly_growth (row 3 without header)
    s["Settings"].append(["colour", "blue", ""])          # 12 settings rows, so this is row 13
    book, problems = from_rows(s)
    assert not errors(problems), problems
    assert book.settings["monthly_growth"] == pytest.approx(0.05)
    w = warnings(problems)
    assert "Settings!B3: monthly_growth 5 read as 5 %" in w
    assert any(x.startswith("Settings!A13") and "colour" in x for x in w)


def test_marketplace_without_defaults_warns_and_uses_zero():
    """A store on AU: no VAT, DST, fee or referral_min listed -> 0 and one warning naming them."""
    s = golden()
    s["Stores"].append(["Acme AU", "AU", "AUD", "Wang Fang"])
    s["FX"].append(["AUD", 4.7])
    book, problems = from_rows(s)
    assert not errors(problems), problems
    au = book.stores[book.stores["store"] == "Acme AU"].iloc[0]
    assert au["monthly_fee"] == 0 and au["referral_min"] == 0
    msg = [w for w in warnings(problems) if "Acme AU" in w]
    assert len(msg) == 1 and all(k in msg[0] for k in ("monthly_fee", "referral_min", "vat_rate", "dst_rate"))


def test_formula_cells_with_cached_values_are_fine(tmp_path):
    """A formula Excel saved with its value reads as the value (written by hand: <f> and <v>)."""
    import zipfile

    src = rows_to_xlsx(golden(), tmp_path / "a.xlsx", formulas={("SKUs", "F2"): "=39.99*1"})
    out = tmp_path / "b.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if b"<f>39.99*1</f>" in data:
                data = data.replace(b"<f>39.99*1</f><v></v>", b"<f>39.99*1</f><v>39.99</v>")
                data = data.replace(b"<f>39.99*1</f><v/>", b"<f>39.99*1</f><v>39.99</v>")
                data = data.replace(b"<f>39.99*1</f><v />", b"<f>39.99*1</f><v>39.99</v>")
            zout.writestr(item, data)
    book, problems = load(out)
    assert not errors(problems), problems
    assert book.skus["price"].iloc[0] == 39.99


def test_ods_input(tmp_path):
    import pandas as pd

    path = tmp_path / "seller.ods"
    with pd.ExcelWriter(path, engine="odf") as xw:
        for name, rows in golden().items():
            pd.DataFrame(rows[1:], columns=rows[0]).to_excel(xw, sheet_name=name, index=False)
    book, problems = load(path)
    assert not errors(problems), problems
    assert len(book.sales) == 144 and len(book.skus) == 6


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice converts xlsx to xls")
def test_xls_input(tmp_path):
    src = rows_to_xlsx(golden(), tmp_path / "seller.xlsx")
    outdir = tmp_path / "xls"
    # a profile of its own: LibreOffice runs one instance per profile, and an soffice started while another
    # holds the same profile (a parallel test, the user's own LibreOffice) hands it the job and converts nothing
    profile = (tmp_path / "profile").as_uri()
    proc = subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xls",
                           "--outdir", str(outdir), str(src)], capture_output=True, timeout=180)
    xls = outdir / "seller.xls"
    if not xls.exists():
        pytest.skip(f"LibreOffice could not convert: {proc.stderr[-200:]!r}")
    book, problems = load(xls)
    assert not errors(problems), problems
    assert len(book.sales) == 144 and len(book.skus) == 6


def test_sku_text_is_never_a_formula_and_numbers_keep_no_decimal():
    """A SKU typed as the number 12345 is the text "12345"; "=HYPERLINK(...)" stays text."""
    s = golden()
    s["SKUs"][1][1] = 12345.0
    s["SKUs"][2][2] = '=HYPERLINK("x")'
    for r in s["Sales"][1:]:
        if r[2] == "US-LAMP-01":
            r[2] = 12345
    book, problems = from_rows(s)
    assert not errors(problems), problems
    assert book.skus["sku"].iloc[0] == "12345"
    assert book.skus["name"].iloc[1] == '=HYPERLINK("x")'
    assert "12345" in set(book.sales["sku"])


def test_formula_scan_of_large_sheets_is_deferred_but_still_finds_blanks(tmp_path, monkeypatch):
    """With every sheet counted as large, a formula with no value in Sales D3 (units) and SKUs F2 are
    still both reported (Sales is scanned because its table then has a blank cell)."""
    import goalsheet.inputs.read as read

    monkeypatch.setattr(read, "EAGER_SCAN_BYTES", 0)
    path = rows_to_xlsx(golden(), tmp_path / "f.xlsx", formulas={("SKUs", "F2"): "=39.99*1",
                                                                 ("Sales", "D3"): "=1+1"})
    book, problems = load(path)
    where = {p.where for p in errors(problems)}
    assert where == {"SKUs!F2", "Sales!D3"}, problems


def test_total_rows_are_skipped_with_a_warning():
    """A 合计 row under Sales (row 146) and a `Total:` row under Expenses (row 4) are sums, not data."""
    s = golden()
    s["Sales"].append(["合计", None, None, 99999, 999999.0, None])
    s["Expenses"].append(["Total:", 15000, None, None])
    book, problems = from_rows(s)
    assert not errors(problems), problems
    assert len(book.sales) == 144 and len(book.expenses) == 2
    w = warnings(problems)
    assert "Sales!A146: row 146 looks like a total row and is skipped" in w
    assert "Expenses!A4: row 4 looks like a total row and is skipped" in w
