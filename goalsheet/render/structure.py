"""Everything of a sheet besides cell values, moved through the same row/column maps as the cells.

Merged cells (a merge inside a repeated block is repeated per iteration; one spanning or below a loop is
stretched or shifted), conditional formats (ranges and rule formulas), data validations, defined names
(workbook and sheet scope), print areas and titles, autofilters, tables, freeze panes and selections,
row/column breaks, column widths, chart series references and anchors, image anchors.
Ranges that cover a template row of a loop stretch over the generated rows; ranges below shift.
"""
from __future__ import annotations

import math
import re
from copy import copy
from typing import Any, Callable

from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.dimensions import ColumnDimension
from openpyxl.workbook.workbook import Workbook

from goalsheet.render.layout import AxisMap
from goalsheet.render.refs import COL_LETTERS, Remapper, parse_ref


def remap_names(wb: Workbook, remapper: Remapper) -> dict[tuple[str | None, str], str]:
    """Rewrite workbook- and sheet-scope defined names; return {(sheet lower or None, name lower): text}."""
    names: dict[tuple[str | None, str], str] = {}
    for dn in list(wb.defined_names.values()):
        if dn.attr_text:
            dn.attr_text = remapper.map_formula_text(dn.attr_text, None, stretch_cells=True)
            names[(None, dn.name.lower())] = dn.attr_text
    for ws in wb.worksheets:
        for dn in list(ws.defined_names.values()):
            if dn.attr_text:
                dn.attr_text = remapper.map_formula_text(dn.attr_text, ws.title, stretch_cells=True)
                names[(ws.title.lower(), dn.name.lower())] = dn.attr_text
    return names


def remap_sheet(ws, remapper: Remapper, rows: AxisMap, cols: AxisMap,
                value: Callable[[int, int], Any]) -> None:
    """Move every part of `ws` that holds coordinates.  `value(r, c)` reads a rendered cell."""
    title = ws.title
    ranges = lambda text: remapper.map_range_text(text, title)  # noqa: E731

    # merged cells: repeated inside a loop body, stretched or shifted otherwise
    merged = []
    for mcr in list(ws.merged_cells.ranges):
        for r1, r2 in rows.instances(mcr.min_row, mcr.max_row):
            for c1, c2 in cols.instances(mcr.min_col, mcr.max_col):
                if (r1, c1) != (r2, c2):
                    merged.append(CellRange(min_col=c1, min_row=r1, max_col=c2, max_row=r2))
    ws.merged_cells = MultiCellRange(merged)

    # conditional formats
    old = ws.conditional_formatting
    new = ConditionalFormattingList()
    for cf in old:
        sqref = ranges(str(cf.sqref))
        if not sqref:
            continue
        for rule in cf.rules:
            if rule.formula:
                rule.formula = [remapper.map_formula_text(f, title) for f in rule.formula]
            new.add(sqref, rule)
    ws.conditional_formatting = new

    # data validations
    kept = []
    for dv in ws.data_validations.dataValidation:
        sqref = ranges(str(dv.sqref))
        if not sqref:
            continue
        dv.sqref = MultiCellRange(sqref)
        if dv.formula1:
            dv.formula1 = remapper.map_formula_text(dv.formula1, title)
        if dv.formula2:
            dv.formula2 = remapper.map_formula_text(dv.formula2, title)
        kept.append(dv)
    ws.data_validations.dataValidation = kept

    # print area and titles
    area = ws._print_area
    if area is not None and str(area):
        text = ",".join(p for p in (remapper.map_formula_text(part, title, stretch_cells=True) for part in str(ws.print_area).split(","))
                        if "#REF!" not in p)
        ws.print_area = [p.split("!")[-1] for p in text.split(",")] if text else None
    if ws.print_title_rows:
        mapped = ranges(ws.print_title_rows)
        ws.print_title_rows = mapped if mapped else None
    if ws.print_title_cols:
        mapped = ranges(ws.print_title_cols)
        ws.print_title_cols = mapped if mapped else None

    # autofilter and tables
    if ws.auto_filter.ref:
        ws.auto_filter.ref = ranges(ws.auto_filter.ref)
    for table in ws.tables.values():
        old_ref = table.ref
        table.ref = ranges(table.ref) or table.ref
        if table.autoFilter is not None and table.autoFilter.ref:
            table.autoFilter.ref = table.ref
        _fit_table_columns(table, old_ref, value)

    # views: freeze panes and selection
    for view in ws.views.sheetView:
        for sel in view.selection:
            if sel.activeCell:
                sel.activeCell = _map_cell(sel.activeCell, rows, cols)
            if sel.sqref:
                sel.sqref = ranges(str(sel.sqref)) or sel.activeCell or "A1"
        pane = view.pane
        if pane is not None and pane.topLeftCell:
            pane.topLeftCell = _map_cell(pane.topLeftCell, rows, cols)
            if pane.state in ("frozen", "frozenSplit"):        # splits count the frozen rows/columns
                ref = parse_ref(pane.topLeftCell)
                if ref is not None:
                    if pane.ySplit:
                        pane.ySplit = ref.r1 - 1
                    if pane.xSplit:
                        pane.xSplit = ref.c1 - 1

    # page breaks
    for brk in ws.row_breaks.brk:
        brk.id = _map_last(brk.id, rows)
    for brk in ws.col_breaks.brk:
        brk.id = _map_last(brk.id, cols)

    # column widths
    if not cols.identity:
        _remap_columns(ws, cols)

    # charts and images
    for chart in ws._charts:
        _move_anchor(chart, rows, cols)
    for image in ws._images:
        _move_anchor(image, rows, cols)


