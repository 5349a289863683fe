"""How the plan workbook prints (SPEC section 4): every sheet on A4 landscape, no text under 8 pt, wide tables
split across pages with their key columns and header row repeated, every chart on the page.

Text prints at its font size times the sheet's print scale, so no sheet prints below `MIN_SCALE` (8 pt of the
11 pt body text).  A table as wide as a page at that scale or less prints one page wide, at the largest scale
(up to 100 %) that fits; a wider one is cut into as few pages across as fit at `MIN_SCALE`, the cuts placed so
the widest page is as narrow as possible, and printed at the scale that fits that page - each page with the
table's key columns (its leading text or month columns: store, SKU, operator, month) repeated at its left by
the template's print titles.  The title and the note under it print in the page header and footer, so every
page carries them whole.

The templates (`templates/make_templates.py`) set what does not depend on the figures: paper, margins, header
and footer, print titles, print areas, page breaks before charts.  Column widths are set when the plan is
written (`widths.fit_columns`), and so is what depends on them (`fit_pages`): the scale, the column page
breaks, and each chart's place (from its cell to the last column of its page and as far down as its page
allows, anchored to cells so that it stays inside the page in every application).

Sizes are in points.  An Excel column `w` wide is w widths of the digit 0 of the workbook's default font
(`DIGIT`), its padding included.
"""
from __future__ import annotations

import math
import re

from goalsheet.report.context import text_lines
from goalsheet.report.layout import LAYOUT, LINE_HEIGHT, SheetLayout

PAPER = (841.89, 595.28)            # A4 landscape
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.8, "bottom": 0.75, "header": 0.25, "footer": 0.25}   # inches
BODY_FONT = 11.0                    # the cells' font size
SMALLEST = 8.0                      # no text prints smaller
# 74 %: 11 pt prints at 8.1 pt (at 73 % LibreOffice, rounding the scaled sizes, prints 7.99 pt)
MIN_SCALE = math.ceil(SMALLEST / BODY_FONT * 100) + 1
CHART_FONT = 12.0                   # chart labels: 8.9 pt at MIN_SCALE
TITLE_FONT = 14.0                   # the page header's title
ROW_HEIGHT = 15.0                   # a row of 11 pt text
# One unit of column width: the width of the digit 0 of the font drawn for Calibri - 5.25 pt in Excel, 7 pt in
# LibreOffice where it draws DejaVu Sans (Carlito missing); the wider, so a page never takes more than it holds.
DIGIT = 7.0
DEFAULT_WIDTH = 8.43                # a column without a width of its own
MIN_CHART = 255.0                   # a chart sharing its page with rows prints at least 9 cm tall
# Room kept on every page for what the model does not see: LibreOffice's and Excel's rounding of column widths
# to pixels, and the gap between a chart and the rows above it.
WIDTH_SLACK, HEIGHT_SLACK = 0.96, 0.94


def body() -> tuple[float, float]:
    """The printable width and height of a page (inside the margins)."""
    return (PAPER[0] - (MARGINS["left"] + MARGINS["right"]) * 72,
            PAPER[1] - (MARGINS["top"] + MARGINS["bottom"]) * 72)


def column_points(width: float | None) -> float:
    return (width if width else DEFAULT_WIDTH) * DIGIT


def key_columns(layout: SheetLayout) -> int:
    """How many leading columns name a row and repeat on every page of a table cut across pages: the leading
    text or month columns, at most two (Store and SKU; Month; Operator and Period)."""
    keys = 0
    for col in layout.columns[:2]:
        if col.fmt not in ("text", "month"):
            break
        keys += 1
    return keys


def header_height(layout: SheetLayout, lang: str, widths: list[float] | None = None) -> float:
    """The height of a table's header row that shows every header whole, wrapped at its column's width (bold
    letters are about a tenth wider than `text_lines` counts them); at least two lines."""
    lines = 2
    for i, col in enumerate(layout.columns):
        width = widths[i] if widths else (col.width or DEFAULT_WIDTH)
        lines = max(lines, text_lines(col.zh if lang == "zh" else col.en, max(1.0, (width - 1.0) / 1.1)))
    return lines * LINE_HEIGHT + 2


def page_columns(widths: list[float], keys: int, room: float) -> tuple[int, list[int]]:
    """(scale in %, the 0-based columns each further page begins at) for a table whose columns are `widths`
    points wide, the first `keys` repeated on every page, on pages `room` points wide.

    One page when the whole table fits at `MIN_SCALE`; otherwise the fewest pages that fit at `MIN_SCALE`,
    cut so the widest page (its key columns included) is as narrow as possible, at the scale that fits it."""
    total = sum(widths)
    if total <= 0:
        return 100, []
    limit = room * 100 / MIN_SCALE
    if total <= limit:
        return min(100, math.floor(room / total * 100)), []
    key_width = sum(widths[:keys])
    rest = widths[keys:]
    if not rest or key_width + max(rest) > limit:      # key columns too wide to repeat: cut without them
        key_width, rest, keys = 0.0, widths, 0
    if max(rest) > limit:                              # a column wider than a page: the application cuts it
        return MIN_SCALE, []

    def cuts(most: float) -> list[int] | None:
        """Greedy: each page takes columns while it stays within `most`."""
        starts, used = [], 0.0
        for j, w in enumerate(rest):
            if w > most:
                return None
            if used + w > most:
                starts.append(keys + j)
                used = 0.0
            used += w
        return starts

    fewest = len(cuts(limit - key_width))
    low, high = max(rest), limit - key_width           # the narrowest widest page with that many pages
    for _ in range(40):
        mid = (low + high) / 2
        found = cuts(mid)
        if found is not None and len(found) <= fewest:
            high = mid
        else:
            low = mid
    starts = cuts(high)
    return min(100, max(MIN_SCALE, math.floor(room / (key_width + high) * 100))), starts


