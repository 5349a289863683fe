"""Compile a template workbook once; render it with a context into a new workbook.

How a render runs (SPEC 5):

1. layout   every sheet's row loops and column loops are evaluated and expanded once
            (`layout.Axis.expand`): the complete coordinate map, before anything moves;
2. cells    every output cell is evaluated from its template cell's compiled program;
            formulas get their references remapped (`refs.Remapper`);
3. values   formula cells are evaluated (`evaluate.Evaluator`) so the file carries cached values;
4. parts    merged cells, conditional formats, validations, names, print areas, filters, tables,
            charts, images, freeze panes, widths and heights go through the same map (`structure`);
5. write    openpyxl saves the workbook *without* cell data (its styles, charts, drawings, names ...),
            then the sheet XML of every rendered sheet is streamed in (`package.write_package`).

Why this shape: openpyxl keeps everything of a template (styles, conditional formats, charts) but is
slow to build and save cells; half a million cells are written here as XML strings directly, with the
style ids openpyxl itself assigns, so the output is as fast as xlsxwriter and loses nothing openpyxl keeps.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from copy import copy
from dataclasses import dataclass, field
from io import BytesIO
from operator import itemgetter, ne as _ne
from pathlib import Path
from typing import Any, Callable

from jinja2 import nodes
from jinja2.exceptions import TemplateError as JinjaTemplateError
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula

from goalsheet.gc_pause import cyclic_gc_paused as _cyclic_gc_paused
from goalsheet.render import structure
from goalsheet.render.budget import Budget
from goalsheet.render.errors import TemplateError
from goalsheet.render.evaluate import ErrorValue, Evaluator, RangeValue, Unsupported, parse, text_of
from goalsheet.render.expr import _DICT_ATTRS, Compiler, ExprError, make_environment
from goalsheet.render.layout import Axis, AxisMap, Loop
from goalsheet.render.package import SheetData, write_package
from goalsheet.render.refs import COL_LETTERS, Area, Home, Remapper, parse_ref
from openpyxl.formula.tokenizer import Token, Tokenizer

try:
    from orjson import dumps as _orjson_dumps
except ImportError:  # pragma: no cover - orjson is a dependency; repr then writes every float
    _orjson_dumps = None

_FOR_TAG = re.compile(r"^\{%-?\s*for\s+((?:(?!%\}).)*?)\s*-?%\}$", re.S)
_ENDFOR_TAG = re.compile(r"^\{%-?\s*endfor\s*-?%\}$")

CONST, EXPR, TEXT, FORMULA, FORMULA_JINJA, BLANK = range(6)


@dataclass
class RenderReport:
    """What a render could not do perfectly.  `unevaluated`: formulas written without a cached value."""
    unevaluated: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------
# Formulas

class FormulaProgram:
    """A formula split into literal text and reference slots, plus its expression tree (None when the
    evaluator does not support it)."""
    __slots__ = ("parts", "refs", "tree", "problem")

    def __init__(self, text: str):
        tokens = Tokenizer(text).items
        self.parts: list[str | int] = []
        self.refs = []
        slot_of: dict[int, int] = {}
        for i, tok in enumerate(tokens):
            if tok.type == Token.OPERAND and tok.subtype == Token.RANGE:
                ref = parse_ref(tok.value)
                if ref is not None:
                    slot_of[i] = len(self.refs)
                    self.parts.append(len(self.refs))
                    self.refs.append(ref)
                    continue
            self.parts.append(tok.value)
        self.problem = ""
        try:
            self.tree = parse(tokens, slot_of)
        except Unsupported as exc:
            self.tree, self.problem = None, str(exc)
        except Exception as exc:  # noqa: BLE001 - unusual token streams: just no cached value
            self.tree, self.problem = None, str(exc)


class FormulaCell:
    """An output formula: text, areas of its slots, value once evaluated."""
    __slots__ = ("text", "tree", "areas", "value", "state", "where")

    def __init__(self, text: str, tree: tuple | None, areas: list, where: str):
        self.text, self.tree, self.areas, self.where = text, tree, areas, where
        self.value: Any = None
        self.state = 0          # 0 pending, 1 evaluating, 2 done, 3 unsupported


def excel_literal(value: Any) -> str:
    """A data value inside a formula: a literal, never formula code."""
    value = _native(value)
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return text_of(value) if isinstance(value, int) or not value.is_integer() else str(int(value))
    if isinstance(value, (_dt.date, _dt.datetime)):
        return text_of(to_excel(value))
    return '"' + str(value).replace('"', '""') + '"'


# ---------------------------------------------------------------------------------------------------
# Values

_EPOCH_1900 = _dt.datetime(1899, 12, 30)


def _native(value: Any) -> Any:
    """Python/numpy/pandas scalars -> int, float, bool, str, date/datetime/time or None."""
    t = type(value)
    if t is float:
        return None if (value != value or value in (math.inf, -math.inf)) else value
    if t is int or t is str or t is bool or value is None:
        return value
    if isinstance(value, bool):
        return bool(value)
    if hasattr(value, "dtype") and hasattr(value, "item"):        # numpy scalar
        return _native(value.item())
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time, _dt.timedelta)):
        if isinstance(value, _dt.datetime):
            if value != value:                                        # NaT
                return None
            if value.tzinfo is not None:
                value = value.replace(tzinfo=None)
            if type(value) is not _dt.datetime:                       # pandas Timestamp
                value = _dt.datetime(value.year, value.month, value.day, value.hour, value.minute,
                                     value.second, value.microsecond)
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return _native(float(value))
    try:
        import decimal
        if isinstance(value, decimal.Decimal):
            return None if value.is_nan() else float(value)
    except ImportError:  # pragma: no cover
        pass
    if type(value).__name__ in ("NaTType", "NAType"):
        return None
    return str(value)


# ---------------------------------------------------------------------------------------------------
# Compilation

@dataclass
class CellProgram:
    kind: int
    payload: Any
    style: int
    where: str
    hyperlink: Any = None
    comment: Any = None
    field: tuple[str, str] | None = None     # EXPR `{{ name.key }}`: (name, key), read by `_RowBatch`


class SheetTemplate:
    """One worksheet compiled: its loops along both axes and a program per template cell."""

    def __init__(self, ws, compiler: Compiler):
        self.title = ws.title
        self.compiler = compiler
        self.programs: dict[int, list[tuple[int, CellProgram]]] = {}
        wb = ws.parent
        cells = dict(ws._cells)
        max_row = max([r for r, _ in cells] + [1])
        max_col = max([c for _, c in cells] + [1])

        def where(r: int, c: int) -> str:
            return f"{self.title}!{COL_LETTERS[c]}{r}"

        # -- loops along rows: tags in column A ---------------------------------------------------
        row_tags: dict[int, tuple[str, Any]] = {}
        for (r, c), cell in cells.items():
            if c == 1 and isinstance(cell.value, str):
                tag = _tag(cell.value)
                if tag:
                    row_tags[r] = tag
        row_loops = self._pair(sorted(row_tags.items()), lambda r: where(r, 1), "loop")
        # -- loops along columns: lone tag cells elsewhere ---------------------------------------
        col_loops: list[Loop] = []
        col_tag_seen: dict[int, str] = {}
        by_row: dict[int, list[tuple[int, tuple[str, Any]]]] = {}
        for (r, c), cell in cells.items():
            if c > 1 and r not in row_tags and isinstance(cell.value, str):
                tag = _tag(cell.value)
                if tag:
                    if c in col_tag_seen:
                        raise TemplateError(where(r, c), f"column {COL_LETTERS[c]} already holds a loop tag "
                                                         f"at {col_tag_seen[c]}; a column holds one tag")
                    col_tag_seen[c] = where(r, c)
                    by_row.setdefault(r, []).append((c, tag))
        for r, tags in by_row.items():
            col_loops += self._pair(sorted(tags), lambda c, r=r: where(r, c), "colloop")
        self.row_axis = Axis(max_row, row_loops)
        self.col_axis = Axis(max_col, col_loops)

        # -- cell programs -----------------------------------------------------------------------
        for (r, c), cell in sorted(cells.items()):
            if r in self.row_axis.tags or c in self.col_axis.tags:
                continue
            prog = self._compile_cell(cell, wb, where(r, c))
            if prog is not None:
                self.programs.setdefault(r, []).append((c, prog))
        self.row_attrs: dict[int, str] = {}
        for r, dim in ws.row_dimensions.items():
            attrs = "".join(f' {k}="{v}"' for k, v in dim if k != "r")
            if attrs:
                self.row_attrs[r] = attrs

    def _pair(self, tags: list[tuple[int, tuple[str, Any]]], where: Callable[[int], str], loop_name: str) -> list[Loop]:
        loops: list[Loop] = []
        stack: list[tuple[int, Any]] = []
        for pos, (kind, payload) in tags:
            if kind == "for":
                stack.append((pos, payload))
            else:
                if not stack:
                    raise TemplateError(where(pos), "{% endfor %} without a {% for %} before it")
                open_pos, node = stack.pop()
                targets, iterable, test = self._compile_for(node, where(open_pos))
                loops.append(Loop(open_pos, pos, where(open_pos), targets, iterable, test, loop_name))
        if stack:
            raise TemplateError(where(stack[-1][0]), "{% for %} without a matching {% endfor %}")
        return loops

    def _compile_for(self, node: nodes.For, where: str):
        if node.recursive or node.else_:
            raise TemplateError(where, "recursive loops and {% else %} are not supported in loop tags")
        if isinstance(node.target, nodes.Name):
            targets: tuple[str, ...] = (node.target.name,)
        elif isinstance(node.target, nodes.Tuple) and all(isinstance(n, nodes.Name) for n in node.target.items):
            targets = tuple(n.name for n in node.target.items)
        else:
            raise TemplateError(where, "a loop variable must be a name (or names separated by commas)")
        try:
            iterable = self.compiler.node(node.iter)
            test = self.compiler.node(node.test) if node.test is not None else None
        except ExprError as exc:
            raise TemplateError(where, exc.message) from None
        return targets, iterable, test

    def _compile_cell(self, cell, wb: Workbook, where: str) -> CellProgram | None:
        style = wb._cell_styles.add(cell._style) if cell.has_style else 0
        value = cell.value if not isinstance(cell, MergedCell) else None
        link = cell.hyperlink if not isinstance(cell, MergedCell) else None
        comment = cell.comment if not isinstance(cell, MergedCell) else None
        prog = self._program(cell, value, style, where)
        if prog is None and (link is not None or comment is not None):
            prog = CellProgram(BLANK, None, style, where)
        if prog is not None:
            prog.hyperlink, prog.comment = link, comment
        return prog

    def _program(self, cell, value: Any, style: int, where: str) -> CellProgram | None:
        if value is None:
            return CellProgram(BLANK, None, style, where) if style else None
        if isinstance(value, ArrayFormula):
            value = value.text
        if cell.data_type == "e" and isinstance(value, str):
            return CellProgram(CONST, ErrorValue(value), style, where)
        if isinstance(value, str) and cell.data_type == "f":
            if "{{" in value or "{%" in value:
                try:
                    render_text = self.compiler.text(value, literal=excel_literal)
                except ExprError as exc:
                    raise TemplateError(where, exc.message) from None
                return CellProgram(FORMULA_JINJA, render_text, style, where)
            try:
                return CellProgram(FORMULA, FormulaProgram(value), style, where)
            except Exception as exc:  # noqa: BLE001
                raise TemplateError(where, f"cannot read the formula {value}: {exc}") from None
        if isinstance(value, str) and ("{{" in value or "{%" in value or "{#" in value):
            try:
                parsed = self.compiler.env.parse(value)
            except JinjaTemplateError as exc:
                raise TemplateError(where, f"cannot read {value!r}: {exc.message}") from None
            single = _single_expression(parsed)
            try:
                if single is not None:
                    return CellProgram(EXPR, self.compiler.node(single), style, where, field=_field_of(single))
                return CellProgram(TEXT, self.compiler.text(value), style, where)
            except ExprError as exc:
                raise TemplateError(where, exc.message) from None
        return CellProgram(CONST, value, style, where)


def _tag(text: str) -> tuple[str, Any] | None:
    s = text.strip()
    if not s.startswith("{%"):
        return None
    if _ENDFOR_TAG.match(s):
        return ("endfor", None)
    if _FOR_TAG.match(s):
        from jinja2.sandbox import SandboxedEnvironment
        try:
            node = SandboxedEnvironment().parse(s + "{% endfor %}").body[0]
        except JinjaTemplateError as exc:
            return ("for", _BadTag(exc.message or str(exc)))
        return ("for", node)
    return None


class _BadTag:
    def __init__(self, message: str):
        self.message = message


def _field_of(node: nodes.Expr) -> tuple[str, str] | None:
    """(name, key) of an expression `name.key` whose compiled program reads a plain dict's key directly (the
    key is no dict method and not private: expr.Compiler's `_gaf`), else None."""
    if (isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name)
            and node.node.name not in ("true", "True", "false", "False", "none", "None")
            and node.attr not in _DICT_ATTRS and not node.attr.startswith("_")):
        return node.node.name, node.attr
    return None


