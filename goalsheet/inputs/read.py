"""Read a workbook file into raw rows per sheet (SPEC.md section 2): .xlsx, .xlsm, .xls, .ods.

python-calamine reads every format fast and gives formulas' cached values.  What it cannot tell us
we find cheaply ourselves: formulas with no cached value (an `<f>` with no `<v>` in the sheet XML,
xlsx/xlsm only, scanned on a worker thread), and merged cells (filled down/right with the top-left
value, so a store name merged down its rows applies to each row).  A file that is not a workbook is
a `Problem`, never a traceback: missing, empty, encrypted, CSV or random bytes.

The sheets are parsed on worker threads (`reading`): calamine releases the GIL while it parses a
sheet's XML (about 3 s of a full Sales sheet), so meanwhile the caller imports the rest of goalsheet
and validates the small sheets on the other CPU.  That is why this module imports neither pandas nor
the model (which does) at the top: a reading can start before they are loaded.
"""
from __future__ import annotations

import hashlib
import re
import threading
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from concurrent.futures import CancelledError, Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from goalsheet.gc_pause import cyclic_gc_paused
from goalsheet.inputs.limits import (OLE_SIGNATURE, PRECISE_BYTES, LimitProblem, PackageCheck, is_encrypted_ole,
                                     read_regular_file)

if TYPE_CHECKING:
    from goalsheet.inputs.model import Problem

ZIP_SIGNATURE = b"PK\x03\x04"
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def col_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    s = ""
    index += 1
    while index:
        index, r = divmod(index - 1, 26)
        s = chr(65 + r) + s
    return s


@dataclass
class Grid:
    """One sheet's cells as a reader returns them; rows[0][0] is the sheet's cell (row0, col0), 0-based."""
    name: str
    rows: list[list]
    row0: int = 0
    col0: int = 0
    # formulas with no saved value (None) and Excel error values ("#N/A"): absolute 0-based (row, col)
    formula_cells: dict[tuple[int, int], str | None] = field(default_factory=dict)
    formula_scan: object = None     # for a very large sheet: a callable that finds formula_cells on demand

    def a1(self, i: int, j: int) -> str:
        return f"{col_letter(self.col0 + j)}{self.row0 + i + 1}"


def file_problem(code: str, **args: object) -> Problem:
    """A problem of the file itself: the catalogue's sentence `code` (`goalsheet.words`) with its args."""
    from goalsheet.inputs.model import Problem   # imports pandas: only once a problem is found

    return Problem("", "", code=code, args=args)


def sniff(path: Path, head: bytes, data: bytes = b"") -> Problem | None:
    """A problem when the bytes are not a workbook calamine can open (before trying); `data` is the whole
    file when read (a password-protected workbook is told by its OLE2 directory, see limits)."""
    name = path.name
    if not head:
        return file_problem("file_empty", name=name)
    if head.startswith(OLE_SIGNATURE):
        if is_encrypted_ole(data or head):
            return file_problem("file_password", name=name)
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
            return file_problem("file_csv", name=name)
        if sample.lstrip().startswith("<"):
            return file_problem("file_html", name=name)
    return file_problem("file_not_workbook", name=name)




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


WORKBOOK_PART_MOST = 1 << 20     # bytes of xl/workbook.xml `sheet_names_only` reads (a real one is a few kB)


def sheet_names_only(path: Path) -> list[str]:
    """The sheet names of an .xlsx/.xlsm package from its workbook part alone, nothing parsed: enough to tell
    the workbook's language before a command reads it (a refused output is said in it).  [] for any other file,
    a damaged one, or a workbook part that is large or declares a DTD (which Excel never writes)."""
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("xl/workbook.xml")
            if info.file_size > WORKBOOK_PART_MOST:
                return []
            with zf.open(info) as part:
                xml = part.read(WORKBOOK_PART_MOST + 1)
        if len(xml) > WORKBOOK_PART_MOST or b"<!DOCTYPE" in xml:
            return []
        ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
        return [s.get("name") or "" for s in ElementTree.fromstring(xml).iter(f"{ns}sheet")]
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, ElementTree.ParseError, RuntimeError,
            NotImplementedError, EOFError, zlib.error):
        return []