def remap_chart_references(wb: Workbook, remapper: Remapper) -> None:
    """Series references of every chart (they may point at any sheet)."""
    for ws in wb.worksheets:
        for chart in ws._charts:
            parts = {id(p): p for p in [chart] + list(getattr(chart, "_charts", []))}
            for part in parts.values():
                for series in getattr(part, "series", []) or []:
                    _remap_series(series, remapper, ws.title)


def fill_chart_caches(wb: Workbook, read: Callable[[str | None, int, int, int, int], list]) -> dict[str, _ChartCache]:
    """Give every chart series the values it shows (Excel's cached points), so a viewer that does not
    calculate still draws the chart.  `read(sheet, r1, c1, r2, c2)` reads a rendered (evaluated) area,
    row by row, None for a cell that shows nothing.

    openpyxl builds an object per cached point, which for a chart over a 20 000-row table costs many
    seconds; so each cache gets a token here and its XML is built as text, once: the returned
    {token: cache} is spliced into the saved chart parts by `splice_chart_caches`, which builds the XML
    (late: while the package writer's worker deflates the large sheets before the charts)."""
    from openpyxl.chart.data_source import AxDataSource, NumData, StrData, StrRef, StrVal
    caches: dict[str, _ChartCache] = {}
    areas: dict[tuple[str, str], list | None] = {}        # a range several series show is read once
    tokens: dict[tuple[str, str, str], str] = {}           # and its cache built once

    def area(formula: str | None, title: str) -> list | None:
        key = (title, formula or "")
        if key not in areas:
            areas[key] = _read_area(formula, title, read)
        return areas[key]

    for ws in wb.worksheets:
        for chart in ws._charts:
            parts = {id(p): p for p in [chart] + list(getattr(chart, "_charts", []))}
            for part in parts.values():
                for series in getattr(part, "series", []) or []:
                    sources = [getattr(series, a, None) for a in ("val", "cat", "xVal", "yVal", "bubbleSize")]
                    for src in sources:       # text categories belong in a string reference
                        if isinstance(src, AxDataSource) and src.numRef is not None and src.numRef.f:
                            values = area(src.numRef.f, ws.title) or []
                            if any(isinstance(v, str) for v in values):
                                src.strRef, src.numRef = StrRef(f=src.numRef.f), None
                    refs = [(src.numRef, "num") for src in sources if src is not None and src.numRef is not None]
                    refs += [(src.strRef, "str") for src in sources
                             if src is not None and getattr(src, "strRef", None) is not None]
                    tx = getattr(series, "tx", None)
                    if tx is not None and getattr(tx, "strRef", None) is not None:
                        refs.append((tx.strRef, "str"))
                    for ref, kind in refs:
                        values = area(ref.f, ws.title)
                        if values is None:
                            continue
                        token = tokens.get((kind, ws.title, ref.f))
                        if token is None:
                            token = tokens[(kind, ws.title, ref.f)] = f"{_CACHE_TOKEN}{len(caches)}"
                            caches[token] = _ChartCache(kind, values)
                        if kind == "num":
                            ref.numCache = NumData(formatCode=token, ptCount=len(values), pt=[])
                        else:
                            ref.strCache = StrData(ptCount=len(values), pt=[StrVal(idx=0, v=token)])
    return caches


