"""Limits a workbook must keep before the reader materialises it (docs/limits.md, "Input reader").

python-calamine trusts the file: a sheet with one cell at XFD1048576 makes it allocate the whole grid
between A1 and that cell (512 GiB), a zip member that inflates to gigabytes is inflated, a shared string
is copied into every cell that uses it.  So before calamine (or openpyxl, for `check --annotate`) sees a
workbook, this module checks it from its bytes, in one linear pass over each zip member as it inflates:

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
"""
from __future__ import annotations

import io
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from goalsheet.words import Phrase, Term

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


# ---------------------------------------------------------------- the file itself

def read_regular_file(path: Path) -> bytes:
    """The bytes of `path` if it is a regular file of at most FILE_BYTES, else LimitProblem; OSError as ever.

    Opened without blocking (a FIFO has no writer: it is refused, not waited on), then checked on the open
    descriptor (a name swapped between a check and the open gains nothing), and read no further than its size."""
    name = path.name
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = ("FIFO" if stat.S_ISFIFO(st.st_mode) else "device" if stat.S_ISCHR(st.st_mode) or
                    stat.S_ISBLK(st.st_mode) else "socket" if stat.S_ISSOCK(st.st_mode) else "special file")
            raise LimitProblem(_say("not_regular", name=name, kind=Term("file_kind", kind)))
        if st.st_size > FILE_BYTES:
            raise LimitProblem(_say("file_too_large", name=name, size=_mb(st.st_size),
                                                                 limit=_mb(FILE_BYTES)))
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(FILE_BYTES + 1)
        if len(data) > FILE_BYTES:          # grew while read
            raise LimitProblem(_say("file_too_large", name=name, size=_mb(len(data)),
                                                                 limit=_mb(FILE_BYTES)))
        return data
    finally:
        os.close(fd)


OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))


def is_encrypted_ole(data: bytes) -> bool:
    """A password-protected .xlsx/.xlsm: an OLE2 compound file (the header says so) whose directory names
    the `EncryptedPackage` stream (MS-OFFCRYPTO); found from the bytes, no decryption library needed."""
    return data.startswith(OLE_SIGNATURE) and any(s in data for s in _ENCRYPTED_STREAMS)


# ---------------------------------------------------------------- the zip package

def check_package(name: str, data: bytes) -> None:
    """Raise LimitProblem when the zip package `data` (an .xlsx/.xlsm/.ods) is over a limit.  Nothing is
    raised for a package that is not a workbook at all: the reader reports that as before."""
    check = PackageCheck(name, data)
    check.check()


