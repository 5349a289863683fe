"""Reading a plan workbook back the way a finance tool would: by its defined names, with cached values."""
from __future__ import annotations

import re
from pathlib import Path

import openpyxl
from openpyxl.utils import range_boundaries


def load(path: Path, data_only: bool = True):
    return openpyxl.load_workbook(path, data_only=data_only)


def name_target(wb, name: str) -> tuple[str, str]:
    """('Sheet', 'A4:L16') of a workbook-scope defined name."""
    dn = wb.defined_names[name]
    (sheet, ref), = list(dn.destinations)
    return sheet, ref.replace("$", "")


def named_value(wb, name: str):
    sheet, ref = name_target(wb, name)
    assert re.fullmatch(r"[A-Z]+\d+", ref), f"{name} is not a single cell: {ref}"
    return wb[sheet][ref].value


def named_table(wb, name: str) -> tuple[list[str], list[list], int]:
    """(headers, rows, last_row) of a table's named range (header row first)."""
    sheet, ref = name_target(wb, name)
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    ws = wb[sheet]
    grid = [[ws.cell(r, c).value for c in range(min_col, max_col + 1)] for r in range(min_row, max_row + 1)]
    return grid[0], grid[1:], max_row


def total_row(wb, name: str) -> list:
    """The row just under a table's named range (its totals)."""
    sheet, ref = name_target(wb, name)
    min_col, _min_row, max_col, max_row = range_boundaries(ref)
    ws = wb[sheet]
    return [ws.cell(max_row + 1, c).value for c in range(min_col, max_col + 1)]
