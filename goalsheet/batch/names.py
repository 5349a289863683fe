"""The names a run gives and shows: outputs, archived inputs, and file names in the log and on the console.

A seller's file name may be anything a file system takes: too long to grow a `-plan-2026-03.xlsx` suffix, not
UTF-8, or carrying a tab, a newline or a direction override that would forge or garble a log line.  Outputs are
named `<stem>-plan-<YYYY-MM>.xlsx` (SPEC.md section 7) after a stem that is always safe, and a name is shown
escaped, so one workbook is always one log line.
"""
from __future__ import annotations

import hashlib
import os
import unicodedata
from datetime import datetime

# The longest a file name may be on common file systems (ext4, NTFS, APFS: 255 bytes or UTF-16 units;
# a name's UTF-8 length is never below its UTF-16 length, so bytes are the stricter measure).
NAME_MAX_BYTES = 255
_LONGEST_OUTPUT_SUFFIX = len("-plan-0000-00.xlsx")     # longer than -errors.xlsx and -errors.txt
STEM_MAX_BYTES = NAME_MAX_BYTES - _LONGEST_OUTPUT_SUFFIX

_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def unsafe_char(ch: str) -> bool:
    """Characters a file name shown in a log line or used for an output must not carry as they are:
    control characters (a tab or newline would forge log lines), lone surrogates (a name that is not
    UTF-8), line separators and the bidirectional overrides that make a name read differently."""
    return unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") or ch in _BIDI_CONTROLS


def split_name(name: str) -> tuple[str, str]:
    """`shop.xlsx` -> (`shop`, `.xlsx`); no suffix -> (name, "")."""
    dot = name.rfind(".")
    return (name[:dot], name[dot:]) if dot > 0 else (name, "")


def output_stem(name: str) -> str:
    """The stem an input's outputs are named after: its own stem when that is safe, else the stem
    with unsafe characters replaced by `_`, cut to fit the longest output name into NAME_MAX_BYTES,
    and a short hash of the original name (so two such names do not meet)."""
    stem, _ = split_name(name)
    clean = "".join("_" if unsafe_char(ch) else ch for ch in stem)
    if clean == stem and len(stem.encode("utf-8")) <= STEM_MAX_BYTES:
        return stem
    tag = hashlib.sha256(os.fsencode(name)).hexdigest()[:8]
    head = clean.encode("utf-8")[:STEM_MAX_BYTES - len(tag) - 1].decode("utf-8", "ignore")
    return f"{head}-{tag}"


def shown(name: str) -> str:
    """A file name as the log and the console show it: bytes that are not UTF-8 as `\\xff`, control
    and direction characters as `\\t`, `\\n`, `\\x1b`, `\\u202e`; any other name as it is."""
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    return one_line(text)


def one_line(text: str) -> str:
    """A detail for the log's one line: control and direction characters escaped, as in `shown`."""
    return "".join(ch.encode("unicode_escape").decode("ascii") if unsafe_char(ch) else ch for ch in text)


def output_name(stem: str, month: str) -> str:
    """`shop` planned as of 2026-03 -> `shop-plan-2026-03.xlsx`."""
    return f"{stem}-plan-{month}.xlsx"


def error_names(stem: str) -> tuple[str, str]:
    """The error report of a failed workbook: the problems as text, and the annotated copy (or a list)."""
    return f"{stem}-errors.txt", f"{stem}-errors.xlsx"


def numbered(name: str, n: int) -> str:
    """`shop.xlsx`, `shop-2.xlsx`, ... (the archive never overwrites); the stem cut short where the number
    would make the name longer than a file system takes."""
    if n == 1:
        return name
    stem, suffix = split_name(name)
    while stem and len(os.fsencode(f"{stem}-{n}{suffix}")) > NAME_MAX_BYTES:
        stem = stem[:-1]
    return f"{stem}-{n}{suffix}"


def as_of_month(headline, run_time: datetime) -> str:
    """The month an output is named after: the plan's as-of month (`Headline.as_of`), else the month of the run."""
    value = getattr(headline, "as_of", None)
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return run_time.strftime("%Y-%m")
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m")
    text = str(value).strip().replace("/", "-")
    year, _, month = text.partition("-")
    return f"{int(year):04d}-{int(month[:2]):02d}"
