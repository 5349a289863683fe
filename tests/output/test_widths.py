"""Columns sized to the figures (goalsheet/report/widths.py): the width rule on hand-made values, the widths a
written plan gets, and - in LibreOffice - no `###` on any printed page of a large seller's plan."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from goalsheet.report.layout import LAYOUT_BY_KEY
from goalsheet.report.widths import column_width, figure_widths, shown_length
from goalsheet.report.workbook import default_template, write_plan_workbook

from output.sample_plan import sample_plan

ROOT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------------------------------------- the width rule

@pytest.mark.parametrize("largest, fmt, negative, shown", [
    (145_000_000.0, "money", False, "145,000,000.00"),
    (145_000_000.0, "money", True, "-145,000,000.00"),
    (999.995, "money", False, "1,000.00"),           # rounded up to the next thousand as shown
    (999.0, "money", False, "999.00"),
    (0.0, "money", False, "0.00"),
    (1_234_567.6, "flow", True, "-1,234,568"),
    (1_234_567.0, "units", False, "1,234,567"),
    (1_234_567.0, "int", False, "1234567"),
    (12.345, "pct", False, "1234.5%"),
    (0.0312, "rate", True, "-3.12%"),
])
def test_shown_length_is_the_figure_as_its_format_shows_it(largest, fmt, negative, shown):
    assert shown_length(largest, fmt, negative) == len(shown)


def test_text_columns_are_not_measured():
    assert shown_length(145_000_000.0, "text", False) == 0
    assert figure_widths(["Acme US", "a much longer store name"], "money") == 0.0


def test_a_column_holding_145_million_is_at_least_as_wide_as_the_figure():
    width = figure_widths([12.5, 145_000_000.0, None, "n/a"], "money")
    assert width >= len("145,000,000.00")
    assert figure_widths([12.5, -145_000_000.0], "money") >= len("-145,000,000.00")
    assert figure_widths([12.5, 145_000_000.0], "money") < figure_widths([12.5, 1_450_000_000.0], "money")


def test_the_total_under_a_column_is_measured():
    # each value shows as "60,000,000.00" (13), their total as "110,000,000.00" (14)
    alone = figure_widths([60_000_000.0, 50_000_000.0], "money")
    with_total = figure_widths([60_000_000.0, 50_000_000.0], "money", total=True)
    assert with_total >= len("110,000,000.00") > alone - 2
    assert with_total > alone
    # a negative total shows its minus sign
    assert figure_widths([-60_000_000.0, -50_000_000.0], "money", total=True) >= len("-110,000,000.00")


def test_chinese_cells_get_room_for_their_wider_digits():
    assert column_width("145,000,000.00", "zh") > column_width("145,000,000.00", "en") >= 14
    assert column_width("") == 0.0


# ------------------------------------------------------------------------------------ widths of a written plan

def _template_widths(lang: str, sheet: str) -> dict[str, float]:
    ws = load_workbook(default_template(lang))[sheet]
    return {letter: dim.width for letter, dim in ws.column_dimensions.items()}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_large_plan_widens_its_columns_and_never_narrows_one(tmp_path, lang):
    plan = sample_plan()
    monthly = plan.tables["monthly"].copy()
    monthly["target_sales"] = monthly["target_sales"] * 1000      # 12 months adding up to 6.4 billion
    plan.tables["monthly"] = monthly
    out = tmp_path / f"plan_{lang}.xlsx"
    write_plan_workbook(plan, out, lang=lang)
    layout = LAYOUT_BY_KEY["monthly"]
    sheet = layout.zh if lang == "zh" else layout.en
    ws = load_workbook(out)[sheet]
    before = _template_widths(lang, sheet)
    # B: the monthly targets (up to 841,504,490.00) and their total 6,402,588,120.00
    assert ws.column_dimensions["B"].width >= len("6,402,588,120.00") > before["B"]
    # every other column at least as wide as the template made it
    for letter, width in before.items():
        assert ws.column_dimensions[letter].width >= width, letter
    # J: the launches (5 in the year) fit the template's width, which stands
    assert ws.column_dimensions["J"].width == before["J"]


# ------------------------------------------------------------------------------- no ### in LibreOffice's print

def _soffice() -> str:
    soffice = shutil.which("soffice")
    if soffice is None or shutil.which("pdftotext") is None:
        if os.environ.get("GOALSHEET_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("soffice or pdftotext is not on PATH and GOALSHEET_REQUIRE_LIBREOFFICE=1")
        pytest.skip("soffice (LibreOffice) or pdftotext (poppler-utils) is not on PATH")
    return soffice


def _scaled_sample(path: Path, factor: float) -> Path:
    """The sample seller with every sale, its units and its advertising, and the cash settings times `factor`."""
    wb = load_workbook(ROOT / "sample_workbooks" / "demo_seller.xlsx")
    ws = wb["Sales"]
    header = [c.value for c in ws[1]]
    for name in ("units", "revenue", "ad_spend"):
        j = header.index(name) + 1
        for r in range(2, ws.max_row + 1):
            cell = ws.cell(r, j)
            if isinstance(cell.value, (int, float)):
                cell.value = round(cell.value * factor) if name == "units" else cell.value * factor
    ws = wb["Settings"]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value in ("cash_available", "credit_line", "min_cash"):
            ws.cell(r, 2).value = ws.cell(r, 2).value * factor
    wb.save(path)
    return path


class _OpenpyxlBook:
    """What benchmarks/synthetic.py asks of xlsxwriter (a workbook of rows written in order), in openpyxl's
    write-only mode: the benchmark's writer is not a test dependency."""

    def __init__(self, path, options=None):
        self.path, self.wb = path, Workbook(write_only=True)

    def add_worksheet(self, name):
        ws = self.wb.create_sheet(name)
        return types.SimpleNamespace(write_row=lambda row, col, values: ws.append(list(values)))

    def close(self):
        self.wb.save(self.path)


