"""The Assumptions table (SPEC section 4): every setting used, with its source (input / default / derived), and
the run's provenance."""
from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

import numpy as np
import pandas as pd

from goalsheet.inputs import schema
from goalsheet.inputs.model import Phrase, SellerBook
from goalsheet.plan.basis import Basis


ASSUMPTION_COLUMNS = ["setting", "value", "source", "label_code", "label_args", "note_code", "note_args", "format"]
"""setting: the row's key (a setting's key, with its scope in brackets); value; source: input | default | derived
| run; label_code + label_args and note_code + note_args: what `goalsheet.report` words as the row's label and note
in English and Chinese; format: how the value is shown (rate | money | int | number | index | text)."""

# How the workbook shows a value, by the schema's kind (goalsheet.report has the number formats).
VALUE_FORMAT = {"rate": "rate", "money": "money", "int": "int", "number": "number"}

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _column(sheet: str, key: str) -> schema.Column | None:
    try:
        return schema.SHEET_BY_KEY[sheet].column(key)
    except KeyError:
        return None


SKU_SHEET = "SKUs"

NAMED_SKUS = 3       # a summary row names its SKUs when there are at most this many


def _skus(n: int) -> str:
    return f"{n:,} SKU" + ("" if n == 1 else "s")


def sku_defaults(defaults) -> dict[tuple[str, Phrase], list]:
    """The SKUs sheet's defaults grouped by (column, how it was defaulted), in order of first appearance: the
    Assumptions table has one row per group, not one per SKU (the per-SKU values are on Products/Profit)."""
    return _defaults_by_sheet(defaults)[2]


def _defaults_by_sheet(defaults) -> tuple[set, list, dict[tuple[str, Phrase], list]]:
    """One pass over the defaults (tens of thousands on a large seller): the Settings rows defaulted, the
    defaults of the other sheets but SKUs (in order), and `sku_defaults`' groups."""
    settings: set = set()
    others: list = []
    groups: dict[tuple[str, str], list] = {}
    for x in defaults:
        sheet = x.sheet
        if sheet == SKU_SHEET:
            groups.setdefault((x.column, x.reason), []).append(x)
        elif sheet == "Settings":
            settings.add(x.row)
        else:
            others.append(x)
    return settings, others, groups

_VALUE_OF, _ROW_OF = attrgetter("value"), attrgetter("row")

_PLAIN_TYPES = frozenset((float, int, str, bool, type(None)))


@dataclass(frozen=True)
class Spread:
    """The value a summary row shows for many SKUs and what its note adds: `kind` same | median | distinct with
    `args` (count, lo, hi as text; names: the SKUs named, empty when more than NAMED_SKUS)."""
    value: Any
    kind: str
    args: dict


