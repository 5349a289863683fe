"""benchmarks/compare_outputs.py: it names the cell that differs, none for equal workbooks, and leaves out only
the run stamps (the generated minute in the source note, the planned_at value)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "compare_outputs.py"


@pytest.fixture(scope="module")
def compare_outputs():
    spec = importlib.util.spec_from_file_location("compare_outputs", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module        # its dataclass looks its module up while being made
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def write_book(path: Path, cells: dict[str, dict[str, object]]) -> Path:
    """A workbook with one sheet per key, each cell 'B3' -> value."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet, values in cells.items():
        ws = wb.create_sheet(sheet)
        for ref, value in values.items():
            ws[ref] = value
    wb.save(path)
    return path


PLAN = {
    "Summary": {"A1": "Plan 2026", "A2": "demo.xlsx · goalsheet 0.1.0 · 2026-11-26 04:12 +0000", "B4": 1250.5},
    "Products": {"A1": "SKU", "B1": "units", "A2": "LM-01", "B2": 12, "A3": "LM-02", "B3": 7.5},
    "Assumptions": {"A9": "planned_at", "B9": "2026-11-26T04:12:35", "C9": "run"},
}


def test_one_differing_cell_is_named(tmp_path, compare_outputs, capsys):
    old = write_book(tmp_path / "old.xlsx", PLAN)
    changed = {**PLAN, "Products": {**PLAN["Products"], "B3": 7.25}}
    new = write_book(tmp_path / "new.xlsx", changed)
    assert compare_outputs.main([str(old), str(new)]) == 1
    out = capsys.readouterr().out
    assert "Products: 1 of 6 cells differ" in out
    assert "B3: 7.5 -> 7.25" in out
    assert "Summary: same" in out and "Assumptions: same" in out


def test_identical_workbooks_report_no_cell(tmp_path, compare_outputs, capsys):
    old = write_book(tmp_path / "old.xlsx", PLAN)
    new = write_book(tmp_path / "new.xlsx", PLAN)
    assert compare_outputs.main([str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "differ" not in out and "all 3 sheets show the same values" in out


def test_run_stamps_left_out_but_the_rest_of_their_cells_compared(tmp_path, compare_outputs):
    """A later run: another minute in the note and another planned_at - the same plan.  A different input name
    in the same note is a difference."""
    old = write_book(tmp_path / "old.xlsx", PLAN)
    later = {**PLAN, "Summary": {**PLAN["Summary"], "A2": "demo.xlsx · goalsheet 0.1.0 · 2026-11-27 09:30 +0800"},
             "Assumptions": {**PLAN["Assumptions"], "B9": "2026-11-27T09:30:02"}}
    sheets = compare_outputs.compare_workbooks(old, write_book(tmp_path / "later.xlsx", later))
    assert [(c.name, c.differing, c.stamps) for c in sheets] == [("Summary", 0, 1), ("Products", 0, 0),
                                                                ("Assumptions", 0, 1)]
    renamed = {**later, "Summary": {**later["Summary"], "A2": "shop.xlsx · goalsheet 0.1.0 · 2026-11-27 09:30 +0800"}}
    sheets = compare_outputs.compare_workbooks(old, write_book(tmp_path / "renamed.xlsx", renamed))
    assert [(i, j) for i, j, _, _ in sheets[0].differences] == [(1, 0)]


def test_planned_at_in_the_embedded_plan_by_column_is_left_out(tmp_path, compare_outputs):
    """The embedded plan with its tables by column: planned_at sits in the Assumptions table's value column, away
    from its name; another run's stamp there is not a difference, another figure is."""
    def embedded(stamp: str, units: int) -> dict:
        text = ('{"goalsheet_plan":1,"tables":{"assumptions":{"columns":["setting","value"],'
                '"values":[["plan_year","planned_at"],[2026,"' + stamp + '"]],"rows":2},'
                '"products":{"columns":["units"],"values":[[' + str(units) + ']],"rows":1}},"tables_by_column":true}')
        return {**PLAN, "_goalsheet_plan": {"A1": "goalsheet_plan", "B1": 2, "C1": "sha-" + stamp,
                                            "A2": text[:60], "A3": text[60:]}}
    old = write_book(tmp_path / "old.xlsx", embedded("2026-11-26T04:12:35", 12))
    later = write_book(tmp_path / "later.xlsx", embedded("2026-11-27T09:30:02", 12))
    sheets = {c.name: c for c in compare_outputs.compare_workbooks(old, later)}
    assert sheets["_goalsheet_plan"].differing == 0 and sheets["_goalsheet_plan"].stamps == 2   # C1 and A3
    other = write_book(tmp_path / "other.xlsx", embedded("2026-11-27T09:30:02", 13))
    sheets = {c.name: c for c in compare_outputs.compare_workbooks(old, other)}
    assert sheets["_goalsheet_plan"].differing == 1