class _ChartCache:
    """The values a series shows, as numbers ("num") or text ("str"); `xml()` the inside of its cache element,
    built once however many series show it."""

    def __init__(self, kind: str, values: list):
        self.kind, self.values, self._xml = kind, values, None

    def xml(self) -> str:
        if self._xml is None:
            self._xml = _num_cache_xml(self.values) if self.kind == "num" else _str_cache_xml(self.values)
        return self._xml


_CACHE_TOKEN = "gs-chart-cache-8c1f2b-"
_CACHE_SLOT = re.compile(r"<((?:\w+:)?)(numCache|strCache)>(?:(?!</\1\2>).)*?" + _CACHE_TOKEN
                         + r"(\d+)<.*?</\1\2>", re.S)


def splice_chart_caches(xml: str, caches: dict[str, _ChartCache]) -> str:
    """Put each cache's XML where `fill_chart_caches` left its token in a saved chart part."""
    if _CACHE_TOKEN not in xml:
        return xml

    def fill(m: re.Match) -> str:
        prefix, tag = m.group(1), m.group(2)
        cache = caches.get(_CACHE_TOKEN + m.group(3))
        if cache is None:
            return m.group(0)
        body = cache.xml()
        if prefix:
            body = body.replace("<", "<" + prefix).replace("<" + prefix + "/", "</" + prefix)
        return f"<{prefix}{tag}>{body}</{prefix}{tag}>"
    return _CACHE_SLOT.sub(fill, xml)


_NUM_POINT = '<pt idx="%d"><v>%.16g</v></pt>'


def _num_cache_xml(values: list) -> str:
    """The inside of <numCache>, as openpyxl writes it (numbers as "%.16g"; text and blanks left out).

    Values all plain finite numbers (a column of figures) are formatted in one pass of C calls."""
    if set(map(type, values)) <= _PLAIN_NUMBERS and all(map(math.isfinite, values)):
        pts = "".join(map(_NUM_POINT.__mod__, enumerate(values)))
    else:
        pts = "".join(_NUM_POINT % (i, v) for i, v in enumerate(values)
                      if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v))
    return f'<formatCode>General</formatCode><ptCount val="{len(values)}" />{pts}'


_PLAIN_NUMBERS = frozenset((float, int))


def _str_cache_xml(values: list) -> str:
    """The inside of <strCache>, as openpyxl writes it (blanks left out)."""
    pts = []
    for i, v in enumerate(values):
        if v is None:
            continue
        text = _cache_text(v)
        space = ' xml:space="preserve"' if text.strip() and text != text.strip() else ""
        pts.append(f'<pt idx="{i}"><v{space}>{_escape_text(text)}</v></pt>')
    return f'<ptCount val="{len(values)}" />' + "".join(pts)


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _escape_text(s: str) -> str:
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _ILLEGAL_XML.sub("", s)


def _cache_text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _read_area(formula: str | None, title: str, read: Callable[[str | None, int, int, int, int], list]) -> list | None:
    if not formula:
        return None
    ref = parse_ref(formula.lstrip("="))
    if ref is None or ref.kind not in ("cell", "range"):
        return None
    if (ref.r2 - ref.r1 + 1) * (ref.c2 - ref.c1 + 1) > 100_000:
        return None
    try:
        return read(ref.sheet or title, ref.r1, ref.c1, ref.r2, ref.c2)
    except Exception:  # noqa: BLE001 - an unreadable cell only costs the cache
        return None


