"""A template workbook compiled (SPEC 5): every sheet's row and column loops found and paired, and a program
per template cell - a constant, one `{{ expression }}` (its native value), mixed text, a formula (split into
text and reference slots, with its expression tree for the evaluator), or a formula with `{{ }}` inside.

The loops are expanded and the programs run for a context in `cells.py`; nothing here depends on a context."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from jinja2 import nodes
from jinja2.exceptions import TemplateError as JinjaTemplateError
from jinja2.sandbox import SandboxedEnvironment
from openpyxl.cell.cell import MergedCell
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula

from goalsheet.render.errors import TemplateError
from goalsheet.render.evaluate import ErrorValue, Unsupported, parse
from goalsheet.render.expr import DICT_ATTRS, Compiler, ExprError, _finalize
from goalsheet.render.layout import Axis, Loop
from goalsheet.render.refs import COL_LETTERS, parse_ref
from goalsheet.render.values import excel_literal

_FOR_TAG = re.compile(r"^\{%-?\s*for\s+((?:(?!%\}).)*?)\s*-?%\}$", re.S)
_ENDFOR_TAG = re.compile(r"^\{%-?\s*endfor\s*-?%\}$")

# what a template cell's program is
CONST, EXPR, TEXT, FORMULA, FORMULA_JINJA, BLANK = range(6)


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
        self.page_texts = _page_text_programs(ws, compiler)
        # each template row's attributes (height, hidden, outline ...) as the <row> element's text
        self.row_dims: dict[int, tuple[tuple[str, str], ...]] = {}
        self.row_attrs: dict[int, str] = {}
        for r, dim in ws.row_dimensions.items():
            pairs = tuple((k, v) for k, v in dim if k != "r")
            if pairs:
                self.row_dims[r] = pairs
                self.row_attrs[r] = row_attributes(pairs)

    def _pair(self, tags: list[tuple[int, tuple[str, Any]]], where: Callable[[int], str], loop_name: str) -> list[Loop]:
        loops: list[Loop] = []
        stack: list[tuple[int, Any]] = []
        for pos, (kind, payload) in tags:
            if kind == "for":
                stack.append((pos, payload))
            else:
                if not stack:
                    raise TemplateError(where(pos), "{% endfor %} without a {% for %} before it", "template_endfor_alone")
                open_pos, node = stack.pop()
                targets, iterable, test = self._compile_for(node, where(open_pos))
                loops.append(Loop(open_pos, pos, where(open_pos), targets, iterable, test, loop_name))
        if stack:
            raise TemplateError(where(stack[-1][0]), "{% for %} without a matching {% endfor %}",
                                 "template_for_unclosed")
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
            raise TemplateError(where, exc.message, exc.code, exc.params) from None
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
                    raise TemplateError(where, exc.message, exc.code, exc.params) from None
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
                raise TemplateError(where, exc.message, exc.code, exc.params) from None
        return CellProgram(CONST, value, style, where)


PAGE_TEXTS = ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter")
PAGE_TEXT_LIMIT = 255          # characters Excel allows in one page header or footer, its codes included


def _page_text_programs(ws, compiler: Compiler) -> list[tuple[str, str, Callable[[dict], str]]]:
    """The page headers and footers holding `{{ }}` compiled: (header or footer, section, render).  A value is
    inserted with its `&` doubled, so data never turns into a header code (`&P`, `&B`)."""
    programs = []
    for item in PAGE_TEXTS:
        header = getattr(ws.HeaderFooter, item)
        for section in ("left", "center", "right"):
            text = getattr(header, section).text
            if not text or not ("{{" in text or "{%" in text):
                continue
            try:
                render = compiler.text(text, literal=_page_text_value)
            except ExprError as exc:
                raise TemplateError(f"{ws.title} {item}", exc.message, exc.code, exc.params) from None
            programs.append((item, section, render))
    return programs


def _page_text_value(value: Any) -> str:
    return str(_finalize(value)).replace("&", "&&")


def render_page_texts(ws, programs: list[tuple[str, str, Callable[[dict], str]]], scope: dict) -> None:
    """Fill the page headers and footers of the rendered sheet `ws`; one that comes out longer than Excel
    allows is shortened (its filled section cut, with an ellipsis)."""
    for item, section, render in programs:
        try:
            text = render(scope)
        except ExprError as exc:
            raise TemplateError(f"{ws.title} {item}", exc.message, exc.code, exc.params) from None
        header = getattr(ws.HeaderFooter, item)
        part = getattr(header, section)
        part.text = text
        excess = len(str(header)) - PAGE_TEXT_LIMIT
        if excess > 0:
            kept = text[:max(0, len(text) - excess - 1)]
            kept = kept[:-1] if (len(kept) - len(kept.rstrip("&"))) % 2 else kept   # no half of an `&&`
            part.text = kept + "…"


def _tag(text: str) -> tuple[str, Any] | None:
    s = text.strip()
    if not s.startswith("{%"):
        return None
    if _ENDFOR_TAG.match(s):
        return ("endfor", None)
    if _FOR_TAG.match(s):
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
            and node.attr not in DICT_ATTRS and not node.attr.startswith("_")):
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


def row_attributes(pairs: tuple[tuple[str, str], ...], height: float | None = None) -> str:
    """The attributes of a <row> element; with `height`, that height (points) in place of the row's own."""
    if height is not None:
        pairs = tuple((k, v) for k, v in pairs if k not in ("ht", "customHeight"))
        pairs += (("ht", f"{height:g}"), ("customHeight", "1"))
    return "".join(f' {k}="{v}"' for k, v in pairs)


def check_loop_tags(ws) -> None:
    """Raise TemplateError for the first loop tag of the sheet that Jinja cannot read."""
    for (r, c), cell in ws._cells.items():
        if isinstance(cell.value, str):
            tag = _tag(cell.value)
            if tag and isinstance(tag[1], _BadTag):
                raise TemplateError(f"{ws.title}!{COL_LETTERS[c]}{r}", f"bad loop tag: {tag[1].message}")
