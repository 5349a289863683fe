"""The Assumptions sheet fitted on a written package afterwards: how goalsheet did it before the fit moved into the
write (`output.render_workbook(assumptions=...)`), kept as the reference that write is held to
(test_fit_in_write.py).  `copy_package` copies a zip with some parts swapped and the others still compressed."""
from __future__ import annotations

import copy
import struct
import zipfile
from pathlib import Path
from typing import Any

from goalsheet.output import fit_assumptions
from goalsheet.render.package import PackageParts


def refit_assumptions(src: Path, dst: Path, rows: list[dict[str, Any]]) -> bool:
    """`fit_assumptions` on the package `src`, written to `dst`; False (dst untouched) when nothing changed."""
    with zipfile.ZipFile(src) as z:
        parts = PackageParts(z, {})          # no rendered sheets: every part as written
        fit_assumptions(parts, rows)
        if not parts.changed:
            return False
        copy_package(z, Path(dst), {name: parts[name] for name in parts.changed})
    return True


def copy_package(src: zipfile.ZipFile, dst: Path, replaced: dict[str, bytes]) -> None:
    """Copy the zip `src` to `dst` with the parts in `replaced` swapped in (deflated anew) and every other part
    copied as its compressed bytes, in the same order: no inflating and deflating of 100 MB of sheet XML."""
    with open(dst, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in src.infolist():
            if info.filename in replaced:
                out.writestr(info.filename, replaced[info.filename], compress_type=zipfile.ZIP_DEFLATED)
                continue
            src.fp.seek(info.header_offset)
            head = src.fp.read(30)
            if head[:4] != b"PK\x03\x04":
                raise zipfile.BadZipFile(f"{info.filename}: bad local header")
            name_len, extra_len = struct.unpack("<HH", head[26:30])
            src.fp.seek(info.header_offset + 30 + name_len + extra_len)
            raw = src.fp.read(info.compress_size)
            # zipfile has no raw copy: the entry's header is written with ZipInfo.FileHeader and the entry put in
            # the writer's directory (filelist, NameToInfo, start_dir), which close() then writes out
            copied = copy.copy(info)
            copied.flag_bits &= ~0x08            # sizes and CRC go in the local header: no data descriptor
            copied.header_offset = fh.tell()
            fh.write(copied.FileHeader())
            fh.write(raw)
            out.filelist.append(copied)
            out.NameToInfo[copied.filename] = copied
            out.start_dir = fh.tell()
            out._didModify = True
