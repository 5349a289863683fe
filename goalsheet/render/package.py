"""Writing the .xlsx package: openpyxl's save for everything but cell data, then the rendered sheet
data streamed into each worksheet part.

openpyxl writes a worksheet with an empty `<sheetData/>` (the engine clears the cells before saving);
every other part - styles, drawings, charts, tables, comments, names - is openpyxl's own.  Here the saved
package is copied part by part and each rendered worksheet gets its `<sheetData>` and `<dimension>`.

The copy is deflated and written on a worker thread (`DeflatingZip`) while this thread makes the next
part's XML: zlib, the CRC and the file writes release the GIL, so on a second CPU the deflating overlaps
the XML making.
"""
from __future__ import annotations

import datetime
import queue
import re
import threading
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any, Callable

from openpyxl.workbook.workbook import Workbook
from openpyxl.writer.excel import ExcelWriter

from goalsheet.render.structure import splice_chart_caches

_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>.*?</sheetData>", re.S)
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')

# Characters of sheet XML handed to the worker at a time, and how many may wait: enough that this thread
# goes on to the next parts while the worker deflates a large one, few enough to bound the memory (~8 MB).
STREAM_CHUNK = 1 << 20
PENDING_CHUNKS = 8


@dataclass
class SheetData:
    write_rows: Callable[[Callable[[str], None]], None]    # calls emit(xml_text) for the <row> elements
    dimension: str                                         # e.g. "A1:Z20001"


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


def _sheet_ends(name: str, raw: bytes, data: SheetData) -> tuple[bytes, bytes]:
    """openpyxl's worksheet XML before its `<sheetData>` (with the rendered dimension) and after it."""
    m = _SHEET_DATA.search(raw)
    if m is None:
        raise RuntimeError(f"{name}: no <sheetData> in openpyxl's output")
    head = _DIMENSION.sub(f'<dimension ref="{data.dimension}"/>'.encode(), raw[:m.start()], count=1)
    return head, raw[m.end():]


def save_parts(wb: Workbook, out: BytesIO) -> None:
    """`wb.save(out)` - openpyxl's parts, the same bytes - into a zip that is only read back by `write_package`:
    stored, not deflated (the package writer would inflate every part again)."""
    if wb.read_only:
        raise TypeError("Workbook is read-only")
    if wb.write_only and not wb.worksheets:
        wb.create_sheet()
    archive = zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True)
    wb.properties.modified = datetime.datetime.now(tz=datetime.timezone.utc).replace(tzinfo=None)
    ExcelWriter(wb, archive).save()


def write_package(wb: Workbook, sheets: dict, out: Path | str | BytesIO, compresslevel: int = 1,
                  chart_caches: dict | None = None) -> None:
    """Save `wb` with openpyxl, then copy it into `out` with each rendered sheet's rows streamed in and,
    when given, the chart caches of `structure.fill_chart_caches` spliced into the chart parts.

    Deflate level 1: about a third of the time of zlib's default 6 for files some 25 % larger; a 20 000-row
    sheet is mostly numbers, which level 6 hardly packs tighter."""
    buf = BytesIO()
    save_parts(wb, buf)
    buf.seek(0)
    parts = {ws.path.lstrip("/"): data for ws, data in sheets.items()}
    with zipfile.ZipFile(buf) as src, DeflatingZip(out, compresslevel) as dst:
        for info in src.infolist():
            name = info.filename
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
