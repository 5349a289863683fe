"""Hostile and unlucky input files, made on the fly (small files only; bombs are built in place).

Each maker takes a folder and returns the path it wrote.  They start from the golden seller
(tests/golden/make_golden.py, written with openpyxl) and change one zip member, so that everything
else about the file is a valid workbook:

    xfd_cell        one value at XFD1048576 in the Settings sheet (calamine would allocate the grid to it)
    xfd_in_large_sheet  the same far out in a Sales sheet of 12 000 rows (checked while the others are parsed)
    huge_row        one value in row 99 999 999
    odd_syntax_ref  the far cell written `<x:c r = 'xfd5'>`: a prefix, spaces, single quotes, lower case
    merged_ranges   400 copies of the merged range A2:XFD1115
    many_comments   40 000 XML comments in a sheet with a formula (the formula scan must stay linear)
    lying_zip       a sheet whose zip directory says 100 bytes but that inflates to far more
    not_a_zip       random bytes named .xlsx
    broken_zip      a workbook cut in half
    encrypted       an OLE2 compound file naming the EncryptedPackage stream (a password-protected .xlsx)
    fifo            a FIFO named x.xlsx (nothing ever writes to it)
"""
from __future__ import annotations

import os
import random
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "inputs"))
from broken import golden, rows_to_xlsx  # noqa: E402


def golden_xlsx(folder: Path, name: str = "golden.xlsx", formulas=None) -> Path:
    return rows_to_xlsx(golden(), folder / name, formulas=formulas)


def sheet_part(path: Path, sheet: str) -> str:
    """The zip member of a sheet (openpyxl writes them in workbook order: sheet1.xml, ...)."""
    with zipfile.ZipFile(path) as zf:
        names = re.findall(rb'<sheet [^>]*name="([^"]+)"', zf.read("xl/workbook.xml"))
    return f"xl/worksheets/sheet{[n.decode() for n in names].index(sheet) + 1}.xml"


def rewrite(path: Path, out: Path, member: str, change) -> Path:
    """A copy of the package with `member`'s bytes passed through `change`."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info.filename, change(data) if info.filename == member else data)
    return out


def _before_sheet_data_end(xml: bytes, extra: bytes) -> bytes:
    return xml.replace(b"</sheetData>", extra + b"</sheetData>", 1)


def xfd_cell(folder: Path) -> Path:
    base = golden_xlsx(folder, "base.xlsx")
    out = rewrite(base, folder / "xfd.xlsx", sheet_part(base, "Settings"), lambda x: _before_sheet_data_end(
        x, b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))
    base.unlink()
    return out


def huge_row(folder: Path) -> Path:
    base = golden_xlsx(folder, "base.xlsx")
    out = rewrite(base, folder / "huge_row.xlsx", sheet_part(base, "Settings"), lambda x: _before_sheet_data_end(
        x, b'<row r="99999999"><c r="A99999999"><v>1</v></c></row>'))
    base.unlink()
    return out


def xfd_in_large_sheet(folder: Path) -> Path:
    """The Sales sheet grown past 256 KiB of XML (checked on the worker that parses it), the far cell last."""
    base = golden_xlsx(folder, "base.xlsx")
    rows = b"".join(b'<row r="%d"><c r="H%d"><v>1</v></c></row>' % (i, i) for i in range(200, 12_000))
    out = rewrite(base, folder / "large.xlsx", sheet_part(base, "Sales"), lambda x: _before_sheet_data_end(
        x, rows + b'<row r="20000"><c r="XFD20000"><v>1</v></c></row><row r="1048576"><c r="A1048576">'
        b'<v>1</v></c></row>'))
    base.unlink()
    return out


def odd_syntax_ref(folder: Path) -> Path:
    base = golden_xlsx(folder, "base.xlsx")
    out = rewrite(base, folder / "odd_ref.xlsx", sheet_part(base, "Settings"), lambda x: _before_sheet_data_end(
        x, b"<row r=\"40\"><x:c r = 'xfd1048576'><x:v>1</x:v></x:c></row>"))
    base.unlink()
    return out


def merged_ranges(folder: Path) -> Path:
    base = golden_xlsx(folder, "base.xlsx")
    merges = b'<mergeCells count="400">' + b'<mergeCell ref="A2:XFD1115"/>' * 400 + b"</mergeCells>"

    def change(xml: bytes) -> bytes:
        xml = re.sub(rb"<mergeCells.*?</mergeCells>", b"", xml, flags=re.S)
        return xml.replace(b"</sheetData>", b"</sheetData>" + merges, 1)
    out = rewrite(base, folder / "merged.xlsx", sheet_part(base, "SKUs"), change)
    base.unlink()
    return out


def many_comments(folder: Path) -> Path:
    base = golden_xlsx(folder, "base.xlsx", formulas={("Team", "D2"): "=1+1"})
    comments = b'<!-- <c r="A1"> -->' * 40_000
    out = rewrite(base, folder / "comments.xlsx", sheet_part(base, "Team"),
                  lambda x: x.replace(b"<sheetData>", b"<sheetData>" + comments, 1))
    base.unlink()
    return out


def lying_zip(folder: Path) -> Path:
    """The Sales sheet's sizes in its local header and the central directory set to 100 bytes."""
    base = golden_xlsx(folder, "base.xlsx")
    member = sheet_part(base, "Sales").encode()
    data = bytearray(base.read_bytes())
    base.unlink()
    for signature, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        for m in re.finditer(re.escape(signature), bytes(data)):
            start = m.start()
            n = int.from_bytes(data[start + name_len_at:start + name_len_at + 2], "little")
            if bytes(data[start + name_at:start + name_at + n]) == member:
                data[start + size_at:start + size_at + 4] = (100).to_bytes(4, "little")
    out = folder / "lying.xlsx"
    out.write_bytes(bytes(data))
    return out


def not_a_zip(folder: Path) -> Path:
    out = folder / "random.xlsx"
    out.write_bytes(random.Random(13).randbytes(50_000))
    return out


def broken_zip(folder: Path) -> Path:
    base = golden_xlsx(folder, "base.xlsx")
    data = base.read_bytes()
    base.unlink()
    out = folder / "broken.xlsx"
    out.write_bytes(data[: len(data) // 2])
    return out


def encrypted(folder: Path) -> Path:
    """The OLE2 header and a directory entry naming EncryptedPackage, as an encrypted .xlsx has."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    entry = "EncryptedPackage".encode("utf-16-le").ljust(128, b"\x00")
    out = folder / "locked.xlsx"
    out.write_bytes(header + entry + bytes(4096))
    return out


def fifo(folder: Path) -> Path:
    out = folder / "x.xlsx"
    os.mkfifo(out)
    return out


MAKERS = {f.__name__: f for f in (xfd_cell, xfd_in_large_sheet, huge_row, odd_syntax_ref, merged_ranges, many_comments, lying_zip,
                                  not_a_zip, broken_zip, encrypted, fifo)}

if __name__ == "__main__":          # python tests/hostile/make_hostile.py FOLDER: write the whole corpus
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    for name, make in MAKERS.items():
        print(make(target))