def _single_expression(parsed: nodes.Template) -> nodes.Expr | None:
    """The expression of a cell that is exactly `{{ expr }}` (whitespace around allowed), else None."""
    if len(parsed.body) != 1 or not isinstance(parsed.body[0], nodes.Output):
        return None
    exprs = [n for n in parsed.body[0].nodes if not (isinstance(n, nodes.TemplateData) and not n.data.strip())]
    if len(exprs) == 1 and not isinstance(exprs[0], nodes.TemplateData):
        return exprs[0]
    return None


# ---------------------------------------------------------------------------------------------------
# Rendering


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
            for (r, c), cell in ws._cells.items():
                if isinstance(cell.value, str):
                    tag = _tag(cell.value)
                    if tag and isinstance(tag[1], _BadTag):
                        raise TemplateError(f"{ws.title}!{COL_LETTERS[c]}{r}", f"bad loop tag: {tag[1].message}")
            self.sheets[ws.title] = SheetTemplate(ws, self.compiler)
        self._spare: Workbook | None = wb

    def _load(self) -> Workbook:
        return load_workbook(BytesIO(self._bytes), rich_text=False)

    def render(self, context: dict[str, Any], out: Path | str | BytesIO, *,
               before_save: Callable[[Workbook], dict | None] | None = None,
               fix_parts: Callable[[dict[str, bytes]], None] | None = None) -> RenderReport:
        """Fill the template with `context` and write the workbook to `out`.

        `before_save(workbook)` may adjust the openpyxl workbook last (document properties, an extra
        sheet); sheets it adds are saved by openpyxl as they are.  It may return {added worksheet: rows}
        (rows of plain values from A1): those rows are streamed into the sheet like rendered cells, with
        no openpyxl cell objects and no second deflate (a hidden sheet of 34 MB of text costs its XML only).

        `fix_parts(parts)` may rewrite parts of the package as it is written ({part name: bytes}, see
        `package.write_package`): the file is still written once."""
        self.env.budget.start()
        with _cyclic_gc_paused():
            return self._render(context, out, before_save, fix_parts)

    def _render(self, context: dict[str, Any], out: Path | str | BytesIO,
                before_save: Callable[[Workbook], dict | None] | None,
                fix_parts: Callable[[dict[str, bytes]], None] | None = None) -> RenderReport:
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
            outputs[ws.title.lower()] = _render_cells(wb, st, rows, cols, remapper)
        # 3. values
        names = structure.remap_names(wb, remapper)
        book = _Book(outputs, names, remapper)
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
        write_package(wb, data, out, chart_caches=chart_caches, fix_parts=fix_parts)
        return report


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
        # rows made by a `_RowBatch`: row index -> (batch token, its columns, its styles), for `write_rows`
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
        """The sheet's <row> elements, handed to `emit` some 512 rows at a time.

        Rows of one shape (the same row attributes and, cell by cell, column, style and value type - the rows
        one template row makes) share a format string made once (`_row_shape`), so a row costs a few C-level
        passes and one `str.format` rather than Python code per cell.  The floats of a row are written by
        orjson in one call: its shortest round-trip digits are Python's `repr` wherever repr writes no
        exponent; a row whose floats orjson writes with an exponent, as null (NaN, infinity) or below 1e-4
        ("0.0000...", where repr switches to an exponent) is written with `repr` (`_float_texts`).  Rows holding
        anything but floats, ints, text and blanks are written cell by cell (`_row_xml`)."""
        esc = _xml_escape
        letters = COL_LETTERS
        rows, attrs = self.rows, self.row_attrs
        n_rows, n_attrs = len(rows), len(attrs)
        value_of, col_of, style_of = _CELL_VALUE, _CELL_COL, _CELL_STYLE
        batched = self.batched
        shapes: dict[tuple, tuple] = {}
        tails: dict[str, str] = {}            # text -> the rest of its <c> element, for repeated texts
        chunk: list[str] = []
        for i in range(max(n_rows, n_attrs)):
            cells = rows[i] if i < n_rows else None
            ra = attrs[i] if i < n_attrs else ""
            if not cells and not ra:
                continue
            r = str(i + 1)
            if not cells:
                chunk.append(f'<row r="{r}"{ra}/>')
            else:
                values = list(map(value_of, cells))
                types = tuple(map(type, values))
                made = batched.get(i)
                if made is None:
                    key = (ra, types, tuple(map(col_of, cells)), tuple(map(style_of, cells)))
                    shape = shapes.get(key)
                    if shape is None:
                        shape = shapes[key] = _row_shape(*key)
                else:                           # a `_RowBatch` row: its columns and styles known by its token
                    key = (ra, types, made[0])
                    shape = shapes.get(key)
                    if shape is None:
                        shape = shapes[key] = _row_shape(ra, types, made[1], made[2])
                fmt, text_at, floats_of = shape
                if fmt is None:
                    chunk.append(_row_xml(r, ra, cells, letters, esc))
                else:
                    for k in text_at:
                        v = values[k]
                        tail = tails.get(v)
                        if tail is None:
                            tail = _text_tail(v, esc)
                            if len(v) <= 256:
                                tails[v] = tail
                        values[k] = tail
                    if floats_of is None:
                        chunk.append(fmt(*values).replace("\x01", r))
                    else:
                        chunk.append(fmt(*values, *_float_texts(floats_of(values))).replace("\x01", r))
            if len(chunk) >= 512:
                emit("".join(chunk))
                chunk = []
        if chunk:
            emit("".join(chunk))


