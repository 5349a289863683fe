"""Benchmark: `goalsheet plan` end to end and by phase, beside baselines measured the same way in the same run.

    .venv/bin/python benchmarks/plan_phases.py [--sizes small,mid,max] [--repeat N] [--skip-slow]
                                               [--libreoffice] [--readme]

Sellers: small = sample_workbooks/demo_seller.xlsx; mid and max = benchmarks/synthetic.py's sellers
(written once under benchmarks/out/ when missing: mid 20 stores, 2 000 SKUs, 24 months = 48 000 Sales rows;
max 50 stores, 20 000 SKUs, 1,048,575 Sales rows - Excel's row limit).

goalsheet's modules are compiled to bytecode first (`compile_goalsheet`: as an installed package's are; the
baselines' libraries come compiled from their wheels).  Everything runs in a fresh child process, so nothing carries
over and each has its own peak memory
(ru_maxrss from os.wait4).  Per seller, best of --repeat (interleaved, so a busy moment hits every step):

  end_to_end  `goalsheet plan INPUT -o OUT --force`: interpreter start, imports, everything
  phases      the same run as a library call, `pipeline.run_plan`, with a clock around its steps (imports not
              timed: every module of goalsheet.inputs, .plan and .render is imported before the clock);
              "seconds" is the whole call:
                read      the time the run waits for the worker threads' parse (the Sales sheet; the other
                          sheets, the formula scan and the hash are mostly done by then)
                validate  the rest of the load (`pipeline._load_while_starting_up`): the sheets validated into
                          a SellerBook as they arrive, on this thread while the parse goes on
                plan      everything between the load and the render: `make_plan`
                render    report.write_plan_workbook up to the package writer: the template filled,
                          formulas evaluated, chart caches
                write     the package writer (sheet XML streamed + zip), the embedded plan JSON and
                          marking, the atomic write to disk
  calamine    baseline: python-calamine open + Sales sheet to_python() + pandas.DataFrame (the bare load)
  fastexcel   baseline: fastexcel Sales sheet to Arrow (to_arrow() when pyarrow is importable, else the
              sheet loaded into Arrow memory by fastexcel itself); not installed here as a dependency
  openpyxl    baseline: pandas.read_excel(sheet_name="Sales", engine="openpyxl") (slow: mid and max, once;
              --skip-slow leaves it out for max)
  xlsxwriter  baseline: xlsxwriter (constant_memory) writing the cells of goalsheet's own output for that
              seller - the same sheets, the same values (numbers as numbers, text as text), a header format
              and a number format per column - read beforehand from that output with calamine
  load_and_write  baseline as a whole process, as a seller's own script would run: start Python, import
              python_calamine, pandas and xlsxwriter, load the Sales sheet into a DataFrame (as calamine above),
              then write the same cells (as xlsxwriter above); timed from outside like end_to_end, with its
              peak memory.  Its cells come from a pickle (a script would work them out): the child times that
              read and it is taken off the wall time.

The bound is goalsheet within the bare load plus xlsxwriter writing the same cells, compared like for like
both ways (targets are benchmarks, not tests), for mid and max:
  in-process     phases total (read + validate + plan + render + write) <= calamine + xlsxwriter;
                 read + validate <= 1.5 x calamine
  whole process  end_to_end <= load_and_write; end_to_end's peak memory < 2 GB
small: end_to_end < 1.5 s (whole process).  The ratio end_to_end / (calamine + xlsxwriter) of rounds 1-4 (a whole
process against in-process baselines) is still recorded.  Prints a table, writes benchmarks/out/results.json;
--readme rewrites the results section of benchmarks/README.md.
--libreoffice opens the max output in LibreOffice (headless, every sheet saved as CSV; timeout 20 min).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
PY = sys.executable
GOALSHEET = [PY, "-m", "goalsheet"]

SMALL = ROOT / "sample_workbooks" / "demo_seller.xlsx"
TARGET_SMALL_S = 1.5
TARGET_READ_RATIO = 1.5
TARGET_PEAK_MB = 2048
IN_PROCESS = "phases / (calamine + xlsxwriter)"        # both timed inside their process, imports outside
WHOLE_PROCESS = "end_to_end / load_and_write"          # both whole processes timed from outside

# --- child programs: each prints one JSON line {"seconds": ..., ...}; imports happen before the clock ------

PHASES = r"""
import importlib, json, pkgutil, sys, time
from pathlib import Path
import python_calamine  # noqa: F401
import goalsheet.inputs, goalsheet.plan, goalsheet.render, goalsheet.report
# goalsheet imports some modules where first used: all of the library's imported now, outside the clock
for package in (goalsheet.inputs, goalsheet.plan, goalsheet.render, goalsheet.report):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(module.name)
from concurrent.futures import Future
import goalsheet.report.workbook as output
import goalsheet.pipeline as pipeline
import goalsheet.render.engine as engine

