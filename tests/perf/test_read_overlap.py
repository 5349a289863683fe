"""The workbook is parsed on worker threads while the caller starts up and validates the small sheets
(inputs/read.py `reading`, inputs/validate `build_book`; docs/performance.md "Reading while starting up").

What must hold whatever the threads do: the same book and problems, the same error for a sheet that cannot
be parsed (the first such sheet in workbook order), no worker left running, and no pandas imported before
the parse has started.  No timings here: the overlap itself is shown by making the Sales parse wait until
the SKUs sheet has been validated, which could never finish if the two ran one after the other.
"""
from __future__ import annotations

import copy
import gc
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import goalsheet.inputs.read as read
import goalsheet.inputs.validate as validate
from goalsheet.inputs import from_rows, load, reading
from goalsheet.inputs.read import read_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "inputs"))
from broken import golden, rows_to_xlsx  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
WAIT = 20          # seconds; only reached when the overlap is broken (the test then fails, not hangs)


def _workers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("goalsheet-read")]


def _problems(problems) -> list[str]:
    return [str(p) for p in problems]


@pytest.fixture
def seller(tmp_path) -> Path:
    """The golden seller as an .xlsx: sheets Settings, Stores, FX, SKUs, Sales (the largest), Team, ..."""
    return rows_to_xlsx(golden(), tmp_path / "seller.xlsx")


@pytest.fixture
def parsed(monkeypatch):
    """Each sheet parsed, as (sheet, thread name), in the order the workers parse them."""
    log: list[tuple[str, str]] = []
    parse = read._parse_sheet

    def logged(wb, name):
        log.append((name, threading.current_thread().name))
        return parse(wb, name)

    monkeypatch.setattr(read, "_parse_sheet", logged)
    return log


@pytest.fixture
def skus_built(monkeypatch) -> threading.Event:
    """Set once build_skus has built the SKUs (validate.build_skus wrapped for the test)."""
    built = threading.Event()
    build_skus = validate.build_skus

    def build_skus_then_release(*args):
        frame = build_skus(*args)
        built.set()
        return frame

    monkeypatch.setattr(validate, "build_skus", build_skus_then_release)
    return built


