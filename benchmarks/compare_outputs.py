"""Compare two plan workbooks cell by cell: do they show the same values?

    .venv/bin/python benchmarks/compare_outputs.py OLD.xlsx NEW.xlsx [--limit N]

A speedup must not change the output: run `goalsheet plan` before and after the change and compare the two
workbooks with this.  Every sheet of both is read with python_calamine (values as Excel shows them: formulas by
their cached results) and compared cell by cell; per sheet the first --limit differing cells are printed
(`B7: 1.5 -> 1.25`), and sheets found in only one workbook are named.  Exit status 0 when every value is the
same, 1 when any differs.  Numbers compare by value (1 and 1.0 are the same number), otherwise kind and value
must match; styles, formulas' text and the package's XML are not compared (compare the XML parts for those).

Left out, because they differ from run to run by design (each masked where it occurs, so the rest of its cell
is still compared; the report counts them):
  - the minute the workbook was made, in the source note (output.plan_context's `generated`:
    "demo.xlsx (sha256 ...) · goalsheet 0.1.0 · 2026-11-26 04:12 +0000") on the Summary and Assumptions sheets;
  - the `planned_at` setting (plan/assumptions.py: "2026-11-26T04:12:35"), in the Assumptions row that names it;
  - the same `planned_at` inside the plan JSON embedded in the `_goalsheet_plan` sheet (output.embed_plan), and
    that sheet's C1, the JSON's SHA-256.  With the tables stored by column (`"tables_by_column":true`) the value
    is not beside its setting's name, so there every JSON string that is exactly such a timestamp is masked (the
    plan holds no other: its dates are months and days).
"""
from __future__ import annotations

import argparse
import math
import re
import sys
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path

EMBED_SHEET = "_goalsheet_plan"       # goalsheet.report.workbook.EMBED_SHEET (kept local: this script reads files only)
EMBED_SHA = (0, 2)                    # its C1
GENERATED = re.compile(r"(?<= · goalsheet )(\S+ · )(\d{4}-\d\d-\d\d \d\d:\d\d [+-]\d{4})")
PLANNED_AT_JSON = re.compile(r'(?<="setting":"planned_at","value":")([^"]*)')
PLANNED_AT_VALUE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
TIMESTAMP_JSON = re.compile(r'(?<=")\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?=")')     # by-column form
MASK = "~"


@dataclass
class SheetComparison:
    """One sheet of both workbooks: how many cells were compared, the run stamps left out, the differences
    (row, column, old value, new value; the first `limit` of them) and how many there were in all."""
    name: str
    cells: int = 0
    stamps: int = 0
    differences: list[tuple[int, int, object, object]] = field(default_factory=list)
    differing: int = 0
    only_in: str | None = None


def read_sheets(path: Path) -> dict[str, list[list]]:
    """Every sheet's values from A1 (empty leading rows and columns kept, so positions are the real cells)."""
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names}


def _masked(match: re.Match) -> str:
    """The stamp replaced by as many mask characters: the same length, so chunked text keeps its boundaries."""
    return MASK * len(match.group(0))


def mask_run_stamps(name: str, rows: list[list]) -> tuple[list[list], int]:
    """The sheet with its run stamps masked (see the module docstring), and how many cells held one."""
    if name == EMBED_SHEET:
        return _mask_embedded_plan(rows)
    out, stamps = [], 0
    for row in rows:
        names_planned_at = any(isinstance(v, str) and "planned_at" in v for v in row)
        new = [_mask_cell(v, names_planned_at) for v in row]
        stamps += sum(a is not b for a, b in zip(row, new))
        out.append(new)
    return out, stamps


def _mask_cell(value, names_planned_at: bool):
    """A cell's value with the generated-minute stamp masked; the whole value masked when it is the planned_at
    timestamp of the row that names planned_at.  An unmasked value is returned as the same object."""
    if not isinstance(value, str):
        return value
    if names_planned_at and PLANNED_AT_VALUE.fullmatch(value):
        return MASK * len(value)
    masked = GENERATED.sub(lambda m: m.group(1) + MASK * len(m.group(2)), value)
    return value if masked == value else masked


