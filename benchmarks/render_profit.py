"""Benchmark: goalsheet.render vs xlsxwriter (constant_memory) writing the same Profit table.

    .venv/bin/python benchmarks/render_profit.py [ROWS]

A Profit-like table of ROWS (default 20 000) rows x 25 columns (2 text, 23 numbers), every column with
its own number format and a border, a header row, and a SUM total row under the table.  Both writers
produce the same cells with the same formats; the ratio render / xlsxwriter is printed (target <= 2).
The template is built here with openpyxl: one header row, one loop row, one total row.
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Border, Font, Side
from openpyxl.utils import get_column_letter

COLUMNS = 25
FORMATS = ["@", "@"] + ["#,##0.00", "0.0%", "#,##0", "0.00"] * 6


def make_rows(n: int) -> list[dict]:
    rng = random.Random(7)
    rows = []
    for i in range(n):
        row = {"store": f"Store {i % 7}", "sku": f"SKU-{i:06d}"}
        for j in range(2, COLUMNS):
            row[f"c{j}"] = round(rng.uniform(-50, 500), 2)
        rows.append(row)
    return rows


def make_template(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Profit"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    keys = ["store", "sku"] + [f"c{j}" for j in range(2, COLUMNS)]
    for j, key in enumerate(keys, 1):
        head = ws.cell(row=1, column=j, value=key)
        head.font = Font(bold=True)
    ws.cell(row=2, column=1, value="{% for row in profit %}")
    for j, key in enumerate(keys, 1):
        cell = ws.cell(row=3, column=j, value="{{ row.%s }}" % key)
        cell.number_format = FORMATS[j - 1]
        cell.border = border
    ws.cell(row=4, column=1, value="{% endfor %}")
    ws.cell(row=5, column=1, value="Total")
    for j in range(3, COLUMNS + 1):
        letter = get_column_letter(j)
        ws.cell(row=5, column=j, value=f"=SUM({letter}3:{letter}3)").number_format = FORMATS[j - 1]
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(COLUMNS)}3"
    wb.save(path)


def with_xlsxwriter(rows: list[dict], path: Path) -> None:
    import xlsxwriter
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("Profit")
    bold = wb.add_format({"bold": True})
    formats = [wb.add_format({"num_format": f, "border": 1}) for f in FORMATS]
    keys = ["store", "sku"] + [f"c{j}" for j in range(2, COLUMNS)]
    for j, key in enumerate(keys):
        ws.write_string(0, j, key, bold)
    for i, row in enumerate(rows, 1):
        for j, key in enumerate(keys):
            v = row[key]
            if j < 2:
                ws.write_string(i, j, v, formats[j])
            else:
                ws.write_number(i, j, v, formats[j])
    n = len(rows)
    ws.write_string(n + 1, 0, "Total")
    for j in range(2, COLUMNS):
        letter = get_column_letter(j + 1)
        ws.write_formula(n + 1, j, f"=SUM({letter}2:{letter}{n + 1})", formats[j],
                         sum(r[keys[j]] for r in rows))
    ws.freeze_panes(1, 2)
    ws.autofilter(0, 0, n, COLUMNS - 1)
    wb.close()


def with_render(template: Path, rows: list[dict], path: Path) -> None:
    from goalsheet.render import Template
    Template(template).render({"profit": rows}, path)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    rows = make_rows(n)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        template = tmp / "profit_template.xlsx"
        make_template(template)
        timings = {}
        for name, fn in (("xlsxwriter", lambda: with_xlsxwriter(rows, tmp / "xw.xlsx")),
                         ("render", lambda: with_render(template, rows, tmp / "render.xlsx"))):
            best = float("inf")
            for _ in range(3):
                t0 = time.perf_counter()
                fn()
                best = min(best, time.perf_counter() - t0)
            timings[name] = best
        ratio = timings["render"] / timings["xlsxwriter"]
        print(f"{n} rows x {COLUMNS} columns: xlsxwriter {timings['xlsxwriter']:.2f}s, "
              f"goalsheet.render {timings['render']:.2f}s (compile included), ratio {ratio:.2f} (target <= 2)")


if __name__ == "__main__":
    main()