def test_importing_the_reader_imports_no_pandas():
    """The CLI, the pipeline and `inputs.reading` load without pandas (0.25 s), so the parse starts first."""
    code = ("import sys, goalsheet.cli, goalsheet.pipeline\n"
            "from goalsheet.inputs import load, reading\n"
            "print(sorted(m for m in ('pandas', 'numpy') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_run_plan_starts_the_parse_before_importing_pandas(seller, tmp_path):
    """`goalsheet plan`'s library call: the workers start before pandas, the planner or the output are imported."""
    code = ("import sys\n"
            "from pathlib import Path\n"
            "import goalsheet.inputs.read as read\n"
            "start = read.WorkbookReading.start\n"
            "seen = []\n"
            "def spy(self):\n"
            "    seen.append(sorted(m for m in ('pandas', 'goalsheet.plan', 'goalsheet.report') if m in sys.modules))\n"
            "    start(self)\n"
            "read.WorkbookReading.start = spy\n"
            "from goalsheet.pipeline import PlanRequest, run_plan\n"
            f"result = run_plan(PlanRequest(input=Path({str(seller)!r}), output=Path({str(tmp_path / 'p.xlsx')!r})))\n"
            "print(result.ok, seen)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "True [[]]"


def test_the_largest_sheet_is_parsed_alone_and_the_others_in_workbook_order(seller, parsed):
    grids, _sha, problems = read_workbook(seller)
    assert problems == [] and list(grids) == list(golden())
    threads = dict(parsed)
    assert [name for name, _ in parsed if name != "Sales"] == [n for n in golden() if n != "Sales"]
    assert len({threads[n] for n in golden() if n != "Sales"}) == 1
    assert threads["Sales"] != threads["Settings"]


def test_small_sheets_are_validated_while_sales_is_still_being_parsed(seller, monkeypatch, skus_built):
    """The Sales parse is held until SKUs are built (and a formula with no value in SKUs F2 reported): the
    load completes, so build_book did all that with no Sales grid; the book and problems are as from rows."""
    path = rows_to_xlsx(golden(), seller.with_name("f.xlsx"), formulas={("SKUs", "F2"): "=39.99*1"})
    parse = read._parse_sheet

    def sales_held(wb, name):
        if name == "Sales" and not skus_built.wait(WAIT):
            raise AssertionError("SKUs were not built while Sales was being parsed")
        return parse(wb, name)

    monkeypatch.setattr(read, "_parse_sheet", sales_held)
    book, problems = load(path)
    assert book is None
    assert _problems(problems) == ["SKUs!F2: " + validate.FORMULA_MESSAGE]



def test_small_sheets_are_validated_while_the_largest_sheets_formula_scan_runs(seller, monkeypatch, skus_built):
    """The Sales sheet's own formula scan (after the small sheets', on their worker) is held until SKUs are built:
    the load completes, so build_book did not wait for it before validating Settings, Stores and SKUs."""
    path = rows_to_xlsx(golden(), seller.with_name("f.xlsx"), formulas={("SKUs", "F2"): "=39.99*1",
                                                                         ("Sales", "D3"): "=1+1"})
    scan = read.formulas_without_value
    asked = []

    def sales_scan_held(path, only=None, skip_large=False):
        asked.append(only)
        if only == {"Sales"} and not skus_built.wait(WAIT):
            raise AssertionError("SKUs were not built while the Sales sheet was being scanned")
        return scan(path, only, skip_large)

    monkeypatch.setattr(read, "formulas_without_value", sales_scan_held)
    book, problems = load(path)
    assert book is None
    assert [p.where for p in problems if p.severity == "error"][:2] == ["SKUs!F2", "Sales!D3"]
    assert {"Sales"} in asked            # the Sales sheet was scanned on its own


def test_the_sales_sheets_formula_cells_keep_their_place_in_sheet_order(tmp_path):
    """Sales before SKUs in the workbook: its formula cell is listed first, before SKUs' and before every other
    problem, whether the sheets come from a workbook being read or from grids read beforehand."""
    sheets = golden()
    sheets = {"Sales": sheets.pop("Sales"), **sheets}
    sheets["Settings"] = [r if r[0] != "base_currency" else ["base_currency", "XYZ"] + list(r[2:])
                          for r in sheets["Settings"]]
    path = rows_to_xlsx(sheets, tmp_path / "sales_first.xlsx", formulas={("SKUs", "F2"): "=39.99*1",
                                                                        ("Sales", "D3"): "=1+1"})
    _, problems = load(path)
    where = [p.where for p in problems]
    assert where[:2] == ["Sales!D3", "SKUs!F2"], where
    assert any(w.startswith("Settings!") for w in where[2:])
    grids, sha, read_problems = read_workbook(path)
    _, again = validate.build_book(grids, source_name=path.name, source_sha256=sha, problems=read_problems)
    assert _problems(again) == _problems(problems)

def test_the_first_sheet_in_workbook_order_that_fails_is_the_error(seller, monkeypatch):
    """Stores (2nd sheet, small-sheet worker) and Sales (5th, its own worker) both fail: Stores is reported,
    as when the sheets were read one by one; with Sales alone failing, Sales; nothing else either way."""
    parse = read._parse_sheet
    failing: set[str] = set()

    def parse_or_fail(wb, name):
        if name in failing:
            raise ValueError(f"bad {name}")
        return parse(wb, name)

    monkeypatch.setattr(read, "_parse_sheet", parse_or_fail)
    message = ("file: seller.xlsx cannot be read as a workbook (ValueError: bad {}); "
               "open it in Excel and save it as .xlsx")
    for sheets, reported in (({"Stores", "Sales"}, "Stores"), ({"Sales"}, "Sales"), ({"Expenses"}, "Expenses")):
        failing.clear()
        failing.update(sheets)
        book, problems = load(seller)
        assert book is None and _problems(problems) == [message.format(reported)], sheets
        grids, sha, problems = read_workbook(seller)
        assert grids is None and len(sha) == 64 and _problems(problems) == [message.format(reported)]
        assert _workers() == []


def test_an_unmatched_sheet_that_fails_still_makes_the_file_unreadable(tmp_path, monkeypatch):
    """A "Notes" sheet build_book never looks at: its failure is found after validation, and wins."""
    sheets = golden()
    sheets["Notes"] = [["anything"]]
    path = rows_to_xlsx(sheets, tmp_path / "notes.xlsx")
    parse = read._parse_sheet
    monkeypatch.setattr(read, "_parse_sheet",
                        lambda wb, name: (_ for _ in ()).throw(KeyError(name)) if name == "Notes" else parse(wb, name))
    book, problems = load(path)
    assert book is None
    assert _problems(problems) == ["file: notes.xlsx cannot be read as a workbook (KeyError: 'Notes'); "
                                   "open it in Excel and save it as .xlsx"]


def test_a_handle_that_will_not_close_makes_the_file_unreadable_as_before(seller, monkeypatch):
    """calamine's close used to run on the main thread inside the read's `except Exception`: an error there was
    the file's problem.  On a worker it still is (and the caller is not left waiting for the formula scan)."""
    close = read._close_workbook

    def close_and_fail(fh, wb):
        close(fh, wb)
        raise RuntimeError("close")

    monkeypatch.setattr(read, "_close_workbook", close_and_fail)
    book, problems = load(seller)
    assert book is None
    assert _problems(problems) == ["file: seller.xlsx cannot be read as a workbook (RuntimeError: close); "
                                   "open it in Excel and save it as .xlsx"]
    assert _workers() == []


def test_leaving_the_block_early_stops_after_the_sheet_in_hand_and_joins(seller, monkeypatch):
    """An exception (Ctrl-C, say) while Settings is being parsed: the block ends, the workers are joined,
    no sheet after Settings is parsed, and the garbage collector is back on."""
    parse, close, log = read._parse_sheet, read.WorkbookReading.close, []
    started, closing = threading.Event(), threading.Event()

    def slow_settings(wb, name):
        log.append(name)
        if name == "Settings":
            started.set()
            closing.wait(WAIT)                # the block's end comes while Settings is in hand
        return parse(wb, name)

    def close_spied(self):
        closing.set()
        close(self)

    monkeypatch.setattr(read, "_parse_sheet", slow_settings)
    monkeypatch.setattr(read.WorkbookReading, "close", close_spied)
    assert gc.isenabled()
    with pytest.raises(KeyboardInterrupt):
        with reading(seller):
            assert started.wait(WAIT)
            assert not gc.isenabled()
            raise KeyboardInterrupt
    assert _workers() == [] and gc.isenabled()
    assert [n for n in log if n != "Sales"] == ["Settings"]


def test_problems_keep_their_order_with_stores_and_skus_built_before_sales():
    """A bad month in Sales A10, Acme US twice in Stores (row 4) and US-LAMP-01 twice in SKUs (row 8): listed
    Sales, then Stores, then SKUs, the order of the one-by-one pipeline (sales read, then stores, then SKUs)."""
    sheets = golden()
    sheets["Sales"][9][0] = "sometime"
    sheets["Stores"].append(copy.deepcopy(sheets["Stores"][1]))
    sheets["SKUs"].append(copy.deepcopy(sheets["SKUs"][1]))
    _book, problems = from_rows(sheets)
    where = [p.where for p in problems if p.severity == "error"]
    assert where == ["Sales!A10", "Stores!A4", "SKUs!B8"], where


def test_a_package_misnamed_xls_is_read_by_its_bytes(seller, tmp_path):
    """An xlsx package named .xls gives the same book: calamine is given a file object, and tells the format
    by the bytes (opened by path, it would pick its reader by the name)."""
    renamed = tmp_path / "seller.xls"
    renamed.write_bytes(seller.read_bytes())
    book, problems = load(seller)
    again, problems_again = load(renamed)
    assert book is not None and again is not None and _problems(problems) == _problems(problems_again)
    assert book.sales.equals(again.sales) and book.skus.equals(again.skus)
    assert _workers() == []
