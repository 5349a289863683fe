"""Raw sheets -> a validated `SellerBook`, every problem collected (SPEC.md sections 2, 3.2 defaults, 6).

`build_book(grids)` is the one pipeline behind both `inputs.load` (a file) and `inputs.from_rows`
(rows in memory): find the sheets and their header rows, parse every column by its schema kind,
check ranges and references, apply the constant and marketplace defaults (recording each in
`SellerBook.defaults`), and return the book, or None when there is any error.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from goalsheet.inputs import schema
from goalsheet.inputs.columns import ProblemSink, enum_value, parse_columns, range_message
from goalsheet.inputs.model import REASON_DEFAULT, Default, Problem, SellerBook, defaults_of
from goalsheet.inputs.read import WorkbookReading
from goalsheet.inputs.sales import read_sales
from goalsheet.inputs.scenarios import read_scenarios
from goalsheet.inputs.schema import (BONUS, EXPENSES, FX, LAUNCHES, SETTINGS, SKUS, STORES, TEAM, Column, Sheet,
                                     normalise)
from goalsheet.inputs.tables import (Grid, Table, _lookup, build_table, closest, cyclic_gc_paused, find_header,
                                     match_sheets, missing_columns_problems)
from goalsheet.inputs.values import BadValue, _fmt, is_blank, parse_month, parse_number, percent_text, rate_value
from goalsheet.words import PROBLEMS, TERMS, Phrase, Term

# The two columns of the Settings sheet (its schema columns are the keys).
SETTINGS_TABLE = Sheet("Settings", "设置", columns=(
    Column("key", "参数", required=True, aliases=("参数名", "setting", "name", "项目", "key参数", "参数key")),
    Column("value", "值", required=True, aliases=("数值", "取值", "设置值", "value值", "值value")),
    Column("note", "说明", aliases=("备注", "notes", "comment", "description")),
))

FORMULA_MESSAGE = PROBLEMS["formula_no_value"][0]


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


def report_formulas(grid: Grid, sink: ProblemSink) -> None:
    for (r, c) in sorted(grid.formula_cells):
        shown = grid.formula_cells[(r, c)]
        message = Phrase("formula_no_value") if shown is None else Phrase("formula_error", {"error": shown})
        sink.add(grid.name, f"{_letter(c)}{r + 1}", message, column=f"formula:{grid.name}")
    sink.flush()


def _drop_blank_formula_echoes(problems: list[Problem], grids: dict[str, Grid]) -> list[Problem]:
    """A formula with no saved value reads as blank: report the formula, not also "is blank"."""
    formula_cells = {(name, f"{_letter(c)}{r + 1}") for name, g in grids.items() for r, c in g.formula_cells}
    if not formula_cells:
        return problems
    return [p for p in problems if not ((p.sheet, p.cell) in formula_cells and "is blank" in p.message)]


def _letter(c: int) -> str:
    from goalsheet.inputs.tables import col_letter
    return col_letter(c)


# ---------------------------------------------------------------- generic tables

def read_table(grid: Grid | None, sheet: Sheet, sink: ProblemSink, problems: list[Problem]) -> Table | None:
    """The sheet's table with its header row found, or None (absent sheet, or problems recorded)."""
    if grid is None:
        return None
    header, cols, heads, unmatched, best = find_header(grid, sheet)
    if header is None:
        if not any(any(v not in (None, "") for v in row) for row in grid.rows):
            if sheet.required:
                problems.append(Problem(grid.name, "", code="sheet_empty",
                                        args={"sheet": sheet.key, "sheet_zh": sheet.zh}))
            return None
        problems.extend(missing_columns_problems(grid, sheet, best))
        return None
    table = build_table(grid, sheet, header, cols, heads, unmatched)
    problems.extend(table.notes)
    table.parsed = parse_columns(table, sink)      # type: ignore[attr-defined]
    sink.flush()
    return table


