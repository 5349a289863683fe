"""`goalsheet run`: the run that chains the batch's steps, once or (`--watch`) until stopped.

    check the folders -> take the inbox lock -> recover what a killed run committed ->
    take the settled workbooks -> plan each in a worker -> commit each outcome -> summary

`run_batch` is the library call the CLI makes; its exit code says whether anything failed (1) or the folders or the
outbox could not be used (2).  One pass (`Batch.run_pass`) plans its workbooks in at most `jobs` workers at a time
and commits their outcomes here, one at a time, as they come.  A worker that dies or outlives its budget fails its
workbook alone: the run writes that workbook's error report itself, since its input must not be opened again.
"""
from __future__ import annotations

import signal
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import click

from goalsheet.batch import worker
from goalsheet.batch.commit import commit, journal_of, recover, tidy
from goalsheet.batch.console import RunConsole
from goalsheet.batch.durable import sha256_of, write_failure
from goalsheet.batch.error_report import file_line, write_error_report
from goalsheet.batch.folders import Folders
from goalsheet.batch.inbox import settled_workbooks
from goalsheet.batch.lock import InboxLock
from goalsheet.batch.workbook import Job, Outcome, retry
from goalsheet.batch.worker import Budget
from goalsheet.words import console


@dataclass
class Batch:
    """One `goalsheet run`: its folders, its budgets and what it tells the person who started it."""
    folders: Folders
    said: RunConsole
    budget: Budget = field(default_factory=Budget)

    def run_pass(self, jobs: int, settle: float) -> int:
        """One look at the inbox; returns how many workbooks were taken."""
        lang = self.said.lang
        ready, skipped = settled_workbooks(self.folders.inbox, settle, lang=lang)
        for path, why in skipped:
            self.said.skip(path.name, why)
        run_time = datetime.now()
        taken, stems = [], set()
        for item in ready:
            job = Job(item.path, item.fingerprint, self.folders.work_root / f"job-{uuid.uuid4().hex[:12]}",
                      run_time, lang=lang)
            stem = job.stem.casefold()
            if stem in stems:     # same output name as a workbook earlier in this pass
                self.said.skip(item.path.name, console("run_same_stem", lang))
                continue
            stems.add(stem)
            taken.append(job)
        if not taken:
            return 0
        self.folders.work_root.mkdir(parents=True, exist_ok=True)
        with self.said.progress(len(taken)) as bar:
            self._plan_in_workers(taken, jobs, bar)
        return len(taken)

    def _plan_in_workers(self, batch_jobs: list[Job], jobs: int, bar) -> None:
        """Each workbook in a worker process of its own, at most `jobs` at a time; outcomes committed
        here, one at a time, as they come.  A worker that dies, or outlives the time budget, fails its
        workbook alone (`_stopped`); every worker still running when this ends (Ctrl-C, an outbox that
        cannot be written) is killed."""
        import multiprocessing.connection

        mp_context = worker.context()
        waiting = deque(batch_jobs)
        running: list[worker.Running] = []
        try:
            while waiting or running:
                while waiting and len(running) < jobs:
                    running.append(worker.start(mp_context, waiting.popleft(), self.budget))
                timeout = max(0.0, min(r.deadline for r in running) - time.monotonic())
                multiprocessing.connection.wait([r.conn for r in running] + [r.process.sentinel for r in running],
                                                timeout)
                for r in list(running):
                    outcome, stopped = worker.answer(r, self.budget, self.said.lang)
                    if outcome is None and stopped is None:
                        continue                  # still at work
                    running.remove(r)
                    commit(self.folders, self.said, r.job, outcome or self._stopped(r, stopped))
                    bar.update(1)
        finally:
            for r in running:
                worker.end(r)

    def _stopped(self, r: worker.Running, reason: str) -> Outcome:
        """A workbook whose worker stopped without a plan: a failure report made here (errors.txt and a
        workbook listing the reason; the input is not read again), so it goes to failed/ like any other.
        The workbook's language is not known: the report is in the run's."""
        job, lang = r.job, self.said.lang
        lines = [file_line(reason, lang)]
        outcome = Outcome(job.input, "failed", lines=lines, detail=reason, work_dir=job.work_dir,
                          seconds=time.monotonic() - r.started)
        try:
            outcome.sha256 = sha256_of(job.input)
        except FileNotFoundError:
            return Outcome(job.input, "skipped", detail=console("run_gone", lang), work_dir=job.work_dir)
        except OSError as exc:
            return Outcome(job.input, "skipped", detail=console("run_cannot_read", lang, why=exc.strerror or exc),
                           work_dir=job.work_dir)
        try:
            job.work_dir.mkdir(parents=True, exist_ok=True)
            outcome.files = write_error_report(job.work_dir, job.stem, lines, lang, job.input.name,
                                               note=console("run_stopped_note", lang))
        except OSError as exc:
            return retry(outcome, write_failure(exc) or exc, lang)
        return outcome


