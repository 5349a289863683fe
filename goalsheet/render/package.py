"""Writing the .xlsx package: openpyxl's save for everything but cell data, then the rendered sheet
data streamed into each worksheet part.

openpyxl writes a worksheet with an empty `<sheetData/>` (the engine clears the cells before saving);
every other part - styles, drawings, charts, tables, comments, names - is openpyxl's own.  Here the saved
package is copied part by part and each rendered worksheet gets its `<sheetData>` and `<dimension>`.

The copy is deflated and written on a worker thread (`DeflatingZip`) while this thread makes the next
part's XML: zlib, the CRC and the file writes release the GIL, so on a second CPU the deflating (a third
of the write on the largest seller) overlaps the XML making.
"""
from __future__ import annotations

import datetime
import queue
import re
import sys
import threading
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any, Callable

from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from goalsheet.render.structure import splice_chart_caches

_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>.*?</sheetData>", re.S)
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')

# Characters of sheet XML handed to the worker at a time, and how many may wait: enough that this thread
# goes on to the next parts while the worker deflates a large one, few enough to bound the memory (~8 MB).
STREAM_CHUNK = 1 << 20
PENDING_CHUNKS = 8
# Each hand-over costs the worker a few takings of the GIL (queue, CRC, deflate, file write), and each taking
# waits up to the switch interval while this thread runs Python: Python's 5 ms made the worker spend as
# long waiting as deflating (max seller: 0.65 s for 0.38 s of work); while it runs, 0.5 ms.
SWITCH_INTERVAL = 0.0005


@dataclass
class SheetData:
    write_rows: Callable[[Callable[[str], None]], None]    # calls emit(xml_text) for the <row> elements
    dimension: str                                         # e.g. "A1:Z20001"


class _SwitchInterval:
    """The interpreter's switch interval, SWITCH_INTERVAL while any `DeflatingZip` runs and as it was once the
    last one has finished (writers in several threads share the one setting)."""
    _lock = threading.Lock()
    _users = 0
    _saved = 0.0

    @classmethod
    def lower(cls) -> None:
        with cls._lock:
            if cls._users == 0:
                cls._saved = sys.getswitchinterval()
                sys.setswitchinterval(min(cls._saved, SWITCH_INTERVAL))
            cls._users += 1

    @classmethod
    def restore(cls) -> None:
        with cls._lock:
            cls._users -= 1
            if cls._users == 0:
                sys.setswitchinterval(cls._saved)


class DeflatingZip:
    """A zip being written by a worker thread, in the order the parts are given: `writestr(name, data)`
    and `stream(name)` (a file to `write` bytes to, then `close`) queue the work and return at once.
    The parts, their order and their bytes are those of `zipfile.ZipFile.writestr` / `open(name, "w")`
    called in the same order; an error in the worker is raised in the caller at its next call or at close."""

    def __init__(self, out: Path | str | BytesIO, compresslevel: int):
        self._zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self._jobs: queue.Queue = queue.Queue(maxsize=PENDING_CHUNKS)
        self._error: BaseException | None = None
        self._part: Any = None
        _SwitchInterval.lower()
        self._worker = threading.Thread(target=self._work, name="goalsheet-deflate", daemon=True)
        self._worker.start()

    def _work(self) -> None:
        """Run the queued jobs in order; after a failure only drain the queue (the caller never blocks)."""
        while True:
            job = self._jobs.get()
            if job is None:
                return
            if self._error is None:
                try:
                    job[0](*job[1:])
                except BaseException as exc:  # noqa: BLE001 - handed to the caller
                    self._error = exc

    def _queue(self, *job: Any) -> None:
        if self._error is not None:
            raise self._error
        self._jobs.put(job)

    def writestr(self, name: str, data: bytes) -> None:
        self._queue(self._zip.writestr, name, data, zipfile.ZIP_DEFLATED)

    def stream(self, name: str) -> "_StreamedPart":
        self._queue(self._open, name)
        return _StreamedPart(self)

    def _open(self, name: str) -> None:
        self._part = self._zip.open(name, "w")

    def _write(self, data: bytes) -> None:
        self._part.write(data)

    def _close_part(self) -> None:
        self._part.close()
        self._part = None

    def close(self) -> None:
        """Wait for the worker, then finish the zip (its central directory); raise the worker's error."""
        self._jobs.put(None)
        self._worker.join()
        _SwitchInterval.restore()
        try:
            if self._part is not None:
                self._part.close()
        finally:
            self._zip.close()
        if self._error is not None:
            raise self._error

    def __enter__(self) -> "DeflatingZip":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class _StreamedPart:
    """One part of a `DeflatingZip` written in pieces: text gathered into STREAM_CHUNK-sized blocks."""

    def __init__(self, owner: DeflatingZip):
        self._owner, self._texts, self._size = owner, [], 0

    def write_text(self, text: str) -> None:
        self._texts.append(text)
        self._size += len(text)
        if self._size >= STREAM_CHUNK:
            self._flush()

    def write(self, data: bytes) -> None:
        self._flush()
        self._owner._queue(self._owner._write, data)

    def _flush(self) -> None:
        if self._texts:
            self._owner._queue(self._owner._write, "".join(self._texts).encode("utf-8"))
            self._texts, self._size = [], 0

    def close(self) -> None:
        self._flush()
        self._owner._queue(self._owner._close_part)