def table_or_empty(table: Table | None, sheet: Sheet, sink: ProblemSink) -> pd.DataFrame:
    if table is None:
        return empty_frame(sheet)
    frame = table.parsed.copy()                    # type: ignore[attr-defined]
    for c in sheet.columns:
        if c.default is not None and c.key in frame:
            if c.kind in ("money", "number", "rate", "int"):
                frame[c.key] = frame[c.key].fillna(c.default)
            else:
                frame[c.key] = frame[c.key].where(frame[c.key].notna(), c.default)
    return frame


def empty_frame(sheet: Sheet) -> pd.DataFrame:
    return pd.DataFrame({c.key: pd.Series([], dtype="float64" if c.kind in ("money", "number", "rate", "int")
                                          else object) for c in sheet.columns})


# ---------------------------------------------------------------- Settings

def setting_name(column: Column) -> Phrase:
    """A setting as a sentence names it: its key in English, its Chinese name in Chinese."""
    return Phrase("setting_name", {"key": column.key, "name_zh": column.zh})


def parse_setting(column: Column, value: object, where: str) -> tuple[object, list[tuple[str, Phrase]]]:
    """One Settings value by its kind: (value, [(severity, message)]). Raises BadValue."""
    notes: list[tuple[str, Phrase]] = []
    if is_blank(value):
        return None, notes     # a blank value takes the default
    name = setting_name(column)
    if column.kind in ("money", "number", "rate", "int"):
        v, had_percent = parse_number(value)
        if v is None:
            return None, notes
        as_rate = column.kind == "rate"
        if as_rate:
            v2, shifted = rate_value(v, had_percent, column.lo, column.hi)
            if shifted:
                notes.append(("warning", Phrase("read_as_percent", {"header": name, "value": _fmt(v)})))
            v = v2
        if column.kind == "int":
            if v != round(v):
                raise BadValue("not_whole_number", header=name, value=_fmt(v))
            v = int(round(v))
        why = range_message(column, name, float(v), had_percent, as_rate)
        if why:
            raise BadValue(why.code, **why.args)
        return v, notes
    if column.kind == "enum":
        return enum_value(column, value), notes
    if column.kind == "list":
        text = str(value).strip()
        word = schema.choice_code("seasonality", text)
        if word is not None:
            return word, notes
        parts = [p for p in text.replace("，", ",").replace(";", ",").replace(" ", ",").split(",") if p]
        try:
            nums = [parse_number(p)[0] for p in parts]
        except BadValue:
            nums = []
        if len(nums) != 12 or any(x is None or x <= 0 for x in nums):
            raise BadValue("seasonality_setting_bad", text=text)
        mean = sum(nums) / 12
        if abs(mean - 1) > 0.05:
            notes.append(("warning", Phrase("seasonality_not_mean_one", {"mean": _fmt(round(mean, 4))})))
        return tuple(float(x) / mean for x in nums), notes
    if column.kind == "month":
        return parse_month(value), notes
    text = str(value).strip()
    return (text or None), notes


