"""A1 references: parsing, and the one remapper that moves them through the row/column maps.

Used for every formula cell and for every workbook part that holds references (defined names, print
areas, conditional formats, validations, filters, tables, charts).  Formulas are split with openpyxl's
`Tokenizer`; each reference operand becomes a slot that is remapped per output cell.

Rules (see goalsheet.render docstring): a *relative* row (column) of a reference made from a cell inside a
repeated block, pointing into the same block, stays in the same iteration (Excel's fill-down); an
*absolute* one ($) and every reference from outside the block maps to where the template row went,
ranges stretching from the first generated row to the last.  References into a vanished row become #REF!.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.utils.cell import column_index_from_string, get_column_letter

if TYPE_CHECKING:
    from goalsheet.render.layout import AxisMap, Loop

MAX_ROW = 1048576
MAX_COL = 16384

_SHEET = r"(?:(?P<sheet>'(?:[^']|'')+'|[^'!:\[\]()+\-*/&=<>^,; ]+)!)?"
_COL = r"(?P<{0}ac>\$?)(?P<{0}c>[A-Za-z]{{1,3}})"
_ROW = r"(?P<{0}ar>\$?)(?P<{0}r>[0-9]{{1,7}})"
_CELL_RE = re.compile("^" + _SHEET + _COL.format("a") + _ROW.format("a")
                      + "(?::" + _COL.format("b") + _ROW.format("b") + ")?$")
_COLS_RE = re.compile("^" + _SHEET + _COL.format("a") + ":" + _COL.format("b") + "$")
_ROWS_RE = re.compile("^" + _SHEET + _ROW.format("a") + ":" + _ROW.format("b") + "$")

COL_LETTERS = [""] + [get_column_letter(i) for i in range(1, MAX_COL + 1)]


@dataclass(frozen=True)
class Ref:
    """A parsed reference.  kind: "cell" (one cell), "range", "cols" (B:D) or "rows" (5:7).
    Missing parts (the rows of "cols") are None."""
    sheet: str | None          # unquoted sheet name, None = the formula's own sheet
    sheet_text: str            # as written, with the trailing "!" ("" when absent)
    kind: str
    c1: int | None
    r1: int | None
    c2: int | None
    r2: int | None
    ac1: bool = False
    ar1: bool = False
    ac2: bool = False
    ar2: bool = False


def parse_ref(text: str) -> Ref | None:
    """`Sheet1!$B$5:B9` -> Ref; None when `text` is not an A1 reference (a defined name, say)."""
    m = _CELL_RE.match(text)
    if m:
        c1 = column_index_from_string(m["ac"].upper())
        r1 = int(m["ar"])
        if c1 > MAX_COL or r1 < 1 or r1 > MAX_ROW:
            return None
        if m["bc"]:
            c2, r2 = column_index_from_string(m["bc"].upper()), int(m["br"])
            if c2 > MAX_COL or r2 < 1 or r2 > MAX_ROW:
                return None
            kind = "range"
        else:
            c2, r2, kind = c1, r1, "cell"
        return Ref(*_sheet(m), kind, c1, r1, c2, r2, bool(m["aac"]), bool(m["aar"]),
                   bool(m["bac"] if m["bc"] else m["aac"]), bool(m["bar"] if m["bc"] else m["aar"]))
    m = _COLS_RE.match(text)
    if m:
        c1, c2 = column_index_from_string(m["ac"].upper()), column_index_from_string(m["bc"].upper())
        if c1 > MAX_COL or c2 > MAX_COL:
            return None
        return Ref(*_sheet(m), "cols", c1, None, c2, None, bool(m["aac"]), False, bool(m["bac"]), False)
    m = _ROWS_RE.match(text)
    if m:
        return Ref(*_sheet(m), "rows", None, int(m["ar"]), None, int(m["br"]), False, bool(m["aar"]),
                   False, bool(m["bar"]))
    return None


def _sheet(m: re.Match) -> tuple[str | None, str]:
    raw = m["sheet"]
    if raw is None:
        return None, ""
    name = raw[1:-1].replace("''", "'") if raw.startswith("'") else raw
    return name, raw + "!"


def quote_sheet(name: str) -> str:
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", name) and not re.fullmatch(r"[A-Za-z]{1,3}[0-9]+", name):
        return name
    return "'" + name.replace("'", "''") + "'"


@dataclass(frozen=True)
class Area:
    """Output coordinates of a remapped reference (inclusive)."""
    sheet: str | None
    r1: int
    c1: int
    r2: int
    c2: int


@dataclass
class Home:
    """Where a formula sits: its sheet and, for a cell inside loops, the loop instances of its output
    row and column with the template loop chains they came from.  `Home(sheet)` = global semantics."""
    sheet: str | None
    row_path: tuple[int, ...] = ()
    row_chain: "tuple[Loop, ...]" = ()
    col_path: tuple[int, ...] = ()
    col_chain: "tuple[Loop, ...]" = ()


class Remapper:
    """Maps references through the sheets' row and column maps.  `maps` is keyed by lower-case title."""

    def __init__(self, maps: dict[str, tuple["AxisMap", "AxisMap"]]):
        self.maps = maps

    def axis_maps(self, sheet: str | None) -> tuple["AxisMap", "AxisMap"] | None:
        return self.maps.get(sheet.lower()) if sheet is not None else None

    def map_ref(self, ref: Ref, home: Home, stretch_cells: bool = False) -> tuple[str, Area | None]:
        """New text for the reference and its output area; ("#REF!", None) when it vanished.
        `stretch_cells`: a one-cell reference is a range (sqref, names, chart data): a cell of a repeated
        row becomes the column of generated cells."""
        target = ref.sheet if ref.sheet is not None else home.sheet
        maps = self.axis_maps(target)
        if maps is None:       # an unknown sheet (or external): leave it alone
            return _text(ref, ref.r1, ref.c1, ref.r2, ref.c2), None
        rows, cols = maps
        same = target is not None and home.sheet is not None and target.lower() == home.sheet.lower()
        row_prefix = _prefixer(rows, home.row_path, home.row_chain) if same else None
        col_prefix = _prefixer(cols, home.col_path, home.col_chain) if same else None
        if ref.kind == "cols":
            r1, r2 = 1, MAX_ROW
        else:
            span = _axis_span(rows, ref.r1, ref.r2, ref.ar1, ref.ar2, row_prefix, ref.kind == "cell" and not stretch_cells)
            if span is None:
                return "#REF!", None
            r1, r2 = span
        if ref.kind == "rows":
            c1, c2 = 1, MAX_COL
        else:
            span = _axis_span(cols, ref.c1, ref.c2, ref.ac1, ref.ac2, col_prefix, ref.kind == "cell" and not stretch_cells)
            if span is None:
                return "#REF!", None
            c1, c2 = span
        if ref.kind == "cell" and (r1, c1) != (r2, c2):
            ref = Ref(ref.sheet, ref.sheet_text, "range", ref.c1, ref.r1, ref.c2, ref.r2,
                      ref.ac1, ref.ar1, ref.ac2, ref.ar2)
        text = _text(ref, r1 if ref.kind != "cols" else None, c1 if ref.kind != "rows" else None,
                     r2 if ref.kind != "cols" else None, c2 if ref.kind != "rows" else None)
        return text, Area(target, r1, c1, r2, c2)

    def depends_on_home(self, ref: Ref, home_sheet: str | None, row_chain: tuple, col_chain: tuple) -> bool:
        """Whether the reference maps differently from one loop iteration of its cell to the next."""
        target = ref.sheet if ref.sheet is not None else home_sheet
        if target is None or home_sheet is None or target.lower() != home_sheet.lower():
            return False
        maps = self.axis_maps(target)
        if maps is None:
            return False
        rows, cols = maps
        if row_chain and ref.kind != "cols" and not (ref.ar1 and ref.ar2):
            for p in range(ref.r1, min(ref.r2, rows.axis.size) + 1):
                if rows.axis.chain_of(p) and rows.common_prefix((0,) * len(row_chain), row_chain, p):
                    return True
        if col_chain and ref.kind != "rows" and not (ref.ac1 and ref.ac2):
            for p in range(ref.c1, min(ref.c2, cols.axis.size) + 1):
                if cols.axis.chain_of(p) and cols.common_prefix((0,) * len(col_chain), col_chain, p):
                    return True
        return False

    def map_range_text(self, text: str, sheet: str | None) -> str | None:
        """Remap a plain range list (`B5:B5 D2`, as in sqref/print areas); None if all vanished."""
        out = []
        for part in text.replace(",", " ").split():
            ref = parse_ref(part)
            if ref is None:
                out.append(part)
                continue
            new, area = self.map_ref(ref, Home(sheet), stretch_cells=True)
            if area is not None or new != "#REF!":
                out.append(new)
        return " ".join(out) if out else None

    def map_formula_text(self, text: str, sheet: str | None, stretch_cells: bool = False) -> str:
        """Remap every reference in a formula (with or without the leading '=') globally."""
        lead = text.startswith("=")
        try:
            tokens = Tokenizer(text if lead else "=" + text).items
        except Exception:  # noqa: BLE001 - not a formula we understand: leave it
            return text
        parts = []
        for tok in tokens:
            if tok.type == Token.OPERAND and tok.subtype == Token.RANGE:
                ref = parse_ref(tok.value)
                if ref is not None:
                    parts.append(self.map_ref(ref, Home(sheet), stretch_cells)[0])
                    continue
            parts.append(tok.value)
        body = "".join(parts)
        return "=" + body if lead else body


