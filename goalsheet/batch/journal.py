"""The journal: the run's promise, made durable before anything visible moves, to finish a workbook's commit.

`<outbox>/.goalsheet-tmp/<inbox key>/journal.jsonl` holds JSON lines: a *commit* record (the input's name and
sha256, the finished files and their final names, where the input goes, the log line's fields), appended and
fsynced before the first rename into the outbox, and a *done* record once the input has left the inbox.  A run that
finds commit records without their done record finishes them (`goalsheet.batch.commit.recover`).  Records a
recovery could not finish are kept for a person in `<outbox>/.goalsheet-tmp/set-aside.jsonl`.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from goalsheet.batch.durable import append_line

JOURNAL_NAME = "journal.jsonl"
SET_ASIDE_NAME = "set-aside.jsonl"        # journal records recovery could not finish, kept for a person


class Journal:
    """Append-only JSON lines in the working folder: `commit` before anything visible moves,
    `done` once the input has left the inbox.  Read back only by recovery."""

    def __init__(self, path: Path):
        self.path = path

    def append(self, record: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(record, ensure_ascii=True)   # a name that is not UTF-8 round-trips as \\udcxx
        if self._ends_torn():
            line = "\n" + line        # never glue a record onto a line a killed run left half-written
        append_line(self.path, line, durable=True)

    def _ends_torn(self) -> bool:
        try:
            with open(self.path, "rb") as fh:
                fh.seek(-1, os.SEEK_END)
                return fh.read(1) != b"\n"
        except OSError:            # missing or empty
            return False

    def pending(self) -> list[dict]:
        """Commit records without a done record (a torn last line is a commit never made; a line that is
        not a record with a text id is skipped the same way)."""
        if not self.path.exists():
            return []
        commits: dict[str, dict] = {}
        done: set[str] = set()
        for raw in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                record = json.loads(raw)
            except json.JSONDecodeError:
                continue
            if not isinstance(record, dict):
                continue
            if isinstance(record.get("commit"), str):
                commits[record["commit"]] = record
            elif isinstance(record.get("done"), str):
                done.add(record["done"])
        return [r for key, r in commits.items() if key not in done]
