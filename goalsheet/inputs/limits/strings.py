"""The shared strings: how many, how long, and the text they put into a sheet's cells
(goalsheet.inputs.limits)."""
from __future__ import annotations

import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field

from goalsheet.inputs import limits
from goalsheet.inputs.limits import LimitProblem, _say
from goalsheet.inputs.limits.sheet_scan import _tags_whole


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
                if out.count > limits.SHARED_STRINGS:
                    raise LimitProblem(_say("strings", name=name,
                                                                  limit=f"{limits.SHARED_STRINGS:,}"))
                if buf.endswith(b"/", 0, m.end()):
                    out.lengths.append(0)
                    pos = m.end()
                    continue
                inside, length, pos = True, 0, m.end()
            e = _SI_END.search(buf, pos)
            length += (e.start() if e is not None else len(buf)) - pos
            if length > limits.STRING_BYTES:
                raise LimitProblem(_say("string_long", name=name, limit=f"{limits.STRING_CHARS:,}"))
            if e is None:
                break
            out.lengths.append(length)
            out.longest = max(out.longest, length)
            inside, pos = False, e.end()
    return out


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