def _remap_series(series, remapper: Remapper, title: str) -> None:
    for attr in ("val", "cat", "xVal", "yVal", "bubbleSize"):
        source = getattr(series, attr, None)
        if source is None:
            continue
        for kind in ("numRef", "strRef", "multiLvlStrRef"):
            ref = getattr(source, kind, None)
            if ref is not None and ref.f:
                ref.f = remapper.map_formula_text(ref.f, title, stretch_cells=True)
                for cache in ("numCache", "strCache", "multiLvlStrCache"):
                    if hasattr(ref, cache):
                        setattr(ref, cache, None)
    tx = getattr(series, "tx", None)
    if tx is not None and getattr(tx, "strRef", None) is not None and tx.strRef.f:
        tx.strRef.f = remapper.map_formula_text(tx.strRef.f, title, stretch_cells=True)
        tx.strRef.strCache = None


def _fit_table_columns(table, old_ref: str, value: Callable[[int, int], Any]) -> None:
    """A column loop inside a table changes its width: rename its columns from the header row."""
    c1, r1, c2, _ = range_boundaries(table.ref)
    o1, _, o2, _ = range_boundaries(old_ref)
    if (c2 - c1) == (o2 - o1) and len(table.tableColumns) == c2 - c1 + 1:
        return
    from openpyxl.worksheet.table import TableColumn
    seen: set[str] = set()
    columns = []
    for i, c in enumerate(range(c1, c2 + 1), 1):
        name = value(r1, c) if table.headerRowCount else None
        name = str(name) if name not in (None, "") else f"Column{i}"
        base, k = name, 2
        while name.lower() in seen:
            name = f"{base}{k}"
            k += 1
        seen.add(name.lower())
        columns.append(TableColumn(id=i, name=name))
    table.tableColumns = columns
    if table.autoFilter is not None:
        table.autoFilter.filterColumn = []


def _map_pos(p: int, axis: AxisMap) -> int:
    """Where template position p (0 = none) lands: its first output position, or that of the next
    surviving position (a tag row, say)."""
    if axis.identity:
        return p
    for q in range(p, axis.axis.size + 2):
        s = axis.span(q, q)
        if s:
            return s[0]
    return p + axis.delta


def _map_last(p: int, axis: AxisMap) -> int:
    if axis.identity or p < 1:
        return p
    for q in range(p, 0, -1):
        s = axis.span(q, q)
        if s:
            return s[1]
    return p


def _map_cell(coord: str, rows: AxisMap, cols: AxisMap) -> str:
    ref = parse_ref(coord)
    if ref is None or ref.kind != "cell":
        return coord
    return f"{COL_LETTERS[_map_pos(ref.c1, cols)]}{_map_pos(ref.r1, rows)}"


def _move_anchor(obj, rows: AxisMap, cols: AxisMap) -> None:
    anchor = obj.anchor
    if isinstance(anchor, str):
        obj.anchor = _map_cell(anchor, rows, cols)
        return
    start = getattr(anchor, "_from", None)
    if start is None:
        return
    new_row = _map_pos(start.row + 1, rows) - 1
    new_col = _map_pos(start.col + 1, cols) - 1
    d_row, d_col = new_row - start.row, new_col - start.col
    start.row, start.col = new_row, new_col
    end = getattr(anchor, "to", None)
    if end is not None:
        end.row += d_row
        end.col += d_col


def _place_column(ws, dim, j: int) -> None:
    """A copy of the template column's dimension (width, style, hidden, outline) at output column j."""
    letter = COL_LETTERS[j]
    new = ColumnDimension(ws, index=letter, width=dim.width, bestFit=dim.bestFit, hidden=dim.hidden,
                          outlineLevel=dim.outlineLevel, collapsed=dim.collapsed)
    new._style = copy(dim._style)
    new.min = new.max = j
    ws.column_dimensions[letter] = new


def _remap_columns(ws, cols: AxisMap) -> None:
    template: dict[int, ColumnDimension] = {}
    for dim in list(ws.column_dimensions.values()):
        lo, hi = dim.min or 0, dim.max or 0
        if not lo:
            continue
        for c in range(lo, hi + 1):
            template[c] = dim
    ws.column_dimensions.clear()
    for j, c in enumerate(cols.out_pos, 1):
        if c is None:
            continue
        dim = template.get(c)
        if dim is None:
            continue
        _place_column(ws, dim, j)
    for c, dim in template.items():
        if c > cols.axis.size:
            _place_column(ws, dim, c + cols.delta)
