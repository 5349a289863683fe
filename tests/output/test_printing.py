"""How the plan workbook prints (goalsheet/report/printing.py): A4 landscape, nothing under 8 pt, wide tables cut
across pages with their key columns and header repeated, titles whole on every page, charts on their page.

The sample seller, the Chinese sample and the sample scaled 5x are planned in English and Chinese and printed to
PDF by LibreOffice once for the module; the assertions read the PDF itself (pdfminer.six for text sizes, poppler's
`pdftotext -bbox` for words) and the workbooks (openpyxl)."""
from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import column_index_from_string

from goalsheet.render import Template
from goalsheet.report.layout import LAYOUT_BY_KEY
from goalsheet.report.printing import MIN_SCALE, page_columns

from output.test_widths import ROOT, _scaled_sample, _soffice

A4 = (841.89, 595.28)
SELLERS = ("demo", "demo_zh", "x5")
LANGS = ("en", "zh")


# ------------------------------------------------------------------------------------------ the page model

def test_a_table_too_wide_for_a_page_is_cut_into_the_fewest_pages_with_its_key_column_on_each():
    """A key column 70 pt wide and three of 700 pt, on pages 753.6 pt wide.  At the smallest scale, 74 %, a page
    holds 753.6 / 0.74 = 1018.4 pt: not the table's 2170, and with the key column repeated (70) one 700 a
    page (70 + 700 + 700 = 1470 > 1018.4): three pages, each 770 wide, at 753.6 / 770 = 97.9 -> 97 %; the
    second and third pages begin at columns 2 and 3 (0-based)."""
    assert MIN_SCALE == 74
    assert page_columns([70, 700, 700, 700], 1, 753.6) == (97, [2, 3])


def test_a_table_that_fits_prints_on_one_page_as_large_as_it_fits():
    """70 + 3 x 200 = 670 pt on a page 753.6 wide: one page, at 753.6 / 670 = 112 % -> 100 %; 70 + 3 x 300 =
    970 pt: one page at 753.6 / 970 = 77.7 -> 77 % (at or above 74 %)."""
    assert page_columns([70, 200, 200, 200], 1, 753.6) == (100, [])
    assert page_columns([70, 300, 300, 300], 1, 753.6) == (77, [])


def test_pages_are_cut_so_the_widest_is_as_narrow_as_it_can_be():
    """Key 100, then 300, 300, 300, 300 (1300 pt) on pages 753.6 wide: at 74 % a page holds 1018.4, so three
    columns after the key would be 1000 and the rest 400: two pages.  Cut 2 + 2 each page is 100 + 600 = 700
    (not 1000 + 400): 753.6 / 700 = 107 % -> 100 %, the third column (0-based 3) begins the second page."""
    assert page_columns([100, 300, 300, 300, 300], 1, 753.6) == (100, [3])


# ------------------------------------------------------------------------- page headers and footers (render)

def test_page_headers_and_footers_are_filled_and_data_never_becomes_a_header_code(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "x"
    ws.oddHeader.left.text = "&B{{ title }} · {{ year }}"
    ws.oddFooter.right.text = "&P / &N"
    ws.evenFooter.left.text = "{{ 'y' * 400 }}"
    source = io.BytesIO()
    wb.save(source)
    out = tmp_path / "out.xlsx"
    Template(source.getvalue()).render({"title": "Cash & credit", "year": 2026}, out)
    rendered = load_workbook(out).active
    # the `&` of the value doubled (a literal &), the template's own codes kept
    assert rendered.oddHeader.left.text == "&BCash && credit · 2026"
    assert rendered.oddFooter.right.text == "&P / &N"
    # 400 characters do not fit Excel's 255 for a whole header or footer: cut, with an ellipsis
    assert len(str(rendered.HeaderFooter.evenFooter)) <= 255
    assert rendered.evenFooter.left.text.endswith("y…")


# ------------------------------------------------------------------------------------------ the printed books

@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """{(seller, lang): (workbook path, [page, ...])}, each page {"size": (w, h), "smallest": pt, "words": [...],
    "text": the page's words run together}; one LibreOffice run for the six books."""
    soffice = _soffice()
    pytest.importorskip("pdfminer", reason="pdfminer.six (the test extra) reads the text sizes of the PDF")
    tmp = tmp_path_factory.mktemp("printing")
    sellers = {"demo": ROOT / "sample_workbooks" / "demo_seller.xlsx",
               "demo_zh": ROOT / "sample_workbooks" / "demo_seller_zh.xlsx",
               "x5": _scaled_sample(tmp / "x5.xlsx", 5)}
    books = {}
    for name, seller in sellers.items():
        for lang in LANGS:
            out = tmp / f"{name}_{lang}.xlsx"
            done = subprocess.run([sys.executable, "-m", "goalsheet", "plan", str(seller), "-o", str(out),
                                   "--lang", lang], capture_output=True, text=True, timeout=600)
            assert done.returncode == 0, done.stderr
            books[(name, lang)] = out
    profile, pdf = tmp / "profile", tmp / "pdf"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(pdf), *map(str, books.values())], check=True, capture_output=True, timeout=900)
    return {key: (book, _pages(pdf / (book.stem + ".pdf"))) for key, book in books.items()}


