"""The input side: a seller's workbook -> a validated `SellerBook` and every problem (SPEC.md sections 2, 6).

    load(path)            read the file, then validate          -> (SellerBook | None, [Problem])
    reading(path)         start parsing the file on worker threads (a context manager); `load` of it
                          validates each sheet as soon as it is parsed
    from_rows(sheets)     the same pipeline from raw rows per sheet name
    annotate(path, problems, out_path)   a copy with each bad cell highlighted and commented

The book is None when any problem is an error; warnings come back either way.
Nothing here raises for a bad file.

Importing this package imports neither pandas nor the model (`SellerBook`, `Problem` and `Default`
are looked up on first use), so that `reading` can start parsing before pandas is loaded.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from goalsheet.inputs.read import WorkbookReading, file_problem, reading

if TYPE_CHECKING:
    from goalsheet.inputs.model import Default, Problem, SellerBook

__all__ = ["load", "reading", "from_rows", "annotate", "SellerBook", "Problem", "Default"]


def __getattr__(name: str):
    """The model's classes, imported on first use (the model imports pandas)."""
    if name in ("SellerBook", "Problem", "Default"):
        from goalsheet.inputs import model
        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def from_rows(sheets: dict[str, list[list]], source_name: str = "") -> tuple[SellerBook | None, list[Problem]]:
    """Validate raw rows per sheet name (values as a reader returns them; row 1 of each sheet first)."""
    from goalsheet.inputs.read import Grid
    from goalsheet.inputs.validate import build_book

    grids = {name: Grid(name, [list(r) for r in rows]) for name, rows in sheets.items()}
    return build_book(grids, source_name=source_name)


def load(source: str | Path | WorkbookReading) -> tuple[SellerBook | None, list[Problem]]:
    """Read and validate a workbook (.xlsx, .xlsm, .xls, .ods): every problem at once; never raises.

    `source` is the file, or its `reading` already started (the caller's own start-up then runs while
    the sheets are parsed)."""
    if not isinstance(source, WorkbookReading):
        with reading(source) as workbook:
            return load(workbook)
    try:
        return _validate(source)
    except MemoryError:
        return None, [file_problem("file_too_large_memory", name=source.path.name)]


def _validate(workbook: WorkbookReading) -> tuple[SellerBook | None, list[Problem]]:
    """The workbook's sheets validated as they are handed over; a sheet that could not be parsed makes
    the whole file unreadable, whether or not validation had got to it."""
    from goalsheet.inputs.read import SheetNotRead
    from goalsheet.inputs.validate import build_book

    if workbook.problems:
        return None, workbook.problems
    try:
        result = build_book(workbook, source_name=workbook.path.name, source_sha256=workbook.sha256)
    except SheetNotRead:
        result = None                # `failure` says why
    failure = workbook.failure()
    if failure is not None:
        return None, [failure]
    return result


def annotate(path: str | Path, problems: list[Problem], out_path: str | Path, lang: str = "en") -> Path:
    """Write a copy of the workbook with each problem cell filled and commented; the input is untouched."""
    from goalsheet.inputs.annotation import write_annotated

    return write_annotated(Path(path), problems, Path(out_path), lang)
