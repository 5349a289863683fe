"""Benchmark: read + validate a seller workbook vs a bare DataFrame load of its Sales sheet.

    python benchmarks/read_validate.py [--rows 1048575] [--repeat 3]

Writes (once, cached under benchmarks/out/) a workbook whose long-form Sales sheet has Excel's full
1,048,575 data rows (benchmarks/synthetic.py's "max" seller, written with xlsxwriter constant_memory),
then times, best of --repeat, each in a fresh process (imports not timed) so nothing carries over:

    calamine   python-calamine: open, Sales sheet to_python(), pandas.DataFrame   (the bare load)
    fastexcel  fastexcel: load the Sales sheet to a pandas DataFrame (`pip install fastexcel pyarrow`;
               without pyarrow only the load into Arrow memory is timed)
    goalsheet  goalsheet.inputs.load: read every sheet + validate + sum Sales to months

and the same for the golden seller (tests/golden/golden_seller.xlsx).  Timings vary with the machine
and its load; the ratio goalsheet / calamine is the figure to watch (target <= 1.5).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"

SETUP = {
    "calamine": "import python_calamine as pc, pandas as pd",
    "fastexcel": "import fastexcel, pandas\ntry:\n    import pyarrow\nexcept ImportError:\n    pyarrow = None",
    "goalsheet": "from goalsheet.inputs import load\nimport goalsheet.inputs.read, goalsheet.inputs.validate, "
                 "goalsheet.inputs.sales",
}
STEPS = {
    "calamine": """
wb = pc.CalamineWorkbook.from_path(PATH)
rows = wb.get_sheet_by_name("Sales").to_python()
df = pd.DataFrame(rows[1:], columns=rows[0])
n = len(df)
""",
    "fastexcel": """
sheet = fastexcel.read_excel(PATH).load_sheet_by_name("Sales")
n = len(sheet.to_pandas()) if pyarrow is not None else sheet.height   # Arrow only, without pyarrow
""",
    "goalsheet": """
book, problems = load(PATH)
assert book is not None, [str(p) for p in problems][:5]
n = len(book.sales)
""",
}


def max_workbook() -> Path:
    path = OUT / "seller_max.xlsx"
    if not path.exists():
        sys.path.insert(0, str(HERE))
        import synthetic
        synthetic.write("max", path)
    return path


def time_step(step: str, path: Path) -> tuple[float, int] | None:
    code = ("import time, json\nPATH = %r\n" % str(path) + SETUP[step] + "\nt = time.perf_counter()\n" + STEPS[step]
            + "\nprint(json.dumps([time.perf_counter() - t, n]))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        print(f"  {step}: failed: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else '?'}")
        return None
    seconds, n = json.loads(proc.stdout.strip().splitlines()[-1])
    return seconds, n


def bench(path: Path, repeat: int) -> dict[str, float]:
    best: dict[str, float] = {}
    rows = {}
    for _ in range(repeat):
        for step in STEPS:               # interleaved, so a busy moment hits every step alike
            r = time_step(step, path)
            if r is None:
                continue
            best[step] = min(best.get(step, float("inf")), r[0])
            rows[step] = r[1]
    print(f"{path.name}:")
    for step, s in best.items():
        print(f"  {step:10s} {s:8.2f} s   ({rows[step]:,} Sales rows)")
    if "goalsheet" in best and "calamine" in best:
        print(f"  goalsheet / calamine  = {best['goalsheet'] / best['calamine']:.2f}")
    if "goalsheet" in best and "fastexcel" in best:
        print(f"  goalsheet / fastexcel = {best['goalsheet'] / best['fastexcel']:.2f}")
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-max", action="store_true", help="only the golden seller")
    args = ap.parse_args()
    bench(ROOT / "tests" / "golden" / "golden_seller.xlsx", args.repeat)
    if not args.skip_max:
        t = time.perf_counter()
        path = max_workbook()
        if time.perf_counter() - t > 1:
            print(f"(wrote {path} in {time.perf_counter() - t:.0f} s)")
        bench(path, args.repeat)


if __name__ == "__main__":
    main()
