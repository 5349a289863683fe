"""Committing a planned workbook into sight, one at a time, and finishing what a killed run committed.

Commit, in the run's own process: append a *commit* record to the journal (fsynced), rename the finished files into
the outbox (`os.replace`, atomic on one file system), move the input to the archive or to `<inbox>/failed/` without
overwriting anything there, write the log line, append *done*.

Crash safety (SIGKILL at any point).  Before the commit record nothing outside the working folder has changed: the
next run clears that folder and plans the input again.  After the commit record the work is *rolled forward* by
the next run (`recover`): files still in the working folder are renamed into place, the input (if it is still in
the inbox with the same sha256) is moved on -- it is never planned a second time, so a run that died between the
rename and the archive move cannot leave two different plans (say, of two different run months) for one input.
A reader of the outbox only ever sees complete files under their final names.
"""
from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from pathlib import Path

from goalsheet.batch.console import RunConsole
from goalsheet.batch.durable import (WRITE_ERRNOS, NotRegularFile, append_line, fsync_dir, move_without_overwrite,
                                     sha256_of)
from goalsheet.batch.folders import Folders
from goalsheet.batch.inbox import Fingerprint
from goalsheet.batch.journal import JOURNAL_NAME, SET_ASIDE_NAME, Journal
from goalsheet.batch.log import RunLog
from goalsheet.batch.pause import pause_point
from goalsheet.batch.workbook import Job, Outcome
from goalsheet.words import console


def journal_of(folders: Folders) -> Journal:
    return Journal(folders.work_root / JOURNAL_NAME)


def commit(folders: Folders, said: RunConsole, job: Job, outcome: Outcome) -> None:
    """Bring one workbook's outcome into sight (or leave its input for later: skipped, or the outbox failed)."""
    name = job.input.name
    if outcome.status == "skipped":
        said.skip(name, outcome.detail)
        shutil.rmtree(job.work_dir, ignore_errors=True)
        return
    if outcome.status == "retry":
        _unwritten(folders, said, job, outcome)
        return
    try:
        unchanged = Fingerprint.of(os.lstat(job.input)) == job.fingerprint
    except FileNotFoundError:
        unchanged = False
    if not unchanged:
        said.skip(name, console("run_changed_while_planned", said.lang))
        shutil.rmtree(job.work_dir, ignore_errors=True)
        return
    ok = outcome.status == "ok"
    dest = folders.archive if ok else folders.failed_dir
    result = "ok" if ok else "failed"
    record = {"commit": job.work_dir.name, "input": name, "sha256": outcome.sha256, "result": result,
              "files": outcome.files, "dest": str(dest), "detail": outcome.detail,
              "seconds": round(outcome.seconds, 3)}
    journal = journal_of(folders)
    journal.append(record)
    pause_point("after-commit-record")
    for tmp, final in outcome.files:
        os.replace(tmp, folders.outbox / final)
        fsync_dir(folders.outbox)
        pause_point("after-output-rename")
    moved_to = move_without_overwrite(job.input, dest)
    pause_point("after-archive")
    RunLog(folders.outbox).write(name, outcome.sha256, result, outcome.seconds, outcome.detail, job.work_dir.name)
    journal.append({"done": job.work_dir.name})
    shutil.rmtree(job.work_dir, ignore_errors=True)
    if ok:
        said.planned(name, outcome.detail, outcome.seconds)
    else:
        said.failed_workbook(name, outcome.detail, [final for _, final in outcome.files], moved_to, folders.inbox,
                             outcome.shown_lines or outcome.lines)


def _unwritten(folders: Folders, said: RunConsole, job: Job, outcome: Outcome) -> None:
    """The outbox could not take this workbook's outputs: the input stays in the inbox for the next
    run; the reason goes to the console and, if the log can still be written, to the log."""
    said.unwritten_workbook(job.input.name, outcome.detail, outcome.lines[0] if outcome.lines else outcome.detail)
    try:
        RunLog(folders.outbox).write(job.input.name, outcome.sha256, "retry", outcome.seconds, outcome.detail,
                                     job.work_dir.name)
    except OSError:
        pass
    shutil.rmtree(job.work_dir, ignore_errors=True)


def recover(folders: Folders, said: RunConsole) -> None:
    """Roll forward what a killed run committed, then clear the working folder.  A record that
    cannot be rolled forward (written by another version, naming what this file system cannot take)
    is set aside with one line instead of stopping every later run; a fault of the outbox itself
    (full, read-only) stops this run, and the next one tries again."""
    for record in journal_of(folders).pending():
        try:
            _roll_forward(folders, said, record)
        except OSError as exc:
            if exc.errno in WRITE_ERRNOS:
                raise
            _set_aside(folders, said, record, exc)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            _set_aside(folders, said, record, exc)
    tidy(folders)


def _roll_forward(folders: Folders, said: RunConsole, record: dict) -> None:
    for tmp, final in record["files"]:
        if Path(tmp).exists():
            os.replace(tmp, folders.outbox / final)
    fsync_dir(folders.outbox)
    source = folders.inbox / record["input"]
    if os.path.lexists(source) and _same_bytes(source, record["sha256"]):
        move_without_overwrite(source, Path(record["dest"]))
    detail = console("run_finished_late", said.lang, detail=record["detail"])
    log = RunLog(folders.outbox)
    if not log.has(record["commit"]):
        log.write(record["input"], record["sha256"], record["result"], record["seconds"], detail, record["commit"])
    journal_of(folders).append({"done": record["commit"]})
    said.recovered_workbook(record["input"], record["result"], str(record["detail"]))


def _same_bytes(path: Path, sha256: str) -> bool:
    """Whether `path` is still the committed input (a link or FIFO put in its place is not)."""
    try:
        return sha256_of(path) == sha256
    except NotRegularFile:
        return False


def _set_aside(folders: Folders, said: RunConsole, record: dict, exc: Exception) -> None:
    """Keep the record for a person (`<outbox>/.goalsheet-tmp/set-aside.jsonl`, outside the working
    folder that is cleared), mark it done, say so in one line and in the log."""
    why = (exc.strerror if isinstance(exc, OSError) and exc.strerror else f"{type(exc).__name__}: {exc}")
    keep = folders.work_root.parent / SET_ASIDE_NAME
    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    append_line(keep, json.dumps({"set_aside": stamp, "why": why, "record": record}, ensure_ascii=True),
                durable=True)
    name = record.get("input") if isinstance(record.get("input"), str) else "?"
    journal_of(folders).append({"done": record["commit"]})
    RunLog(folders.outbox).write(name, str(record.get("sha256", "")), "set-aside", 0.0, why, record["commit"])
    said.set_aside(name, why, keep)


def tidy(folders: Folders) -> None:
    """Clear this inbox's working folder: uncommitted leftovers, finished journal."""
    if folders.work_root.exists():
        shutil.rmtree(folders.work_root, ignore_errors=True)
