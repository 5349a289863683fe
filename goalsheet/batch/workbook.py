"""Planning one workbook of the inbox into its own job folder (runs in a worker process).

The input is first copied, hashed and fsynced into the job folder, and planned from that snapshot: the seller's
file is never read twice nor changed, and the sha256 recorded is of exactly the bytes planned.  The plan -- or the
error report `<stem>-errors.txt` and `<stem>-errors.xlsx` -- is written and fsynced there, never into the outbox:
`goalsheet.batch.commit` moves it into sight.  What happened comes back as an `Outcome`.

Words: the reasons an outcome gives (the log's detail, the console) are in the run's language (`--lang`); the
error report is in the workbook's own language where its sheets could be read, else in the run's.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from goalsheet.batch.durable import NotRegularFile, WriteFailed, copy_hashing, fsync_file, write_failure
from goalsheet.batch.error_report import file_line, write_error_report
from goalsheet.batch.inbox import Fingerprint
from goalsheet.batch.names import as_of_month, output_name, output_stem, split_name
from goalsheet.batch.pause import pause_point
from goalsheet.words import console


@dataclass
class Job:
    input: Path
    fingerprint: Fingerprint
    work_dir: Path          # this job's own folder inside the working folder
    run_time: datetime
    stem: str = ""          # what outputs are named after (output_stem of the input's name)
    lang: str = "en"        # the run's language (--lang): the reasons an outcome gives

    def __post_init__(self):
        if not self.stem:
            self.stem = output_stem(self.input.name)

    @property
    def snapshot_name(self) -> str:
        """The copy the planner reads: the safe stem and the input's own suffix (the reader needs it)."""
        return self.stem + split_name(self.input.name)[1]


@dataclass
class Outcome:
    input: Path
    status: str               # "ok", "failed", "skipped" (changed, busy), "retry" (the outbox could not be
                              # written), "stopped" (a worker's MemoryError: the parent reports it)
    sha256: str = ""
    files: list[tuple[str, str]] = field(default_factory=list)   # (path in work_dir, final name)
    lines: list[str] = field(default_factory=list)               # problems, `Sheet!Cell: message`, as the
                                                                 # error report says them
    detail: str = ""          # the log's detail: the output's name, the number of errors, or why
    seconds: float = 0.0
    work_dir: Path | None = None
    shown_lines: list[str] = field(default_factory=list)         # the problems in the run's language (console)


def plan_one(job: Job) -> Outcome:
    """Snapshot, plan and write one workbook's outputs into its work folder (never the outbox)."""
    start = time.monotonic()
    outcome = Outcome(input=job.input, status="skipped", work_dir=job.work_dir)
    try:
        (job.work_dir / "input").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return retry(outcome, exc, job.lang)
    snapshot = job.work_dir / "input" / job.snapshot_name
    try:
        outcome.sha256 = copy_hashing(job.input, snapshot)
        if Fingerprint.of(os.lstat(job.input)) != job.fingerprint:
            outcome.detail = console("run_changed_while_read", job.lang)
            return outcome
    except WriteFailed as exc:
        return retry(outcome, exc.error, job.lang)
    except FileNotFoundError:
        outcome.detail = console("run_gone", job.lang)
        return outcome
    except NotRegularFile:
        outcome.detail = console("run_link_skipped", job.lang)
        return outcome
    except OSError as exc:     # e.g. still open for writing on Windows
        outcome.detail = console("run_cannot_read_yet", job.lang, why=exc.strerror or exc)
        return outcome
    pause_point("after-snapshot")

    try:
        from goalsheet.pipeline import PlanRequest, run_plan
        result = run_plan(PlanRequest(input=snapshot, output=job.work_dir / "plan.xlsx", force=True))
        ok, problems, usage_error = result.ok, list(result.problems), result.usage_error
        headline = getattr(result.plan, "headline", None)
        lang = getattr(result, "input_lang", None) or job.lang
    except MemoryError:
        raise                 # the worker reports the memory budget (see goalsheet.batch.worker)
    except Exception as exc:  # a workbook must never stop the batch
        failure = write_failure(exc)
        if failure is not None:
            return retry(outcome, failure, job.lang)
        ok, problems, headline, lang = False, [], None, job.lang
        usage_error = console("run_could_not_plan", lang, error=f"{type(exc).__name__}: {exc}")
    try:
        _write_outcome(job, outcome, snapshot, ok, problems, usage_error, headline, lang)
    except OSError as exc:
        failure = write_failure(exc)
        if failure is None:
            raise
        return retry(outcome, failure, job.lang)
    pause_point("after-plan")
    outcome.seconds = time.monotonic() - start
    return outcome


def _write_outcome(job: Job, outcome: Outcome, snapshot: Path, ok: bool, problems: list,
                   usage_error: str | None, headline, lang: str) -> None:
    """The plan fsynced, or the error report written (in `lang`, the workbook's language where known): outcome
    filled in for the commit."""
    if ok:
        final = output_name(job.stem, as_of_month(headline, job.run_time))
        plan_path = job.work_dir / "plan.xlsx"
        fsync_file(plan_path)
        outcome.lines = [p.line(lang) for p in problems]
        outcome.status, outcome.files, outcome.detail = "ok", [(str(plan_path), final)], final
        return

    def said(in_lang: str) -> list[str]:
        lines = [p.line(in_lang) for p in problems]
        if usage_error:
            lines.append(file_line(usage_error, in_lang))
        if not lines:
            lines = [file_line(console("run_no_details", in_lang), in_lang)]
        return lines

    outcome.lines, outcome.shown_lines = said(lang), said(job.lang)
    errors = [p for p in problems if p.severity != "warning"] + outcome.lines[len(problems):]
    outcome.files = write_error_report(job.work_dir, job.stem, outcome.lines, lang, job.input.name,
                                       snapshot=snapshot, problems=problems)
    outcome.status = "failed"
    outcome.detail = console("run_errors", job.lang, count=len(errors))


def retry(outcome: Outcome, error: OSError, lang: str) -> Outcome:
    """The outbox could not take this workbook's outputs: it stays in the inbox for the next run."""
    why = str(error.strerror or error)
    outcome.status = "retry"
    outcome.detail = console("run_write_failed", lang, why=why)
    outcome.lines = [why]
    outcome.files = []
    return outcome