class PackageParts(dict):
    """The parts of the package being written, {name: bytes}, for a `write_package(fix_parts=...)` hook: read
    from openpyxl's saved package when first asked for, a rendered sheet as its complete XML (the same bytes the
    package gets); remembers which parts the hook replaced."""

    def __init__(self, src: zipfile.ZipFile, sheets: dict[str, SheetData]):
        super().__init__()
        self.zip, self.sheets, self.names, self.changed = src, sheets, set(src.namelist()), set()

    def __missing__(self, name: str) -> bytes:
        if name not in self.names:
            raise KeyError(name)
        raw = self.zip.read(name)
        data = self.sheets.get(name)
        if data is not None:
            texts: list[str] = []
            head, tail = _sheet_ends(name, raw, data)
            data.write_rows(texts.append)
            raw = head + b"<sheetData>" + "".join(texts).encode("utf-8") + b"</sheetData>" + tail
        dict.__setitem__(self, name, raw)
        return raw

    def __contains__(self, name: object) -> bool:
        return dict.__contains__(self, name) or name in self.names

    def __setitem__(self, name: str, data: bytes) -> None:
        self.changed.add(name)
        dict.__setitem__(self, name, data)


def _sheet_ends(name: str, raw: bytes, data: SheetData) -> tuple[bytes, bytes]:
    """openpyxl's worksheet XML before its `<sheetData>` (with the rendered dimension) and after it."""
    m = _SHEET_DATA.search(raw)
    if m is None:
        raise RuntimeError(f"{name}: no <sheetData> in openpyxl's output")
    head = _DIMENSION.sub(f'<dimension ref="{data.dimension}"/>'.encode(), raw[:m.start()], count=1)
    return head, raw[m.end():]


class _InMemoryWriter(ExcelWriter):
    """openpyxl's ExcelWriter with each worksheet's XML made in memory, not in a temporary file created, read back
    and removed per sheet; the same XML (openpyxl's WorksheetWriter writes either)."""

    def write_worksheet(self, ws) -> None:
        if self.workbook.write_only:
            super().write_worksheet(ws)
            return
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = WorksheetWriter(ws, out=BytesIO())
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.read())
        self.manifest.append(ws)


def save_parts(wb: Workbook, out: BytesIO) -> None:
    """`wb.save(out)` - openpyxl's parts, the same bytes - into a zip that is only read back by `write_package`:
    stored, not deflated (the package writer inflated every part again), worksheets made in memory."""
    if wb.read_only:
        raise TypeError("Workbook is read-only")
    if wb.write_only and not wb.worksheets:
        wb.create_sheet()
    archive = zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True)
    wb.properties.modified = datetime.datetime.now(tz=datetime.timezone.utc).replace(tzinfo=None)
    _InMemoryWriter(wb, archive).save()


def write_package(wb: Workbook, sheets: dict, out: Path | str | BytesIO, compresslevel: int = 1,
                  chart_caches: dict | None = None,
                  fix_parts: Callable[[PackageParts], None] | None = None) -> None:
    """Save `wb` with openpyxl, then copy it into `out` with each rendered sheet's rows streamed in and,
    when given, the chart caches of `structure.fill_chart_caches` spliced into the chart parts.

    `fix_parts(parts)` may rewrite parts of the finished package before any is written: `parts` (a
    `PackageParts`) gives each part's final bytes (a rendered sheet's complete XML, its rows made once), and
    the parts it sets are written as set (a chart part it sets gets no caches spliced in).

    Deflate level 1: about a third of the time of zlib's default 6 for files some 25 % larger (the max
    benchmark seller's 135 MB of sheet XML: 0.5 s instead of 1.4 s); a 20 000-row sheet is mostly
    numbers, which level 6 hardly packs tighter."""
    buf = BytesIO()
    save_parts(wb, buf)
    buf.seek(0)
    parts = {ws.path.lstrip("/"): data for ws, data in sheets.items()}
    with zipfile.ZipFile(buf) as src:
        made: dict[str, bytes] = {}
        if fix_parts is not None:
            fixed = PackageParts(src, parts)
            fix_parts(fixed)
            made = {name: raw for name, raw in fixed.items() if name in fixed.changed or name in parts}
        with DeflatingZip(out, compresslevel) as dst:
            for info in src.infolist():
                name = info.filename
                raw = made.get(name)
                if raw is not None:             # set by the hook, or a rendered sheet it read whole
                    dst.writestr(name, raw)
                    continue
                raw = src.read(name)
                data = parts.get(name)
                if data is None:
                    if chart_caches and name.startswith("xl/charts/"):
                        raw = splice_chart_caches(raw.decode("utf-8"), chart_caches).encode("utf-8")
                    dst.writestr(name, raw)
                    continue
                head, tail = _sheet_ends(name, raw, data)
                part = dst.stream(name)
                part.write(head + b"<sheetData>")
                data.write_rows(part.write_text)
                part.write(b"</sheetData>" + tail)
                part.close()