# Sheets whose XML is larger than this are scanned only when their table has blank cells (a formula
# with no saved value reads as blank): a clean 1,048,575-row Sales sheet is not decompressed twice.
EAGER_SCAN_BYTES = 16 << 20


def formulas_without_value(path: Path, only: set[str] | None = None,
                           skip_large: bool = False) -> dict[str, dict[tuple[int, int], str | None]]:
    """Cells holding a formula but no cached value, or an Excel error value (which calamine reads as
    blank), per sheet name: 0-based (row, col) -> None, or the error shown ("#N/A").

    Streams each sheet's XML: the common case (no `<f` at all) costs one decompression pass.
    `skip_large` leaves out sheets over EAGER_SCAN_BYTES (see `sheet_sizes`).
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


def sheet_sizes(path: Path) -> dict[str, int]:
    """Sheet name -> size of its XML part, uncompressed, in an xlsx/xlsm package ({} when unknown)."""
    try:
        with zipfile.ZipFile(path) as zf:
            return {name: zf.getinfo(part).file_size for name, part in _sheet_paths(zf).items()
                    if part in zf.NameToInfo}
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return {}


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


_CELL_TOKEN = re.compile(rb"<c[\s>/]|</c>")


def _empty_formula_cells(xml: bytes) -> dict[tuple[int, int], str | None]:
    """(row, col) -> None for a formula with no saved value, or the Excel error it shows (#N/A, ...).

    Linear: each cell is the text from a `<c` to the next `</c>` (or the next `<c`, for an empty cell),
    found with one pass of tokens, so no cell's search runs past the next one."""
    cells: dict[tuple[int, int], str | None] = {}
    start = None
    for m in _CELL_TOKEN.finditer(xml):
        if m.group(0) != b"</c>":
            start = m.start()
            continue
        if start is None:
            continue
        c, start = xml[start:m.end()], None
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
    """Every cell of a merged range takes the range's top-left value; each range clipped to the cells read
    (a range over the whole sheet costs no more than the cells the sheet has)."""
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
            for j in range(j1, min(c2 - grid.col0 + 1, len(r))):
                if (i, j) != (i1, j1) and r[j] in ("", None):
                    r[j] = value


def read_workbook(path: Path) -> tuple[dict[str, Grid] | None, str, list[Problem]]:
    """(sheet name -> Grid, sha256 of the bytes, problems).  Grids is None when the file cannot be read."""
    with reading(path) as workbook:
        return workbook.result()


@contextmanager
def reading(path: Path) -> Iterator[WorkbookReading]:
    """The workbook at `path`, its sheets being parsed on worker threads while the block runs.

    Leaving the block stops the parse after the sheet in hand and joins the workers: no thread outlives
    it, and Ctrl-C waits at most for that sheet, as it did when the main thread parsed it.  The cyclic
    garbage collector stays paused throughout (the workers make a Python object per cell: see
    cyclic_gc_paused), and the grids are let go before it resumes.
    """
    with cyclic_gc_paused():
        workbook = WorkbookReading(Path(path))
        try:
            workbook.start()
            yield workbook
        finally:
            workbook.close()


class SheetNotRead(Exception):
    """A sheet the workers could not parse; `WorkbookReading.failure` says why."""


class WorkbookReading(Mapping):
    """A workbook's sheets by name (in workbook order), each handed over as soon as it is parsed.

    The file is checked at once on the calling thread: `problems` holds what makes it unreadable (the
    same problems as ever for a missing, empty, encrypted or damaged file).  A workbook that opens is
    parsed on up to two threads: its largest sheet (by the size of its XML; the Sales sheet, in
    practice) alone on one, the others one by one in workbook order on the other, which then hashes
    the bytes and scans for formulas with no saved value.  Looking a sheet up waits for it; a sheet
    that could not be parsed raises `SheetNotRead`, and `failure` is then the problem to report (as
    ever, nothing of such a workbook is used).  Open it with `reading`, which starts it, then stops and
    joins the workers.
    """

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []
        self._names: list[str] = []
        self._sheets: dict[str, Future] = {}       # name -> the parsed Grid, or the exception
        self._grids: dict[str, Grid] = {}          # handed over, with their formula cells attached
        self._sha256: Future = Future()
        self._scan: Future = Future()              # formulas_without_value of the sheets not large, but the largest
        self._scan_largest: Future = Future()      # ... of the largest sheet (parsed alone), when it is not large
        self._largest: str | None = None
        self._large: set[str] = set()              # sheets scanned for formulas only on demand
        self._data: bytes | None = None            # the file's bytes, until hashed
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._close_errors: list[Exception] = []   # a handle that would not close: the file is unreadable
        self._limits: PackageCheck | None = None
        self._deferred: str | None = None          # the sheet checked against the limits by its parsing worker

    # ---- the calling thread: check the file, open it, start the workers

    def start(self) -> None:
        path = self.path
        if not path.exists():
            return self._unreadable("", file_problem("file_missing", path=str(path)))
        if path.is_dir():
            return self._unreadable("", file_problem("file_is_folder", path=str(path)))
        try:
            data = read_regular_file(path)
        except LimitProblem as e:
            return self._unreadable("", _limit_problem(e))
        except OSError as e:
            return self._unreadable("", file_problem("file_cannot_read", name=path.name, error=e.strerror or e))
        except MemoryError:
            return self._unreadable("", file_problem("file_too_large_memory", name=path.name))
        problem = sniff(path, data[:4096], data) or _package_problem(path, data)
        limits = None
        if problem is None and data.startswith(ZIP_SIGNATURE):
            # every zip member within its limits before calamine opens the package; the largest sheet is
            # checked on the worker that parses it (meanwhile calamine opens and the other sheets are parsed)
            try:
                limits = PackageCheck(path.name, data)
                self._deferred = max(limits.sheets.values(), key=limits.sheet_size, default=None)
                if self._deferred is not None and limits.sheet_size(self._deferred) <= PRECISE_BYTES:
                    self._deferred = None
                limits.check(skip=self._deferred)
            except LimitProblem as e:
                problem = _limit_problem(e)
        if problem is not None:
            return self._unreadable(hashlib.sha256(data).hexdigest(), problem)
        self._limits = limits
        try:
            opened, names = _open_named(path)
        except Exception as e:   # calamine's errors are many: a damaged file is the seller's problem, not a crash
            return self._unreadable(hashlib.sha256(data).hexdigest(), _not_a_workbook(path, e))
        self._names = names
        self._sheets = {name: Future() for name in names}
        self._data = data
        largest = None
        if _is_xlsx(path):
            sizes = {name: size for name, size in sheet_sizes(path).items() if name in self._sheets}
            self._large = {name for name, size in sizes.items() if size > EAGER_SCAN_BYTES}
            largest = max(sizes, key=sizes.get) if sizes else None
        else:
            self._scan.set_result({})
        self._largest = largest
        if largest is None:
            self._scan_largest.set_result({})
        check = None
        if self._deferred is not None and self._deferred != largest:
            try:                                   # not expected: calamine's sheet names and the zip's disagree
                self._limits.check_sheet(self._deferred)
            except LimitProblem as e:
                _close_workbook(*opened)
                return self._unreadable(hashlib.sha256(data).hexdigest(), _limit_problem(e))
        elif self._deferred is not None:
            check = partial(self._limits.check_sheet, self._deferred)
        if largest is None:
            self._spawn(self._read_others, names, opened)
        else:
            self._spawn(self._parse_sheets, [largest], opened, check)
            self._spawn(self._read_others, [n for n in names if n != largest], None)

    def _unreadable(self, sha256: str, problem: Problem) -> None:
        self.problems = [problem]
        self._sha256.set_result(sha256)

    def _spawn(self, target, *args) -> None:
        """A worker; daemon only so that a second Ctrl-C during `close` still ends the process."""
        thread = threading.Thread(target=target, args=args, name=f"goalsheet-read-{len(self._threads)}",
                                  daemon=True)
        thread.start()
        self._threads.append(thread)

    # ---- the workers

    def _read_others(self, names: list[str], opened: tuple | None) -> None:
        """Hash the bytes, parse `names` in order (on the workbook `opened`, or a second handle of
        it), then scan the package for formulas with no saved value."""
        data, self._data = self._data, None
        self._sha256.set_result(hashlib.sha256(data).hexdigest())
        del data
        try:
            if names and opened is None:
                try:
                    opened = _open_workbook(self.path)
                except Exception as e:
                    self._sheets[names[0]].set_exception(e)
            self._parse_sheets(names, opened)
        finally:                                 # the scan is always settled: the caller waits for it
            # the other sheets' scan first (they are validated first), then the largest sheet's: it is needed
            # only with that sheet's grid, which its own worker is still parsing
            largest = self._largest
            for future, only in ((self._scan, None if largest is None else set(self._names) - {largest}),
                                 (self._scan_largest, {largest})):
                if not future.done():
                    try:
                        future.set_result(formulas_without_value(self.path, only, True))
                    except Exception as e:     # not expected (the scan reports nothing for a damaged part)
                        future.set_exception(e)

    def _parse_sheets(self, names: list[str], opened: tuple | None, check=None) -> None:
        """Each sheet of `names` in order into its future, stopping at the first that fails (the sheets
        after it are cancelled, as they were never read) or when the reading is closed.  `check` first
        checks the (one) sheet against the limits: over one, it fails without being parsed."""
        try:
            if check is not None:
                try:
                    check()
                except LimitProblem as e:
                    self._sheets[names[0]].set_exception(e)
                    return
            for name in names:
                future = self._sheets[name]
                if opened is None or self._stop.is_set():
                    break
                try:
                    future.set_result(_parse_sheet(opened[1], name))
                except Exception as e:    # calamine's errors are many: see `failure`
                    future.set_exception(e)
                    break
        finally:
            for name in names:
                self._sheets[name].cancel()          # only those never parsed: a finished future stays
            if opened is not None:
                try:
                    _close_workbook(*opened)
                except Exception as e:               # as when it was read on the main thread: unreadable
                    self._close_errors.append(e)

    # ---- the calling thread: hand the sheets over

    def __contains__(self, name: object) -> bool:
        return name in self._sheets                  # without waiting for the sheet

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def parsing(self) -> bool:
        """Whether a sheet is still being parsed (without waiting)."""
        return any(not future.done() for future in self._sheets.values())

    def __getitem__(self, name: str) -> Grid:
        """The sheet's grid, once parsed, with its formula cells found (waits for the worker)."""
        grid = self._grids.get(name)
        if grid is None:
            future = self._sheets[name]              # KeyError for a name the workbook lacks, as a dict
            try:
                grid = future.result()
            except Exception:
                raise SheetNotRead(name) from None
            self._attach_formulas(grid)
            self._grids[name] = grid
        return grid

    def _attach_formulas(self, grid: Grid) -> None:
        cells = self._scan_of(grid.name).result().get(grid.name)
        if cells:
            grid.formula_cells = {rc: v for rc, v in cells.items() if _cell_is_blank(grid, *rc)}
        if grid.name in self._large:
            grid.formula_scan = _deferred_scan(self.path, grid)

    def may_hold_formulas(self, name: str, large_too: bool = True) -> bool:
        """Whether a sheet can have formula or error cells to report: the scan found some, or it is a
        large sheet, scanned on demand (left out when not `large_too`).  The others need not be waited for."""
        return name in self._scan_of(name).result() or (large_too and name in self._large)

    def _scan_of(self, name: str) -> Future:
        return self._scan_largest if name == self._largest else self._scan

    @property
    def sha256(self) -> str:
        return self._sha256.result()

    def failure(self) -> Problem | None:
        """The problem when a sheet could not be parsed: the first such sheet in workbook order, the one
        a one-by-one read would have stopped at (waits for every worker)."""
        for name in self._names:
            try:
                error = self._sheets[name].exception()
            except CancelledError:               # never parsed: a sheet before it failed
                continue
            if error is not None:
                return _not_a_workbook(self.path, error)
        for thread in self._threads:
            thread.join()
        return _not_a_workbook(self.path, self._close_errors[0]) if self._close_errors else None

    def result(self) -> tuple[dict[str, Grid] | None, str, list[Problem]]:
        """(every grid, the sha256 of the bytes, problems), as `read_workbook` returns them."""
        if self.problems:
            return None, self.sha256, self.problems
        failure = self.failure()
        if failure is not None:
            return None, self.sha256, [failure]
        return {name: self[name] for name in self}, self.sha256, []

    def close(self) -> None:
        """Stop after the sheets in hand, join the workers, and let the grids go."""
        self._stop.set()
        for thread in self._threads:
            thread.join()
        self._grids.clear()
        self._sheets.clear()
        self._data = None


def _package_problem(path: Path, data: bytes) -> Problem | None:
    """A zip file that is damaged or holds no workbook (xlsx, xlsm or ods)."""
    if not data.startswith(ZIP_SIGNATURE):
        return None
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, zlib.error, OSError):
        return file_problem("file_bad_zip", name=path.name)
    if "xl/workbook.xml" not in names and "content.xml" not in names:
        return file_problem("file_zip_not_workbook", name=path.name)
    return None


