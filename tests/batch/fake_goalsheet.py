"""`goalsheet` with a stand-in planner, for exercising the batch machinery on its own.

Run as a script (`python fake_goalsheet.py run --inbox ...`): the patch below is made at
import time, so the spawned worker processes of `--jobs N` (which re-import this file as
`__mp_main__`) get it too.  The stand-in accepts any zip file (every .xlsx is one) and
writes a small workbook naming the input; anything else fails with one problem.  With
FAKE_PLAN_SECONDS set it takes that long, so kills land mid-plan.

Hostile stand-ins, chosen by the first bytes of the input (for tests/hostile/test_batch_hostile.py):
`ABORT` aborts the process (SIGABRT, as a crashing native reader does); `RUSTOOM` writes the message
of a Rust allocation failure to stderr, then aborts; `HANG` sleeps for an hour; `EAT` asks for 64 GiB
at once (a MemoryError under the memory budget).  With FAKE_NO_SPACE=1 writing the plan fails with
ENOSPC, as on a full disk.
"""
from __future__ import annotations

import errno
import os
import sys
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import goalsheet.pipeline as pipeline  # noqa: E402


def misbehave(head: bytes) -> None:
    if head.startswith(b"ABORT"):
        os.abort()
    if head.startswith(b"RUSTOOM"):
        os.write(2, b"memory allocation of 549755813888 bytes failed\nstack backtrace:\n   0: std::alloc::rust_oom\n")
        os.abort()
    if head.startswith(b"HANG"):
        time.sleep(3600)
    if head.startswith(b"EAT"):
        bytearray(64 << 30)


def fake_run_plan(request):
    time.sleep(float(os.environ.get("FAKE_PLAN_SECONDS", "0")))
    with open(request.input, "rb") as fh:
        misbehave(fh.read(16))
    if os.environ.get("FAKE_NO_SPACE") == "1":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(request.output))
    if not zipfile.is_zipfile(request.input):
        # imported here, as goalsheet imports it: a run that plans nothing (refused at start, an idle rerun) never
        # loads pandas, which the input model brings
        from goalsheet.inputs.model import Problem
        return pipeline.PlanResult(ok=False, problems=[
            Problem("", "", f"{request.input.name} is not an Excel workbook"),
            Problem("Settings", "B3", "an example second problem", "warning")])
    import openpyxl
    book = openpyxl.Workbook()
    book.active.append(["planned from", request.input.name])
    book.save(request.output)
    return pipeline.PlanResult(ok=True, output=request.output, plan=SimpleNamespace(headline={}))


pipeline.run_plan = fake_run_plan

if __name__ == "__main__":
    from goalsheet.cli import main
    main()
