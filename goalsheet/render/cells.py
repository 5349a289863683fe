"""The rendered cells of every sheet (SPEC 5, step 2): each output row's cells made from its template row's
programs in the scope of its loop items - values, texts, formulas with their references remapped - counted
against the render's budget; the formulas are valued later (`formula_values.py`) and the rows written as XML
by `sheet_xml.py`."""
from __future__ import annotations

import datetime as _dt
import math
from copy import copy
from operator import itemgetter, ne as _ne
from typing import Any, Callable

from openpyxl.cell.cell import Cell as OpenpyxlCell
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.workbook import Workbook

from goalsheet.render import sheet_xml
from goalsheet.render.budget import Budget
from goalsheet.render.compile import (BLANK, CONST, EXPR, FORMULA, TEXT, CellProgram, FormulaProgram, SheetTemplate,
                                      row_attributes)
from goalsheet.render.errors import ExprError, TemplateError
from goalsheet.render.formula_values import FormulaCell
from goalsheet.render.layout import AxisMap
from goalsheet.render.refs import COL_LETTERS, Home, Remapper
from goalsheet.render.values import Cell, native


class SheetOutput:
    """The rendered cells of one sheet: per output row, a list of (col, style, value)."""

    def __init__(self, title: str, rows: list[list | None], row_attrs: list[str], n_cols: int):
        self.title = title
        self.rows = rows
        self.row_attrs = row_attrs
        self.n_cols = n_cols
        self.decorations: list[tuple[tuple[int, int], CellProgram]] = []
        self._dicts: dict[int, dict[int, Any]] = {}
        self.formulas: list[FormulaCell] = []
        self._grid: list[dict[int, Any]] | None = None
        # rows made by a `RowBatch`: row index -> (batch token, its columns, its styles), for `write_rows`
        self.batched: dict[int, tuple] = {}

    @classmethod
    def of_values(cls, title: str, values: list[list]) -> "SheetOutput":
        """Rows of plain values from A1, unstyled (None: no cell)."""
        rows = [[(c, 0, v) for c, v in enumerate(row, 1) if v is not None] or None for row in values]
        return cls(title, rows, [], max((len(row) for row in values), default=1))

    def row_dict(self, r: int) -> dict[int, Any]:
        d = self._dicts.get(r)
        if d is None:
            cells = self.rows[r - 1] if 0 < r <= len(self.rows) else None
            d = {c: v for c, _, v in cells} if cells else {}
            self._dicts[r] = d
        return d

    def grid(self) -> list[dict[int, Any]]:
        """Every output row as {col: value}, built once."""
        if self._grid is None:
            self._grid = [({c: v for c, _, v in cells} if cells else {}) for cells in self.rows]
            self._dicts = dict(enumerate(self._grid, 1))
        return self._grid

    def value(self, r: int, c: int) -> Any:
        v = self.row_dict(r).get(c)
        if isinstance(v, FormulaCell):
            return v.value if v.state == 2 else None
        return v

    def dimension(self) -> str:
        last_row = 0
        for i in range(len(self.rows) - 1, -1, -1):
            if self.rows[i]:
                last_row = i + 1
                break
        last_col = max((cells[-1][0] for cells in self.rows if cells), default=1)
        return f"A1:{COL_LETTERS[max(last_col, 1)]}{max(last_row, 1)}"

    def write_rows(self, emit: Callable[[str], None]) -> None:
        """The sheet's <row> elements, handed to `emit` some 512 rows at a time (`sheet_xml.write_rows`)."""
        sheet_xml.write_rows(self, emit)