def _limit_problem(e: LimitProblem) -> Problem:
    from goalsheet.inputs.model import Problem
    return Problem(e.sheet, e.cell, code=e.phrase.code, args=e.phrase.args)


def _is_xlsx(path: Path) -> bool:
    """An xlsx/xlsm package (the zip holds xl/workbook.xml): its sheets' XML can be sized and scanned."""
    try:
        with zipfile.ZipFile(path) as zf:
            return "xl/workbook.xml" in zf.NameToInfo
    except (zipfile.BadZipFile, OSError):
        return False


def _not_a_workbook(path: Path, e: BaseException) -> Problem:
    if isinstance(e, LimitProblem):
        return _limit_problem(e)
    return file_problem("file_unreadable_workbook", name=path.name, error=f"{type(e).__name__}: {str(e)[:200]}")


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


def _open_workbook(path: Path) -> tuple:
    """(file, calamine workbook): one handle, for one thread at a time (calamine refuses two at once).

    From a file object, as ever: calamine then tells the format by the bytes, whatever the name says.
    (Opening by path would skip calamine's copy of the bytes, ~0.07 s on max, but then glibc gives the
    plan's large arrays fresh pages: ~90 000 more page faults in the plan and the write, a net loss.)"""
    import python_calamine as pc

    fh = open(path, "rb")
    try:
        return fh, pc.CalamineWorkbook.from_filelike(fh)
    except BaseException:
        fh.close()
        raise


def _open_named(path: Path) -> tuple[tuple, list[str]]:
    """The workbook opened, and its sheet names in workbook order."""
    opened = _open_workbook(path)
    try:
        return opened, list(opened[1].sheet_names)
    except BaseException:
        _close_workbook(*opened)
        raise


def _close_workbook(fh, wb) -> None:
    try:
        wb.close()
    finally:
        fh.close()


def _parse_sheet(wb, name: str) -> Grid:
    """One sheet's cells; merged cells filled with their range's top-left value."""
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
    return grid
