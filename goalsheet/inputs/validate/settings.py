"""The Settings sheet (its key/value table, or keys without a header) and the FX sheet
(goalsheet.inputs.validate)."""
from __future__ import annotations

import math

from goalsheet.inputs import schema
from goalsheet.inputs.columns import ProblemSink, enum_value, range_message
from goalsheet.inputs.model import REASON_DEFAULT, Default, Problem
from goalsheet.inputs.schema import FX, SETTINGS, Column, Sheet, normalise
from goalsheet.inputs.tables import Grid, _lookup, find_header, missing_columns_problems
from goalsheet.inputs.values import BadValue, _fmt, is_blank, parse_month, parse_number, rate_value
from goalsheet.inputs.validate.common import read_table
from goalsheet.words import TERMS, Phrase, Term

# The two columns of the Settings sheet (its schema columns are the keys).
SETTINGS_TABLE = Sheet("Settings", "设置", columns=(
    Column("key", "参数", required=True, aliases=("参数名", "setting", "name", "项目", "key参数", "参数key")),
    Column("value", "值", required=True, aliases=("数值", "取值", "设置值", "value值", "值value")),
    Column("note", "说明", aliases=("备注", "notes", "comment", "description")),
))


# ---------------------------------------------------------------- Settings

def setting_name(column: Column) -> Phrase:
    """A setting as a sentence names it: its key in English, its Chinese name in Chinese."""
    return Phrase("setting_name", {"key": column.key, "name_zh": column.zh})


def setting_at(sheet: str, column: Column, value: object, cell: str, problems: list) -> tuple[bool, object]:
    """A Settings value typed at `sheet`!`cell` (on Settings, or a Scenarios cell): (True, the value) with its
    notes added to `problems` at the cell, or (False, None) with the error there when it cannot be read."""
    try:
        parsed, notes = parse_setting(column, value, cell)
    except BadValue as e:
        why = e.phrase if str(e).startswith(column.key) else Phrase("cell_value", {"header": setting_name(column),
                                                                                   "reason": e.phrase})
        problems.append(Problem(sheet, cell, code=why.code, args=why.args))
        return False, None
    for severity, why in notes:
        problems.append(Problem(sheet, cell, severity=severity, code=why.code, args=why.args))
    return True, parsed


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
            readable, value = setting_at(grid.name, SETTINGS.column(key), v, cell, problems)
            if not readable:
                reported.add(key)      # already reported at its cell: not "missing" as well
                continue
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