def read_settings(grid: Grid | None, sink: ProblemSink, problems: list[Problem],
                  defaults: list[Default], cells: dict | None = None) -> dict:
    """Settings: key -> value parsed by kind, constant defaults applied and recorded; each given value's cell
    in `cells` as ("Settings", key, "value")."""
    settings: dict = {}
    found: dict[str, str] = {}
    blank_at: dict[str, str] = {}      # key -> its value cell, for the keys listed with no value
    reported: set[str] = set()
    if grid is not None:
        header, cols, heads, unmatched, best = find_header(grid, SETTINGS_TABLE)
        key_col, value_col, start = 0, 1, 0
        if header is not None:
            key_col, value_col, start = cols["key"], cols["value"], header + 1
        elif not _headerless_settings(grid):
            problems.extend(missing_columns_problems(grid, SETTINGS_TABLE, best))
            grid = None
    if grid is not None:
        index = {}
        for c in SETTINGS.columns:
            for n in (c.key, c.zh, f"{c.key}{c.zh}", f"{c.zh}{c.key}", *c.aliases):
                index[normalise(n)] = c.key
        for i in range(start, len(grid.rows)):
            row = grid.rows[i]
            k = row[key_col] if key_col < len(row) else None
            v = row[value_col] if value_col < len(row) else None
            blank_value = v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and math.isnan(v))
            if k is None or (isinstance(k, str) and not k.strip()) or (isinstance(k, float) and math.isnan(k)):
                if not blank_value:
                    problems.append(Problem(grid.name, grid.a1(i, key_col), severity="warning",
                                            code="setting_value_no_key"))
                continue
            if blank_value and normalise(k) in _SECTION_TITLES:
                continue               # a section title of `goalsheet init`'s Settings sheet
            key = _lookup(index, k)
            cell = grid.a1(i, value_col)
            if key is None:
                sugg = _closest_setting(str(k))
                problems.append(Problem(grid.name, grid.a1(i, key_col), severity="warning", code="setting_unknown",
                                        args={"key": k, "hint": Phrase("did_you_mean_setting", {"name": sugg})
                                              if sugg else ""}))
                continue
            if key in found:
                problems.append(Problem(grid.name, grid.a1(i, key_col), code="setting_twice",
                                        args={"key": setting_name(SETTINGS.column(key)), "first": found[key]}))
                continue
            found[key] = grid.a1(i, key_col)
            column = SETTINGS.column(key)
            try:
                value, notes = parse_setting(column, v, cell)
            except BadValue as e:
                why = e.phrase if str(e).startswith(key) else Phrase("cell_value", {"header": setting_name(column),
                                                                                    "reason": e.phrase})
                problems.append(Problem(grid.name, cell, code=why.code, args=why.args))
                reported.add(key)      # already reported at its cell: not "missing" as well
                continue
            for severity, why in notes:
                problems.append(Problem(grid.name, cell, severity=severity, code=why.code, args=why.args))
            if value is not None:
                settings[key] = value
                if cells is not None:
                    cells[("Settings", key, "value")] = cell
            else:
                blank_at[key] = cell
    sheet_name = grid.name if grid is not None else "Settings"
    for c in SETTINGS.columns:
        if c.key in settings:
            continue
        if c.required and c.key in reported:
            continue
        if c.required:
            note = Term("setting_note", c.key) if c.note else Phrase("it_is_required")
            if c.key in blank_at:      # listed with a blank value (a new workbook): point at the cell to fill
                problems.append(Problem(sheet_name, blank_at[c.key], code="setting_blank",
                                        args={"key": c.key, "name_zh": c.zh, "note": note}))
            else:
                problems.append(Problem(sheet_name, found.get(c.key, ""), code="setting_missing",
                                        args={"key": c.key, "name_zh": c.zh, "note": note}))
        elif c.default is not None:
            settings[c.key] = c.default
            defaults.append(Default("Settings", c.key, c.key, c.default, REASON_DEFAULT))
    if settings.get("target_mode") == "total" and "target_total" not in settings:
        problems.append(Problem(sheet_name, found.get("target_mode", ""), code="target_total_not_given"))
    return settings


_SECTION_TITLES = {normalise(w) for words in TERMS["settings_section"].values() for w in words}


def _closest_setting(text: str) -> str | None:
    import difflib
    names = {normalise(c.key): c.key for c in SETTINGS.columns}
    names.update({normalise(c.zh): c.key for c in SETTINGS.columns})
    near = difflib.get_close_matches(normalise(text), list(names), n=1, cutoff=0.7)
    return names[near[0]] if near else None


def _headerless_settings(grid: Grid) -> bool:
    """A Settings sheet with no header row: key/value pairs straight away in columns A and B."""
    index = {normalise(n): c.key for c in SETTINGS.columns for n in (c.key, c.zh)}
    return any(row and isinstance(row[0], str) and _lookup(index, row[0]) for row in grid.rows[:5])


# ---------------------------------------------------------------- FX