def _mid_seller(path: Path, monkeypatch) -> Path:
    """benchmarks/synthetic.py's mid seller (20 stores, 2 000 SKUs, 24 months), as benchmarks/plan_phases.py
    makes it."""
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    try:
        import xlsxwriter  # noqa: F401
    except ImportError:
        monkeypatch.setitem(sys.modules, "xlsxwriter", types.SimpleNamespace(Workbook=_OpenpyxlBook))
    import synthetic

    return synthetic.write("mid", path)


def test_no_hashes_on_any_printed_page_of_large_sellers(tmp_path, monkeypatch):
    soffice = _soffice()
    sellers = {"x5": _scaled_sample(tmp_path / "x5.xlsx", 5), "mid": _mid_seller(tmp_path / "mid.xlsx", monkeypatch)}
    books = []
    for name, seller in sellers.items():
        for lang in ("en", "zh"):
            out = tmp_path / f"{name}_{lang}.xlsx"
            done = subprocess.run([sys.executable, "-m", "goalsheet", "plan", str(seller), "-o", str(out),
                                   "--lang", lang], capture_output=True, text=True, timeout=600)
            assert done.returncode == 0, done.stderr
            books.append(out)
    # the 5x sample's annual target is in the hundreds of millions: widths made for the sample would not do
    target = load_workbook(books[0], read_only=True, data_only=True)["Monthly"]["B17"].value
    assert target is not None and target > 100_000_000
    profile = tmp_path / "profile"
    pdf = tmp_path / "pdf"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(pdf), *map(str, books)], check=True, capture_output=True, timeout=900)
    for book in books:
        printed = pdf / (book.stem + ".pdf")
        assert printed.is_file(), f"LibreOffice printed no {printed.name}"
        text = subprocess.run(["pdftotext", str(printed), "-"], check=True, capture_output=True,
                              text=True).stdout
        assert "0.00" in text                     # the figures are there to be read
        assert "###" not in text, f"{printed.name} shows ### where a figure does not fit its column"