_CELL_COL, _CELL_STYLE, _CELL_VALUE = itemgetter(0), itemgetter(1), itemgetter(2)


def _column_values(rows: list, c: int) -> list | None:
    """The values of column `c` in `rows` (lists of (col, style, value)) when every row holds column c at the
    place the first row holds it (rows of one template row): a few C-level passes, no {col: value} per row.
    None when they do not (a row without the column, an empty row, another layout): read them by `grid`."""
    if not rows or not rows[0]:
        return None
    k = next((i for i, cell in enumerate(rows[0]) if cell[0] == c), None)
    if k is None:
        return None
    try:
        picked = list(map(itemgetter(k), rows))
    except (TypeError, IndexError):
        return None
    if list(map(_CELL_COL, picked)).count(c) != len(picked):
        return None
    return list(map(_CELL_VALUE, picked))
_SHAPED_TYPES = (float, int, str, type(None))


def _row_shape(ra: str, types: tuple, cols: tuple, styles: tuple) -> tuple:
    """(format, text positions, floats getter) for rows of this shape; (None, (), None) when a row of it must be
    written cell by cell.  format(*values, *float texts) (values with each text replaced by its tail) is the row
    with the character \\x01 for its number (no text holds it: `_xml_escape` drops it)."""
    if not all(t in _SHAPED_TYPES for t in types):
        return None, (), None
    def literal(s: str) -> str:
        return s.replace("{", "{{").replace("}", "}}")
    n = len(types)
    parts = ['<row r="\x01"' + literal(ra) + ">"]
    text_at, float_at = [], []
    for k, (t, c, s) in enumerate(zip(types, cols, styles)):
        head = f'<c r="{COL_LETTERS[c]}\x01"' + (f' s="{s}"' if s else "")
        if t is float:
            parts.append(f"{head}><v>{{{n + len(float_at)}}}</v></c>")
            float_at.append(k)
        elif t is int:
            parts.append(f"{head}><v>{{{k}!r}}</v></c>")
        elif t is str:
            parts.append(f"{head}{{{k}}}")
            text_at.append(k)
        else:
            parts.append(f"{head}/>")
    parts.append("</row>")
    if not float_at:
        floats_of = None
    elif len(float_at) == 1:
        only = float_at[0]
        floats_of = lambda values: (values[only],)   # noqa: E731
    else:
        floats_of = itemgetter(*float_at)
    return "".join(parts).format, tuple(text_at), floats_of