def _prefixer(axis_map: "AxisMap", path: tuple[int, ...], chain: tuple) -> Callable[[int], tuple[int, ...]] | None:
    if not chain:
        return None
    return lambda p: axis_map.common_prefix(path, chain, p)


def _axis_span(axis_map: "AxisMap", p1: int, p2: int, abs1: bool, abs2: bool,
               prefix: Callable[[int], tuple[int, ...]] | None, single: bool) -> tuple[int, int] | None:
    if p1 > p2:
        p1, p2, abs1, abs2 = p2, p1, abs2, abs1
    start = prefix if (prefix is not None and not abs1) else None
    end = prefix if (prefix is not None and not abs2) else None
    if single:
        pre = start(p1) if start else ()
        at = axis_map.first(p1, pre)
        return (at, at) if at is not None else None
    return axis_map.span(p1, p2, start, end)


def _text(ref: Ref, r1: int | None, c1: int | None, r2: int | None, c2: int | None) -> str:
    def cell(c: int | None, r: int | None, ac: bool, ar: bool) -> str:
        s = ""
        if c is not None:
            s += ("$" if ac else "") + COL_LETTERS[c]
        if r is not None:
            s += ("$" if ar else "") + str(r)
        return s
    first = cell(c1, r1, ref.ac1, ref.ar1)
    if ref.kind == "cell":
        return ref.sheet_text + first
    return ref.sheet_text + first + ":" + cell(c2, r2, ref.ac2, ref.ar2)
