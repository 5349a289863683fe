"""Raw sheets -> a validated `SellerBook`, every problem collected (SPEC.md sections 2, 3.2 defaults, 6).

`build_book(grids)` is the one pipeline behind both `inputs.load` (a file) and `inputs.from_rows`
(rows in memory): find the sheets and their header rows, parse every column by its schema kind,
check ranges and references, apply the constant and marketplace defaults (recording each in
`SellerBook.defaults`), and return the book, or None when there is any error.

The sheets by module: `common` (a sheet's table, formula cells, duplicates), `settings` (Settings, FX),
`stores` (Stores, SKUs, the Sales and FX checks), `launches` (Launches, Expenses, Bonus, operators on Team).
`build_book` calls each builder through this package, so a test can wrap one (`validate.build_skus`).
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from goalsheet.inputs.columns import ProblemSink
from goalsheet.inputs.model import Default, Problem, SellerBook
from goalsheet.inputs.read import WorkbookReading
from goalsheet.inputs.sales import read_sales
from goalsheet.inputs.scenarios import read_scenarios
from goalsheet.inputs.schema import BONUS, EXPENSES, LAUNCHES, SKUS, STORES, TEAM
from goalsheet.inputs.tables import Grid, Table, cyclic_gc_paused, match_sheets
from goalsheet.inputs.validate.common import (FORMULA_MESSAGE, _letter, check_duplicates, empty_frame, named,
                                             read_table, report_formulas, table_or_empty)
from goalsheet.inputs.validate.launches import (build_bonus, build_expenses, build_launches, check_operators_on_team,
                                               unknown_store)
from goalsheet.inputs.validate.settings import (SETTINGS_TABLE, parse_setting, read_fx, read_settings, setting_at,
                                               setting_name)
from goalsheet.inputs.validate.stores import build_skus, build_stores, check_fx, check_sales

__all__ = [
    "FORMULA_MESSAGE", "SETTINGS_TABLE", "build_bonus", "build_book", "build_expenses", "build_launches",
    "build_skus", "build_stores", "check_duplicates", "check_fx", "check_operators_on_team", "check_sales",
    "empty_frame", "match_sheets", "named", "parse_setting", "read_fx", "read_settings", "read_table",
    "report_formulas", "setting_at", "setting_name", "table_or_empty", "unknown_store",
]


def build_book(grids: Mapping[str, Grid], source_name: str = "", source_sha256: str = "",
               problems: list[Problem] | None = None) -> tuple[SellerBook | None, list[Problem]]:
    """The grids read, validated into a SellerBook (None when there are errors) and every problem found.

    `grids` may be a `WorkbookReading`: each sheet is then validated as soon as it is parsed, the small ones
    while Sales is still being parsed."""
    with cyclic_gc_paused():      # a million-row Sales sheet: see cyclic_gc_paused
        return _build_book(grids, source_name, source_sha256, problems)


def _build_book(grids: Mapping[str, Grid], source_name: str = "", source_sha256: str = "",
                problems: list[Problem] | None = None) -> tuple[SellerBook | None, list[Problem]]:
    problems = list(problems or [])
    sheet_map, sheet_problems, lang = match_sheets(list(grids))
    problems += sheet_problems
    sink = ProblemSink(problems)
    defaults: list[Default] = []

    def grid_of(key: str) -> Grid | None:
        return grids.get(sheet_map[key]) if key in sheet_map else None

    sales_name = sheet_map.get("Sales")
    sales_formulas_at = None     # where the Sales sheet's formula cells are listed: see below
    for name in grids:
        if name == sales_name:
            sales_formulas_at = len(problems)
            continue
        if isinstance(grids, WorkbookReading) and not grids.may_hold_formulas(name):
            continue             # a sheet of a workbook still being read is waited for only if it has formulas
        grid = grids[name]
        if grid.formula_scan is not None:
            grid.formula_cells, grid.formula_scan = grid.formula_scan(), None
        report_formulas(grid, sink)

    cells: dict[tuple[str, object, str], str] = {}
    settings = read_settings(grid_of("Settings"), sink, problems, defaults, cells)
    base = settings.get("base_currency", "CNY")

    stores_table = read_table(grid_of("Stores"), STORES, sink, problems)
    if stores_table is not None and not len(stores_table.data):
        stores_table = None      # a Stores sheet with no rows (a new workbook's, its example skipped): as absent
    fx = read_fx(grid_of("FX"), base, sink, problems)
    skus_table = read_table(grid_of("SKUs"), SKUS, sink, problems)
    if skus_table is not None and not len(skus_table.data):
        problems.append(Problem(skus_table.sheet, skus_table.first_row_to_fill(), code="sheet_no_rows",
                                args={"sheet": SKUS.key, "sheet_zh": SKUS.zh}))
    # With a Stores sheet, Stores and SKUs need nothing from Sales: built first (while a reader may still be
    # parsing Sales), their problems are listed after the Sales sheet's all the same.
    early: list[Problem] = []
    if stores_table is not None:
        stores, store_info, skus = _stores_and_skus(stores_table, None, None, skus_table, early, defaults)

    sales_grid = grid_of("Sales")
    if sales_grid is not None:
        # its formula cells (found with the grid) listed in sheet order, where the loop above passed it: Settings,
        # Stores and SKUs were validated meanwhile, while the Sales sheet was still being parsed
        found: list[Problem] = []
        report_formulas(sales_grid, ProblemSink(found))
        problems[sales_formulas_at:sales_formulas_at] = found
        sales, sales_tab, sales_info = read_sales(sales_grid, sink, problems)
        if sales_grid.formula_scan is not None and sales_info.get("has_blanks", True):
            sales_grid.formula_cells, sales_grid.formula_scan = sales_grid.formula_scan(), None
            report_formulas(sales_grid, sink)
        sink.flush()
    else:
        from goalsheet.inputs.sales import empty_sales
        sales, sales_tab, sales_info = empty_sales(), None, {"form": None}

    if stores_table is None:
        stores, store_info, skus = _stores_and_skus(None, sales, sales_grid, skus_table, problems, defaults)
    problems += early

    check_sales(sales, sales_info, sales_tab, sales_grid, skus, skus_table, store_info,
                stores_table is not None, sink, problems, defaults)
    check_fx(stores, stores_table, fx, base, grid_of("FX"), problems)

    team_table = read_table(grid_of("Team"), TEAM, sink, problems)
    team = table_or_empty(team_table, TEAM, sink)
    launches_table = read_table(grid_of("Launches"), LAUNCHES, sink, problems)
    launches = build_launches(launches_table, store_info, sink, defaults)
    if launches_table is not None and "unit_cost" in launches_table.columns:
        for pos in range(len(launches)):
            cells[("Launches", pos, "unit_cost")] = launches_table.cell(pos, "unit_cost")
    expenses = build_expenses(read_table(grid_of("Expenses"), EXPENSES, sink, problems), store_info, sink)
    bonus = build_bonus(read_table(grid_of("Bonus"), BONUS, sink, problems), sink)
    scenarios = read_scenarios(grid_of("Scenarios"), settings, problems)
    check_duplicates(team, "operator", team_table, problems, "operator")
    check_operators_on_team(team, [stores_table, skus_table, launches_table], problems)
    sink.flush()

    problems = _drop_blank_formula_echoes(problems, grids)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        return None, problems
    book = SellerBook(settings=settings, sales=sales, skus=skus, stores=stores, fx=fx, team=team,
                      launches=launches, expenses=expenses, bonus=bonus, defaults=defaults,
                      problems=[p for p in problems if p.severity != "error"], source_name=source_name,
                      source_sha256=source_sha256, lang=lang, sheet_names=dict(sheet_map), cells=cells,
                      derived=_derived(grids, skus, defaults), scenarios=scenarios)
    return book, problems


def _derived(grids: Mapping[str, Grid], skus: pd.DataFrame, defaults: list[Default]) -> dict:
    """The SKUs cells `goalsheet import` derived from a report (its Imports sheet) that still hold that value."""
    from goalsheet.inputs.derived import derived_cells, derived_lines, imports_sheet_name

    name = imports_sheet_name(list(grids))
    if name is None:
        return {}
    defaulted = {(d.row, d.column) for d in defaults if d.sheet == "SKUs"}
    return derived_cells(derived_lines(grids[name].rows), skus, defaulted)


def _stores_and_skus(stores_table: Table | None, sales: pd.DataFrame | None, sales_grid: Grid | None,
                     skus_table: Table | None, problems: list[Problem],
                     defaults: list[Default]) -> tuple[pd.DataFrame, dict, pd.DataFrame]:
    """Stores (from Sales only when there is no Stores sheet), each store's row by name, and SKUs."""
    stores = build_stores(stores_table, sales, sales_grid, problems, defaults)
    store_info = {r.store: r for r in stores.itertuples(index=False)}
    return stores, store_info, build_skus(skus_table, store_info, problems, defaults)


def _drop_blank_formula_echoes(problems: list[Problem], grids: dict[str, Grid]) -> list[Problem]:
    """A formula with no saved value reads as blank: report the formula, not also "is blank"."""
    formula_cells = {(name, f"{_letter(c)}{r + 1}") for name, g in grids.items() for r, c in g.formula_cells}
    if not formula_cells:
        return problems
    return [p for p in problems if not ((p.sheet, p.cell) in formula_cells and "is blank" in p.message)]
