"""Limits a workbook must keep before the reader materialises it (docs/limits.md, "Input reader").

python-calamine trusts the file: a sheet with one cell at XFD1048576 makes it allocate the whole grid
between A1 and that cell (512 GiB), a zip member that inflates to gigabytes is inflated, a shared string
is copied into every cell that uses it.  So before calamine (or openpyxl, for `check --annotate`) sees a
workbook, this package checks it from its bytes, in one linear pass over each zip member as it inflates:

- the file is a regular file of at most FILE_BYTES (a FIFO or /dev/zero is never read);
- the zip directory (members, each member's and the total inflated size), and the same while inflating,
  since the directory can lie: a member that inflates to more than the directory says is damaged;
- every worksheet: each cell reference (calamine's own reading of an `r` attribute: any quotes, spaces,
  case or namespace prefix) inside Excel's grid, the box between the first and last cell at most
  SHEET_CELLS, the number of cells, the merged ranges, the `<dimension>`;
- the shared strings: how many, how long, and the text they can put into cells;
- an .ods `content.xml`: its repeated rows and columns.

Each limit is far above the largest seller goalsheet plans (Excel's 1,048,575 Sales rows, 20 000 SKUs).
A workbook over one is a `Problem`: `Sheet!Cell: ...` where there is a cell, else a file-level problem.

The scan of a large worksheet is a few C-speed passes per inflated chunk (a regular expression with a
literal start, `bytes.count`, `bytes.find`): cell tags as Excel and the usual libraries write them pass
at that speed, any other is read attribute by attribute, and a sheet with cells that have no `r` (or a
namespace prefix) is tokenised tag by tag in Python, still in linear time.  A small sheet is tokenised.

The package by concern: `package` (the file, the zip directory, inflating under a budget), `sheet_scan`
(a worksheet's cells, merged ranges and `<dimension>`), `strings` (the shared strings and the text they put
into cells), `ods` (an .ods `content.xml`).  Each reads the limits below through this package at call time
(`limits.PART_BYTES`), so that a test can stand in a small value for one.
"""
from __future__ import annotations

from dataclasses import dataclass

from goalsheet.words import Phrase

# ---------------------------------------------------------------- the limits (docs/limits.md)

FILE_BYTES = 512 << 20            # the workbook file
ZIP_MEMBERS = 10_000              # members of an .xlsx/.xlsm/.ods package
PART_BYTES = 1 << 30              # one member, inflated
TOTAL_BYTES = 2 << 30             # every member, inflated
SHEET_CELLS = 1 << 25             # a sheet's cells, and the box from its first to its last cell
BOOK_CELLS = 1 << 26              # the boxes of every sheet together (all are kept while validating)
MERGED_RANGES = 100_000           # merged ranges in one sheet
SHARED_STRINGS = 1 << 22          # strings in the shared-string table
STRING_CHARS = 32_767             # one string (Excel's own limit for a cell)
SHARED_TEXT_BYTES = 1 << 30       # shared-string text one sheet's cells can materialise
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384

CHUNK = 4 << 20                   # inflated bytes handed to the scan at a time
# A sheet part this small is read tag by tag at once (exact, and cheap at this size).
PRECISE_BYTES = 256 << 10
# One shared string's XML: Excel's 32,767 characters, 4 bytes each at most, and room for rich-text markup.
STRING_BYTES = 256 << 10


def _say(key: str, **args: object) -> Phrase:
    """The catalogue's sentence for a limit (`goalsheet.words.PROBLEMS["limit_<key>"]`)."""
    return Phrase("limit_" + key, args)


def _mb(n: int) -> str:
    return f"{n / (1 << 20):,.0f}"


@dataclass
class LimitProblem(Exception):
    """A workbook over a limit: `phrase` is the catalogue's sentence for it; `sheet` and `cell` are "" for the
    file itself."""
    phrase: Phrase
    sheet: str = ""
    cell: str = ""

    @property
    def message(self) -> str:
        return self.phrase.text("en")


# The parts, imported after the limits and LimitProblem they read.
from goalsheet.inputs.limits.package import (OLE_SIGNATURE, PackageCheck, check_package,  # noqa: E402
                                             is_encrypted_ole, read_regular_file)
from goalsheet.inputs.limits.sheet_scan import SheetScan, a1, ref_position, scan_sheet  # noqa: E402
from goalsheet.inputs.limits.strings import SharedStrings, scan_shared_strings  # noqa: E402
from goalsheet.inputs.limits.ods import scan_ods  # noqa: E402

__all__ = [
    "FILE_BYTES", "ZIP_MEMBERS", "PART_BYTES", "TOTAL_BYTES", "SHEET_CELLS", "BOOK_CELLS", "MERGED_RANGES",
    "SHARED_STRINGS", "STRING_CHARS", "SHARED_TEXT_BYTES", "EXCEL_ROWS", "EXCEL_COLUMNS", "CHUNK",
    "PRECISE_BYTES", "STRING_BYTES", "LimitProblem", "OLE_SIGNATURE", "PackageCheck", "check_package",
    "is_encrypted_ole", "read_regular_file", "SheetScan", "a1", "ref_position", "scan_sheet", "SharedStrings",
    "scan_shared_strings", "scan_ods",
]
