"""Benchmark of `goalsheet run`: 20 workbooks with --jobs 1 and with --jobs 2 (SPEC.md section 7).

    python benchmarks/batch_jobs.py [--workbooks 20] [--keep DIR]

Fills two inboxes with the same 20 workbooks (copies of the golden seller and of the sample
sellers, under distinct names), runs `python -m goalsheet run` once with --jobs 1 and once with
--jobs 2 as cron would (a fresh process each, alternating, `--repeat` times, best wall clock
counts), and checks both produced the same outputs: every headline figure and table embedded in
each plan (the Assumptions table, which records the time of the run, excepted) and every error
report.  Prints the figures for the
README.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "tests" / "golden" / "golden_seller.xlsx",
           ROOT / "sample_workbooks" / "demo_seller.xlsx",
           ROOT / "sample_workbooks" / "demo_seller_zh.xlsx"]


def fill(inbox: Path, count: int) -> list[str]:
    sources = [s for s in SOURCES if s.exists()]
    inbox.mkdir(parents=True)
    names = []
    for i in range(count):
        source = sources[i % len(sources)]
        name = f"seller-{i + 1:02d}-{source.stem}{source.suffix}"
        shutil.copyfile(source, inbox / name)
        names.append(name)
    return names


def children_cpu() -> float:
    """CPU seconds (user + system) used so far by finished child processes (POSIX; 0 elsewhere)."""
    try:
        import resource
    except ImportError:
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_run(inbox: Path, outbox: Path, jobs: int) -> tuple[float, int, str]:
    python = ROOT / ".venv" / "bin" / "python"
    cmd = [str(python if python.exists() else sys.executable), "-m", "goalsheet", "run", "--inbox", str(inbox),
           "--outbox", str(outbox), "--jobs", str(jobs), "--settle", "0"]
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return time.perf_counter() - start, done.returncode, done.stdout + done.stderr


def embedded(path: Path) -> dict | None:
    """The plan goalsheet embeds in its output, without what depends on the moment of the run."""
    from goalsheet.report import read_embedded_plan
    plan = read_embedded_plan(path)
    if plan is None:
        return None
    plan = dict(plan)
    plan.get("tables", {}).pop("assumptions", None)
    return {k: plan[k] for k in ("headline", "tables", "warnings") if k in plan}


def first_differences(a, b, path: str = "", found: list | None = None, limit: int = 3) -> list[str]:
    """Where two embedded plans differ (a few JSON paths), to tell a real difference from noise."""
    found = [] if found is None else found
    if len(found) >= limit:
        return found
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            if key not in a or key not in b:
                found.append(f"{path}/{key}: only in one")
            else:
                first_differences(a[key], b[key], f"{path}/{key}", found, limit)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            first_differences(x, y, f"{path}[{i}]", found, limit)
    elif a != b:
        found.append(f"{path}: {str(a)[:60]} != {str(b)[:60]}")
    return found[:limit]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workbooks", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=2, help="Runs of each setting; the best wall time counts.")
    parser.add_argument("--keep", type=Path, help="Keep the inboxes and outboxes in this folder.")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))

    base = args.keep or Path(tempfile.mkdtemp(prefix="goalsheet-batch-bench-"))
    timings, outboxes = {}, {}
    for round_ in range(args.repeat):
        for jobs in (1, 2):          # alternate, so a busy spell of the machine hits both
            inbox, outbox = base / f"jobs{jobs}" / "in", base / f"jobs{jobs}" / "out"
            if inbox.parent.exists():
                shutil.rmtree(inbox.parent)
            names = fill(inbox, args.workbooks)
            cpu_before = children_cpu()
            seconds, code, output = timed_run(inbox, outbox, jobs)
            cpu = children_cpu() - cpu_before
            summary = [line for line in output.splitlines() if line.startswith(("processed", "nothing"))]
            if code == 0:            # a run where something failed is not timed (and is said so below)
                timings[jobs] = min(seconds, timings.get(jobs, seconds))
            outboxes[jobs] = outbox
            print(f"round {round_ + 1}, --jobs {jobs}: {len(names)} workbooks in {seconds:.1f} s wall "
                  f"({seconds / len(names):.2f} s each), {cpu:.1f} s CPU; exit {code}; "
                  f"{summary[-1] if summary else output[-300:]}")
    for jobs in (1, 2):
        if jobs not in timings:
            print(f"--jobs {jobs}: no run planned every workbook; no timing")
            return 1
        print(f"best of {args.repeat}: --jobs {jobs}: {timings[jobs]:.1f} s for {args.workbooks} workbooks")

    plans = {jobs: sorted(p.name for p in outboxes[jobs].glob("*-plan-*.xlsx")) for jobs in (1, 2)}
    reports = {jobs: sorted(p.name for p in outboxes[jobs].glob("*-errors.txt")) for jobs in (1, 2)}
    same_names = plans[1] == plans[2] and reports[1] == reports[2]
    differing = []
    for name in plans[1] if same_names else []:
        a, b = embedded(outboxes[1] / name), embedded(outboxes[2] / name)
        if a is None or json.dumps(a, sort_keys=True, default=str) != json.dumps(b, sort_keys=True, default=str):
            differing.append(name)
            if len(differing) == 1:
                print(f"{name}: " + ("no embedded plan" if a is None else "; ".join(first_differences(a, b))))
    for name in reports[1] if same_names else []:
        if (outboxes[1] / name).read_text(encoding="utf-8") != (outboxes[2] / name).read_text(encoding="utf-8"):
            differing.append(name)
    print(f"plans written: {len(plans[1])} with --jobs 1, {len(plans[2])} with --jobs 2; "
          f"error reports: {len(reports[1])} and {len(reports[2])}")
    if same_names and not differing:
        print("same outputs: every embedded plan (headline figures and tables) and every error report is identical")
    else:
        print(f"OUTPUTS DIFFER: names equal {same_names}; differing plans: {differing}")
    print(f"speed-up --jobs 2 over --jobs 1: {timings[1] / timings[2]:.2f}x on {os.cpu_count()} CPU(s); "
          f"load average {os.getloadavg()[0]:.1f} at the end" if hasattr(os, "getloadavg") else "")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 0 if same_names and not differing and plans[1] else 1


if __name__ == "__main__":
    sys.exit(main())