def render_cells(wb: Workbook, st: SheetTemplate, rows: AxisMap, cols: AxisMap, remapper: Remapper) -> SheetOutput:
    """Pass 2 for one sheet: every output cell's value (formulas remapped, not yet evaluated); the cells made
    and the time taken are counted against the render's budget (its environment's) row by row."""
    budget: Budget = st.compiler.env.budget
    out_rows: list[list | None] = []
    row_attrs: list[str] = []
    sheet = st.title
    epoch = wb.epoch
    date_styles: dict[tuple[int, bool], int] = {}
    format_styles: dict[tuple[int, str], int] = {}
    sheet_out = SheetOutput(sheet, out_rows, row_attrs, cols.size_out)
    # template row -> [(out col, col bindings, col path, col chain, program)]
    expanded: dict[int, list] = {}
    has_col_vars = any(cols.out_scope[j] for j in range(cols.size_out))

    def row_programs(tr: int) -> list:
        progs = expanded.get(tr)
        if progs is None:
            by_col = dict(st.programs.get(tr, ()))
            progs = []
            if by_col:
                if cols.identity:
                    for c, prog in sorted(by_col.items()):
                        progs.append((c, None, (), (), prog))
                else:
                    for j in range(cols.size_out):
                        c = cols.out_pos[j]
                        if c is not None and c in by_col:
                            cb = cols.out_scope[j] if has_col_vars else None
                            progs.append((j + 1, cb or None, cols.out_path[j], st.col_axis.chain_of(c), by_col[c]))
                    # columns beyond the template's extent keep their offset
            expanded[tr] = progs
        return progs

    formula_cache: dict[tuple, Any] = {}
    jinja_formula_cache: dict[str, FormulaProgram] = {}
    batches: dict[int, RowBatch | None] = {}
    batched = sheet_out.batched
    slot_cache: dict[tuple[int, int, int], list] = {}

    tick, add_cells = budget.tick, budget.add_cells
    for i in range(rows.size_out):
        tr = rows.out_pos[i]
        row_attrs.append(st.row_attrs.get(tr, "") if tr is not None else "")
        if tr is None:
            out_rows.append(None)
            continue
        progs = row_programs(tr)
        if not progs:
            out_rows.append(None)
            continue
        try:
            tick()
        except ExprError as exc:
            raise TemplateError(progs[0][4].where, exc.message, exc.code, exc.params) from None
        add_cells(len(progs), progs[0][4].where)
        scope = rows.out_scope[i]
        batch = batches.get(tr, _UNSET)
        if batch is _UNSET:
            batch = batches[tr] = RowBatch.of(progs)
        if batch is not None:
            cells = batch.cells(scope)
            if cells is not None:
                batched[i] = batch.shape
                out_rows.append(cells)
                continue
        row_no = i + 1
        row_path = rows.out_path[i]
        row_chain = st.row_axis.chain_of(tr)
        cells = []
        append = cells.append
        height = None
        for j, cb, col_path, col_chain, prog in progs:
            kind = prog.kind
            style = prog.style
            if kind == EXPR:
                try:
                    v = prog.payload(scope if cb is None else {**scope, **cb})
                except ExprError as exc:
                    raise TemplateError(prog.where, exc.message, exc.code, exc.params) from None
                except TemplateError:
                    raise
                except Exception as exc:  # noqa: BLE001
                    raise TemplateError(prog.where, f"{type(exc).__name__}: {exc}") from None
                t = type(v)
                if t is Cell:                   # a value carrying its number format and row height
                    if v.number_format is not None:
                        style = number_format_style(wb, style, v.number_format, format_styles)
                    if v.row_height is not None:
                        height = v.row_height if height is None else max(height, v.row_height)
                    v = v.value
                    t = type(v)
                if t is float:
                    if v != v or v == math.inf or v == -math.inf:
                        v = None
                elif not (t is int or t is str or t is bool or v is None):
                    v = native(v)
                    if isinstance(v, (_dt.date, _dt.time, _dt.timedelta)):
                        style = _date_style(wb, style, v, date_styles)
                        v = to_excel(v, epoch)
                append((j, style, v))
            elif kind == CONST:
                v = prog.payload
                if isinstance(v, (_dt.date, _dt.time, _dt.timedelta)):
                    v = to_excel(v, epoch)
                append((j, style, v))
            elif kind == TEXT:
                try:
                    v = prog.payload(scope if cb is None else {**scope, **cb})
                except ExprError as exc:
                    raise TemplateError(prog.where, exc.message, exc.code, exc.params) from None
                except Exception as exc:  # noqa: BLE001
                    raise TemplateError(prog.where, f"{type(exc).__name__}: {exc}") from None
                append((j, style, v))
            elif kind == BLANK:
                append((j, style, None))
            else:
                if kind == FORMULA:
                    program = prog.payload
                else:
                    try:
                        text = prog.payload(scope if cb is None else {**scope, **cb})
                    except ExprError as exc:
                        raise TemplateError(prog.where, exc.message, exc.code, exc.params) from None
                    program = jinja_formula_cache.get(text)
                    if program is None:
                        try:
                            program = FormulaProgram(text)
                        except Exception as exc:  # noqa: BLE001
                            raise TemplateError(prog.where, f"cannot read the formula {text}: {exc}") from None
                        jinja_formula_cache[text] = program
                home = Home(sheet, row_path, row_chain, col_path, col_chain)
                key = (id(program), tr, j)
                fixed = formula_cache.get(key)
                if fixed is None:
                    fixed = [not remapper.depends_on_home(ref, sheet, row_chain, col_chain) for ref in program.refs]
                    formula_cache[key] = fixed
                    slot_cache[key] = [None] * len(program.refs)
                cached = slot_cache[key]
                texts, areas = [], []
                for k, ref in enumerate(program.refs):
                    if fixed[k] and cached[k] is not None:
                        t_, a_ = cached[k]
                    else:
                        t_, a_ = remapper.map_ref(ref, home)
                        if fixed[k]:
                            cached[k] = (t_, a_)
                    texts.append(t_)
                    areas.append(a_)
                text = "=" + "".join(p if isinstance(p, str) else texts[p] for p in program.parts)
                fc = FormulaCell(text, program.tree, areas, f"{sheet}!{COL_LETTERS[j]}{row_no}")
                if program.tree is None:
                    fc.state = 3
                sheet_out.formulas.append(fc)
                append((j, style, fc))
            if prog.hyperlink is not None or prog.comment is not None:
                sheet_out.decorations.append(((row_no, j), prog))
        if height is not None:
            row_attrs[i] = row_attributes(st.row_dims.get(tr, ()), height)
        out_rows.append(cells)
    # rows beyond the rendered area that only carry a height
    for tr, attrs in st.row_attrs.items():
        if tr > st.row_axis.size:
            at = tr + rows.delta
            while len(row_attrs) < at:
                row_attrs.append("")
            row_attrs[at - 1] = attrs
    return sheet_out