clock = time.perf_counter
spent = {}
def timed(module, name):
    inner = getattr(module, name)
    def wrapper(*a, **k):
        s = clock()
        try:
            return inner(*a, **k)
        finally:
            spent[name] = spent.get(name, 0.0) + clock() - s
    setattr(module, name, wrapper)
timed(output, "plan_context")
timed(output, "render_workbook")
timed(goalsheet.report, "write_plan_workbook")      # the pipeline takes it from the package
timed(engine, "write_package")
timed(pipeline, "_load_while_starting_up")
loaded = pipeline._load_while_starting_up
books = []
def load_kept(path, *rest):
    book, problems = loaded(path, *rest)
    books.append(book)
    return book, problems
pipeline._load_while_starting_up = load_kept
# the time the run waits for the worker threads' parse (a sheet, the formula scan, the hash)
waited = [0.0]
future_result = Future.result
def result(self, timeout=None):
    if self.done():
        return future_result(self, timeout)
    s = clock()
    try:
        return future_result(self, timeout)
    finally:
        waited[0] += clock() - s
Future.result = result

src, dst = Path(sys.argv[1]), Path(sys.argv[2])
t0 = clock()
r = pipeline.run_plan(pipeline.PlanRequest(input=src, output=dst, force=True))
seconds = clock() - t0
assert r.ok, [str(p) for p in r.problems if p.severity == "error"][:5]
load = spent["_load_while_starting_up"]
render = spent["plan_context"] + spent["render_workbook"] - spent["write_package"]
write = spent["write_plan_workbook"] - render
print(json.dumps({"read": waited[0], "validate": load - waited[0], "plan": seconds - load - render - write,
                  "render": render, "write": write, "seconds": seconds, "sales_rows": len(books[0].sales)}))
"""

# The bare load (statements, so its rows stay alive past the clock as they always have): argv[1] the seller,
# argv[2] its Sales sheet -> df.
LOAD_SALES = r"""
wb = pc.CalamineWorkbook.from_path(sys.argv[1])
rows = wb.get_sheet_by_name(sys.argv[2]).to_python()
df = pd.DataFrame(rows[1:], columns=rows[0])
"""

CALAMINE = r"""
import json, sys, time
import python_calamine as pc, pandas as pd
t = time.perf_counter()
""" + LOAD_SALES + r"""
print(json.dumps({"seconds": time.perf_counter() - t, "rows": len(df)}))
"""

FASTEXCEL = r"""
import json, sys, time
import fastexcel
try:
    import pyarrow  # noqa: F401
except ImportError:
    pyarrow = None
t = time.perf_counter()
sheet = fastexcel.read_excel(sys.argv[1]).load_sheet_by_name(sys.argv[2])
n = sheet.to_arrow().num_rows if pyarrow is not None else sheet.height
print(json.dumps({"seconds": time.perf_counter() - t, "rows": n, "to_arrow": pyarrow is not None}))
"""

OPENPYXL = r"""
import json, sys, time
import pandas as pd, openpyxl  # noqa: F401
t = time.perf_counter()
df = pd.read_excel(sys.argv[1], sheet_name=sys.argv[2], engine="openpyxl")
print(json.dumps({"seconds": time.perf_counter() - t, "rows": len(df)}))
"""

# write_cells(sheets, path) -> cells written: xlsxwriter writing goalsheet's output cells (read by DUMP_OUTPUT).
WRITE_CELLS = r"""
def write_cells(sheets, path):
    wb = xlsxwriter.Workbook(path, {"constant_memory": True})
    head = wb.add_format({"bold": True, "bottom": 1})
    cells = 0
    for name, rows in sheets:
        ws = wb.add_worksheet(name[:31])
        width = max((len(r) for r in rows), default=0)
        # one number format per column, as goalsheet's template gives each column its own
        fmts = [wb.add_format({"num_format": ("#,##0.00", "0.0%", "#,##0", "yyyy-mm")[j % 4]})
                for j in range(width)]
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if v is None or v == "":
                    continue
                if i == 0:
                    ws.write_string(i, j, str(v), head)
                elif isinstance(v, str):
                    ws.write_string(i, j, v, fmts[j])
                elif isinstance(v, bool):
                    ws.write_boolean(i, j, v, fmts[j])
                elif isinstance(v, (int, float)):
                    ws.write_number(i, j, v, fmts[j])
                else:
                    ws.write_string(i, j, str(v), fmts[j])
                cells += 1
        ws.freeze_panes(1, 0)
    wb.close()
    return cells