def _pages(path: Path) -> list[dict]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    assert path.is_file(), f"LibreOffice printed no {path.name}"

    def chars(item):
        if isinstance(item, LTChar):
            yield item
        elif hasattr(item, "__iter__"):
            for child in item:
                yield from chars(child)

    def size(c) -> float:
        """The printed size of a character: its box across the line (the width of a character turned on its
        side, as the vertical axis titles of the charts)."""
        a, b = c.matrix[0], c.matrix[1]
        return c.width if abs(b) > abs(a) else c.height

    pages = []
    for page in extract_pages(str(path)):
        shown = [c for c in chars(page) if c.get_text().strip()]
        pages.append({"size": (page.width, page.height), "smallest": min((size(c) for c in shown), default=99.0)})
    layout = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True,
                            text=True).stdout
    for page, body in zip(pages, re.findall(r"<page [^>]*>(.*?)</page>", layout, re.S)):
        page["words"] = [_unescape(w) for w in re.findall(r"<word [^>]*>(.*?)</word>", body)]
        page["text"] = "".join(page["words"])
    return pages


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def _sheet_pages(pages: list[dict], title: str) -> list[dict]:
    """The pages whose first words are the sheet's title ("Unit economics per SKU · 2026", spaces ignored)."""
    start = re.sub(r"\s", "", title)
    return [p for p in pages if p["text"].startswith(start)]


def _title(key: str, lang: str) -> str:
    layout = LAYOUT_BY_KEY[key]
    return f"{layout.title_zh if lang == 'zh' else layout.title_en} · 2026"


def test_every_page_is_a4_landscape_and_nothing_prints_under_8_pt(printed):
    """A4 landscape is 841.89 x 595.28 pt.  The body text is 11 pt, printed at 74 % or more: 8.1 pt."""
    for (seller, lang), (_book, pages) in printed.items():
        assert pages, (seller, lang)
        for n, page in enumerate(pages, start=1):
            assert page["size"] == pytest.approx(A4, abs=1), (seller, lang, n)
            assert page["smallest"] >= 8.0, f"{seller} {lang} page {n}: text at {page['smallest']:.2f} pt"


@pytest.mark.parametrize("key, keys, last", [
    ("stores", (("Store", "店铺"),), ("Net profit", "净利润")),
    ("operators", (("Operator", "运营"),), ("Net profit", "净利润")),
    ("products", (("Store", "店铺"), ("SKU", "SKU")), ("Flags", "提示")),
    ("profit", (("Store", "店铺"), ("SKU", "SKU")), ("Net margin", "净利率")),
])
def test_wide_tables_are_cut_across_pages_with_their_key_column_header_on_every_page(printed, key, keys, last):
    """Store + 12 months + total + net profit (Stores, Operators), the 15 columns of Products and the 33 of
    Profit do not fit one page at 8 pt: each prints on two pages or more, every page with the key columns'
    headers (a word of its own, not part of the title), and its last column on one of them."""
    for (seller, lang), (_book, pages) in printed.items():
        mine = _sheet_pages(pages, _title(key, lang))
        assert len(mine) >= 2, (seller, lang, key, len(mine))
        i = 1 if lang == "zh" else 0
        for n, page in enumerate(mine, start=1):
            for header in keys:
                assert header[i] in page["words"], (seller, lang, key, n, header[i])
        assert any(re.sub(r"\s", "", last[i]) in page["text"] for page in mine), (seller, lang, key, last[i])


