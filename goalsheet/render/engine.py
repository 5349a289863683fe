"""Compile a template workbook once; render it with a context into a new workbook (SPEC 5).

How a render runs, and where each step lives:

1. layout   every sheet's row loops and column loops are evaluated and expanded once
            (`layout.Axis.expand`): the complete coordinate map, before anything moves;
2. cells    every output cell is made from its template cell's program (`compile.py`, `cells.py`);
            formulas get their references remapped (`refs.Remapper`);
3. values   formula cells are evaluated (`formula_values.py`, `evaluate.py`) so the file carries cached values;
4. parts    merged cells, conditional formats, validations, names, print areas, filters, tables,
            charts, images, freeze panes, widths and heights go through the same map (`structure.py`);
5. write    openpyxl saves the workbook *without* cell data (its styles, charts, drawings, names ...),
            then the sheet XML of every rendered sheet (`sheet_xml.py`) is streamed in (`package.write_package`).

Why this shape: openpyxl keeps everything of a template (styles, conditional formats, charts) but is
slow to build and save cells; half a million cells are written here as XML strings directly, with the
style ids openpyxl itself assigns, so the output is as fast as xlsxwriter and loses nothing openpyxl keeps.
"""
from __future__ import annotations

from copy import copy
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any, Callable

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from goalsheet.render import structure
from goalsheet.render.budget import Budget
from goalsheet.render.cells import SheetOutput, render_cells
from goalsheet.render.compile import SheetTemplate, check_loop_tags, render_page_texts
from goalsheet.render.expr import Compiler, make_environment
from goalsheet.render.formula_values import FormulaValues
from goalsheet.render.layout import AxisMap
from goalsheet.render.errors import TemplateError
from goalsheet.render.package import SheetData, write_package
from goalsheet.render.refs import Remapper


@dataclass
class RenderReport:
    """What a render could not do perfectly.  `unevaluated`: formulas written without a cached value."""
    unevaluated: list[str] = field(default_factory=list)


class Template:
    """A compiled template workbook.  `Template(path_or_bytes).render(context, out)`."""

    def __init__(self, source: Path | str | bytes, *, filters: dict[str, Callable] | None = None,
                 globals: dict[str, Any] | None = None, budget: Budget | None = None):
        if isinstance(source, (bytes, bytearray)):
            self._bytes = bytes(source)
            self.name = "template"
        else:
            self._bytes = Path(source).read_bytes()
            self.name = Path(source).name
        self.env = make_environment(filters, globals, budget)
        self.compiler = Compiler(self.env)
        wb = self._load()
        self.sheets: dict[str, SheetTemplate] = {}
        for ws in wb.worksheets:
            check_loop_tags(ws)
            self.sheets[ws.title] = SheetTemplate(ws, self.compiler)
        self._spare: Workbook | None = wb

    def _load(self) -> Workbook:
        return load_workbook(BytesIO(self._bytes), rich_text=False)

    def render(self, context: dict[str, Any], out: Path | str | BytesIO, *,
               before_save: Callable[[Workbook], dict | None] | None = None) -> RenderReport:
        """Fill the template with `context` and write the workbook to `out`.

        `before_save(workbook)` may adjust the openpyxl workbook last (document properties, an extra
        sheet); sheets it adds are saved by openpyxl as they are.  It may return {added worksheet: rows}
        (rows of plain values from A1): those rows are streamed into the sheet like rendered cells, with
        no openpyxl cell objects and no second deflate (a hidden sheet of 34 MB of text costs its XML only)."""
        self.env.budget.start()
        wb, self._spare = (self._spare, None) if self._spare is not None else (self._load(), None)
        report = RenderReport()
        scope = dict(context)
        sheets = [(ws, self.sheets[ws.title]) for ws in wb.worksheets if ws.title in self.sheets]
        # 1. layout
        maps: dict[str, tuple[AxisMap, AxisMap]] = {}
        for ws, st in sheets:
            budget = self.env.budget
            rows = st.row_axis.expand(scope, True, limit=1048576, tick=budget.tick, where=ws.title)
            cols = st.col_axis.expand(scope, False, limit=16384, tick=budget.tick, where=ws.title)
            if rows.size_out > 1048576 or cols.size_out > 16384:
                raise TemplateError(ws.title, f"the filled sheet would have {rows.size_out:,} rows and "
                                              f"{cols.size_out:,} columns; Excel allows 1,048,576 x 16,384")
            maps[ws.title.lower()] = (rows, cols)
        remapper = Remapper(maps)
        # 2. cells
        outputs: dict[str, SheetOutput] = {}
        for ws, st in sheets:
            rows, cols = maps[ws.title.lower()]
            outputs[ws.title.lower()] = render_cells(wb, st, rows, cols, remapper)
        # 3. values
        names = structure.remap_names(wb, remapper)
        book = FormulaValues(outputs, names, remapper)
        for ws, st in sheets:
            book.evaluate_sheet(ws.title.lower(), report)
        # 4. parts
        structure.remap_chart_references(wb, remapper)
        chart_caches = structure.fill_chart_caches(wb, book.shown_values)
        # the evaluator's callbacks refer back to the book: with that cycle broken every rendered cell is freed
        # when the render returns, not by the collector walking a million of them once it is back on
        book.evaluator = None
        for ws, st in sheets:
            rows, cols = maps[ws.title.lower()]
            sheet_out = outputs[ws.title.lower()]
            structure.remap_sheet(ws, remapper, rows, cols, lambda r, c, o=sheet_out: o.value(r, c))
            render_page_texts(ws, st.page_texts, scope)
            ws._cells = {}
            ws.row_dimensions.clear()
            for (r, c), prog in sheet_out.decorations:
                cell = ws.cell(row=r, column=c)
                cell._style = copy(wb._cell_styles[prog.style])
                if prog.hyperlink is not None:
                    cell.hyperlink = copy(prog.hyperlink)
                if prog.comment is not None:
                    cell.comment = copy(prog.comment)
        wb.calculation.fullCalcOnLoad = True
        added = (before_save(wb) if before_save is not None else None) or {}
        # 5. write
        streamed = [(ws, outputs[ws.title.lower()]) for ws, _ in sheets]
        streamed += [(ws, SheetOutput.of_values(ws.title, rows)) for ws, rows in added.items()]
        data = {ws: SheetData(sheet_out.write_rows, sheet_out.dimension()) for ws, sheet_out in streamed}
        write_package(wb, data, out, chart_caches=chart_caches)
        return report
