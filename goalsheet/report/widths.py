"""Column widths sized to the figures (SPEC section 4): every number of a table column shows in full, never `###`.

The templates' widths fit a seller of the sample's size; a larger seller's figures need wider columns.  When the
plan workbook is written, each table column of `layout.LAYOUT` is made wide enough for the widest figure it
shows - its values and the total under it - as its number format shows it (thousands separators, decimals, the
minus sign, the % sign), and never narrower than the template made it.  A text column (store, SKU, product
name) is made wide enough for its longest text as shown, up to `TEXT_MAX_WIDTH`; headers wrap.

The widest figure of a column is found from the column's largest magnitude (a displayed number is no shorter
than one of smaller magnitude with the same sign), worked out with numpy on the plan's table: a few array
operations a column, whatever the number of rows.

Widths are in Excel's unit, the width of the digit 0 of the workbook's default font (Calibri 11); a figure's
width is its characters' widths in digits (`CHAR_WIDTH`) times its font's factor (`FONT_FACTOR`), plus padding.
"""
from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd

from goalsheet.report.layout import LAYOUT, NUMBER_FORMATS, SheetLayout

# A figure's width in widths of the digit 0: each character's width (Calibri, its metric twin Carlito, DejaVu Sans
# and Noto Sans alike: separators and the point are half a digit) times the factor of the cells' font against the
# unit's (a Chinese workbook's Microsoft YaHei, or the CJK font LibreOffice draws in its place, has wider digits),
# plus padding: the cell's margins and the bold of a total row (as measured in LibreOffice with DejaVu Sans drawn
# for Calibri, where bold digits are wider: a bold figure of 10 to 14 digit widths needed 1.75 to 2.1 more,
# depending on the scale the sheet prints at; the factor and padding leave room above that).
CHAR_WIDTH = {",": 0.5, ".": 0.5, "-": 0.6, "%": 1.5}
FONT_FACTOR = {"en": 1.05, "zh": 1.2}
PADDING = 2.5
MAX_WIDTH = 255.0                  # Excel's largest column width
# Text: a letter is about 0.9 of a digit wide, a CJK character 2.1 (a full em of 11 pt); a text column grows to
# its longest text up to this width (a third of a page at the smallest print scale), longer texts are cut off.
LETTER, CJK_LETTER = 0.9, 2.1
TEXT_MAX_WIDTH = 60.0

# How each number format of `NUMBER_FORMATS` shows a number: (decimals, thousands separators, percent).
_SHAPES = {"money": (2, True, False), "money_store": (2, True, False), "number": (2, True, False),
           "flow": (0, True, False), "balance": (0, True, False), "units": (0, True, False),
           "int": (0, False, False), "pct": (1, False, True), "rate": (2, False, True)}


def shown_text(largest: float, fmt: str, negative: bool) -> str:
    """The longest figure a column in number format `fmt` shows, when `largest` is the largest magnitude among
    its figures and `negative` whether any is below zero: 145000000.0 as money -> "145,000,000.00", as a
    negative flow -> "-145,000,000"; "" for a format that is not a number's.  A figure on a rounding boundary
    (999.995) counts as rounded up, as Excel shows it ("1,000.00")."""
    shape = _SHAPES.get(fmt)
    if shape is None or largest is None or not math.isfinite(largest):
        return ""
    decimals, separators, percent = shape
    value = abs(largest) * (100 if percent else 1) * (1 + 1e-12)
    text = f"{value:{',' if separators else ''}.{decimals}f}" + ("%" if percent else "")
    return ("-" if negative else "") + text


def shown_length(largest: float, fmt: str, negative: bool) -> int:
    """Characters of `shown_text`."""
    return len(shown_text(largest, fmt, negative))


def column_width(text: str, lang: str = "en") -> float:
    """The column width (in widths of the digit 0) that shows the figure `text` in full (0.0 for "")."""
    if not text:
        return 0.0
    digits = sum(CHAR_WIDTH.get(ch, 1.0) for ch in text)
    return min(MAX_WIDTH, math.ceil((digits * FONT_FACTOR.get(lang, 1.0) + PADDING) * 4) / 4)


