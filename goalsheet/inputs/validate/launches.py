"""The Launches, Expenses and Bonus sheets, and the operators they name against the Team sheet
(goalsheet.inputs.validate)."""
from __future__ import annotations

import pandas as pd

from goalsheet.inputs.columns import ProblemSink
from goalsheet.inputs.model import REASON_DEFAULT, Default, Problem
from goalsheet.inputs.schema import BONUS, EXPENSES, LAUNCHES
from goalsheet.inputs.tables import Table, closest
from goalsheet.inputs.values import percent_text
from goalsheet.inputs.validate.common import _hint, empty_frame, named, table_or_empty
from goalsheet.words import Phrase

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
