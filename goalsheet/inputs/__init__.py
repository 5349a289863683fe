"""The input side: a seller's workbook -> a validated `SellerBook` and every problem (SPEC.md sections 2, 6).

    load(path)            read the file, then validate          -> (SellerBook | None, [Problem])
    from_rows(sheets)     the same pipeline from raw rows per sheet name
    annotate(path, problems, out_path)   a copy with each bad cell highlighted and commented

The book is None when any problem is an error; warnings come back either way.
Nothing here raises for a bad file.
"""
from __future__ import annotations

from pathlib import Path

from goalsheet.inputs.model import Default, Problem, SellerBook

__all__ = ["load", "from_rows", "annotate", "SellerBook", "Problem", "Default"]


def from_rows(sheets: dict[str, list[list]], source_name: str = "") -> tuple[SellerBook | None, list[Problem]]:
    """Validate raw rows per sheet name (values as a reader returns them; row 1 of each sheet first)."""
    from goalsheet.inputs.tables import Grid
    from goalsheet.inputs.validate import build_book

    grids = {name: Grid(name, [list(r) for r in rows]) for name, rows in sheets.items()}
    return build_book(grids, source_name=source_name)


def load(path: str | Path) -> tuple[SellerBook | None, list[Problem]]:
    """Read and validate a workbook (.xlsx, .xlsm, .xls, .ods): every problem at once; never raises."""
    from goalsheet.inputs.read import read_workbook
    from goalsheet.inputs.validate import build_book

    from goalsheet.inputs.tables import cyclic_gc_paused

    path = Path(path)
    try:
        # the cells read are made and let go with the cyclic collector paused (see cyclic_gc_paused)
        with cyclic_gc_paused():
            grids, sha, problems = read_workbook(path)
            if grids is None:
                return None, problems
            book = build_book(grids, source_name=path.name, source_sha256=sha, problems=problems)
            del grids
            return book
    except MemoryError:
        return None, [Problem("", "", f"{path.name} is too large to read in memory")]


def annotate(path: str | Path, problems: list[Problem], out_path: str | Path) -> Path:
    """Write a copy of the workbook with each problem cell filled and commented; the input is untouched."""
    from goalsheet.inputs.annotation import write_annotated

    return write_annotated(Path(path), problems, Path(out_path))
