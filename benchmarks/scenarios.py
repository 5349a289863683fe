"""What the default scenarios (SPEC 3.10) add to a plan's planning time, as a ratio measured in one run.

    .venv/bin/python benchmarks/scenarios.py                 # the mid seller (benchmarks/out/seller_mid.xlsx)
    .venv/bin/python benchmarks/scenarios.py --sizes small,mid --repeat 3

The workbook is read once; then, alternately, `make_plan` with its scenarios and `make_plan` of the same book
with an empty Scenarios sheet (its own row only: a single plan).  Best of `--repeat` each; the ratio
(with − without) / without is the figure to watch (target ≤ 1).  Also timed: each default scenario alone.
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from goalsheet.inputs import load  # noqa: E402
from goalsheet.plan import make_plan  # noqa: E402
from goalsheet.plan import scenarios as sc  # noqa: E402
from goalsheet.plan.assemble import plan_core  # noqa: E402
from goalsheet.plan.basis import build_basis  # noqa: E402


def seller(size: str) -> Path:
    if size == "small":
        return HERE.parent / "sample_workbooks" / "demo_seller.xlsx"
    from plan_phases import seller_path
    return seller_path(size)


def clock(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def measure(size: str, repeat: int) -> dict:
    book, _ = load(seller(size))
    single = replace(book, scenarios=[])
    make_plan(single)                                   # warm: imports, first-call caches of numpy and pandas
    with_s, without = [], []
    for _ in range(repeat):
        without.append(clock(lambda: make_plan(single)))
        with_s.append(clock(lambda: make_plan(book, scenarios=True)))
    basis = build_basis(book)
    plan_core(basis)
    each = []
    for s in sc.default_scenarios(basis):
        scen_book = sc.scenario_book(book, s)
        each.append((s.name.text("en"), clock(lambda: plan_core(sc.scenario_basis(basis, scen_book, None)))))
    w, wo = min(with_s), min(without)
    return {"size": size, "plan": wo, "plan_with_scenarios": w, "scenarios": w - wo, "ratio": (w - wo) / wo,
            "each": each}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="mid")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    for size in args.sizes.split(","):
        r = measure(size, args.repeat)
        print(f"{size}: single plan {r['plan']:.2f} s, with its {len(r['each'])} default scenarios "
              f"{r['plan_with_scenarios']:.2f} s: the scenarios add {r['scenarios']:.2f} s = "
              f"{r['ratio']:.2f} × a single plan (target ≤ 1)")
        for name, seconds in r["each"]:
            print(f"    {name}: {seconds:.3f} s")


if __name__ == "__main__":
    main()