def read_fx(grid: Grid | None, base: str, sink: ProblemSink, problems: list[Problem]) -> dict[str, float]:
    fx = {base: 1.0}
    table = read_table(grid, FX, sink, problems)
    if table is None:
        return fx
    frame = table.parsed                           # type: ignore[attr-defined]
    first: dict[str, str] = {}
    for pos, (cur, rate) in enumerate(zip(frame["currency"], frame["rate"])):
        if cur is None or rate is None or (isinstance(rate, float) and math.isnan(rate)):
            continue
        cell = table.cell(pos, "currency")
        if cur in first:
            problems.append(Problem(table.sheet, cell, code="currency_twice",
                                    args={"currency": cur, "first": first[cur]}))
            continue
        first[cur] = cell
        if cur == base:
            if abs(rate - 1) > 1e-12:
                problems.append(Problem(table.sheet, table.cell(pos, "rate"), severity="warning",
                                        code="base_currency_rate", args={"currency": cur, "rate": _fmt(rate)}))
            continue
        fx[cur] = float(rate)
    return fx


# ---------------------------------------------------------------- Stores

def build_stores(table: Table | None, sales: pd.DataFrame | None, sales_grid: Grid | None,
                 problems: list[Problem], defaults: list[Default]) -> pd.DataFrame:
    """Stores with marketplace, currency, monthly_fee and referral_min filled by marketplace defaults."""
    if table is None:
        names = list(dict.fromkeys(sales["store"].tolist())) if len(sales) else []
        frame = pd.DataFrame({c.key: pd.Series([None] * len(names) if c.kind not in ("money", "number", "rate")
                                               else [np.nan] * len(names), dtype=object if c.kind not in
                                               ("money", "number", "rate") else "float64")
                              for c in STORES.columns})
        frame["store"] = pd.Series(names, dtype=object)
        if names:
            problems.append(Problem(sales_grid.name if sales_grid else "", "", severity="warning",
                                    code="no_stores_sheet"))
        positions = {}
    else:
        frame = table.parsed.copy()                # type: ignore[attr-defined]
        positions = {}
        keep = []
        for pos, s in enumerate(frame["store"]):
            if s is None:
                keep.append(False)
                continue
            if s in positions:
                problems.append(Problem(table.sheet, table.cell(pos, "store"), code="store_twice",
                                        args={"store": s, "first": table.cell(positions[s], "store")}))
                keep.append(False)
                continue
            positions[s] = pos
            keep.append(True)
        frame = frame[np.array(keep, dtype=bool)].reset_index(drop=True)
    missing_by_store: dict[str, list[str]] = {}
    rows = []
    for r in frame.to_dict("records"):
        store = r["store"]
        if r["marketplace"] is None:
            r["marketplace"] = "US"
            defaults.append(Default("Stores", store, "marketplace", "US", REASON_DEFAULT))
        m = r["marketplace"]
        if r["currency"] is None:
            cur = schema.MARKET_CURRENCY.get(m)
            if cur is None:
                cur = "USD"
                missing_by_store.setdefault(store, []).append("currency")
            r["currency"] = cur
            defaults.append(Default("Stores", store, "currency", cur, Phrase("reason_marketplace", {"marketplace": m})))
        for key, table_ in (("monthly_fee", schema.MARKET_MONTHLY_FEE),):
            if _blank_num(r[key]):
                value = table_.get(m)
                if value is None:
                    value = 0.0
                    missing_by_store.setdefault(store, []).append(key)
                r[key] = float(value)
                defaults.append(Default("Stores", store, key, float(value), Phrase("reason_marketplace", {"marketplace": m})))
        if _blank_num(r["referral_min"]):
            value = schema.CURRENCY_REFERRAL_MIN.get(r["currency"])
            if value is None:
                value = 0.0
                missing_by_store.setdefault(store, []).append("referral_min")
            r["referral_min"] = float(value)
            defaults.append(Default("Stores", store, "referral_min", float(value),
                                    Phrase("reason_currency", {"currency": r["currency"]})))
        for key, table_ in (("vat_rate", schema.MARKET_VAT), ("dst_rate", schema.MARKET_DST)):
            if m not in table_:
                missing_by_store.setdefault(store, []).append(key)
        rows.append(r)
    for store, keys in missing_by_store.items():
        m = next(r["marketplace"] for r in rows if r["store"] == store)
        where = table.cell(positions[store], "marketplace") if table is not None and "marketplace" in table.columns \
            and store in positions else (table.cell(positions[store], "store") if table is not None and store in
                                         positions else "")
        problems.append(Problem(table.sheet if table is not None else "Stores", where, severity="warning",
                                code="marketplace_no_default",
                                args={"marketplace": m, "store": store, "keys": ", ".join(keys)}))
    out = pd.DataFrame(rows, columns=[c.key for c in STORES.columns])
    for c in STORES.columns:
        if c.kind in ("money", "number", "rate"):
            out[c.key] = out[c.key].astype("float64")
        else:
            out[c.key] = out[c.key].astype(object)
    if table is not None:
        out.attrs["cells"] = {s: table.cell(p, "store") for s, p in positions.items()}
    return out


