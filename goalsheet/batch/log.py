"""The run log `<outbox>/goalsheet-run.log`: one tab-separated line per workbook a run finished with.

    time  file  sha256  status  seconds  detail  job

Every field but the detail is fixed whatever the language, so the log can be read by a program and grepped in any
language: an ISO time, the file name (escaped, `goalsheet.batch.names.shown`), the input's sha256, a status token
(`ok`, `failed`, `retry`: the outbox could not be written and the input stays, `set-aside`: a record recovery
could not finish), the seconds as `1.25s` and the job id.  The detail -- the output's name, the number of errors,
or why planning stopped -- is said in the run's language (`--lang`).  Each line is one durable append, so a line
is whole or absent; the job id lets a recovering run see whether a killed run got as far as its line.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from goalsheet.batch.durable import append_line
from goalsheet.batch.names import one_line, shown

LOG_NAME = "goalsheet-run.log"
STATUSES = ("ok", "failed", "retry", "set-aside")     # the status tokens, the same in every language


class RunLog:
    def __init__(self, outbox: Path):
        self.path = outbox / LOG_NAME

    def write(self, name: str, sha256: str, status: str, seconds: float, detail: str, job_id: str) -> None:
        """`time  file  sha256  status  seconds  detail  job`, tab-separated, one line per workbook."""
        stamp = datetime.now().astimezone().isoformat(timespec="seconds")
        line = f"{stamp}\t{shown(name)}\t{sha256}\t{status}\t{seconds:.2f}s\t{one_line(detail)}\t{job_id}"
        append_line(self.path, line, durable=True)

    def has(self, job_id: str) -> bool:
        """Whether a killed run got as far as the log line for this job (recovery only)."""
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return False
        return any(line.endswith("\t" + job_id) for line in text.splitlines())