"""

XLSXWRITER = r"""
import json, pickle, sys, time
import xlsxwriter
""" + WRITE_CELLS + r"""
with open(sys.argv[1], "rb") as fh:
    sheets = pickle.load(fh)
t = time.perf_counter()
cells = write_cells(sheets, sys.argv[2])
print(json.dumps({"seconds": time.perf_counter() - t, "cells": cells, "sheets": len(sheets)}))
"""

# The whole-process baseline, as a seller's own script would do it: start Python, import, load the Sales sheet
# into a DataFrame, write the output cells.  Timed from outside like end_to_end; the cells come from a pickle
# here (a script would work them out), so the time that takes is reported to be taken off the wall time.
LOAD_AND_WRITE = r"""
import json, pickle, sys, time
import python_calamine as pc, pandas as pd, xlsxwriter
""" + WRITE_CELLS + LOAD_SALES + r"""
t = time.perf_counter()
with open(sys.argv[3], "rb") as fh:
    sheets = pickle.load(fh)
cells_load = time.perf_counter() - t
cells = write_cells(sheets, sys.argv[4])
print(json.dumps({"cells_load": cells_load, "rows": len(df), "cells": cells}))
"""

DUMP_OUTPUT = r"""
import pickle, sys
import python_calamine as pc
wb = pc.CalamineWorkbook.from_path(sys.argv[1])
sheets = [(name, wb.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in wb.sheet_names]
with open(sys.argv[2], "wb") as fh:
    pickle.dump(sheets, fh, protocol=pickle.HIGHEST_PROTOCOL)
"""


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(c) for c in fh.read().split()]
    except (OSError, ValueError):
        return []


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += _children(p)
    return out


def tree_pss_mb(pid: int) -> float | None:
    """The proportional set size (Pss: pages shared between processes counted once in all) of a process and its
    descendants, in MB; None when the tree changed while it was read (a fork in between would count the pages
    shared since as the parent's alone as well as half the child's) or /proc cannot tell."""
    before = _tree(pid)
    total_kb = 0
    for p in before:
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                total_kb += next(int(line.split()[1]) for line in fh if line.startswith("Pss:"))
        except (OSError, ValueError, StopIteration):
            return None
    return total_kb / 1024 if _tree(pid) == before else None


def run_measured(argv: list[str], timeout: float | None = None) -> dict:
    """`run_child` with the child's own peak memory: ru_maxrss from os.wait4 on exactly that child (a process
    it forks counts only if alone it is larger), and the largest Pss of it with its own children, sampled every
    20 ms (goalsheet forks a child for the plan's capital; "peak_mb" is the larger of the two)."""
    t = time.perf_counter()
    tree_peak = 0.0
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(argv, stdout=out, stderr=err, cwd=ROOT, text=True)
        deadline = None if timeout is None else t + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            tree_peak = max(tree_peak, tree_pss_mb(proc.pid) or 0.0)
            if deadline is not None and time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                return {"error": f"timed out after {timeout:.0f} s"}
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    result: dict = {"wall": wall, "peak_mb": max(usage.ru_maxrss / 1024, tree_peak), "peak_rss_mb": usage.ru_maxrss / 1024,
                    "peak_tree_pss_mb": tree_peak}
    if proc.returncode != 0:
        tail = (stderr or stdout).strip().splitlines()[-3:]
        result["error"] = " | ".join(tail) or f"exit {proc.returncode}"
        return result
    lines = [ln for ln in stdout.strip().splitlines() if ln.startswith("{")]
    if lines:
        result.update(json.loads(lines[-1]))
    return result


SIZES = ("small", "mid", "max", "many_skus")     # the sellers a results table shows, in this order


def seller_path(size: str) -> Path:
    if size == "small":
        return SMALL
    path = OUT / f"seller_{size}.xlsx"
    if not path.exists():
        sys.path.insert(0, str(HERE))
        import synthetic
        t = time.perf_counter()
        synthetic.write(size, path)
        print(f"(wrote {path} in {time.perf_counter() - t:.0f} s)", flush=True)
    return path


def sales_sheet_name(path: Path) -> str:
    import python_calamine as pc
    names = pc.CalamineWorkbook.from_path(str(path)).sheet_names
    for name in names:
        if name.strip().lower() in ("sales", "销售"):
            return name
    return names[0]


def best(results: list[dict], key: str = "seconds") -> dict | None:
    ok = [r for r in results if "error" not in r and key in r]
    return min(ok, key=lambda r: r[key]) if ok else (results[-1] if results else None)


def load_and_write(path: Path, sheet: str, dump: Path, out: Path) -> dict:
    """The whole-process baseline: its wall time less the reading of the prepared cells (see LOAD_AND_WRITE)."""
    r = run_measured([PY, "-c", LOAD_AND_WRITE, str(path), sheet, str(dump), str(out)])
    if "error" not in r:
        r["seconds"] = r["wall"] - r["cells_load"]
    return r


def bench_seller(size: str, repeat: int, skip_slow: bool, tmp: Path) -> dict:
    path = seller_path(size)
    sheet = sales_sheet_name(path)
    out_e2e = tmp / f"{size}-plan.xlsx"
    out_phases = tmp / f"{size}-phases.xlsx"
    runs: dict[str, list[dict]] = {k: [] for k in ("end_to_end", "phases", "calamine", "fastexcel", "xlsxwriter",
                                                   "load_and_write")}
    print(f"{size}: {path.name}", flush=True)
    dump = tmp / f"{size}-cells.pickle"
    for i in range(repeat):
        r = run_measured(GOALSHEET + ["plan", str(path), "-o", str(out_e2e), "--force"])
        r.setdefault("seconds", r.get("wall"))
        runs["end_to_end"].append(r)
        runs["phases"].append(run_measured([PY, "-c", PHASES, str(path), str(out_phases)]))
        if size != "small":
            runs["calamine"].append(run_measured([PY, "-c", CALAMINE, str(path), sheet]))
            runs["fastexcel"].append(run_measured([PY, "-c", FASTEXCEL, str(path), sheet]))
            if not dump.exists() and out_e2e.exists():
                subprocess.run([PY, "-c", DUMP_OUTPUT, str(out_e2e), str(dump)], check=True, cwd=ROOT)
            if dump.exists():
                runs["xlsxwriter"].append(run_measured([PY, "-c", XLSXWRITER, str(dump), str(tmp / "xw.xlsx")]))
                runs["load_and_write"].append(load_and_write(path, sheet, dump, tmp / "lw.xlsx"))
        print(f"  run {i + 1}/{repeat}: " + ", ".join(
            f"{k} {v[-1].get('seconds', float('nan')):.2f} s" for k, v in runs.items() if v), flush=True)
    result: dict = {"input": str(path.relative_to(ROOT)), "bytes": path.stat().st_size}
    for k, v in runs.items():
        b = best(v)
        if b is not None:
            result[k] = b
    if size != "small" and not (skip_slow and size == "max"):
        print("  pandas.read_excel(engine='openpyxl') ...", flush=True)
        result["openpyxl"] = run_measured([PY, "-c", OPENPYXL, str(path), sheet], timeout=1800)
    if out_e2e.exists():
        result["output_bytes"] = out_e2e.stat().st_size
        result["output_path"] = str(out_e2e)
    return result


def ratios(r: dict) -> dict:
    """Every figure as a ratio to its baseline from the same run."""
    def sec(k):
        v = r.get(k)
        return v.get("seconds") if isinstance(v, dict) and "error" not in v else None
    e2e, cal, xw, ph = sec("end_to_end"), sec("calamine"), sec("xlsxwriter"), r.get("phases") or {}
    lw = sec("load_and_write")
    out: dict = {}
    if cal and xw and "seconds" in ph:
        out[IN_PROCESS] = ph["seconds"] / (cal + xw)
    if lw and e2e:
        out[WHOLE_PROCESS] = e2e / lw
    if cal and xw and e2e:
        out["end_to_end / (calamine + xlsxwriter)"] = e2e / (cal + xw)
    if cal and "read" in ph:
        out["(read + validate) / calamine"] = (ph["read"] + ph["validate"]) / cal
        out["read / calamine"] = ph["read"] / cal
    if sec("fastexcel") and "read" in ph:
        out["(read + validate) / fastexcel"] = (ph["read"] + ph["validate"]) / sec("fastexcel")
    if sec("openpyxl") and "read" in ph:
        out["(read + validate) / openpyxl read_excel"] = (ph["read"] + ph["validate"]) / sec("openpyxl")
    if xw and "render" in ph:
        out["(render + write) / xlsxwriter"] = (ph["render"] + ph["write"]) / xw
    if e2e:
        out["peak MB (end_to_end)"] = r["end_to_end"].get("peak_mb")
    if lw:
        out["peak MB (load_and_write)"] = r["load_and_write"].get("peak_mb")
    return out


def verdicts(size: str, r: dict) -> list[str]:
    e2e = r.get("end_to_end", {})
    lines = []
    if size == "small":
        s = e2e.get("seconds")
        if s is not None:
            lines.append(f"whole process: end to end {s:.2f} s {'<' if s < TARGET_SMALL_S else '>='} "
                         f"{TARGET_SMALL_S} s: {'met' if s < TARGET_SMALL_S else 'MISSED'}")
        return lines
    rr = ratios(r)
    k = rr.get(IN_PROCESS)
    if k is not None:
        lines.append(f"in-process: phases (read + validate + plan + render + write) / (bare load + xlsxwriter) "
                     f"= {k:.2f} (target <= 1): {'met' if k <= 1 else 'MISSED'}")
    k = rr.get(WHOLE_PROCESS)
    if k is not None:
        lines.append(f"whole process: end to end / (bare load + xlsxwriter in one process) = {k:.2f} "
                     f"(target <= 1): {'met' if k <= 1 else 'MISSED'}")
    k = rr.get("(read + validate) / calamine")
    if k is not None:
        lines.append(f"in-process: (read + validate) / bare load = {k:.2f} (target <= {TARGET_READ_RATIO}): "
                     f"{'met' if k <= TARGET_READ_RATIO else 'MISSED'}")
    peak = e2e.get("peak_mb")
    if peak is not None:
        theirs = r.get("load_and_write", {}).get("peak_mb")
        beside = f"; bare load + xlsxwriter in one process {theirs:,.0f} MB" if theirs else ""
        lines.append(f"whole process: peak memory {peak:,.0f} MB (target < {TARGET_PEAK_MB:,} MB{beside}): "
                     f"{'met' if peak < TARGET_PEAK_MB else 'MISSED'}")
    return lines


def machine() -> dict:
    return {"uname": " ".join(platform.uname()), "cpus": os.cpu_count(), "python": sys.version.split()[0],
            "cpu_model": _cpu_model()}


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def table(results: dict) -> str:
    head = ("| seller | Sales rows | end to end | read | validate | plan | render | write | phases total "
            "| bare load (calamine) | fastexcel | read_excel openpyxl | xlsxwriter same cells "
            "| bare load + xlsxwriter, one process | peak MB | peak MB, load + xlsxwriter process |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for size, r in results.items():
        def s(k, sub="seconds"):
            v = r.get(k)
            if not isinstance(v, dict):
                return "-"
            if "error" in v:
                return "error"
            return f"{v[sub]:.2f}" if sub in v else "-"
        ph = r.get("phases", {})
        p = lambda k: f"{ph[k]:.2f}" if k in ph else "-"  # noqa: E731
        mb = lambda k: f"{r[k]['peak_mb']:,.0f}" if "peak_mb" in r.get(k, {}) else "-"  # noqa: E731
        rows = ph.get("sales_rows")
        lines.append(f"| {size} | {rows:,} | " if rows else f"| {size} | - | ")
        lines[-1] += (f"{s('end_to_end')} | {p('read')} | {p('validate')} | {p('plan')} | {p('render')} "
                      f"| {p('write')} | {p('seconds')} | {s('calamine')} | {s('fastexcel')} | {s('openpyxl')} "
                      f"| {s('xlsxwriter')} | {s('load_and_write')} | {mb('end_to_end')} | {mb('load_and_write')} |")
    return "\n".join(lines)


def libreoffice_open(path: Path, timeout: float = 1200) -> dict:
    """Open the workbook in LibreOffice (headless) and save every sheet as CSV: LibreOffice loads every
    sheet, chart and name to do it, so a file it cannot open fails here, and the CSV row counts show the
    big tables arrived whole.  (A PDF of the max output would print 140 000+ rows: hours, not a test.)"""
    soffice = shutil.which("soffice")
    if soffice is None:
        return {"error": "soffice not found"}
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        try:   # filter options: comma, quote, UTF-8, ..., last field -1 = every sheet (LibreOffice >= 7.2)
            proc = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                                   "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,"
                                                   "false,false,-1", "--outdir", tmp, str(path)],
                                  capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"error": f"timed out after {timeout:.0f} s"}
        seconds = time.perf_counter() - t
        csvs = sorted(Path(tmp).glob(f"{path.stem}*.csv"))
        if not csvs:
            return {"error": (proc.stderr or proc.stdout).strip()[-300:] or "no CSV", "seconds": seconds}
        rows = {c.stem[len(path.stem):].lstrip("-") or "(first)": sum(1 for _ in c.open(encoding="utf-8",
                                                                                   errors="replace"))
                for c in csvs}
        return {"seconds": seconds, "csv_rows_by_sheet": rows}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="small,mid,max")
    ap.add_argument("--repeat", type=int, default=3, help="runs per step, best kept (max: at most 2)")
    ap.add_argument("--skip-slow", action="store_true", help="no pandas.read_excel(openpyxl) of the max seller")
    ap.add_argument("--libreoffice", action="store_true", help="open the max output in LibreOffice")
    ap.add_argument("--readme", action="store_true", help="write the results into benchmarks/README.md")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    compile_goalsheet()
    results: dict = {}
    keep = OUT / "plans"
    keep.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gs-bench-") as tmp:
        tmp = Path(tmp)
        for size in args.sizes.split(","):
            repeat = min(args.repeat, 2) if size == "max" else args.repeat
            results[size] = bench_seller(size, repeat, args.skip_slow, tmp)
            results[size]["ratios"] = ratios(results[size])
            for line in verdicts(size, results[size]):
                print("  " + line, flush=True)
            out = results[size].pop("output_path", None)
            if out:
                shutil.copy(out, keep / Path(out).name)
        if args.libreoffice and (keep / "max-plan.xlsx").exists():
            print("LibreOffice: opening the max output ...", flush=True)
            results["libreoffice_max"] = libreoffice_open(keep / "max-plan.xlsx")
            print(f"  {results['libreoffice_max']}", flush=True)
    record = {"machine": machine(), "when": time.strftime("%Y-%m-%d %H:%M:%S %z"), "results": results}
    (OUT / "results.json").write_text(json.dumps(record, indent=1), encoding="utf-8")
    print()
    print(table({k: v for k, v in results.items() if k in SIZES}))
    print(f"\nwrote {OUT / 'results.json'}")
    if args.readme:
        write_readme(record)
        print(f"wrote the results into {README}")