def figure_widths(values: Any, fmt: str, lang: str = "en", total: bool = False) -> float:
    """The width a column of `values` (numbers; anything else is ignored) in number format `fmt` needs, its total
    (their sum) included when `total`; 0.0 when it holds no number."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if series.dtype.kind not in "iuf":          # text, blanks, mixed: the numbers among them
        series = pd.to_numeric(series, errors="coerce")
    numbers = series.to_numpy(dtype=float, na_value=np.nan)
    numbers = numbers[np.isfinite(numbers)]
    if numbers.size == 0:
        return 0.0
    low, high = float(numbers.min()), float(numbers.max())
    largest = max(abs(low), abs(high))
    negative = low < 0
    if total:
        whole = float(numbers.sum())
        largest = max(largest, abs(whole))
        negative = negative or whole < 0
    return column_width(shown_text(largest, fmt, negative), lang)


def text_width(values: Any, lang: str = "en") -> float:
    """The width a column of texts (anything else is ignored) needs to show the longest in full, at most
    `TEXT_MAX_WIDTH`; 0.0 when it holds no text."""
    import unicodedata

    widest = 0.0
    for text in set(v for v in values if isinstance(v, str)):
        letters = sum(CJK_LETTER if unicodedata.east_asian_width(ch) in ("W", "F") else LETTER * FONT_FACTOR.get(
            lang, 1.0) for ch in text)
        widest = max(widest, letters)
    if widest == 0.0:
        return 0.0
    return min(TEXT_MAX_WIDTH, math.ceil((widest + PADDING) * 4) / 4)


def table_widths(plan, lang: str = "en") -> dict[str, list[float]]:
    """{table key: the width each of its layout columns needs (0.0: nothing to measure)} for the plan's tables.
    `plan`: a `Plan` (its `tables` of DataFrames)."""
    from goalsheet.report.assumptions import worded_plan
    from goalsheet.report.context import _wide_by_month, table_rows

    widths: dict[str, list[float]] = {}
    worded = None
    for layout in LAYOUT:
        df = plan.tables.get(layout.key)
        if df is None or len(df) == 0:
            continue
        texts = [col.key for col in layout.columns if col.fmt == "text" and col.key in df.columns]
        if texts:               # the texts as the sheet shows them (in Chinese: the plan's words translated)
            worded = worded if worded is not None else worded_plan(plan)
            rows = table_rows(worded.tables.get(layout.key), layout, lang)
        if layout.wide_months:
            df = _wide_by_month(df, layout.columns[0].key)
        widths[layout.key] = [text_width([row[col.key] for row in rows], lang) if col.key in texts
                              else figure_widths(df[col.key], col.fmt, lang, col.total)
                              if col.key in df.columns and col.fmt in NUMBER_FORMATS else 0.0
                              for col in layout.columns]
    return widths


_RANGE = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+):\$?([A-Z]{1,3})\$?\d+$")


def table_place(wb, key: str):
    """Where the plan table `key` stands in the rendered openpyxl workbook `wb`, by its defined name `gs_<key>`:
    (its sheet, first column, last column, header row), 1-based; None when the name is missing or points at no
    sheet of `wb` (a restyled template)."""
    from openpyxl.utils import column_index_from_string

    name = wb.defined_names.get(f"gs_{key}")
    match = _RANGE.match(name.attr_text.strip()) if name is not None and name.attr_text else None
    if match is None:
        return None
    title = (match.group(1) or "").replace("''", "'") or match.group(2)
    if title not in wb.sheetnames:
        return None
    return (wb[title], column_index_from_string(match.group(3)), column_index_from_string(match.group(5)),
            int(match.group(4)))


def fit_columns(wb, widths: dict[str, list[float]]) -> None:
    """Widen the columns of each table in the openpyxl workbook `wb` (a rendered plan) to `widths`
    (`table_widths`), never narrowing one.  A table is found by its defined name (`table_place`); one whose range
    does not have the layout's columns (a restyled template that moved them) keeps its template's widths."""
    from openpyxl.utils import get_column_letter

    by_key: dict[str, SheetLayout] = {layout.key: layout for layout in LAYOUT}
    for key, needed in widths.items():
        place = table_place(wb, key)
        if place is None:
            continue
        ws, first, last, _header_row = place
        if last - first + 1 != len(by_key[key].columns):
            continue
        for offset, width in enumerate(needed):
            if width <= 0:
                continue
            letter = get_column_letter(first + offset)
            dim = ws.column_dimensions[letter]
            current = dim.width if dim.width else 8.43         # Excel's default column width
            if width > current:
                dim.width = width
