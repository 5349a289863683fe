"""A rendered sheet's cells as worksheet XML: the `<row>` elements of its `<sheetData>` (SPEC 5, step 5).

Rows of one shape (the same row attributes and, cell by cell, column, style and value type - the rows one
template row makes) share a format string made once (`_row_shape`), so a row costs a few C-level passes and one
`str.format` rather than Python code per cell: this is where a 20 000-row sheet's half a million cells are
written.  Rows holding anything but numbers, text and blanks are written cell by cell (`row_xml`).  Numbers are
written as `repr` writes them (the shortest text that reads back as the same float); text inline (no shared
strings table), without the characters XML forbids."""
from __future__ import annotations

import math
import re
from operator import itemgetter
from typing import TYPE_CHECKING, Callable

from goalsheet.render.evaluate import ErrorValue
from goalsheet.render.formula_values import FormulaCell
from goalsheet.render.refs import COL_LETTERS

if TYPE_CHECKING:
    from goalsheet.render.cells import SheetOutput

CELL_COL, CELL_STYLE, CELL_VALUE = itemgetter(0), itemgetter(1), itemgetter(2)
# Excel's limit for the text of a cell; longer text would need repair on opening
MAX_TEXT = 32767


def write_rows(out: "SheetOutput", emit: Callable[[str], None]) -> None:
    """The sheet's <row> elements, handed to `emit` some 512 rows at a time."""
    esc = xml_escape
    letters = COL_LETTERS
    rows, attrs = out.rows, out.row_attrs
    n_rows, n_attrs = len(rows), len(attrs)
    batched = out.batched
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
            values = list(map(CELL_VALUE, cells))
            types = tuple(map(type, values))
            made = batched.get(i)
            if made is None:
                key = (ra, types, tuple(map(CELL_COL, cells)), tuple(map(CELL_STYLE, cells)))
                shape = shapes.get(key)
                if shape is None:
                    shape = shapes[key] = _row_shape(*key)
            else:                           # a batched row: its columns and styles known by its token
                key = (ra, types, made[0])
                shape = shapes.get(key)
                if shape is None:
                    shape = shapes[key] = _row_shape(ra, types, made[1], made[2])
            fmt, text_at = shape
            if fmt is None:
                chunk.append(row_xml(r, ra, cells, letters, esc))
            else:
                for k in text_at:
                    v = values[k]
                    tail = tails.get(v)
                    if tail is None:
                        tail = _text_tail(v, esc)
                        if len(v) <= 256:
                            tails[v] = tail
                    values[k] = tail
                chunk.append(fmt(*values).replace("\x01", r))
        if len(chunk) >= 512:
            emit("".join(chunk))
            chunk = []
    if chunk:
        emit("".join(chunk))


_SHAPED_TYPES = (float, int, str, type(None))


def _row_shape(ra: str, types: tuple, cols: tuple, styles: tuple) -> tuple:
    """(format, text positions) for rows of this shape; (None, ()) when a row of it must be written cell by cell.
    format(*values) (values with each text replaced by its tail) is the row with the character \\x01 for its
    number (no text holds it: `xml_escape` drops it)."""
    if not all(t in _SHAPED_TYPES for t in types):
        return None, ()

    def literal(s: str) -> str:
        return s.replace("{", "{{").replace("}", "}}")
    parts = ['<row r="\x01"' + literal(ra) + ">"]
    text_at = []
    for k, (t, c, s) in enumerate(zip(types, cols, styles)):
        head = f'<c r="{COL_LETTERS[c]}\x01"' + (f' s="{s}"' if s else "")
        if t is float or t is int:
            parts.append(f"{head}><v>{{{k}!r}}</v></c>")
        elif t is str:
            parts.append(f"{head}{{{k}}}")
            text_at.append(k)
        else:
            parts.append(f"{head}/>")
    parts.append("</row>")
    return "".join(parts).format, tuple(text_at)


def _text_tail(v: str, esc: Callable[[str], str]) -> str:
    """A text cell's XML after `<c r=".." s=".."`."""
    if len(v) > MAX_TEXT:
        v = v[:MAX_TEXT]
    if v == "":
        return "/>"
    return f' t="inlineStr"><is>{_t(esc(v), v)}</is></c>'


def row_xml(r: str, ra: str, cells: list, letters: list, esc: Callable[[str], str]) -> str:
    """One row's XML, cell by cell (any value type)."""
    parts = [f'<row r="{r}"{ra}>']
    for c, s, v in cells:
        ref = letters[c] + r
        sa = f' s="{s}"' if s else ""
        t = type(v)
        if t is float or t is int:
            parts.append(f'<c r="{ref}"{sa}><v>{v!r}</v></c>')
        elif t is str:
            if len(v) > MAX_TEXT:
                v = v[:MAX_TEXT]
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


def xml_escape(s: str) -> str:
    """Text for XML character data: &, <, > escaped, an `_xHHHH_` look-alike's underscore escaped, and the
    characters XML 1.0 forbids left out."""
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
    body = xml_escape(f.text[1:] if f.text.startswith("=") else f.text)
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
        return f'<c r="{ref}"{sa} t="e"><f>{body}</f><v>{xml_escape(v.code)}</v></c>'
    s = str(v)
    return f'<c r="{ref}"{sa} t="str"><f>{body}</f><v>{xml_escape(s)}</v></c>'