def test_the_cash_title_is_whole_on_each_cash_page_and_its_chart_has_a_page_without_a_header_bar(printed):
    """Every page showing the Cash table or its chart begins with the whole title "Monthly cash plan (outflows
    negative) · 2026" (月度资金计划（流出为负）· 2026); the chart's page shows no column header above it."""
    # a header of the first page of columns, one of the second (words of their own), the chart's title
    words = {"en": (("Receivables", "Salaries"), "Cashbalanceatmonthend"),
             "zh": (("期初应收回款", "工资"), "月末现金余额")}
    for (seller, lang), (_book, pages) in printed.items():
        headers, chart = words[lang]
        summary = ("2026年度计划", "年度进展") if lang == "zh" else ("Annualplan2026", "Wheretheyearstands")
        cash = [p for p in pages if not any(w in p["text"] for w in summary)      # (the Summary's cash chart)
                and (chart in p["text"] or any(h in p["words"] for h in headers))]
        assert len(cash) >= 2, (seller, lang)
        title = re.sub(r"\s", "", _title("cash", lang))
        for n, page in enumerate(cash, start=1):
            assert page["text"].startswith(title), (seller, lang, n, page["text"][:60])
        charts = [p for p in cash if chart in p["text"]]
        assert charts and not any(h in p["words"] for p in charts for h in headers), (seller, lang)


def _areas(ws) -> list[tuple[int, int, int, int]]:
    """The print area's ranges as (first column, first row, last column, last row), 1-based."""
    out = []
    for part in str(ws.print_area).split(","):
        m = re.search(r"\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)", part)
        out.append((column_index_from_string(m.group(1)), int(m.group(2)),
                    column_index_from_string(m.group(3)), int(m.group(4))))
    return out


def test_every_chart_lies_inside_its_sheets_print_area(printed):
    """A chart anchored from cell (row, col) to cell (to_row, to_col), 0-based, with no offset into the last:
    it covers 1-based columns col + 1 .. to_col and rows row + 1 .. to_row, all inside one range of the print
    area (the sample's Profit table ends at column AG, 33: a chart from column AI, 35, is not)."""
    for (seller, lang), (book, _pages) in printed.items():
        wb = load_workbook(book)
        charts = 0
        for ws in wb.worksheets:
            for chart in ws._charts:
                charts += 1
                start = chart.anchor._from
                end = getattr(chart.anchor, "to", None) or start      # a chart of a fixed size: its corner
                assert ws.print_area, (seller, lang, ws.title)
                assert any(c1 <= start.col + 1 and end.col <= c2 and r1 <= start.row + 1 and end.row <= r2
                           for c1, r1, c2, r2 in _areas(ws)), (seller, lang, ws.title, _areas(ws))
        assert charts == 6, (seller, lang)           # Summary 2, Monthly, Profit, Cash, Scenarios


def test_the_profit_chart_shows_at_most_15_skus_labelled_store_slash_sku(printed):
    """The sample has 40 SKUs (LM-PG10 in two stores): the chart takes the largest sellers only, each bar
    labelled "store / SKU", no label twice; the first is the largest seller, Lumos US / LM-DL01 (Products:
    growth forecast 3,765,903.83, the largest)."""
    for (seller, lang), (book, _pages) in printed.items():
        wb = load_workbook(book)
        ws = wb[LAYOUT_BY_KEY["profit"].zh if lang == "zh" else LAYOUT_BY_KEY["profit"].en]
        (chart,) = ws._charts
        for series in chart.series:
            m = re.search(r"\$(\d+):\$[A-Z]+\$(\d+)$", series.val.numRef.f)
            assert int(m.group(2)) - int(m.group(1)) + 1 <= 15, (seller, lang, series.val.numRef.f)
        ref = chart.series[0].cat.strRef.f
        m = re.search(r"\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)$", ref)
        labels = [ws[f"{m.group(1)}{r}"].value for r in range(int(m.group(2)), int(m.group(3)) + 1)]
        assert 1 < len(labels) <= 15 and len(set(labels)) == len(labels), labels
        assert all(re.fullmatch(r".+ / .+", label) for label in labels), labels
        if seller != "demo_zh":
            assert labels[0] == "Lumos US / LM-DL01", labels
