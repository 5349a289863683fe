"""Scheduled runs: plan every workbook dropped into an inbox (SPEC.md section 7).

`goalsheet run --inbox IN --outbox OUT` is meant for cron / Task Scheduler and for `--watch`.  One pass, each step
a module of this package:

    lock.py          take the inbox lock `<inbox>/.goalsheet.lock` (a second run on the same inbox says so, exit 0)
    commit.py        finish what a killed run committed (journal.py), then clear the hidden working folder
                     `<outbox>/.goalsheet-tmp/<inbox key>/` (folders.py)
    inbox.py         take every workbook of the inbox that has settled
    worker.py        plan each one in a worker process of its own, under a time and a memory budget ...
    workbook.py      ... from a snapshot copied into the working folder, writing the plan, or the error report
                     (error_report.py), into that folder
    commit.py        commit, one workbook at a time: journal record, rename into the outbox, archive or failed/,
                     a line in the log (log.py) and on the console (console.py)
    run.py           the run that chains them: `run_batch`, one pass or `--watch`

and beside them names.py (output names; a file name shown safely), durable.py (fsync, appends, the move that never
overwrites) and pause.py (the crash tests' pause points).  What is said to a person comes from the words catalogue
(`goalsheet.words`, the `run_` codes) in the run's language, `--lang`.

Outputs are named `<stem>-plan-<YYYY-MM>.xlsx`: the as-of month of the plan (the last month of actuals) or, without
actuals, the month of the run.  A plan of the same name from an earlier input is replaced (that earlier input is in
the archive).  Two inputs of one pass with the same stem (`shop.xlsx`, `shop.ods`) would share the output name: the
second waits for the next pass.
"""
from goalsheet.batch.durable import move_without_overwrite, sha256_of
from goalsheet.batch.folders import TMP_DIR_NAME, folder_problem, work_root_for
from goalsheet.batch.inbox import is_ignored_name, last_change, settled_workbooks
from goalsheet.batch.journal import JOURNAL_NAME, SET_ASIDE_NAME, Journal
from goalsheet.batch.lock import LOCK_NAME
from goalsheet.batch.log import LOG_NAME, STATUSES
from goalsheet.batch.names import as_of_month, error_names, output_name, output_stem, shown, unsafe_char
from goalsheet.batch.run import run_batch
from goalsheet.batch.worker import DEFAULT_MEMORY_BUDGET, DEFAULT_TIME_BUDGET, Budget

__all__ = ["Budget", "DEFAULT_MEMORY_BUDGET", "DEFAULT_TIME_BUDGET", "JOURNAL_NAME", "Journal", "LOCK_NAME",
           "LOG_NAME", "SET_ASIDE_NAME", "STATUSES", "TMP_DIR_NAME", "as_of_month", "error_names", "folder_problem",
           "is_ignored_name", "last_change", "move_without_overwrite", "output_name", "output_stem", "run_batch",
           "settled_workbooks", "sha256_of", "shown", "unsafe_char", "work_root_for"]
