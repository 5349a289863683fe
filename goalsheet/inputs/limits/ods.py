"""An .ods `content.xml`: the cells its repeated rows and columns make (goalsheet.inputs.limits)."""
from __future__ import annotations

import re
from collections.abc import Iterator

from goalsheet.inputs import limits
from goalsheet.inputs.limits import LimitProblem, _say


_ODS_TAG = re.compile(rb'<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*)>')
_ODS_REPEAT = re.compile(rb'table:number-(rows|columns)-repeated\s*=\s*["\'](\d{1,12})["\']')


def scan_ods(name: str, chunks: Iterator[bytes]) -> None:
    """The cells an .ods sheet's repeated rows and columns make: a repeated cell with a value is made as
    many times as it says (calamine expands it), so their product is bounded like a sheet's cells."""
    rows_repeat = 1
    cells = 0
    tail = b""
    for chunk in chunks:
        buf = tail + chunk
        cut = buf.rfind(b"<")
        if cut <= 0 or len(buf) - cut > limits.CHUNK:
            cut = len(buf)
        part, tail = buf[:cut], buf[cut:]
        for m in _ODS_TAG.finditer(part):
            closing, tag, attrs = m.group(1), m.group(2), m.group(3)
            if closing or tag == b"table":
                if tag == b"table":
                    cells = 0
                continue
            repeat = {k: int(v) for k, v in _ODS_REPEAT.findall(attrs)}
            if tag == b"table-row":
                rows_repeat = repeat.get(b"rows", 1)
                continue
            cols_repeat = repeat.get(b"columns", 1)
            empty = attrs.rstrip().endswith(b"/") and b"value" not in attrs
            if empty:
                continue
            cells += rows_repeat * cols_repeat
            if rows_repeat > limits.EXCEL_ROWS or cols_repeat > limits.EXCEL_COLUMNS or cells > limits.SHEET_CELLS:
                raise LimitProblem(_say("ods_repeat", limit=f"{limits.SHEET_CELLS:,}"))
