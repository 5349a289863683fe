"""One worksheet's XML, checked as it streams: each cell reference inside Excel's grid, the box between the
first and last cell, the number of cells, the merged ranges, the `<dimension>` (goalsheet.inputs.limits).

A large sheet is screened at C speed (cell tags as Excel and the usual libraries write them), any other
tag read attribute by attribute; a small sheet, or one the screen cannot read, is tokenised tag by tag."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from goalsheet.inputs import limits
from goalsheet.inputs.limits import LimitProblem, _say
from goalsheet.words import Phrase

_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY")


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
    rows: list[int] = field(default_factory=lambda: [limits.EXCEL_ROWS, -1])     # min, max (0-based) of the box
    cols: list[int] = field(default_factory=lambda: [limits.EXCEL_COLUMNS, -1])
    usual: bool = False           # cells only known to lie in A..Z and Excel's rows (not read one by one)
    cells: int = 0                # at least the cells calamine keeps
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    exotic: bool = False          # XML the screen does not read: the precise reading is needed
    box_cells: int = 0
    exact: bool = False

    def cell(self, row: int, col: int, raw: bytes) -> None:
        if row >= limits.EXCEL_ROWS or col >= limits.EXCEL_COLUMNS or row < 0 or col < 0:
            raise LimitProblem(_say("outside_grid", ref=raw.decode("latin-1")[:20]), self.sheet,
                               a1(max(row, 0), max(col, 0)))
        self.rows[0], self.rows[1] = min(self.rows[0], row), max(self.rows[1], row)
        self.cols[0], self.cols[1] = min(self.cols[0], col), max(self.cols[1], col)

    def box(self) -> tuple[int, int]:
        """(rows, columns) of the box calamine allocates, at most (the usual cells counted at their widest)."""
        rows, cols = list(self.rows), list(self.cols)
        if self.usual:
            rows = [0, limits.EXCEL_ROWS - 1]
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
            if row >= limits.EXCEL_ROWS or col >= limits.EXCEL_COLUMNS:
                raise LimitProblem(_say("outside_grid", ref=p.decode("latin-1")[:20]), self.sheet,
                                   a1(row, col))
        if tag == b"mergeCell":
            (r1, c1), (r2, c2) = corners[0], corners[-1]
            self.merged.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
            if len(self.merged) > limits.MERGED_RANGES:
                raise LimitProblem(_say("merged_count",
                                                                   limit=f"{limits.MERGED_RANGES:,}"), self.sheet)


def _tags_whole(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The chunks cut after their last '<', so that no tag is split between two (a tag longer than CHUNK
    is passed on cut: it is no tag Excel writes, and calamine refuses what it cannot read)."""
    tail = b""
    for chunk in chunks:
        buf = tail + chunk if tail else chunk
        cut = buf.rfind(b"<")
        if cut <= 0 or len(buf) - cut > limits.CHUNK:
            cut = len(buf)
        yield buf[:cut]
        tail = buf[cut:]
    if tail:
        yield tail



def scan_sheet(sheet: str, chunks, size: int = 0) -> SheetScan:
    """Check one worksheet's XML (`chunks()` streams it, again if the precise reading is needed)."""
    scan = None
    if size > limits.PRECISE_BYTES:
        scan = _screened(sheet, chunks())
    if scan is None or scan.exotic:
        scan = _tokenised(sheet, chunks())
    rows, cols = scan.box()
    if rows * cols > limits.SHEET_CELLS and not scan.exact:
        scan = _tokenised(sheet, chunks())          # the usual cells' rows were only bounded: read them
        rows, cols = scan.box()
    scan.box_cells = rows * cols
    if rows * cols > limits.SHEET_CELLS:
        raise LimitProblem(_say("box", rows=f"{rows:,}", cols=f"{cols:,}",
                                                  last=a1(scan.rows[1], scan.cols[1]),
                                                  limit=f"{limits.SHEET_CELLS:,}"),
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
            if len(tail) > limits.CHUNK:                  # a text or a tag longer than a chunk: taken as it is
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
            if scan.cells > limits.SHEET_CELLS:
                raise LimitProblem(_say("cells", limit=f"{limits.SHEET_CELLS:,}"), sheet)
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
                        if row >= limits.EXCEL_ROWS:
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
                if scan.cells > limits.SHEET_CELLS:
                    raise LimitProblem(_say("cells", limit=f"{limits.SHEET_CELLS:,}"), sheet)
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