def _blank_num(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


# ---------------------------------------------------------------- SKUs

def build_skus(table: Table | None, stores: dict, problems: list[Problem],
               defaults: list[Default]) -> pd.DataFrame:
    if table is None:
        return empty_frame(SKUS)
    parsed = table.parsed                          # type: ignore[attr-defined]
    # duplicates
    seen: dict[tuple, int] = {}
    keep = np.ones(len(parsed), dtype=bool)
    for pos, key in enumerate(zip(parsed["store"].tolist(), parsed["sku"].tolist())):
        store, sku = key
        if store is None or sku is None:
            continue
        if key in seen:
            problems.append(Problem(table.sheet, table.cell(pos, "sku"), code="sku_twice",
                                    args={"sku": sku, "store": store, "first": table.cell(seen[key], "sku")}))
            keep[pos] = False
            continue
        seen[key] = pos
        if stores and store not in stores:
            hint = closest("", [store], list(stores))
            problems.append(Problem(table.sheet, table.cell(pos, "store"), code="store_not_in_stores",
                                    args={"store": store, "hint": _hint(hint)}))
    # the columns as arrays (the rows kept), filled, and made into the frame once at the end
    every = bool(keep.all())
    dtypes = {k: parsed[k].dtype for k in parsed.columns}
    columns = {k: parsed[k].to_numpy() if every else parsed[k].to_numpy()[keep] for k in parsed.columns}
    store_col = columns["store"].tolist()
    identity = [f"{a} / {b}" for a, b in zip(store_col, columns["sku"].tolist())]
    for c in SKUS.columns:
        if c.default is None:
            continue
        values = columns[c.key]
        blank = np.isnan(values) if values.dtype.kind == "f" else pd.isna(values)
        if not blank.any():
            continue
        values = values.copy()
        values[blank] = c.default
        columns[c.key] = values
        defaults.extend(defaults_of("SKUs", c.key, ((identity[i], c.default, REASON_DEFAULT)
                                                    for i in np.flatnonzero(blank).tolist())))
    # marketplace defaults and the store's operator
    market = [stores[s].marketplace if s in stores else "US" for s in store_col]
    reason_of = {m: Phrase("reason_marketplace", {"marketplace": m}) for m in set(market)}
    for key, by_market in (("vat_rate", schema.MARKET_VAT), ("dst_rate", schema.MARKET_DST)):
        values = columns[key].astype("float64", copy=True)
        blank = np.flatnonzero(np.isnan(values)).tolist()
        if blank:
            values[blank] = [by_market.get(market[i], 0.0) for i in blank]
            defaults.extend(defaults_of("SKUs", key, zip([identity[i] for i in blank], values[blank].tolist(),
                                                         [reason_of[market[i]] for i in blank])))
        columns[key] = values
    ops = columns["operator"].astype(object, copy=True)
    filled = []
    of_store: dict[str, Phrase] = {}
    for i in np.flatnonzero(pd.isna(ops)).tolist():
        info = stores.get(store_col[i])
        if info is not None and named(info.operator):
            ops[i] = info.operator
            reason = of_store.get(info.store)
            if reason is None:
                reason = of_store[info.store] = Phrase("reason_operator_of_store", {"store": info.store})
            filled.append((identity[i], info.operator, reason))
    defaults.extend(defaults_of("SKUs", "operator", filled))
    columns["operator"] = ops
    dtypes["operator"] = np.dtype(object)
    return pd.DataFrame({k: pd.Series(v, dtype=dtypes[k], copy=False) for k, v in columns.items()})


# ---------------------------------------------------------------- Sales checks

def check_sales(sales: pd.DataFrame, info: dict, table: Table | None, grid: Grid | None, skus: pd.DataFrame,
                skus_table: Table | None, stores: dict, has_stores_sheet: bool, sink: ProblemSink,
                problems: list[Problem], defaults: list[Default]) -> None:
    if grid is None or info.get("form") is None:
        return
    if sales.empty:
        if table is not None and len(table.data):
            problems.append(Problem(grid.name, "", code="sales_no_usable_rows"))
        elif not any(p.sheet == grid.name and p.code in ("sales_no_rows", "sales_no_data") for p in problems):
            problems.append(Problem(grid.name, "", code="sales_no_data"))
        return
    from goalsheet.inputs.sales import first_cell
    known = set(zip(skus["store"], skus["sku"])) if len(skus) else set()
    pairs = info.get("pairs")
    if pairs is None:
        pairs = list(sales[["store", "sku"]].drop_duplicates().itertuples(index=False, name=None))
    reported_stores: set[str] = set()
    for store, sku in pairs:
        if not (has_stores_sheet and store not in stores) and (skus_table is None or (store, sku) in known):
            continue
        cell = first_cell(info, store, sku)
        if has_stores_sheet and store not in stores:
            if store not in reported_stores:
                hint = closest("", [store], list(stores))
                scell = cell.rstrip("0123456789")
                store_cell = (table.grid.a1(0, table.columns["store"]).rstrip("0123456789") + cell[len(scell):]
                              if table is not None and "store" in table.columns and cell else cell)
                problems.append(Problem(grid.name, store_cell, code="store_not_in_stores",
                                        args={"store": store, "hint": _hint(hint)}))
                reported_stores.add(store)
            continue
        if skus_table is not None and (store, sku) not in known:
            problems.append(Problem(grid.name, cell, code="sku_not_in_skus", args={"sku": sku, "store": store}))
    if info.get("units_missing") and len(skus):
        price = {(a, b): p * (1 - (q if q == q else 0)) for a, b, p, q in
                 zip(skus["store"], skus["sku"], skus["price"], skus["promo_rate"])}
        sell = np.array([price.get((a, b), np.nan) for a, b in zip(sales["store"], sales["sku"])])
        sales["units"] = np.round(sales["revenue"].to_numpy() / sell, 2)
        problems.append(Problem(grid.name, "", severity="warning", code="wide_sales_no_units"))
        defaults.append(Default("Sales", Phrase("all_rows"), "units", None, Phrase("reason_no_units")))


def check_fx(stores: pd.DataFrame, table: Table | None, fx: dict, base: str, fx_grid: Grid | None,
             problems: list[Problem]) -> None:
    cells = stores.attrs.get("cells", {})
    reported = set()
    for store, cur in zip(stores["store"], stores["currency"]):
        if cur is None or cur in fx or cur in reported:
            continue
        reported.add(cur)
        where_sheet = table.sheet if table is not None else (fx_grid.name if fx_grid else "FX")
        where = ""
        if table is not None and store in cells:
            where = (table.grid.a1(0, table.columns["currency"]).rstrip("0123456789") + cells[store].lstrip(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZ")) if "currency" in table.columns else cells[store]
        problems.append(Problem(where_sheet, where, code="store_currency_no_rate",
                                args={"store": store, "currency": cur, "base": base}))


# ---------------------------------------------------------------- Launches, Expenses, Bonus

def unknown_store(table: Table, pos: int, store: str | None, stores: dict, sink: ProblemSink) -> bool:
    """A row naming a store the workbook does not have: reported at its cell, with the closest name."""
    if store is None or store in stores:
        return False
    hint = closest("", [store], list(stores))
    sink.problems.append(Problem(table.sheet, table.cell(pos, "store"), code="store_unknown",
                                 args={"store": store, "hint": _hint(hint)}))
    return True


def build_launches(table: Table | None, stores: dict, sink: ProblemSink, defaults: list[Default]) -> pd.DataFrame:
    if table is None:
        return empty_frame(LAUNCHES)[["launch_month", "store", "operator", "count", "price", "monthly_units",
                                      "unit_cost"]]
    frame = table_or_empty(table, LAUNCHES, sink)
    for pos, store in enumerate(frame["store"]):
        if unknown_store(table, pos, store, stores, sink):
            continue
        if store is not None and not named(frame.at[pos, "operator"]) and named(stores[store].operator):
            frame.at[pos, "operator"] = stores[store].operator
            defaults.append(Default("Launches", f"{frame.at[pos, 'launch_month']} / {store}", "operator",
                                    stores[store].operator, Phrase("reason_operator_of_store", {"store": store})))
    if "count" not in table.columns:
        defaults.append(Default("Launches", Phrase("all_rows"), "count", 1, REASON_DEFAULT))
    return frame


def build_expenses(table: Table | None, stores: dict, sink: ProblemSink) -> pd.DataFrame:
    if table is None:
        return empty_frame(EXPENSES)
    frame = table_or_empty(table, EXPENSES, sink)
    for pos, store in enumerate(frame["store"]):
        unknown_store(table, pos, store, stores, sink)
    frame["months"] = pd.Series([m if m is not None else tuple(range(1, 13)) for m in frame["months"]],
                                dtype=object)
    return frame


def build_bonus(table: Table | None, sink: ProblemSink) -> pd.DataFrame:
    if table is None:
        return empty_frame(BONUS)
    frame = table_or_empty(table, BONUS, sink)
    for pos, (a, b) in enumerate(zip(frame["from"], frame["to"])):
        if a == a and b == b and b <= a:
            sink.problems.append(Problem(table.sheet, table.cell(pos, "to"), code="tier_not_above",
                                         args={"to": percent_text(b), "from": percent_text(a)}))
    return frame



def named(operator) -> bool:
    """An operator is named: text that is not blank.  A blank cell of a text column is None, or NaN once pandas has
    made the column its string type, which `is not None` does not catch."""
    return isinstance(operator, str) and bool(operator.strip())

def check_operators_on_team(team: pd.DataFrame, tables: list[Table | None], problems: list[Problem]) -> None:
    """With a Team sheet, an operator named in Stores, SKUs or Launches but not on it is most likely a typo:
    a warning at the first cell naming them (they still plan and launch, with no salary or bonus base)."""
    if team is None or team.empty:
        return
    members = [str(o) for o in team["operator"] if o is not None]
    on_team = set(members)
    reported: set[str] = set()
    for table in tables:
        if table is None or "operator" not in table.columns:
            continue
        for pos, op in enumerate(table.parsed["operator"]):        # type: ignore[attr-defined]
            if not isinstance(op, str) or not op.strip() or op in on_team or op in reported:
                continue
            reported.add(op)
            hint = closest("", [op], members)
            problems.append(Problem(table.sheet, table.cell(pos, "operator"), severity="warning",
                                    code="operator_not_on_team", args={"operator": op, "hint": _hint(hint)}))


def _hint(name: str | None) -> Phrase | str:
    """"; did you mean "X"?" for the closest name ("" when there is none)."""
    return Phrase("did_you_mean", {"name": name}) if name else ""


def check_duplicates(frame: pd.DataFrame, key: str, table: Table | None, problems: list[Problem],
                     label: str) -> None:
    """A row repeating an earlier row's key is an error at its cell, naming the first."""
    if table is None or frame.empty:
        return
    first: dict[object, int] = {}
    for pos, v in enumerate(frame[key]):
        if v is None:
            continue
        if v in first:
            problems.append(Problem(table.sheet, table.cell(pos, key), code="listed_twice",
                                    args={"label": Term("row_label", label), "value": v,
                                          "first": table.cell(first[v], key)}))
        else:
            first[v] = pos
