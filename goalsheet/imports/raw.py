"""Reading a report as downloaded: its tables of cells, whatever the file (`goalsheet import`, SPEC.md section 1).

A report is an Excel workbook (.xlsx, .xlsm, .xls, .ods: every sheet, read by python-calamine), a delimited text
file (.csv, .tsv, .txt: Seller Central's flat files are tab-separated, its Business Report comma-separated), or a
.zip holding several of those.  A text file's encoding is not stated anywhere, so every encoding a seller's
reports come in is tried in turn (UTF-8 with or without BOM, GBK, Shift-JIS, Windows-1252) and the first whose
text has a header row `recognise` knows is kept: a wrong guess decodes to text no header matches.
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from goalsheet.imports.problems import ReportError

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
BOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
# the order matters: UTF-8 rejects most text of the others; GBK and Shift-JIS reject much of each other's and of
# Windows-1252 text; Windows-1252 decodes nearly any bytes, so it comes last
ENCODINGS = ("utf-8-sig", "gbk", "cp932", "cp1252")
MAX_MEMBERS = 200


@dataclass
class RawTable:
    """One table of cells of a report: `name` says where it came from (file, zip member, sheet) for the seller,
    `file_name` is the report's own file name (a store or a date range may be in it)."""
    name: str
    file_name: str
    rows: list[list]
    encoding: str | None = None
    # the text's other decodings, tried when this one has no header row a report kind knows
    alternatives: tuple = ()


def read_report(path: Path) -> list[RawTable]:
    """Every table of the report at `path`; an ReportError (one line) when it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReportError("import_unreadable", report=path.name, why=exc.strerror or type(exc).__name__) from None
    return _tables(path.name, path.name, data)


def _tables(name: str, file_name: str, data: bytes) -> list[RawTable]:
    suffix = Path(file_name).suffix.lower()
    if suffix == ".zip" or (data[:4] == b"PK\x03\x04" and suffix not in BOOK_SUFFIXES):
        return _zip_tables(name, data)
    if suffix in BOOK_SUFFIXES:
        return _book_tables(name, file_name, data)
    if suffix in TEXT_SUFFIXES or suffix == "":
        return [_text_table(name, file_name, data)]
    raise ReportError("import_unknown_file", report=name)


def _zip_tables(name: str, data: bytes) -> list[RawTable]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = [i for i in z.infolist() if not i.is_dir() and not Path(i.filename).name.startswith((".", "~$"))
                       and not i.filename.startswith("__MACOSX/")]
            if len(members) > MAX_MEMBERS:
                raise ReportError("import_zip_too_many", report=name, count=len(members), limit=MAX_MEMBERS)
            tables: list[RawTable] = []
            for info in members:
                inner = Path(info.filename).name
                if Path(inner).suffix.lower() not in TEXT_SUFFIXES + BOOK_SUFFIXES:
                    continue
                tables += _tables(f"{name}/{info.filename}", inner, z.read(info))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError) as exc:
        raise ReportError("import_bad_zip", report=name, why=str(exc) or type(exc).__name__) from None
    if not tables:
        raise ReportError("import_zip_empty", report=name)
    return tables


def _book_tables(name: str, file_name: str, data: bytes) -> list[RawTable]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        tables = []
        for sheet in wb.sheet_names:
            rows = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            tables.append(RawTable(f"{name}!{sheet}" if len(wb.sheet_names) > 1 else name, file_name,
                                   [list(r) for r in rows]))
        return tables
    except Exception as exc:  # noqa: BLE001 - calamine raises its own errors for every kind of broken file
        raise ReportError("import_not_a_workbook", report=name, why=" ".join(str(exc).split())[:120]) from None


def _text_table(name: str, file_name: str, data: bytes) -> RawTable:
    decoded = []
    for encoding in ENCODINGS:
        try:
            decoded.append((encoding, data.decode(encoding)))
        except UnicodeDecodeError:
            continue
    if not decoded:
        raise ReportError("import_unknown_encoding", report=name)
    if "\x00" in decoded[0][1][:4096]:
        raise ReportError("import_unknown_file", report=name)
    first, *others = [(enc, _split(text)) for enc, text in decoded]
    return RawTable(name, file_name, first[1], first[0], tuple(others))


def _split(text: str) -> list[list]:
    """The text's rows of cells: tab-separated when its lines hold tabs (Seller Central's flat files), else the
    more frequent of comma and semicolon (a European Excel saves CSV with semicolons)."""
    sample = text[:20000]
    if "\t" in sample:
        delimiter = "\t"
    else:
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