def cell_anchor(row: int, col: int, to_row: int, to_col: int):
    """A chart's place from the top left of cell (row, col) to the top left of cell (to_row, to_col), 0-based:
    its size follows the cells', so it stays within the columns of its page in every application, whatever
    width each gives a column."""
    from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor

    return TwoCellAnchor(_from=AnchorMarker(col=col, row=row), to=AnchorMarker(col=to_col, row=to_row))


_AREA = re.compile(r"\$?([A-Z]{1,3})\$?(\d+):\$?([A-Z]{1,3})\$?(\d+)$")


def fit_pages(wb) -> None:
    """Scale, column page breaks and chart sizes of each table sheet of the rendered openpyxl workbook `wb`,
    from its columns' widths as written (after `widths.fit_columns`).  A table is found by its defined name
    `gs_<key>`; a sheet without a print area (a restyled template) is left as it is."""
    from openpyxl.utils import column_index_from_string, get_column_letter
    from openpyxl.worksheet.pagebreak import Break

    from goalsheet.report.widths import table_place

    room_w, room_h = body()
    room_w *= WIDTH_SLACK
    room_h *= HEIGHT_SLACK
    for layout in LAYOUT:
        place = table_place(wb, layout.key)
        if place is None:
            continue
        ws, _first, _last, header_row = place
        area = _AREA.search(str(ws.print_area or ""))
        if area is None:
            continue
        first = column_index_from_string(area.group(1))
        last = column_index_from_string(area.group(3))
        top, bottom = int(area.group(2)), int(area.group(4))
        units = [ws.column_dimensions[get_column_letter(c)].width
                 if get_column_letter(c) in ws.column_dimensions else None for c in range(first, last + 1)]
        widths = [column_points(w) for w in units]
        keys = key_columns(layout) if ws.print_title_cols else 0
        scale, starts = page_columns(widths, keys, room_w)
        pages = [0] + starts + [len(widths)]
        lang = "zh" if ws.title == layout.zh else "en"
        header = header_height(layout, lang, [w or DEFAULT_WIDTH for w in units]) \
            if len(units) == len(layout.columns) else header_height(layout, lang)
        titled = bool(ws.print_title_rows)
        breaks = sorted(b.id for b in ws.row_breaks.brk)

        def rows_above(row: int) -> float:
            """Points of rows printed above `row` on its page (the repeated header row included)."""
            start = max([top] + [b + 1 for b in breaks if b + 1 <= row])
            height = sum(header if r == header_row else (ws.row_dimensions[r].height or ROW_HEIGHT)
                         if r in ws.row_dimensions else ROW_HEIGHT for r in range(start, row))
            if titled and start > header_row:
                height += header
            return height

        charts = [c for c in ws._charts if getattr(c.anchor, "_from", None) is not None]
        for chart in charts:            # a chart under rows keeps room to be read
            above = rows_above(chart.anchor._from.row + 1)
            if above > 0:
                scale = max(MIN_SCALE, min(scale, math.floor((room_h - MIN_CHART) / above * 100)))
        areas = []              # a chart after a page break: its page, the columns of its page only
        for chart in charts:
            row, col = chart.anchor._from.row, chart.anchor._from.col          # 0-based
            page = next((i for i in range(len(pages) - 1) if first - 1 + pages[i + 1] > col), len(pages) - 2)
            rows = max(4, math.floor((room_h * 100 / scale - rows_above(row + 1)) / ROW_HEIGHT) - 1)
            end = max(col + 1, first - 1 + pages[page + 1])
            chart.anchor = cell_anchor(row, col, row + rows, end)
            start = max([top] + [b + 1 for b in breaks if b + 1 <= row + 1])
            if start > top:
                areas.append((start, end, row + rows))
                bottom = min(bottom, start - 1)
            else:
                bottom = max(bottom, row + rows)
        ws.print_area = [f"{get_column_letter(first)}{top}:{get_column_letter(last)}{bottom}"] + [
            f"{get_column_letter(first)}{start}:{get_column_letter(end)}{end_row}" for start, end, end_row in areas]
        ws.page_setup.scale = scale
        ws.page_setup.fitToWidth = ws.page_setup.fitToHeight = None
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.col_breaks.brk = []
        for start in starts:
            ws.col_breaks.append(Break(id=first + start - 1))
