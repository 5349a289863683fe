"""The workbook file and its zip package: a regular file of at most FILE_BYTES, the zip directory, every
member inflated once, in chunks, under its budget, and each worksheet, the shared strings and an .ods
`content.xml` handed to their scans (goalsheet.inputs.limits)."""
from __future__ import annotations

import io
import os
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from goalsheet.inputs import limits
from goalsheet.inputs.limits import LimitProblem, _mb, _say
from goalsheet.inputs.limits.ods import scan_ods
from goalsheet.inputs.limits.sheet_scan import _DOCTYPE, scan_sheet
from goalsheet.inputs.limits.strings import SharedStrings, _shared_text, scan_shared_strings
from goalsheet.words import Phrase, Term


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
        if st.st_size > limits.FILE_BYTES:
            raise LimitProblem(_say("file_too_large", name=name, size=_mb(st.st_size),
                                                                 limit=_mb(limits.FILE_BYTES)))
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limits.FILE_BYTES + 1)
        if len(data) > limits.FILE_BYTES:          # grew while read
            raise LimitProblem(_say("file_too_large", name=name, size=_mb(len(data)),
                                                                 limit=_mb(limits.FILE_BYTES)))
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
            if len(infos) > limits.ZIP_MEMBERS:
                raise LimitProblem(_say("members", name=name, count=f"{len(infos):,}",
                                                              limit=f"{limits.ZIP_MEMBERS:,}"))
            declared = 0
            for info in infos:
                if info.file_size > limits.PART_BYTES:
                    raise LimitProblem(_say("part_too_large", name=name, part=info.filename,
                                                                         limit=_mb(limits.PART_BYTES)))
                declared += info.file_size
            if declared > limits.TOTAL_BYTES:
                raise LimitProblem(_say("total_too_large", name=name, limit=_mb(limits.TOTAL_BYTES)))
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
        if strings is not None and strings.count and scan.cells * strings.longest > limits.SHARED_TEXT_BYTES and \
                _shared_text(chunks(), strings) > limits.SHARED_TEXT_BYTES:
            raise LimitProblem(_say("shared_text", limit=_mb(limits.SHARED_TEXT_BYTES)), scan.sheet)
        self.boxes[scan.sheet] = scan.box_cells

    def _book(self) -> None:
        if sum(self.boxes.values()) > limits.BOOK_CELLS:
            raise LimitProblem(_say("book_box", limit=f"{limits.BOOK_CELLS:,}"))


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
        if self.total > limits.TOTAL_BYTES:
            raise LimitProblem(_say("total_too_large", name=self.name, limit=_mb(limits.TOTAL_BYTES)))


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
    limit = min(info.file_size, limits.PART_BYTES)
    if info.flag_bits & 0x1:
        raise LimitProblem(_say("compression", name=name, part=Phrase("zip_encrypted", {"part": info.filename})))
    if info.compress_type == zipfile.ZIP_STORED:
        if len(raw) > limit:
            raise LimitProblem(_say("directory_lies", name=name, part=info.filename))
        budget.take(len(raw))
        for i in range(0, len(raw), limits.CHUNK):
            yield bytes(raw[i:i + limits.CHUNK])
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
                out = inflater.decompress(pending, limits.CHUNK)
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



def _first_chunk_checks(name: str, part: str, chunks: Iterator[bytes]) -> None:
    """Any other member: inflated to the end (its budget), and no DTD (entity expansion) at its start."""
    first = True
    for chunk in chunks:
        if first and _DOCTYPE.search(chunk, 0, 65536):
            raise LimitProblem(_say("doctype", name=name, part=part))
        first = False