def _mask_embedded_plan(rows: list[list]) -> tuple[list[list], int]:
    """The embedded plan sheet: A1 'goalsheet_plan', B1 the chunk count, C1 the JSON's SHA-256, the JSON from A2
    down.  The chunks are joined, planned_at masked in place and the text cut again at the same places."""
    out = [list(r) for r in rows]
    stamps = 0
    if out and len(out[0]) > EMBED_SHA[1]:
        out[0][EMBED_SHA[1]] = MASK
        stamps += 1
    chunks = [str(r[0]) if r and r[0] is not None else "" for r in out[1:]]
    text = "".join(chunks)
    by_column = '"tables_by_column":true' in text
    masked = (TIMESTAMP_JSON if by_column else PLANNED_AT_JSON).sub(_masked, text)
    at = 0
    for row, chunk in zip(out[1:], chunks):
        if row:
            piece = masked[at:at + len(chunk)]
            stamps += piece != chunk
            row[0] = piece
        at += len(chunk)
    return out, stamps


def _kind(value) -> str:
    """bool before number: True == 1 in Python, but a TRUE cell that became 1 is a change."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def same_value(a, b) -> bool:
    if _kind(a) != _kind(b):
        return False
    if a == b:
        return True
    return isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)


def compare_sheet(name: str, old: list[list], new: list[list], limit: int) -> SheetComparison:
    """Cell by cell; a row or column present in only one sheet compares as empty ('') in the other."""
    old, old_stamps = mask_run_stamps(name, old)
    new, new_stamps = mask_run_stamps(name, new)
    result = SheetComparison(name, stamps=max(old_stamps, new_stamps))
    for i, (old_row, new_row) in enumerate(zip_longest(old, new, fillvalue=[])):
        for j, (a, b) in enumerate(zip_longest(old_row, new_row, fillvalue="")):
            result.cells += 1
            if not same_value(a, b):
                result.differing += 1
                if len(result.differences) < limit:
                    result.differences.append((i, j, a, b))
    return result


def compare_workbooks(old: Path, new: Path, limit: int = 10) -> list[SheetComparison]:
    """Every sheet of either workbook, in OLD's order then NEW's own sheets."""
    a, b = read_sheets(old), read_sheets(new)
    out = []
    for name in list(a) + [n for n in b if n not in a]:
        if name not in b:
            out.append(SheetComparison(name, only_in="OLD"))
        elif name not in a:
            out.append(SheetComparison(name, only_in="NEW"))
        else:
            out.append(compare_sheet(name, a[name], b[name], limit))
    return out


def cell_name(row: int, col: int) -> str:
    """0-based (row, column) -> 'B7'."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row + 1}"


def shown_pair(a, b, width: int = 60) -> str:
    """'old -> new'; two long texts are shown from a little before their first differing character, which
    is where a chunk of the embedded plan or a long note differs."""
    if isinstance(a, str) and isinstance(b, str) and max(len(a), len(b)) > width:
        at = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        start = max(0, at - 20)
        return f"from character {start}: {a[start:start + width]!r} -> {b[start:start + width]!r}"
    return f"{a!r} -> {b!r}"


def report(comparisons: list[SheetComparison]) -> list[str]:
    """One line per sheet, then one per differing cell shown; the last line sums up."""
    lines = []
    for c in comparisons:
        if c.only_in:
            lines.append(f"{c.name}: only in {c.only_in}")
            continue
        stamps = f"; {c.stamps} run stamp{'s' if c.stamps != 1 else ''} left out" if c.stamps else ""
        if not c.differing:
            lines.append(f"{c.name}: same ({c.cells:,} cells{stamps})")
            continue
        lines.append(f"{c.name}: {c.differing:,} of {c.cells:,} cells differ{stamps}; first:")
        lines += [f"  {cell_name(i, j)}: {shown_pair(a, b)}" for i, j, a, b in c.differences]
    bad = sum(1 for c in comparisons if c.only_in or c.differing)
    lines.append(f"differences in {bad} of {len(comparisons)} sheets" if bad
                 else f"all {len(comparisons)} sheets show the same values")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    ap.add_argument("--limit", type=int, default=10, help="differing cells shown per sheet (default 10)")
    args = ap.parse_args(argv)
    comparisons = compare_workbooks(args.old, args.new, args.limit)
    print(f"{args.old} -> {args.new}")
    print("\n".join(report(comparisons)))
    return 1 if any(c.only_in or c.differing for c in comparisons) else 0


if __name__ == "__main__":
    sys.exit(main())
