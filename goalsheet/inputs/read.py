"""Read a workbook file into raw rows per sheet (SPEC.md section 2): .xlsx, .xlsm, .xls, .ods.

python-calamine reads every format fast and gives formulas' cached values.  What it cannot tell us
we find cheaply ourselves: formulas with no cached value (an `<f>` with no `<v>` in the sheet XML,
xlsx/xlsm only, scanned in a thread while calamine reads), and merged cells (filled down/right with
the top-left value, so a store name merged down its rows applies to each row).  A file that is not
a workbook is a `Problem`, never a traceback: missing, empty, encrypted, CSV or random bytes.
"""
from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from xml.etree import ElementTree

from goalsheet.inputs.model import Problem
from goalsheet.inputs.tables import Grid, cyclic_gc_paused

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def file_problem(message: str) -> Problem:
    return Problem("", "", message)


def sniff(path: Path, head: bytes) -> Problem | None:
    """A problem when the bytes are not a workbook calamine can open (before trying)."""
    name = path.name
    if not head:
        return file_problem(f"{name} is empty (0 bytes); it is not a workbook")
    if head.startswith(OLE_SIGNATURE):
        if _is_encrypted_ole(path):
            return file_problem(f"{name} is password-protected; open it in Excel, remove the password "
                                f"(File > Info > Protect Workbook), save, and try again")
        return None                      # .xls (BIFF) inside an OLE container
    if head.startswith(ZIP_SIGNATURE):
        return None
    text = head[:2048]
    if b"\x00" not in text:
        try:
            sample = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                sample = text.decode("gb18030")
            except UnicodeDecodeError:
                sample = ""
        if sample and ("," in sample or "\t" in sample or ";" in sample) and "\n" in sample:
            return file_problem(f"{name} is a CSV/text file, not an Excel workbook; open it in Excel and "
                                f"save it as .xlsx")
        if sample.lstrip().startswith("<"):
            return file_problem(f"{name} is an HTML/XML file, not an Excel workbook; open it in Excel and "
                                f"save it as .xlsx")
    return file_problem(f"{name} is not an Excel workbook (.xlsx, .xlsm, .xls or .ods) or it is damaged")


def _is_encrypted_ole(path: Path) -> bool:
    """An OLE file holding an encrypted OOXML package (a password-protected .xlsx), or an encrypted .xls."""
    try:
        import msoffcrypto
        with open(path, "rb") as fh:
            office = msoffcrypto.OfficeFile(fh)
            return bool(office.is_encrypted())
    except Exception:
        with open(path, "rb") as fh:
            data = fh.read(1 << 20)
        return "EncryptedPackage".encode("utf-16-le") in data


_F_WITHOUT_V = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*>(?:(?!</c>).)*?<f[ >/](?:(?!</c>).)*?</c>', re.S)
_CELL_OPEN = re.compile(rb"<c\b[^>]*?/>|<c\b[^>]*>.*?</c>", re.S)


def _sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> part path inside an xlsx/xlsm package."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    wb = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    out = {}
    for s in wb.iter(f"{{{ns['m']}}}sheet"):
        rid = s.get(f"{{{ns['r']}}}id")
        target = targets.get(rid, "")
        target = target.lstrip("/")
        if not target.startswith("xl/"):
            target = "xl/" + target
        out[s.get("name")] = target
    return out


# Sheets whose XML is larger than this are scanned only when their table has blank cells (a formula
# with no saved value reads as blank): a clean 1,048,575-row Sales sheet is not decompressed twice.
EAGER_SCAN_BYTES = 16 << 20


def formulas_without_value(path: Path, only: set[str] | None = None,
                           skip_large: bool = False) -> dict[str, dict[tuple[int, int], str | None]]:
    """Cells holding a formula but no cached value, or an Excel error value (which calamine reads as
    blank), per sheet name: 0-based (row, col) -> None, or the error shown ("#N/A").

    Streams each sheet's XML: the common case (no `<f` at all) costs one decompression pass.
    `skip_large` leaves out sheets over EAGER_SCAN_BYTES (see `large_sheets`).
    """
    out: dict[str, dict[tuple[int, int], str | None]] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            for name, part in _sheet_paths(zf).items():
                if only is not None and name not in only:
                    continue
                try:
                    info = zf.getinfo(part)
                except KeyError:
                    continue
                if skip_large and info.file_size > EAGER_SCAN_BYTES:
                    continue
                if not _has_formula(zf, info):
                    continue
                cells = _empty_formula_cells(zf.read(part))
                if cells:
                    out[name] = cells
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return out
    return out


def large_sheets(path: Path) -> set[str]:
    try:
        with zipfile.ZipFile(path) as zf:
            return {name for name, part in _sheet_paths(zf).items()
                    if part in zf.NameToInfo and zf.getinfo(part).file_size > EAGER_SCAN_BYTES}
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return set()


