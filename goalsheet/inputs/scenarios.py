"""The optional Scenarios sheet (SPEC 3.10): one row per scenario, a name and any Settings keys as columns.

Every cell is read and checked exactly as the Settings value of its key (`validate.setting_at`: the same
kinds, ranges and problem codes), at its own cell (`情景!C4`); a blank cell keeps the Settings value.  A column
that names no Settings key, a row without a name and a name given twice are errors at their cells, so a
scenario never silently plans something other than what its row says.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from goalsheet.inputs.model import Problem
from goalsheet.inputs.schema import SCENARIOS, SETTINGS, normalise
from goalsheet.inputs.tables import Grid, _blank_cell, build_table, find_header, missing_columns_problems
from goalsheet.words import Phrase


@dataclass(frozen=True)
class ScenarioInput:
    """One row of the Scenarios sheet: its name, the Settings it changes (key -> value, parsed as Settings
    values are), and where the seller typed them (`Sheet!Cell` of the name and of each value)."""
    name: str
    changes: dict[str, Any]
    where: str
    cells: dict[str, str] = field(default_factory=dict)


def read_scenarios(grid: Grid | None, settings: dict[str, Any], problems: list[Problem]) -> list[ScenarioInput] | None:
    """The scenarios of the sheet in `grid` (None without the sheet, or when it has no header row), every problem
    appended to `problems`.  `settings`: the Settings as read, which a blank cell keeps."""
    from goalsheet.inputs.validate import setting_at

    if grid is None:
        return None
    header, cols, heads, unmatched, best = find_header(grid, SCENARIOS)
    if header is None:
        if any(not _blank_cell(v) for row in grid.rows for v in row):
            problems.extend(missing_columns_problems(grid, SCENARIOS, best))
        return None
    table = build_table(grid, SCENARIOS, header, cols, heads, unmatched)
    problems.extend(table.notes)
    for j, head in unmatched:
        problems.append(Problem(grid.name, grid.a1(header, j), code="scenario_column_unknown",
                                args={"header": str(head), "hint": _hint(str(head))}))
    keys = [k for k in cols if k != "scenario"]
    out: list[ScenarioInput] = []
    first_at: dict[str, str] = {}
    for pos in range(len(table.data)):
        where = table.cell(pos, "scenario")
        raw = table.data.at[pos, "scenario"]
        values = {k: table.data.at[pos, k] for k in keys}
        if _blank_cell(raw):
            if any(not _blank_cell(v) for v in values.values()):
                problems.append(Problem(grid.name, where, code="scenario_name_blank"))
            continue
        name = str(raw).strip()
        if normalise(name) in first_at:
            problems.append(Problem(grid.name, where, code="scenario_twice",
                                    args={"name": name, "first": first_at[normalise(name)]}))
            continue
        first_at[normalise(name)] = where
        changes: dict[str, Any] = {}
        cells: dict[str, str] = {}
        bad = False
        for key, value in values.items():
            cell = table.cell(pos, key)
            readable, parsed = setting_at(grid.name, SETTINGS.column(key), value, cell, problems)
            if not readable:
                bad = True
                continue
            if parsed is not None:
                changes[key], cells[key] = parsed, cell
        merged = {**settings, **changes}
        if not bad and merged.get("target_mode") == "total" and merged.get("target_total") is None:
            problems.append(Problem(grid.name, cells.get("target_mode", where), code="target_total_not_given"))
        out.append(ScenarioInput(name, changes, where, cells))
    return out


def _hint(header: str) -> Phrase | str:
    """' (did you mean "monthly_growth"?)' for a header close to a Settings key or its Chinese name."""
    import difflib

    names = {normalise(c.key): c.key for c in SETTINGS.columns}
    names.update({normalise(c.zh): c.key for c in SETTINGS.columns})
    near = difflib.get_close_matches(normalise(header), list(names), n=1, cutoff=0.7)
    return Phrase("did_you_mean_setting", {"name": names[near[0]]}) if near else ""