class PackageCheck:
    """The limits of one zip package: `check()` every member (or all but one worksheet, `skip`, checked
    later with `check_sheet`: the reader checks its largest sheet on the worker that then parses it).

    Every member is inflated once, in chunks, against its budget; the constructor checks the directory."""

    def __init__(self, name: str, data: bytes):
        self.name, self.data = name, data
        self.infos: list[zipfile.ZipInfo] = []
        self.sheets: dict[str, str] = {}              # worksheet part -> sheet name
        self.strings: SharedStrings | None = None
        self.boxes: dict[str, int] = {}
        self.ods = False
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, OSError):
            return
        with zf:
            infos = zf.infolist()
            if len(infos) > ZIP_MEMBERS:
                raise LimitProblem(_say("members", name=name, count=f"{len(infos):,}",
                                                              limit=f"{ZIP_MEMBERS:,}"))
            declared = 0
            for info in infos:
                if info.file_size > PART_BYTES:
                    raise LimitProblem(_say("part_too_large", name=name, part=info.filename,
                                                                         limit=_mb(PART_BYTES)))
                declared += info.file_size
            if declared > TOTAL_BYTES:
                raise LimitProblem(_say("total_too_large", name=name, limit=_mb(TOTAL_BYTES)))
            self.infos = infos
            self.sheets = _sheet_parts(zf, name)
            self.ods = "content.xml" in zf.NameToInfo and "xl/workbook.xml" not in zf.NameToInfo

    def check(self, skip: str | None = None) -> None:
        """Every member but the worksheet named `skip`."""
        name, data = self.name, self.data
        budget = _Budget(name)
        for info in self.infos:
            if info.filename == "xl/sharedStrings.xml":
                self.strings = scan_shared_strings(name, _inflate(data, info, budget))
        for info in self.infos:
            if info.filename == "xl/sharedStrings.xml":
                continue
            if info.filename in self.sheets:
                if self.sheets[info.filename] != skip:
                    self._sheet(info, budget)
            elif self.ods and info.filename == "content.xml":
                scan_ods(name, _inflate(data, info, budget))
            else:
                _first_chunk_checks(name, info.filename, _inflate(data, info, budget))
        self._book()

    def check_sheet(self, sheet: str) -> None:
        """The worksheet `sheet` (left out of `check`), and then the whole book's cells."""
        for info in self.infos:
            if self.sheets.get(info.filename) == sheet:
                self._sheet(info, _Budget(self.name), prefetch=True)
        self._book()

    def sheet_size(self, sheet: str) -> int:
        return max((i.file_size for i in self.infos if self.sheets.get(i.filename) == sheet), default=0)

    def _sheet(self, info: zipfile.ZipInfo, budget: _Budget, prefetch: bool = False) -> None:
        name, data, strings = self.name, self.data, self.strings
        first = [_inflate(data, info, budget)]

        def chunks():                  # inflated once against the budget; again only for a closer look
            source = first.pop() if first else _inflate(data, info, _Budget(name))
            return _prefetched(source) if prefetch else source
        scan = scan_sheet(self.sheets[info.filename], chunks, info.file_size)
        if first:
            for _ in first.pop():      # a scan that needed none of it: inflated to its end all the same
                pass
        if strings is not None and strings.count and scan.cells * strings.longest > SHARED_TEXT_BYTES and \
                _shared_text(chunks(), strings) > SHARED_TEXT_BYTES:
            raise LimitProblem(_say("shared_text", limit=_mb(SHARED_TEXT_BYTES)), scan.sheet)
        self.boxes[scan.sheet] = scan.box_cells

    def _book(self) -> None:
        if sum(self.boxes.values()) > BOOK_CELLS:
            raise LimitProblem(_say("book_box", limit=f"{BOOK_CELLS:,}"))


