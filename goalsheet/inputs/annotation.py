"""`goalsheet check --annotate`: a copy of the input with each bad cell highlighted and commented (SPEC 1, 6).

The input is never modified: the copy is written to a new file (atomically, via a temporary name).
An .xlsx/.xlsm input is copied with openpyxl (its formatting kept); an .xls or .ods input is
rewritten as .xlsx from its values.  Errors are filled red, warnings yellow; every problem on a cell
becomes a line of that cell's comment.  Problems about a whole sheet go on its A1, problems about
the file on a "Problems" sheet added at the front.
"""
from __future__ import annotations

import os
import re
from collections import defaultdict
from pathlib import Path

from goalsheet.inputs.model import Problem
from goalsheet.words import say

GOALSHEET_MARK = "goalsheet"     # the custom document property of every workbook goalsheet writes

ERROR_FILL = "FFFF9999"
WARNING_FILL = "FFFFE699"
_A1 = re.compile(r"^([A-Z]{1,3})(\d+)$")


def _open_copy(path: Path, keep_macros: bool):
    """The input as an openpyxl workbook (xlsx/xlsm directly; other formats rebuilt from values).
    Macros are kept only when the copy is itself an .xlsm: Excel refuses an .xlsx whose content type
    says macro-enabled."""
    import openpyxl

    from goalsheet.inputs.limits import LimitProblem, check_package, read_regular_file

    try:     # openpyxl materialises merged ranges and inflates members whole: only a workbook within the limits
        data = read_regular_file(path)
        check_package(path.name, data)
    except (LimitProblem, OSError):
        data = b""
    head = data[:4]
    if head == b"PK\x03\x04" and path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            return openpyxl.load_workbook(path, keep_vba=keep_macros and path.suffix.lower() == ".xlsm",
                                          rich_text=True)
        except Exception:
            pass
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    grids = None
    if data:
        try:
            from goalsheet.inputs.read import read_workbook
            grids, _sha, _problems = read_workbook(path)
        except Exception:
            grids = None
    for name, grid in (grids or {}).items():
        ws = wb.create_sheet(name[:31])
        for i, row in enumerate(grid.rows):
            for j, v in enumerate(row):
                if v in ("", None):
                    continue
                cell = ws.cell(row=grid.row0 + i + 1, column=grid.col0 + j + 1)
                cell.value = v
                if isinstance(v, str) and v.startswith("="):
                    cell.data_type = "s"          # input text stays text, never a formula
    return wb


def write_annotated(path: Path, problems: list[Problem], out_path: Path, lang: str = "en") -> Path:
    from openpyxl.comments import Comment
    import unicodedata

    from openpyxl.styles import Alignment, PatternFill

    if out_path.suffix.lower() not in (".xlsx", ".xlsm"):
        out_path = out_path.with_suffix(".xlsx")
    if path.exists() and out_path.exists() and out_path.resolve() == path.resolve():
        raise ValueError("the annotated copy must not overwrite the input")
    wb = _open_copy(path, keep_macros=out_path.suffix.lower() == ".xlsm")
    by_cell: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    loose: list[Problem] = []
    names = {ws.title: ws for ws in wb.worksheets}
    for p in problems:
        ref = p.cell
        if p.sheet in names and ref and _A1.match(ref):
            by_cell[(p.sheet, ref)].append(p)
        elif p.sheet in names and ref and re.fullmatch(r"[A-Z]{1,3}", ref):
            by_cell[(p.sheet, f"{ref}1")].append(p)
        elif p.sheet in names:
            by_cell[(p.sheet, "A1")].append(p)
        else:
            loose.append(p)
    for (sheet, ref), items in by_cell.items():
        ws = names[sheet]
        cell = ws[ref]
        if type(cell).__name__ == "MergedCell":
            for rng in ws.merged_cells.ranges:
                if ref in rng:
                    cell = ws.cell(row=rng.min_row, column=rng.min_col)
                    break
        worst = "error" if any(p.severity == "error" for p in items) else "warning"
        color = ERROR_FILL if worst == "error" else WARNING_FILL
        cell.fill = PatternFill(fill_type="solid", start_color=color, end_color=color)
        text = "\n".join(say("annotate_" + p.severity, {}, lang) + p.sentence(lang) for p in items)
        if cell.comment is not None:
            text = cell.comment.text + "\n" + text
        comment = Comment(text[:32000], "goalsheet")
        comment.width, comment.height = 320, min(600, 40 + 18 * (text.count("\n") + 2))
        cell.comment = comment
    if loose or not wb.worksheets:
        ws = wb.create_sheet(say("annotate_sheet", {}, lang), 0)
        ws.append([say("annotate_where", {}, lang), say("annotate_severity", {}, lang),
                   say("annotate_problem", {}, lang)])
        for p in (loose or problems):
            ws.append([p.where_in(lang), say("severity_" + p.severity, {}, lang), p.sentence(lang)])
        # the problem column wide and wrapped, so a long sentence reads on the page (a printout, a PDF)
        for letter, width in (("A", 14), ("B", 8), ("C", 64)):
            ws.column_dimensions[letter].width = width
        ws.sheet_properties.pageSetUpPr.fitToPage = True          # the three columns on one page's width
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        for (cell,) in ws.iter_rows(min_col=3, max_col=3):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            # rows made tall enough for their wrapped lines (LibreOffice does not grow a row on opening)
            columns = sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in str(cell.value))
            ws.row_dimensions[cell.row].height = 15.75 * max(1, -(-columns // 60))
    # goalsheet's mark (the custom property its plan workbooks carry too), so that a later `check --annotate`
    # may replace this copy without --force, even one with no problem to comment
    from openpyxl.packaging.custom import StringProperty

    from goalsheet import __version__
    wb.custom_doc_props.append(StringProperty(name=GOALSHEET_MARK, value=__version__))
    tmp = out_path.with_name(f".{out_path.name}.tmp")
    wb.save(tmp)
    os.replace(tmp, out_path)
    return out_path
