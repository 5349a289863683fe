"""A corpus of broken seller workbooks, each made from the golden rows with one kind of fault.

Each case is (name, how to make it, the `Sheet!Cell` / words the check must print).  The expected
cells were worked out by hand from the golden layout (tests/golden/make_golden.py), not taken from
goalsheet's output:

    Settings  A key, B value; row 1 header, rows 2.. in make_golden order (cash_available is row 8)
    SKUs      row 1 header; rows 2-7 the six SKUs (US-LAMP-01, US-BOTTLE-02, US-ORG-03, DE-LAMP-01, ...);
              A store, B sku, E operator, F price, G cogs, J referral_rate, K fba_fee, U status
    Sales     row 1 header; rows 2-145; A month, B store, C sku, D units, E revenue, F ad_spend
    Stores    row 1 header; row 2 Acme US, row 3 Acme DE; A store, B marketplace, C currency
    FX        row 2 USD, row 3 EUR;  Bonus row 2.. tiers, C from;  Launches row 2;  Expenses row 2-3, D months
"""
from __future__ import annotations

import copy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "golden"))
from make_golden import golden_sheets  # noqa: E402


def rows_to_xlsx(sheets: dict[str, list[list]], path: Path, formulas: dict[tuple[str, str], str] | None = None,
                 title_rows: dict[str, int] | None = None) -> Path:
    """Write rows with openpyxl (which stores formulas without cached values: exactly the fault we want)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for _ in range((title_rows or {}).get(name, 0)):
            ws.append([])
        for r in rows:
            ws.append(list(r))
        if (title_rows or {}).get(name):
            ws.cell(row=1, column=1, value=f"{name} — exported from ERP")
    for (sheet, ref), formula in (formulas or {}).items():
        wb[sheet][ref] = formula
    wb.save(path)
    return path


def golden() -> dict[str, list[list]]:
    return copy.deepcopy(golden_sheets())


def _set(sheets, sheet, row, col, value):
    """row/col 1-based as in Excel."""
    sheets[sheet][row - 1][col - 1] = value
    return sheets


def _drop_column(sheets, sheet, name):
    j = sheets[sheet][0].index(name)
    for r in sheets[sheet]:
        del r[j]
    return sheets


def _settings_set(sheets, key, value):
    for r in sheets["Settings"]:
        if r[0] == key:
            r[1] = value
            return sheets
    sheets["Settings"].append([key, value, ""])
    return sheets


def _write(sheets, path, **kw):
    return rows_to_xlsx(sheets, path, **kw)


def make_missing_sheet(path):
    s = golden()
    del s["SKUs"]
    return _write(s, path)


def make_missing_column(path):
    return _write(_drop_column(golden(), "SKUs", "fba_fee"), path)


def make_misspelt_column(path):
    return _write(_set(golden(), "SKUs", 1, 6, "prise"), path)


def make_text_in_number(path):
    return _write(_set(golden(), "SKUs", 3, 6, "abc"), path)


def make_negative_price(path):
    return _write(_set(golden(), "SKUs", 2, 6, -39.99), path)


def make_referral_250(path):
    return _write(_set(golden(), "SKUs", 2, 10, "250%"), path)


def make_payout_fee_1(path):
    s = _settings_set(golden(), "payout_fee_rate", 1)      # appended as row 14
    return _write(s, path)


def make_unknown_store(path):
    return _write(_set(golden(), "Sales", 5, 2, "Acme FR"), path)


def make_sku_not_costed(path):
    return _write(_set(golden(), "Sales", 5, 3, "US-NEW-99"), path)


def make_duplicate_sku(path):
    s = golden()
    s["SKUs"].append(list(s["SKUs"][1]))                    # row 8 repeats row 2 (US-LAMP-01)
    return _write(s, path)


def make_unparseable_month(path):
    return _write(_set(golden(), "Sales", 10, 1, "sometime"), path)


def make_empty_sales(path):
    s = golden()
    s["Sales"] = s["Sales"][:1]
    return _write(s, path)


def make_currency_without_fx(path):
    s = golden()
    s["FX"] = [r for r in s["FX"] if r[0] != "EUR"]
    return _write(s, path)


def make_formula_without_value(path):
    return _write(golden(), path, formulas={("SKUs", "F2"): "=39.99*1"})


def make_missing_cash(path):
    s = golden()
    s["Settings"] = [r for r in s["Settings"] if r[0] != "cash_available"]
    return _write(s, path)


def make_zero_bytes(path):
    path.write_bytes(b"")
    return path


def make_random_bytes(path):
    path.write_bytes(bytes((i * 7919 + 13) % 256 for i in range(5000)))
    return path


def make_csv_renamed(path):
    path.write_text("month,store,sku,units,revenue\n2025-01,Acme US,US-LAMP-01,10,399.9\n", encoding="utf-8")
    return path


def make_password_protected(path):
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = path.with_name("plain-" + path.name)
    _write(golden(), plain)
    with open(plain, "rb") as fh, open(path, "wb") as out:
        OOXMLFile(fh).encrypt("secret", out)
    plain.unlink()
    return path


def make_negative_cogs(path):
    return _write(_set(golden(), "SKUs", 3, 7, -1), path)


def make_bonus_plain_80(path):
    return _write(_set(golden(), "Bonus", 3, 3, 80), path)     # the 0.8 tier's from, typed as 80


def make_duplicate_setting(path):
    s = golden()
    s["Settings"].append(["monthly_growth", 0.05, ""])          # row 14; the first is row 4
    return _write(s, path)


def make_duplicate_fx(path):
    s = golden()
    s["FX"].append(["USD", 7.1])                                # row 4
    return _write(s, path)


def make_launch_unknown_store(path):
    return _write(_set(golden(), "Launches", 2, 2, "Acme JP"), path)


def make_unknown_marketplace(path):
    return _write(_set(golden(), "Stores", 2, 2, "Mars"), path)


def make_growth_out_of_range(path):
    return _write(_settings_set(golden(), "monthly_growth", "80%"), path)   # row 4


def make_duplicate_store(path):
    s = golden()
    s["Stores"].append(list(s["Stores"][1]))                    # row 4 repeats Acme US
    return _write(s, path)


def make_blank_required(path):
    return _write(_set(golden(), "SKUs", 4, 11, None), path)    # fba_fee of US-ORG-03


def make_bad_expense_months(path):
    return _write(_set(golden(), "Expenses", 3, 4, "13-15"), path)


def make_title_rows_bad_month(path):
    # two rows above the header: the header moves to row 3, Sales row 10 (A10) becomes row 12
    return _write(_set(golden(), "Sales", 10, 1, "2025-13"), path, title_rows={"Sales": 2})


def make_bad_status(path):
    return _write(_set(golden(), "SKUs", 5, 21, "sold out"), path)


def make_missing_file(path):
    if path.exists():
        path.unlink()
    return path


# (name, maker, file name, strings the check output must contain)
CASES = [
    ("missing_sheet", make_missing_sheet, "seller.xlsx", ['"SKUs"', "missing"]),
    ("missing_column", make_missing_column, "seller.xlsx", ["SKUs", "fba_fee", "missing"]),
    ("misspelt_column", make_misspelt_column, "seller.xlsx", ["SKUs!F1", '"prise"', "price"]),
    ("text_in_number", make_text_in_number, "seller.xlsx", ['SKUs!F3', '"abc" is not a number']),
    ("negative_price", make_negative_price, "seller.xlsx", ["SKUs!F2", "price"]),
    ("referral_250", make_referral_250, "seller.xlsx", ["SKUs!J2", "did you mean 25 %"]),
    ("payout_fee_1", make_payout_fee_1, "seller.xlsx", ["Settings!B14", "did you mean 1 %"]),
    ("unknown_store", make_unknown_store, "seller.xlsx", ["Sales!B5", '"Acme FR"']),
    ("sku_not_costed", make_sku_not_costed, "seller.xlsx", ["Sales!C5", '"US-NEW-99"']),
    ("duplicate_sku", make_duplicate_sku, "seller.xlsx", ["SKUs!B8", "US-LAMP-01", "first at B2"]),
    ("unparseable_month", make_unparseable_month, "seller.xlsx", ["Sales!A10", '"sometime"']),
    ("empty_sales", make_empty_sales, "seller.xlsx", ["Sales", "no rows"]),
    ("currency_without_fx", make_currency_without_fx, "seller.xlsx", ["Stores!C3", "EUR"]),
    ("formula_without_value", make_formula_without_value, "seller.xlsx", ["SKUs!F2", "save it"]),
    ("missing_cash", make_missing_cash, "seller.xlsx", ["Settings", "cash_available"]),
    ("zero_bytes", make_zero_bytes, "seller.xlsx", ["seller.xlsx", "0 bytes"]),
    ("random_bytes", make_random_bytes, "seller.xlsx", ["seller.xlsx", "not an Excel workbook"]),
    ("csv_renamed", make_csv_renamed, "seller.xlsx", ["seller.xlsx", "CSV"]),
    ("password_protected", make_password_protected, "seller.xlsx", ["seller.xlsx", "password"]),
    ("negative_cogs", make_negative_cogs, "seller.xlsx", ["SKUs!G3", "negative"]),
    ("bonus_plain_80", make_bonus_plain_80, "seller.xlsx", ["Bonus!C3", "did you mean 80 %"]),
    ("duplicate_setting", make_duplicate_setting, "seller.xlsx", ["Settings!A14", "first at A4"]),
    ("duplicate_fx", make_duplicate_fx, "seller.xlsx", ["FX!A4", "USD"]),
    ("launch_unknown_store", make_launch_unknown_store, "seller.xlsx", ["Launches!B2", '"Acme JP"']),
    ("unknown_marketplace", make_unknown_marketplace, "seller.xlsx", ["Stores!B2", '"Mars"']),
    ("growth_out_of_range", make_growth_out_of_range, "seller.xlsx", ["Settings!B4", "did you mean 8 %"]),
    ("duplicate_store", make_duplicate_store, "seller.xlsx", ["Stores!A4", "Acme US"]),
    ("blank_required", make_blank_required, "seller.xlsx", ["SKUs!K4", "blank"]),
    ("bad_expense_months", make_bad_expense_months, "seller.xlsx", ["Expenses!D3", '"13-15"']),
    ("title_rows_bad_month", make_title_rows_bad_month, "seller.xlsx", ["Sales!A12", '"2025-13"']),
    ("bad_status", make_bad_status, "seller.xlsx", ["SKUs!U5", '"sold out"']),
    ("missing_file", make_missing_file, "seller.xlsx", ["seller.xlsx", "does not exist"]),
]

__all__ = ["CASES", "golden", "rows_to_xlsx"]


def make_duplicate_operator(path):
    s = golden()
    s["Team"].append(["Chen Jie", 8000, 18000])                 # row 4 repeats row 3
    return _write(s, path)


CASES.append(("duplicate_operator", make_duplicate_operator, "seller.xlsx", ["Team!A4", "first at A3"]))


def make_truncated(path):
    full = _write(golden(), path.with_name("full-" + path.name))
    data = full.read_bytes()
    full.unlink()
    path.write_bytes(data[: len(data) * 2 // 3])              # a download cut short
    return path


def make_zip_not_workbook(path):
    import zipfile

    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("notes.txt", "not a workbook")
    return path


CASES.append(("truncated", make_truncated, "seller.xlsx", ["seller.xlsx", "damaged"]))
CASES.append(("zip_not_workbook", make_zip_not_workbook, "seller.xlsx", ["seller.xlsx", "not an Excel workbook"]))


def make_excel_error_value(path):
    """SKUs K3 (fba_fee of US-BOTTLE-02) holds #DIV/0!: written into the sheet XML by hand."""
    import zipfile

    plain = _write(golden(), path.with_name("plain-" + path.name))
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/worksheets/sheet4.xml":          # SKUs is the 4th sheet
                start = data.index(b'<c r="K3"')
                end = data.index(b"</c>", start) + 4
                data = data[:start] + b'<c r="K3" t="e"><f>5.2/0</f><v>#DIV/0!</v></c>' + data[end:]
            zout.writestr(item, data)
    plain.unlink()
    return path


CASES.append(("excel_error_value", make_excel_error_value, "seller.xlsx", ["SKUs!K3", "#DIV/0!"]))