def sku_spread(values, fmt: str, names: list[str]) -> Spread:
    """One value for a group of SKUs: the value itself when all agree, else the median of numbers (the note
    gives the range) or the count of distinct texts.  At most NAMED_SKUS SKUs are named in the note.

    [0.19, 0.19] -> 0.19; [0.1, 0.3, 0.2] -> 0.2, median of 3 from '10.00%' to '30.00%' (rate)."""
    named = list(names) if len(names) <= NAMED_SKUS else []
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiub":
        plain = values.tolist()                         # each value's .item()
    elif isinstance(values, list) and set(map(type, values)) <= _PLAIN_TYPES:
        plain = values                                  # nothing has an .item()
    else:
        plain = [v.item() if hasattr(v, "item") else v for v in values]
    distinct = list(dict.fromkeys(zip(map(type, plain), plain)))
    if len(distinct) == 1:
        return Spread(plain[0], "same", {"names": named})
    if {t for t, _ in distinct} <= {int, float}:
        numbers = list(map(float, plain))
    else:
        numbers = [float(v) for v in plain if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if len(numbers) == len(plain) and all(map(math.isfinite, numbers)):
        lo, hi = _number_text(min(numbers), fmt), _number_text(max(numbers), fmt)
        return Spread(float(np.median(numbers)), "median", {"count": len(numbers), "lo": lo, "hi": hi,
                                                             "names": named})
    return Spread(Phrase("distinct_values", {"count": len(distinct)}), "distinct",
                  {"count": len(distinct), "names": named})


def _number_text(x: float, fmt: str) -> str:
    if fmt == "rate":
        return f"{x:.2%}"
    if fmt == "money":
        return f"{x:,.2f}"
    if fmt == "int":
        return f"{x:,.0f}"
    return f"{x:,.6g}"


def assumptions_table(basis: Basis, book: SellerBook) -> pd.DataFrame:
    """Every setting used, with its source (input / default / derived), and the run's provenance (columns:
    `ASSUMPTION_COLUMNS`).  Labels and notes are codes with their arguments; `goalsheet.report` words them.

    Per-SKU values are summarised, one row per (column, how it was defaulted) with the count of SKUs, the value
    (the median and range when they differ) and, for a few SKUs, their names: a seller with 20 000 SKUs gets
    some dozens of rows, not 140 000; each SKU's effective values are on the Products and Profit sheets.
    Per-store rows (few) stay one per store.  The goalsheet version's value is left to the report, which knows
    the program that writes the workbook."""
    defaulted_settings, other_defaults, sku_groups = _defaults_by_sheet(book.defaults)
    rows = []

    def add(setting: str, value: Any, source: str, label: tuple[str, dict], note: tuple[str, dict],
            fmt: str) -> None:
        value = _text(value) if value is not None else None
        rows.append({"setting": setting, "value": value, "source": source, "label_code": label[0],
                     "label_args": label[1], "note_code": note[0], "note_args": note[1],
                     "format": fmt if isinstance(value, (int, float)) else "text"})

    def column(sheet: str, key: str, scope: str = "", skus: int | None = None) -> tuple[str, dict]:
        return "column", {"sheet": sheet, "key": key, "scope": scope, "skus": skus}

    for c in schema.SETTINGS.columns:
        v = basis.settings.given.get(c.key)
        if v is None:
            continue
        source = "default" if c.key in defaulted_settings else "input"
        add(c.key, v, source, column("Settings", c.key), ("setting", {"key": c.key}), VALUE_FORMAT.get(c.kind, "text"))
    cal = basis.calendar
    if basis.settings.given.get("plan_year") is None:
        add("plan_year", cal.plan_year, "derived", column("Settings", "plan_year"), ("plan_year_derived", {}), "int")
    for month, (name, x) in enumerate(zip(MONTHS_EN, basis.S), start=1):
        add(f"seasonality_index [{name}]", round(float(x), 6), "derived", ("seasonality_index", {"month": month}),
            ("method", {"method": basis.S_method}), "index")
    add("history", f"{cal.history[0]} .. {cal.history[-1]}" if cal.history else NONE, "derived",
        ("history", {}), ("history", {}), "text")
    add("bridge_months", ", ".join(cal.bridge) or NONE, "derived", ("bridge_months", {}), ("bridge_months", {}),
        "text")
    add("first_launch_month", basis.months[basis.first_col] if basis.first_col < len(basis.months) else NONE,
        "derived", ("first_launch_month", {}), ("first_launch_month", {}), "text")
    given = {k: basis.settings.given.get(k) is not None for k in ("new_monthly_units", "new_unit_cost")}
    npd = basis.new_products
    for store, price, price_source, monthly_units, unit_cost, unit_net_base in zip(
            npd["store"], npd["price"], npd["price_source"], npd["monthly_units"], npd["unit_cost"],
            npd["unit_net_base"]):
        store = str(store)
        add(f"new_price [{store}]", round(float(price), 6), "derived", column("Settings", "new_price", store),
            ("new_price", {"method": price_source}), "money")
        add(f"new_monthly_units [{store}]", round(float(monthly_units), 4), "derived",
            column("Settings", "new_monthly_units", store),
            ("from_settings" if given["new_monthly_units"] else "new_monthly_units", {}), "number")
        add(f"new_unit_cost [{store}]", round(float(unit_cost), 4), "derived",
            column("Settings", "new_unit_cost", store),
            ("from_settings" if given["new_unit_cost"] else "new_unit_cost", {}), "money")
        add(f"new product unit_net [{store}]", round(float(unit_net_base), 6), "derived",
            ("new_unit_net", {"store": store}), ("base_currency", {}), "money")
    e = basis.econ
    derived = e.loc[~e["ad_rate_given"].to_numpy(bool)]
    if len(derived):
        names = [f"{s} / {k}" for s, k in zip(derived["store"], derived["sku"])] \
            if len(derived) <= NAMED_SKUS else [None] * len(derived)          # only a few are named
        spread = sku_spread(derived["ad_rate"].to_numpy(float), "rate", names)
        add(f"ad_rate [{_skus(len(derived))}]", spread.value, "derived", column("SKUs", "ad_rate", skus=len(derived)),
            ("ad_rate_derived", {"spread": {"kind": spread.kind, **spread.args}}), "rate")
    for (key, report, period), names in _derived_groups(book.derived).items():
        col = _column(SKU_SHEET, key)
        fmt = VALUE_FORMAT.get(col.kind, "number") if col is not None else "number"
        row_of = {(str(st), str(k)): i for i, (st, k) in enumerate(zip(book.skus["store"], book.skus["sku"]))}
        values = [book.skus[key].iloc[row_of[(st, k)]] for st, k in names]
        named = [f"{st} / {k}" for st, k in names] if len(names) <= NAMED_SKUS else [None] * len(names)
        spread = sku_spread(values, fmt, named)
        add(f"{SKU_SHEET}: {key} [{_skus(len(names))}]", spread.value, "derived",
            ("sku_default", {"key": key, "skus": len(names)}),
            ("from_report", {"report": report, "period": period, "spread": {"kind": spread.kind, **spread.args}}), fmt)
    for x in other_defaults:
        col = _column(x.sheet, x.column)
        row = x.row.text("en") if isinstance(x.row, Phrase) else x.row
        add(f"{x.sheet}: {row} {x.column}", x.value, "default",
            ("default", {"sheet": x.sheet, "row": x.row, "key": x.column}), ("default", {"reason": x.reason}),
            VALUE_FORMAT.get(col.kind, "number") if col is not None else "number")
    for (key, reason), group in sku_groups.items():
        col = _column(SKU_SHEET, key)
        fmt = VALUE_FORMAT.get(col.kind, "number") if col is not None else "number"
        names = list(map(_ROW_OF, group)) if len(group) <= NAMED_SKUS else [None] * len(group)  # only a few named
        spread = sku_spread(list(map(_VALUE_OF, group)), fmt, names)
        add(f"{SKU_SHEET}: {key} [{_skus(len(group))}]", spread.value, "default",
            ("sku_default", {"key": key, "skus": len(group)}),
            ("default", {"reason": reason, "spread": {"kind": spread.kind, **spread.args}}), fmt)
    add("input", book.source_name, "run", ("input", {}), ("input", {}), "text")
    add("input_sha256", book.source_sha256, "run", ("input_sha256", {}), ("input_sha256", {}), "text")
    add("goalsheet_version", None, "run", ("goalsheet_version", {}), ("none", {}), "text")
    add("planned_at", _dt.datetime.now().isoformat(timespec="seconds"), "run", ("planned_at", {}),
        ("planned_at", {}), "text")
    return pd.DataFrame(rows, columns=ASSUMPTION_COLUMNS)


def _derived_groups(derived) -> dict[tuple[str, str, str], list[tuple[str, str]]]:
    """The SKUs cells `goalsheet import` derived (book.derived), grouped by (column, report, period), in the
    order of the SKUs columns: the Assumptions table has one row per group."""
    groups: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    order = {c.key: i for i, c in enumerate(schema.SKUS.columns)}
    for (store, sku, key), line in sorted(derived.items(), key=lambda kv: (order.get(kv[0][2], 0), kv[1].row)):
        groups.setdefault((key, line.report, line.period), []).append((store, sku))
    return groups


NONE = Phrase("none_value")
"""The value of a derived row that has none (no history, no bridge months, no month left to launch in)."""


def _text(v: Any) -> Any:
    """A setting's value for the Assumptions table: numbers stay numbers (the workbook formats them), words of
    the catalogue stay `Phrase`s (the report says them in the workbook's language), the rest is text."""
    if isinstance(v, Phrase):
        return v
    if isinstance(v, (bool, np.bool_)):
        return Phrase("yes" if v else "no")
    if isinstance(v, (int, float, np.integer, np.floating)):
        x = float(v)
        if math.isfinite(x):
            return int(x) if x.is_integer() and abs(x) < 1e15 else x
        return str(v)
    if isinstance(v, (tuple, list)):
        return ", ".join(f"{x:g}" if isinstance(x, float) else str(x) for x in v)
    return str(v)
