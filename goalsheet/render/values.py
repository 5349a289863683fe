"""Context values as cell values: Python, numpy and pandas scalars made plain (`native`), a value written inside
a formula as an Excel literal (`excel_literal`), and `Cell`, a value that carries its own number format and the
least height of its row."""
from __future__ import annotations

import datetime as _dt
import decimal
import math
from typing import Any

from openpyxl.utils.datetime import to_excel

from goalsheet.render.evaluate import text_of


class Cell:
    """A value with presentation of its own, for the one cell it fills.

    number_format   the cell's number format (Excel's code, e.g. "0.00%"), in place of the template cell's; the
                    template cell's font, fill, border and alignment are kept
    row_height      the least height of the cell's row, in points (a row gets the largest its cells ask for);
                    for text that wraps, since LibreOffice does not grow a row to its text on opening

    In a text cell or a filter it reads as its value's text; in a formula, as its value."""
    __slots__ = ("value", "number_format", "row_height")

    def __init__(self, value: Any, number_format: str | None = None, row_height: float | None = None):
        self.value, self.number_format, self.row_height = value, number_format, row_height

    def __str__(self) -> str:
        return "" if self.value is None else str(self.value)

    def __repr__(self) -> str:
        return f"Cell({self.value!r}, number_format={self.number_format!r}, row_height={self.row_height!r})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Cell) and (self.value, self.number_format, self.row_height)
                == (other.value, other.number_format, other.row_height))

    __hash__ = None  # type: ignore[assignment]


def native(value: Any) -> Any:
    """Python/numpy/pandas scalars -> int, float, bool, str, date/datetime/time or None (NaN, NaT, NA: None)."""
    t = type(value)
    if t is float:
        return None if (value != value or value in (math.inf, -math.inf)) else value
    if t is int or t is str or t is bool or value is None:
        return value
    if isinstance(value, bool):
        return bool(value)
    if hasattr(value, "dtype") and hasattr(value, "item"):        # numpy scalar
        return native(value.item())
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
        return native(float(value))
    if isinstance(value, decimal.Decimal):
        return None if value.is_nan() else float(value)
    if type(value).__name__ in ("NaTType", "NAType"):
        return None
    return str(value)


def excel_literal(value: Any) -> str:
    """A data value inside a formula: a literal, never formula code."""
    if isinstance(value, Cell):
        value = value.value
    value = native(value)
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return text_of(value) if isinstance(value, int) or not value.is_integer() else str(int(value))
    if isinstance(value, (_dt.date, _dt.datetime)):
        return text_of(to_excel(value))
    return '"' + str(value).replace('"', '""') + '"'