def _float_texts(floats: tuple) -> list[str]:
    """repr of each float: orjson's text where it is repr's (see `SheetOutput.write_rows`), else repr."""
    if _orjson_dumps is not None:
        js = _orjson_dumps(floats)
        if b"e" not in js and b"n" not in js and b"0.0000" not in js:
            return js[1:-1].decode("ascii").split(",")
    return [repr(v) for v in floats]


def _text_tail(v: str, esc: Callable[[str], str]) -> str:
    """A text cell's XML after `<c r=".." s=".."`."""
    if len(v) > 32767:          # Excel's limit for a cell; longer text needs repair
        v = v[:32767]
    if v == "":
        return "/>"
    return f' t="inlineStr"><is>{_t(esc(v), v)}</is></c>'


def _row_xml(r: str, ra: str, cells: list, letters: list, esc: Callable[[str], str]) -> str:
    """One row's XML, cell by cell (any value type)."""
    parts = [f'<row r="{r}"{ra}>']
    for c, s, v in cells:
        ref = letters[c] + r
        sa = f' s="{s}"' if s else ""
        t = type(v)
        if t is float or t is int:
            parts.append(f'<c r="{ref}"{sa}><v>{v!r}</v></c>')
        elif t is str:
            if len(v) > 32767:          # Excel's limit for a cell; longer text needs repair
                v = v[:32767]
            if v == "":
                parts.append(f'<c r="{ref}"{sa}/>')
            else:
                parts.append(f'<c r="{ref}"{sa} t="inlineStr"><is>{_t(esc(v), v)}</is></c>')
        elif v is None:
            parts.append(f'<c r="{ref}"{sa}/>')
        elif t is bool:
            parts.append(f'<c r="{ref}"{sa} t="b"><v>{int(v)}</v></c>')
        elif t is FormulaCell:
            parts.append(_formula_xml(ref, sa, v))
        elif t is ErrorValue:
            parts.append(f'<c r="{ref}"{sa} t="e"><v>{esc(v.code)}</v></c>')
        else:
            parts.append(f'<c r="{ref}"{sa} t="inlineStr"><is>{_t(esc(str(v)), str(v))}</is></c>')
    parts.append("</row>")
    return "".join(parts)