def _watch(batch: Batch, jobs: int, interval: float, settle: float) -> int:
    """Poll until Ctrl-C or SIGTERM (a service manager stopping us): both end the loop between
    workbooks where possible; a stop that lands mid-commit is finished by the next run."""
    said = batch.said
    stopping = []

    def on_term(signum, frame):
        stopping.append(signum)

    previous = None
    try:
        previous = signal.signal(signal.SIGTERM, on_term)
    except ValueError:        # not the main thread (a test calling us): no handler
        pass
    said.echo(console("run_watching", said.lang, inbox=batch.folders.inbox, interval=interval))
    taken = 0
    try:
        while not stopping:
            taken += batch.run_pass(jobs, settle)
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(0.2, interval))
    except KeyboardInterrupt:
        pass
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    said.echo(console("run_stopped", said.lang))
    return taken


def run_batch(inbox: Path, outbox: Path, archive: Path | None = None, jobs: int = 1, watch: bool = False,
              interval: float = 60.0, settle: float = 2.0, *, echo=click.echo,
              budget: Budget | None = None, lang: str = "en") -> int:
    """Plan every settled workbook in `inbox` into `outbox`, saying what it does in `lang`; returns the exit code.

    0: nothing failed (an idle run, or another run already holding the inbox, included);
    1: at least one workbook failed (its report is in the outbox, the input in
    `<inbox>/failed/`); 2: the folders are unusable (missing inbox, overlapping folders, a file in
    the way of failed/ or processed/, a lock that cannot be taken) or a write to the outbox/archive
    failed (the inputs concerned stay in the inbox for the next run).
    """
    said = RunConsole(echo=echo, lang=lang)
    folders = Folders.of(inbox, outbox, archive)
    if not folders.inbox.is_dir():
        said.error(console("run_inbox_not_folder", lang, inbox=folders.inbox))
        return 2
    problem = folders.problem(lang)
    if problem:
        said.error(problem)
        return 2
    try:
        folders.outbox.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        said.error(console("run_outbox_unmade", lang, outbox=folders.outbox, why=exc.strerror or exc))
        return 2
    batch = Batch(folders=folders, said=said, budget=budget or Budget())

    lock = InboxLock(folders.inbox)
    try:
        if not lock.take():
            echo(console("run_busy", lang, inbox=folders.inbox))
            return 0
    except OSError as exc:       # a lock file of another user (a run as root), a folder in its place
        said.error(console("run_lock_unusable", lang, path=lock.path, why=exc.strerror or exc))
        return 2
    try:
        recover(folders, said)
        if not watch:
            taken = batch.run_pass(jobs, settle)
        else:
            taken = _watch(batch, jobs, interval, settle)
        if not journal_of(folders).pending():
            tidy(folders)
    except OSError as exc:
        # The outbox or archive cannot be written (full disk, permissions, a plan of the same
        # name held open by Excel on Windows).  What was committed is finished by the next run.
        said.error(console("run_next_run_finishes", lang, why=exc))
        said.summary_after_error()
        return 2
    finally:
        lock.release()

    said.summary(taken)
    if said.unwritten:
        said.error(console("run_write_failed_summary", lang, why=said.write_error, n=said.unwritten))
        return 2
    return 1 if said.failed else 0