def compile_goalsheet() -> None:
    """goalsheet's modules compiled to bytecode before anything is timed, as an installed package's are (pip
    compiles them when it installs; an editable install writes them on the first run).  The baselines' libraries
    come compiled from their wheels; without this, an environment with PYTHONDONTWRITEBYTECODE set (as this
    project's build machine has) would make every goalsheet run compile its ~40 modules again (~0.1 s)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "goalsheet")], check=True, env=env,
                   stdout=subprocess.DEVNULL)


README = HERE / "README.md"
BEGIN, END = "<!-- results: written by plan_phases.py --readme -->", "<!-- /results -->"


def results_markdown(record: dict) -> str:
    m = record["machine"]
    res = record["results"]
    lines = [f"Measured {record['when']} on `{m['uname'].strip()}`, {m['cpus']} CPUs ({m['cpu_model']}), "
             f"Python {m['python']}; best of the runs, seconds; peak = the larger of the child process's ru_maxrss and the largest Pss of it with its own children, sampled every 20 ms.", "",
             table({k: v for k, v in res.items() if k in SIZES}), "",
             "Ratios to the baselines of the same run, and the targets:", ""]
    for size in SIZES:
        if size not in res:
            continue
        for line in verdicts(size, res[size]):
            lines.append(f"- {size}: {line}")
        for k, v in (res[size].get("ratios") or {}).items():
            if v is not None and not k.startswith("peak"):
                lines.append(f"- {size}: {k} = {v:.2f}")
    lo = res.get("libreoffice_max")
    if lo:
        lines += ["", f"LibreOffice opening the max output: {json.dumps(lo)}"]
    return "\n".join(lines)


def write_readme(record: dict) -> None:
    text = README.read_text(encoding="utf-8") if README.exists() else f"{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{BEGIN}\n{results_markdown(record)}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