def _t(escaped: str, raw: str) -> str:
    if raw[:1].isspace() or raw[-1:].isspace():
        return f'<t xml:space="preserve">{escaped}</t>'
    return f"<t>{escaped}</t>"


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# `_xHHHH_` in a cell's text is OOXML's escape of a character (Excel reads `_x003D_` as `=`): an underscore
# that starts one is written as `_x005F_`, so that the text reads back as written.
_X_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


def _xml_escape(s: str) -> str:
    if "_x" in s:
        s = _X_ESCAPE.sub("_x005F_", s)
    if "&" in s:
        s = s.replace("&", "&amp;")
    if "<" in s:
        s = s.replace("<", "&lt;")
    if ">" in s:
        s = s.replace(">", "&gt;")
    if not s.isprintable() and _ILLEGAL.search(s):    # printable text (most) has no control characters
        s = _ILLEGAL.sub("", s)
    return s


def _formula_xml(ref: str, sa: str, f: FormulaCell) -> str:
    body = _xml_escape(f.text[1:] if f.text.startswith("=") else f.text)
    v = f.value
    if f.state != 2:
        return f'<c r="{ref}"{sa}><f>{body}</f></c>'
    if isinstance(v, bool):
        return f'<c r="{ref}"{sa} t="b"><f>{body}</f><v>{int(v)}</v></c>'
    if isinstance(v, (int, float)):
        if v != v or v in (math.inf, -math.inf):
            return f'<c r="{ref}"{sa} t="e"><f>{body}</f><v>#NUM!</v></c>'
        return f'<c r="{ref}"{sa}><f>{body}</f><v>{float(v)!r}</v></c>'
    if isinstance(v, ErrorValue):
        return f'<c r="{ref}"{sa} t="e"><f>{body}</f><v>{_xml_escape(v.code)}</v></c>'
    s = str(v)
    return f'<c r="{ref}"{sa} t="str"><f>{body}</f><v>{_xml_escape(s)}</v></c>'


