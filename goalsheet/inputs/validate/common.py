"""What every input sheet's validation shares: a sheet's table found and parsed, a table as a frame with
its defaults, formula cells reported, duplicate keys, and the "did you mean" hint (goalsheet.inputs.validate)."""
from __future__ import annotations

import pandas as pd

from goalsheet.inputs.columns import ProblemSink, parse_columns
from goalsheet.inputs.model import Problem
from goalsheet.inputs.schema import Sheet
from goalsheet.inputs.tables import Grid, Table, build_table, find_header, missing_columns_problems
from goalsheet.words import PROBLEMS, Phrase, Term


FORMULA_MESSAGE = PROBLEMS["formula_no_value"][0]


def report_formulas(grid: Grid, sink: ProblemSink) -> None:
    for (r, c) in sorted(grid.formula_cells):
        shown = grid.formula_cells[(r, c)]
        message = Phrase("formula_no_value") if shown is None else Phrase("formula_error", {"error": shown})
        sink.add(grid.name, f"{_letter(c)}{r + 1}", message, column=f"formula:{grid.name}")
    sink.flush()


def _letter(c: int) -> str:
    from goalsheet.inputs.tables import col_letter
    return col_letter(c)


# ---------------------------------------------------------------- generic tables

def read_table(grid: Grid | None, sheet: Sheet, sink: ProblemSink, problems: list[Problem]) -> Table | None:
    """The sheet's table with its header row found, or None (absent sheet, or problems recorded)."""
    if grid is None:
        return None
    header, cols, heads, unmatched, best = find_header(grid, sheet)
    if header is None:
        if not any(any(v not in (None, "") for v in row) for row in grid.rows):
            if sheet.required:
                problems.append(Problem(grid.name, "", code="sheet_empty",
                                        args={"sheet": sheet.key, "sheet_zh": sheet.zh}))
            return None
        problems.extend(missing_columns_problems(grid, sheet, best))
        return None
    table = build_table(grid, sheet, header, cols, heads, unmatched)
    problems.extend(table.notes)
    table.parsed = parse_columns(table, sink)      # type: ignore[attr-defined]
    sink.flush()
    return table


def table_or_empty(table: Table | None, sheet: Sheet, sink: ProblemSink) -> pd.DataFrame:
    if table is None:
        return empty_frame(sheet)
    frame = table.parsed.copy()                    # type: ignore[attr-defined]
    for c in sheet.columns:
        if c.default is not None and c.key in frame:
            if c.kind in ("money", "number", "rate", "int"):
                frame[c.key] = frame[c.key].fillna(c.default)
            else:
                frame[c.key] = frame[c.key].where(frame[c.key].notna(), c.default)
    return frame


def empty_frame(sheet: Sheet) -> pd.DataFrame:
    return pd.DataFrame({c.key: pd.Series([], dtype="float64" if c.kind in ("money", "number", "rate", "int")
                                          else object) for c in sheet.columns})


def named(operator) -> bool:
    """An operator is named: text that is not blank.  A blank cell of a text column is None, or NaN once pandas has
    made the column its string type, which `is not None` does not catch."""
    return isinstance(operator, str) and bool(operator.strip())


def _hint(name: str | None) -> Phrase | str:
    """"; did you mean "X"?" for the closest name ("" when there is none)."""
    return Phrase("did_you_mean", {"name": name}) if name else ""


def check_duplicates(frame: pd.DataFrame, key: str, table: Table | None, problems: list[Problem],
                     label: str) -> None:
    """A row repeating an earlier row's key is an error at its cell, naming the first."""
    if table is None or frame.empty:
        return
    first: dict[object, int] = {}
    for pos, v in enumerate(frame[key]):
        if v is None:
            continue
        if v in first:
            problems.append(Problem(table.sheet, table.cell(pos, key), code="listed_twice",
                                    args={"label": Term("row_label", label), "value": v,
                                          "first": table.cell(first[v], key)}))
        else:
            first[v] = pos
