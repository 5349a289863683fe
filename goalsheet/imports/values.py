"""A report's cells as goalsheet takes them: text stripped, amounts as numbers (`$1,234.50`, `1.234,56`, `(3.00)`
read as the input workbook reads them, SPEC.md section 2)."""
from __future__ import annotations

import math

from goalsheet.inputs.values import BadValue, parse_number


def text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def amount(value: object) -> float | None:
    """The number in a cell (0 for a blank one), or None when it holds something else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0.0
    try:
        number, _ = parse_number(value)
    except BadValue:
        return None
    return 0.0 if number is None else float(number)