def _render_cells(wb: Workbook, st: SheetTemplate, rows: AxisMap, cols: AxisMap, remapper: Remapper) -> SheetOutput:
    """Pass 2 for one sheet: every output cell's value (formulas remapped, not yet evaluated); the cells made
    and the time taken are counted against the render's budget (its environment's) row by row."""
    budget: Budget = st.compiler.env.budget
    out_rows: list[list | None] = []
    row_attrs: list[str] = []
    sheet = st.title
    epoch = wb.epoch
    date_styles: dict[tuple[int, bool], int] = {}
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
    batches: dict[int, _RowBatch | None] = {}
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
            raise TemplateError(progs[0][4].where, exc.message) from None
        add_cells(len(progs), progs[0][4].where)
        scope = rows.out_scope[i]
        batch = batches.get(tr, _UNSET)
        if batch is _UNSET:
            batch = batches[tr] = _RowBatch.of(progs)
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
        for j, cb, col_path, col_chain, prog in progs:
            kind = prog.kind
            style = prog.style
            if kind == EXPR:
                try:
                    v = prog.payload(scope if cb is None else {**scope, **cb})
                except ExprError as exc:
                    raise TemplateError(prog.where, exc.message) from None
                except TemplateError:
                    raise
                except Exception as exc:  # noqa: BLE001
                    raise TemplateError(prog.where, f"{type(exc).__name__}: {exc}") from None
                t = type(v)
                if t is float:
                    if v != v or v == math.inf or v == -math.inf:
                        v = None
                elif not (t is int or t is str or t is bool or v is None):
                    v = _native(v)
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
                    raise TemplateError(prog.where, exc.message) from None
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
                        raise TemplateError(prog.where, exc.message) from None
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