def _has_formula(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether a sheet part holds any formula or error cell (streamed; stops at the first)."""
    tail = b""
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(4 << 20)
            if not chunk:
                return False
            block = tail + chunk
            if b"<f>" in block or b"<f " in block or b"<f/>" in block or b't="e"' in block:
                return True
            tail = block[-5:]


def _empty_formula_cells(xml: bytes) -> dict[tuple[int, int], str | None]:
    """(row, col) -> None for a formula with no saved value, or the Excel error it shows (#N/A, ...)."""
    cells: dict[tuple[int, int], str | None] = {}
    for m in _CELL_OPEN.finditer(xml):
        c = m.group(0)
        is_error = b't="e"' in c[:c.find(b">") + 1]
        if b"<f" not in c and not is_error:
            continue
        v = re.search(rb"<v>(.*?)</v>|<is>", c, re.S)
        shown: str | None = None
        if is_error:
            shown = v.group(1).decode("utf-8", "replace").strip() if v is not None and v.group(0) != b"<is>" \
                else "#VALUE!"
        else:
            if v is not None and (v.group(0) == b"<is>" or v.group(1).strip()):
                continue
            if b't="str"' in c and v is not None:
                continue
        ref = re.search(rb'r="([A-Z]+)(\d+)"', c)
        if ref is None:
            continue
        col = 0
        for ch in ref.group(1).decode():
            col = col * 26 + (ord(ch) - 64)
        cells[(int(ref.group(2)) - 1, col - 1)] = shown
    return cells


def _fill_merged(grid: Grid, ranges) -> None:
    """Every cell of a merged range takes the range's top-left value."""
    for (r1, c1), (r2, c2) in ranges:
        i1, j1 = r1 - grid.row0, c1 - grid.col0
        if i1 < 0 or j1 < 0 or i1 >= len(grid.rows):
            continue
        row = grid.rows[i1]
        if j1 >= len(row):
            continue
        value = row[j1]
        for i in range(i1, min(r2 - grid.row0, len(grid.rows) - 1) + 1):
            r = grid.rows[i]
            for j in range(j1, c2 - grid.col0 + 1):
                if j < len(r) and (i, j) != (i1, j1) and r[j] in ("", None):
                    r[j] = value


def read_workbook(path: Path) -> tuple[dict[str, Grid] | None, str, list[Problem]]:
    """(sheet name -> Grid, sha256 of the bytes, problems).  Grids is None when the file cannot be read."""
    with cyclic_gc_paused():      # a cell an object: see cyclic_gc_paused
        return _read_workbook(path)


def _read_workbook(path: Path) -> tuple[dict[str, Grid] | None, str, list[Problem]]:
    path = Path(path)
    if not path.exists():
        return None, "", [file_problem(f"{path} does not exist")]
    if path.is_dir():
        return None, "", [file_problem(f"{path} is a folder, not a workbook")]
    try:
        data = path.read_bytes()
    except OSError as e:
        return None, "", [file_problem(f"{path.name} cannot be read: {e.strerror or e}")]
    sha = hashlib.sha256(data).hexdigest()
    problem = sniff(path, data[:4096])
    if problem is not None:
        return None, sha, [problem]
    is_zip = data.startswith(ZIP_SIGNATURE)
    if is_zip:
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, zlib.error, OSError):
            return None, sha, [file_problem(f"{path.name} is not an Excel workbook or it is damaged (bad zip)")]
        if "xl/workbook.xml" not in names and "content.xml" not in names:
            return None, sha, [file_problem(f"{path.name} is a zip file but not an Excel workbook "
                                            f"(.xlsx, .xlsm, .ods)")]
    del data
    scan = None
    pool = None
    if is_zip and "xl/workbook.xml" in names:
        pool = ThreadPoolExecutor(max_workers=1)
        scan = pool.submit(formulas_without_value, path, None, True)
        large = large_sheets(path)
    try:
        grids = _read_with_calamine(path)
    except Exception as e:   # calamine's errors are many; a damaged file is the seller's problem, not a crash
        if pool is not None:
            pool.shutdown(wait=True)
        return None, sha, [file_problem(f"{path.name} cannot be read as a workbook ({type(e).__name__}: "
                                        f"{str(e)[:200]}); open it in Excel and save it as .xlsx")]
    if scan is not None:
        formulas = scan.result()
        pool.shutdown(wait=True)
        for name, cells in formulas.items():
            if name in grids:
                grid = grids[name]
                grid.formula_cells = {rc: v for rc, v in cells.items() if _cell_is_blank(grid, *rc)}
        for name in large:
            if name in grids:
                grids[name].formula_scan = _deferred_scan(path, grids[name])
    return grids, sha, []


def _deferred_scan(path: Path, grid: Grid):
    def scan() -> dict[tuple[int, int], str | None]:
        cells = formulas_without_value(path, only={grid.name}).get(grid.name, {})
        return {rc: v for rc, v in cells.items() if _cell_is_blank(grid, *rc)}
    return scan


def _cell_is_blank(grid: Grid, r: int, c: int) -> bool:
    i, j = r - grid.row0, c - grid.col0
    if i < 0 or j < 0 or i >= len(grid.rows) or j >= len(grid.rows[i]):
        return True
    v = grid.rows[i][j]
    return v is None or v == ""


def _read_with_calamine(path: Path) -> dict[str, Grid]:
    import python_calamine as pc

    grids: dict[str, Grid] = {}
    with open(path, "rb") as fh:
        wb = pc.CalamineWorkbook.from_filelike(fh)
        try:
            for name in wb.sheet_names:
                sheet = wb.get_sheet_by_name(name)
                try:
                    rows = sheet.to_python(skip_empty_area=True)
                except Exception:
                    rows = []
                start = sheet.start or (0, 0)
                grid = Grid(name, rows, row0=start[0], col0=start[1])
                try:
                    merged = sheet.merged_cell_ranges
                except Exception:
                    merged = None
                if merged:
                    _fill_merged(grid, merged)
                grids[name] = grid
        finally:
            wb.close()
    return grids