def _prefetched(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """`chunks` made on a helper thread, a few ahead: zlib inflates without the interpreter lock, so the
    inflating of a large sheet goes on while its chunks are scanned."""
    import queue
    import threading

    ahead: queue.Queue = queue.Queue(maxsize=3)
    stop = threading.Event()
    done = object()

    def run() -> None:
        try:
            for chunk in chunks:
                while not stop.is_set():
                    try:
                        ahead.put(chunk, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            ahead.put(done)
        except BaseException as e:       # handed to the scan, which raises it
            ahead.put(e)

    thread = threading.Thread(target=run, name="goalsheet-inflate", daemon=True)
    thread.start()
    try:
        while True:
            item = ahead.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while thread.is_alive():
            try:
                ahead.get_nowait()
            except queue.Empty:
                thread.join(0.05)


@dataclass
class _Budget:
    name: str
    total: int = 0

    def take(self, n: int) -> None:
        self.total += n
        if self.total > TOTAL_BYTES:
            raise LimitProblem(_say("total_too_large", name=self.name, limit=_mb(TOTAL_BYTES)))


_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")


def _inflate(data: bytes, info: zipfile.ZipInfo, budget: _Budget) -> Iterator[bytes]:
    """The member's inflated bytes in chunks of about CHUNK, never more than its directory entry says
    (more is damage, or a bomb) nor more than PART_BYTES."""
    name = budget.name
    start = info.header_offset
    header = data[start:start + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise LimitProblem(_say("bad_zip", name=name, reason=Phrase("zip_no_local_header", {"part": info.filename})))
    fields = _LOCAL_HEADER.unpack(header)
    offset = start + _LOCAL_HEADER.size + fields[-2] + fields[-1]
    raw = memoryview(data)[offset:offset + info.compress_size]
    limit = min(info.file_size, PART_BYTES)
    if info.flag_bits & 0x1:
        raise LimitProblem(_say("compression", name=name, part=Phrase("zip_encrypted", {"part": info.filename})))
    if info.compress_type == zipfile.ZIP_STORED:
        if len(raw) > limit:
            raise LimitProblem(_say("directory_lies", name=name, part=info.filename))
        budget.take(len(raw))
        for i in range(0, len(raw), CHUNK):
            yield bytes(raw[i:i + CHUNK])
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise LimitProblem(_say("compression", name=name, part=Phrase("zip_method", {"part": info.filename,
                                                                               "method": info.compress_type})))
    inflater = zlib.decompressobj(-15)
    produced = 0
    step = 1 << 20
    for i in range(0, len(raw), step):
        pending = raw[i:i + step]
        while pending:
            try:
                out = inflater.decompress(pending, CHUNK)
            except zlib.error as e:
                raise LimitProblem(_say("bad_zip", name=name, reason=f"{info.filename}: {e}")) from None
            pending = inflater.unconsumed_tail
            if not out:
                break
            produced += len(out)
            if produced > limit:
                raise LimitProblem(_say("directory_lies", name=name, part=info.filename))
            budget.take(len(out))
            yield out
        if inflater.eof:
            return


def _sheet_parts(zf: zipfile.ZipFile, name: str) -> dict[str, str]:
    """Worksheet part path -> sheet name, from the (small, already size-checked) workbook parts."""
    from xml.etree import ElementTree

    try:
        wb_info, rels_info = zf.getinfo("xl/workbook.xml"), zf.getinfo("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    if wb_info.file_size > 16 << 20 or rels_info.file_size > 16 << 20:
        raise LimitProblem(_say("part_too_large", name=name, part="xl/workbook.xml", limit=16))
    try:
        wb_xml, rels_xml = zf.read(wb_info), zf.read(rels_info)
        for part, xml in (("xl/workbook.xml", wb_xml), ("xl/_rels/workbook.xml.rels", rels_xml)):
            if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml:
                raise LimitProblem(_say("doctype", name=name, part=part))
        wb = ElementTree.fromstring(wb_xml)
        rels = ElementTree.fromstring(rels_xml)
    except (zipfile.BadZipFile, zlib.error, ElementTree.ParseError, OSError, EOFError):
        return {}
    targets = {r.get("Id"): r.get("Target") or "" for r in rels}
    out: dict[str, str] = {}
    for s in wb.iter("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheet"):
        rid = s.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        target = targets.get(rid, "").lstrip("/")
        if not target.startswith("xl/"):
            target = "xl/" + target
        out[target] = s.get("name") or target
    return out


_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY")


def _first_chunk_checks(name: str, part: str, chunks: Iterator[bytes]) -> None:
    """Any other member: inflated to the end (its budget), and no DTD (entity expansion) at its start."""
    first = True
    for chunk in chunks:
        if first and _DOCTYPE.search(chunk, 0, 65536):
            raise LimitProblem(_say("doctype", name=name, part=part))
        first = False


# ---------------------------------------------------------------- cell references as calamine reads them

def ref_position(ref: bytes) -> tuple[int | None, int | None] | None:
    """(0-based row, 0-based column or None) of a reference like calamine's get_row_column: letters (either
    case) then digits; None for text calamine refuses (it then fails the sheet: nothing is allocated)."""
    m = _REF.fullmatch(ref)
    if m is None:
        return None
    letters, digits = m.group(1), m.group(2)
    col = None
    if letters:
        col = 0
        for ch in letters.upper()[:8]:
            col = col * 26 + ch - 64
        if len(letters) > 8:
            col = 1 << 40
        col -= 1
    if not digits:
        return None
    row = int(digits[:12]) - 1 if len(digits) <= 12 else 1 << 40
    return row, col


_REF = re.compile(rb"([A-Za-z]*)(\d*)")


def a1(row: int, col: int) -> str:
    from goalsheet.inputs.read import col_letter
    return f"{col_letter(min(col, 1 << 20))}{min(row, 10 ** 12) + 1}"


# The rows Excel has past 999 999 (7 digits, up to 1048576).
_ROWS_7 = rb"10[0-3]\d{4}|104[0-7]\d{3}|1048[0-4]\d\d|10485[0-6]\d|104857[0-6]"
# Every cell start tag except the usual whole tag: `<c r="` with one uppercase letter and a row Excel has,
# then at most `s="<digits>"` and `t="<letters>"` (as Excel, LibreOffice and the usual libraries write it).
# Its literal start keeps it at C speed; each tag it finds is read attribute by attribute in Python (the
# last `r` wins, as in calamine), and a cell without `r` sends the sheet to the precise reading.
_CELL_SCREEN = re.compile(rb'<c(?! r="[A-Z](?:\d{1,6}|' + _ROWS_7 + rb')"(?: s="\d++")?+(?: t="[a-zA-Z]++")?+/?>)'
                          rb'[\s>/]')
_PREFIXED = re.compile(rb':c[\s>/]')      # a cell with a namespace prefix (calamine ignores the prefix)
_RANGE_TAG = re.compile(rb'<(?:[\w.\-]+:)?(mergeCell|dimension)\s((?:[^>"\']|"[^"]{0,256}"|\'[^\']{0,256}\')*)')
_ATTRS = re.compile(rb'\s*([^\s=/>]+)\s*=\s*(["\'])(.{0,256}?)\2', re.S)


@dataclass
class SheetScan:
    sheet: str
    rows: list[int] = field(default_factory=lambda: [EXCEL_ROWS, -1])     # min, max (0-based) of the box
    cols: list[int] = field(default_factory=lambda: [EXCEL_COLUMNS, -1])
    usual: bool = False           # cells only known to lie in A..Z and Excel's rows (not read one by one)
    cells: int = 0                # at least the cells calamine keeps
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    exotic: bool = False          # XML the screen does not read: the precise reading is needed
    box_cells: int = 0
    exact: bool = False

    def cell(self, row: int, col: int, raw: bytes) -> None:
        if row >= EXCEL_ROWS or col >= EXCEL_COLUMNS or row < 0 or col < 0:
            raise LimitProblem(_say("outside_grid", ref=raw.decode("latin-1")[:20]), self.sheet,
                               a1(max(row, 0), max(col, 0)))
        self.rows[0], self.rows[1] = min(self.rows[0], row), max(self.rows[1], row)
        self.cols[0], self.cols[1] = min(self.cols[0], col), max(self.cols[1], col)

    def box(self) -> tuple[int, int]:
        """(rows, columns) of the box calamine allocates, at most (the usual cells counted at their widest)."""
        rows, cols = list(self.rows), list(self.cols)
        if self.usual:
            rows = [0, EXCEL_ROWS - 1]
            cols = [0, max(cols[1], 25)]
        if rows[1] < 0 or cols[1] < 0:
            return 0, 0
        return rows[1] - rows[0] + 1, cols[1] - cols[0] + 1

    def range_ref(self, tag: bytes, raw: bytes) -> None:
        parts = raw.split(b":")
        corners = [ref_position(p.strip()) for p in parts]
        if len(parts) > 2 or any(c is None or c[1] is None for c in corners):
            return                                   # calamine refuses it
        for (row, col), p in zip(corners, parts):
            if row >= EXCEL_ROWS or col >= EXCEL_COLUMNS:
                raise LimitProblem(_say("outside_grid", ref=p.decode("latin-1")[:20]), self.sheet,
                                   a1(row, col))
        if tag == b"mergeCell":
            (r1, c1), (r2, c2) = corners[0], corners[-1]
            self.merged.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
            if len(self.merged) > MERGED_RANGES:
                raise LimitProblem(_say("merged_count",
                                                                   limit=f"{MERGED_RANGES:,}"), self.sheet)


def _tags_whole(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The chunks cut after their last '<', so that no tag is split between two (a tag longer than CHUNK
    is passed on cut: it is no tag Excel writes, and calamine refuses what it cannot read)."""
    tail = b""
    for chunk in chunks:
        buf = tail + chunk if tail else chunk
        cut = buf.rfind(b"<")
        if cut <= 0 or len(buf) - cut > CHUNK:
            cut = len(buf)
        yield buf[:cut]
        tail = buf[cut:]
    if tail:
        yield tail


# A sheet part this small is read tag by tag at once (exact, and cheap at this size).
PRECISE_BYTES = 256 << 10


def scan_sheet(sheet: str, chunks, size: int = 0) -> SheetScan:
    """Check one worksheet's XML (`chunks()` streams it, again if the precise reading is needed)."""
    scan = None
    if size > PRECISE_BYTES:
        scan = _screened(sheet, chunks())
    if scan is None or scan.exotic:
        scan = _tokenised(sheet, chunks())
    rows, cols = scan.box()
    if rows * cols > SHEET_CELLS and not scan.exact:
        scan = _tokenised(sheet, chunks())          # the usual cells' rows were only bounded: read them
        rows, cols = scan.box()
    scan.box_cells = rows * cols
    if rows * cols > SHEET_CELLS:
        raise LimitProblem(_say("box", rows=f"{rows:,}", cols=f"{cols:,}",
                                                  last=a1(scan.rows[1], scan.cols[1]), limit=f"{SHEET_CELLS:,}"),
                           sheet, a1(scan.rows[1], scan.cols[1]))
    _check_merged(scan)
    return scan


def _regions(chunks: Iterator[bytes]) -> Iterator[tuple[bytes, int, int]]:
    """(buffer, start, end): every byte of the stream once, in regions that split no tag, without copying
    the chunks: each chunk from its first '<' to its last, and the seam between two (the tag the first
    ends in, with the text up to the next tag)."""
    tail = b""
    for chunk in chunks:
        first = chunk.find(b"<")
        if first < 0:
            tail += chunk
            if len(tail) > CHUNK:                  # a text or a tag longer than a chunk: taken as it is
                yield tail, 0, len(tail)
                tail = b""
            continue
        seam = tail + chunk[:first]
        if seam:
            yield seam, 0, len(seam)
        last = chunk.rfind(b"<")
        if last > first:
            yield chunk, first, last
        tail = chunk[last:]
    if tail:
        yield tail, 0, len(tail)


def _screened(sheet: str, chunks: Iterator[bytes]) -> SheetScan:
    scan = SheetScan(sheet)
    first = True
    for buf, start, end in _regions(chunks):
        if first:
            if _DOCTYPE.search(buf, start, min(end, start + 65536)):
                raise LimitProblem(_say("doctype", name=Phrase("the_workbook"), part=sheet), sheet)
            for m in _RANGE_TAG.finditer(buf, start, min(end, start + 65536)):
                if m.group(1) == b"dimension":
                    _range_attrs(scan, m)
            first = False
        n = buf.count(b'<c r="', start, end)
        if n:
            scan.cells += n
            scan.usual = True
            if scan.cells > SHEET_CELLS:
                raise LimitProblem(_say("cells", limit=f"{SHEET_CELLS:,}"), sheet)
        for m in _CELL_SCREEN.finditer(buf, start, end):
            attrs, empty = _tag_attrs(buf, m.start() + 2, end)
            if empty:
                continue                             # an empty cell: calamine keeps nothing, moves nothing
            raw = attrs.get(b"r")
            if raw is None:                          # placed by counting: the precise reading follows them
                scan.exotic = True
                return scan
            pos = ref_position(raw)
            if pos is not None and pos[1] is not None:
                scan.cell(pos[0], pos[1], raw)
        if buf.find(b":c", start, end) >= 0 and _PREFIXED.search(buf, start, end):
            scan.exotic = True
            return scan
        if buf.find(b"mergeCell", start, end) >= 0:
            for m in _RANGE_TAG.finditer(buf, start, end):
                if m.group(1) == b"mergeCell":
                    _range_attrs(scan, m)
    return scan


def _tag_attrs(buf: bytes, pos: int, end: int) -> tuple[dict[bytes, bytes], bool]:
    """The attributes of the tag whose name ends at `pos` (the last of a name wins, as in calamine), and
    whether it is an empty element (`.../>`)."""
    attrs: dict[bytes, bytes] = {}
    for _ in range(64):
        a = _ATTRS.match(buf, pos, end)
        if a is None:
            break
        attrs[a.group(1)] = a.group(3)
        pos = a.end()
    while pos < end and buf[pos] in b" \t\r\n":
        pos += 1
    return attrs, buf.startswith(b"/>", pos)


def _range_attrs(scan: SheetScan, m: re.Match) -> None:
    attrs = m.group(2)
    pos = 0
    while True:
        a = _ATTRS.match(attrs, pos)
        if a is None:
            return
        if a.group(1) == b"ref":
            scan.range_ref(m.group(1), a.group(3))
            return
        pos = a.end()


# The precise reading, for XML no usual writer produces: every `c` and `row` tag (any namespace prefix),
# its attributes parsed as calamine parses them, positions kept as calamine keeps them (a cell without an
# `r` takes the next column of its row; a row without one the next row; an empty `<c .../>` moves nothing).
_TAG = re.compile(rb'<(/?)(?:[\w.\-]+:)?(c|row|mergeCell|dimension)(?=[\s/>])')


def _tokenised(sheet: str, chunks: Iterator[bytes]) -> SheetScan:
    scan = SheetScan(sheet, exact=True)
    row, col = 0, 0
    first = True
    for buf in _tags_whole(chunks):
        if first and _DOCTYPE.search(buf, 0, 65536):
            raise LimitProblem(_say("doctype", name=Phrase("the_workbook"), part=sheet), sheet)
        first = False
        for m in _TAG.finditer(buf):
            closing, tag = m.group(1), m.group(2)
            if closing:
                if tag == b"row":
                    row, col = row + 1, 0
                continue
            attrs, empty = _tag_attrs(buf, m.end(), len(buf))
            if tag == b"row":
                if b"r" in attrs:
                    p = ref_position(attrs[b"r"].strip())
                    if p is not None:
                        row = p[0]
                        if row >= EXCEL_ROWS:
                            raise LimitProblem(_say("outside_grid", 
                                ref=attrs[b"r"].decode("latin-1")[:20]), sheet, a1(row, 0))
            elif tag == b"c":
                if empty:
                    continue                               # an empty cell: calamine keeps nothing, moves nothing
                raw = attrs.get(b"r")
                p = ref_position(raw) if raw is not None else None
                if raw is not None and (p is None or p[1] is None):
                    continue                               # calamine refuses it: the sheet fails
                r, c = (p[0], p[1]) if p is not None else (row, col)
                scan.cell(r, c, raw if raw is not None else b"(no reference)")
                scan.cells += 1
                col = c + 1
                if scan.cells > SHEET_CELLS:
                    raise LimitProblem(_say("cells", limit=f"{SHEET_CELLS:,}"), sheet)
            elif b"ref" in attrs:
                scan.range_ref(tag, attrs[b"ref"])
    return scan


def _check_merged(scan: SheetScan) -> None:
    """The merged ranges, clipped to the cells' box, cover at most the box (they cannot overlap)."""
    if not scan.merged:
        return
    if scan.exact:
        (r0, r1), (c0, c1) = scan.rows, scan.cols
    else:
        rows, cols = scan.box()
        r0, r1, c0, c1 = 0, rows - 1, 0, cols - 1
    area = 0
    for a, b, c, d in scan.merged:
        h, w = min(c, r1) - max(a, r0) + 1, min(d, c1) - max(b, c0) + 1
        if h > 0 and w > 0:
            area += h * w
    if area > max(scan.box_cells, 1):
        raise LimitProblem(_say("merged_area", area=f"{area:,}"), scan.sheet)


# ---------------------------------------------------------------- shared strings

@dataclass
class SharedStrings:
    count: int = 0
    longest: int = 0              # bytes of the longest string's XML (at least its characters)
    lengths: array = field(default_factory=lambda: array("L"))   # bytes of each string's XML, in order


_SI = re.compile(rb"<(?:[\w.\-]+:)?si[\s>/]")
_SI_END = re.compile(rb"</(?:[\w.\-]+:)?si>")


def scan_shared_strings(name: str, chunks: Iterator[bytes]) -> SharedStrings:
    """Count the strings and measure each (`<si>` to `</si>`, markup included), streamed and linear."""
    out = SharedStrings()
    inside, length = False, 0
    for buf in _tags_whole(chunks):
        pos = 0
        while True:
            if not inside:
                m = _SI.search(buf, pos)
                if m is None:
                    break
                out.count += 1
                if out.count > SHARED_STRINGS:
                    raise LimitProblem(_say("strings", name=name,
                                                                  limit=f"{SHARED_STRINGS:,}"))
                if buf.endswith(b"/", 0, m.end()):
                    out.lengths.append(0)
                    pos = m.end()
                    continue
                inside, length, pos = True, 0, m.end()
            e = _SI_END.search(buf, pos)
            length += (e.start() if e is not None else len(buf)) - pos
            if length > STRING_BYTES:
                raise LimitProblem(_say("string_long", name=name, limit=f"{STRING_CHARS:,}"))
            if e is None:
                break
            out.lengths.append(length)
            out.longest = max(out.longest, length)
            inside, pos = False, e.end()
    return out


# One shared string's XML: Excel's 32,767 characters, 4 bytes each at most, and room for rich-text markup.
STRING_BYTES = 256 << 10
_STRING_CELL = re.compile(rb'<(?:[\w.\-]+:)?c\s(?:[^>"\']|"[^"]{0,64}"|\'[^\']{0,64}\'){0,512}?\bt\s*=\s*["\']s["\']'
                          rb'[^>]{0,512}>\s*<(?:[\w.\-]+:)?v>\s*(\d{1,10})')


def _shared_text(chunks: Iterator[bytes], strings: SharedStrings) -> int:
    """The bytes of shared-string text a sheet's cells materialise (each cell gets its own copy)."""
    total, lengths, n = 0, strings.lengths, len(strings.lengths)
    for buf in _tags_whole(chunks):
        for m in _STRING_CELL.finditer(buf):
            i = int(m.group(1))
            if i < n:
                total += lengths[i]
    return total


# ---------------------------------------------------------------- OpenDocument

_ODS_TAG = re.compile(rb'<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*)>')
_ODS_REPEAT = re.compile(rb'table:number-(rows|columns)-repeated\s*=\s*["\'](\d{1,12})["\']')


def scan_ods(name: str, chunks: Iterator[bytes]) -> None:
    """The cells an .ods sheet's repeated rows and columns make: a repeated cell with a value is made as
    many times as it says (calamine expands it), so their product is bounded like a sheet's cells."""
    rows_repeat = 1
    cells = 0
    tail = b""
    for chunk in chunks:
        buf = tail + chunk
        cut = buf.rfind(b"<")
        if cut <= 0 or len(buf) - cut > CHUNK:
            cut = len(buf)
        part, tail = buf[:cut], buf[cut:]
        for m in _ODS_TAG.finditer(part):
            closing, tag, attrs = m.group(1), m.group(2), m.group(3)
            if closing or tag == b"table":
                if tag == b"table":
                    cells = 0
                continue
            repeat = {k: int(v) for k, v in _ODS_REPEAT.findall(attrs)}
            if tag == b"table-row":
                rows_repeat = repeat.get(b"rows", 1)
                continue
            cols_repeat = repeat.get(b"columns", 1)
            empty = attrs.rstrip().endswith(b"/") and b"value" not in attrs
            if empty:
                continue
            cells += rows_repeat * cols_repeat
            if rows_repeat > EXCEL_ROWS or cols_repeat > EXCEL_COLUMNS or cells > SHEET_CELLS:
                raise LimitProblem(_say("ods_repeat", limit=f"{SHEET_CELLS:,}"))