class _RowBatch:
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
    def of(cls, progs: list) -> "_RowBatch | None":
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


class _Book:
    """Output values of all sheets, for the formula evaluator."""

    def __init__(self, outputs: dict[str, SheetOutput], names: dict[tuple[str | None, str], str],
                 remapper: Remapper):
        self.outputs = outputs
        self.names = names
        self.remapper = remapper
        self._name_programs: dict[tuple[str | None, str], Any] = {}
        self.evaluator = Evaluator(self.cell, self.area, self.name, self.extent)

    def extent(self, sheet: str | None) -> tuple[int, int]:
        out = self._sheet(sheet)
        return len(out.rows), max(out.n_cols, 1)

    def _sheet(self, sheet: str | None) -> SheetOutput:
        out = self.outputs.get(sheet.lower()) if sheet else None
        if out is None:
            raise Unsupported(f"sheet {sheet}")
        return out

    def shown_values(self, sheet: str | None, r1: int, c1: int, r2: int, c2: int) -> list:
        """Every cell of an area, row by row, as a chart shows it: blanks, errors and formulas without a
        value as None.  One pass over the rows (a chart over a 20 000-row table reads 240 000 cells)."""
        size = (r2 - r1 + 1) * (c2 - c1 + 1)
        try:
            out = self._sheet(sheet)
        except Unsupported:
            return [None] * size
        values = _column_values(out.rows[r1 - 1:r2], c1) if c1 == c2 and out._grid is None else None
        if values is None:
            columns = range(c1, c2 + 1)
            values = [d.get(c) for d in out.grid()[r1 - 1:r2] for c in columns]
        values += [None] * (size - len(values))          # rows below the rendered ones
        types = set(map(type, values))
        if FormulaCell in types or any(issubclass(t, ErrorValue) for t in types):
            values = [self._shown(v) for v in values]
        return values

    def _shown(self, v: Any) -> Any:
        if type(v) is FormulaCell:
            try:
                v = self.formula_value(v)
            except Unsupported:
                return None
        return None if isinstance(v, ErrorValue) else v

    def cell(self, sheet: str | None, r: int, c: int) -> Any:
        v = self._sheet(sheet).row_dict(r).get(c)
        if isinstance(v, FormulaCell):
            return self.formula_value(v)
        return v

    def area(self, sheet: str | None, r1: int, c1: int, r2: int, c2: int) -> list:
        """Non-blank values of an area, row by row (formulas evaluated)."""
        grid = self._sheet(sheet).grid()
        dicts = grid[r1 - 1:r2]
        if c1 == c2:
            values = [d[c1] for d in dicts if c1 in d]
        elif c2 - c1 < 64:
            values = [d[c] for d in dicts for c in range(c1, c2 + 1) if c in d]
        else:
            values = [d[c] for d in dicts for c in sorted(d) if c1 <= c <= c2]
        if any(type(v) is FormulaCell for v in values):
            values = [self.formula_value(v) if type(v) is FormulaCell else v for v in values]
        return [v for v in values if v is not None]

    def name(self, name: str, home: str | None) -> Any:
        key = (home.lower() if home else None, name.lower())
        text = self.names.get(key) or self.names.get((None, name.lower()))
        if text is None:
            raise Unsupported(f"name {name}")
        prog = self._name_programs.get((None, text))
        if prog is None:
            prog = FormulaProgram("=" + text.lstrip("="))
            if prog.tree is None:
                raise Unsupported(f"name {name}")
            self._name_programs[(None, text)] = prog
        areas = [Area(ref.sheet, ref.r1 or 1, ref.c1 or 1, ref.r2 or 1048576, ref.c2 or 16384) for ref in prog.refs]
        if prog.tree[0] == "ref":
            a = areas[prog.tree[1]]
            return RangeValue(a.sheet, a.r1, a.c1, a.r2, a.c2)
        return self.evaluator._ev(prog.tree, areas, home)

    def formula_value(self, f: FormulaCell) -> Any:
        if f.state == 2:
            return f.value
        if f.state == 3:
            raise Unsupported("depends on a formula that cannot be evaluated")
        if f.state == 1:
            raise Unsupported("circular reference")
        f.state = 1
        try:
            f.value = self.evaluator.run(f.tree, f.areas, f.where.rsplit("!", 1)[0])
            f.state = 2
        except Unsupported:
            f.state = 3
            raise
        return f.value

    def evaluate_sheet(self, sheet: str, report: RenderReport) -> None:
        for f in self._sheet(sheet).formulas:
            if f.state == 0:
                try:
                    self.formula_value(f)
                except Unsupported:
                    pass
            if f.state == 3:
                report.unevaluated.append(f"{f.where}: {f.text}")