_UNSET = object()
_BASIC_TYPES = frozenset((float, int, str, bool, type(None)))


class RowBatch:
    """A template row whose every cell is `{{ name.key }}` of one row name (the table row of a row loop), with
    no column loop variables, links or comments: its output cells read in one C-level pass - the keys by one
    itemgetter from the row's dict - where the per-cell loop of `_render_cells` would give the very same cells.
    `cells(scope)` is None whenever it might not (the name not in the scope, not a plain dict, a key missing, a
    value not a plain int/float/str/bool/None, a float NaN or infinite): the row is then made cell by cell."""

    __slots__ = ("name", "get", "cols", "styles", "shape")

    def __init__(self, name: str, keys: list[str], cols: list[int], styles: list[int]):
        self.name, self.cols, self.styles = name, cols, styles
        self.shape = (object(), tuple(cols), tuple(styles))    # every row it makes has these columns and styles
        if len(keys) == 1:
            only = keys[0]
            self.get = lambda d: (d[only],)   # noqa: E731
        else:
            self.get = itemgetter(*keys)

    @classmethod
    def of(cls, progs: list) -> "RowBatch | None":
        name = None
        keys, cols, styles = [], [], []
        for j, cb, _path, _chain, prog in progs:
            field = prog.field
            if (cb is not None or prog.kind != EXPR or field is None or prog.hyperlink is not None
                    or prog.comment is not None or (name is not None and field[0] != name)):
                return None
            name = field[0]
            keys.append(field[1])
            cols.append(j)
            styles.append(prog.style)
        return cls(name, keys, cols, styles) if name is not None else None

    def cells(self, scope: dict) -> list | None:
        try:
            row = scope[self.name]
        except (KeyError, TypeError):
            return None
        if type(row) is not dict:
            return None
        try:
            values = self.get(row)
        except KeyError:
            return None
        types = set(map(type, values))
        if not types <= _BASIC_TYPES:
            return None
        if float in types and (any(map(_ne, values, values)) or _INF in values or _NEG_INF in values):
            return None
        return list(zip(self.cols, self.styles, values))


_INF, _NEG_INF = math.inf, -math.inf


def _date_style(wb: Workbook, style: int, value: Any, cache: dict) -> int:
    """A date into a General cell gets a date format (as Excel does when you type a date)."""
    is_datetime = isinstance(value, _dt.datetime) and (value.hour or value.minute or value.second)
    key = (style, bool(is_datetime))
    got = cache.get(key)
    if got is not None:
        return got
    base = wb._cell_styles[style] if style < len(wb._cell_styles) else None
    if base is not None and base.numFmtId != 0:
        cache[key] = style
        return style
    arr = copy(base) if base is not None else copy(wb._cell_styles[0])
    arr.numFmtId = 22 if is_datetime else 14
    got = wb._cell_styles.add(arr)
    cache[key] = got
    return got


def number_format_style(wb: Workbook, style: int, number_format: str, cache: dict) -> int:
    """The style `style` with `number_format` in place of its own (added to the workbook's styles once): what
    setting a cell's number format in openpyxl does."""
    key = (style, number_format)
    got = cache.get(key)
    if got is None:
        scratch = OpenpyxlCell(wb.worksheets[0], style_array=copy(wb._cell_styles[style]))
        scratch.number_format = number_format
        got = cache[key] = scratch.style_id
    return got
