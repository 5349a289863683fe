"""Parse a table's columns by their schema kind, collecting problems with their cells (SPEC.md sections 2, 6).

`parse_columns(table, problems)` turns the raw cells of every schema column of a table into typed
columns: text stripped (None when blank), numbers as float (NaN when blank), rates as ratios,
months as 'YYYY-MM', enums as their canonical choice.  Required blanks, values that are not what the
column needs, and values outside the plausible range are problems pointing at the cell; a rate out of
range suggests the value the seller likely meant ("did you mean 1 %?").
"""
from __future__ import annotations

import difflib

import numpy as np
import pandas as pd

from goalsheet.inputs.model import Problem
from goalsheet.inputs.schema import (MONEY_PER_UNIT_MAX, Column, choice_code, choice_spellings, choice_word,
                                     normalise, plausible_max)
from goalsheet.inputs.tables import Table, stripped_strings
from goalsheet.inputs.values import (BadValue, _fmt, month_column, number_column, parse_months_list, percent_text,
                                     suggest_rate)
from goalsheet.words import Join, Phrase, Term

# Problems reported per column before the rest are summed up in one line (a million bad cells help no one).
MAX_PER_COLUMN = 50

def enum_value(column: Column, value: object) -> str:
    """The code a cell names among the column's choices: the code, its English or Chinese word or a further
    spelling of `schema.CHOICE_WORDS`, ignoring case, spaces and `_`.  Raises BadValue."""
    text = str(value).strip()
    n = normalise(text)
    for choice in column.choices:
        if normalise(choice) == n:
            return choice
    code = choice_code(column.key, text)
    if code is not None:
        return code
    spellings = {normalise(c): c for c in column.choices}
    spellings.update({s: c for s, c in choice_spellings(column.key).items() if c in column.choices})
    near = difflib.get_close_matches(n, list(spellings), n=1, cutoff=0.6)
    hint = Phrase("did_you_mean", {"name": _word(column, spellings[near[0]])}) if near else ""
    shown = tuple(_word(column, c) for c in column.choices[:12]) + (("…",) if len(column.choices) > 12 else ())
    raise BadValue("not_one_of", text=text, choices=Join(shown), hint=hint)


def _word(column: Column, code: str) -> Phrase:
    """A choice as a sentence names it: its English word in English, its Chinese word in Chinese."""
    return Phrase("choice_word", {"en": choice_word(column.key, code, "en"), "zh": choice_word(column.key, code, "zh")})


def text_value(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:
            return None
        return _fmt(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    s = str(value).strip()
    return s or None


def text_values(values) -> list[str | None]:
    """`text_value` of each value; every one a string (the distinct cells of a text column, in practice): in
    one C-level pass."""
    stripped = stripped_strings(values)
    if stripped is None:
        return [text_value(v) for v in values]
    return [t or None for t in stripped]


def text_column(raw: pd.Series, factor: tuple[np.ndarray, np.ndarray] | None = None) -> pd.Series:
    """Cells as text: stripped, None when blank; whole numbers without `.0` (SKU 12345 stays 12345).

    `factor` is the column's (codes, distinct cells) (`Table.factors_of`): when every distinct cell is a
    string, each is made text once (a string equals only the same string: its cells read alike)."""
    if factor is not None:
        codes, uniques = factor
        stripped = stripped_strings(uniques)
        if stripped is not None:
            lookup = np.array([t or None for t in stripped] + [None], dtype=object)
            return pd.Series(lookup[codes], dtype=object)    # code -1 (None or NaN) picks the trailing None
    arr = raw.to_numpy(dtype=object)
    if len(arr) > 5000:
        codes, uniques = pd.factorize(raw.astype(object), use_na_sentinel=True)
        lookup = np.array([text_value(u) for u in uniques] + [None], dtype=object)
        return pd.Series(lookup[codes], dtype=object)
    return pd.Series([text_value(v) for v in arr], dtype=object)


# The catalogue's sentence for a value above a column's plausible maximum (schema.plausible_max), by kind.
ABOVE_PLAUSIBLE = {"per_unit": "above_plausible_per_unit", "total": "above_plausible_total",
                   "units": "above_plausible_units", "fx": "above_plausible_fx"}


def _above_plausible(column: Column, header: str, value: float) -> Phrase:
    most = plausible_max(column)
    kind = ("fx" if column.key == "rate" else "units") if column.kind == "number" else (
        "per_unit" if most == MONEY_PER_UNIT_MAX else "total")
    return Phrase(ABOVE_PLAUSIBLE[kind], {"header": header,
                                          "value": _fmt(value) if abs(value) < 1e15 else f"{value:.3g}",
                                          "most": f"{most:,.0f}"})


def range_message(column: Column, header: str, value: float, had_percent: bool, as_rate: bool) -> Phrase | None:
    """Why `value` is outside the column's range, with the value the seller likely meant; None if fine."""
    lo, hi = column.lo, column.hi
    if column.kind == "money" and lo is None:
        lo = 0.0
    most = plausible_max(column)
    if most is not None and value > most:
        return _above_plausible(column, header, value)
    shown = percent_text(value) if as_rate else _fmt(value)
    if lo is not None and (value < lo or (column.min_exclusive and value <= lo)):
        if column.min_exclusive:
            return Phrase("must_be_more", {"header": header, "value": shown, "lo": _fmt(lo)})
        if lo == 0:
            return Phrase("cannot_be_negative", {"header": header, "value": shown})
    elif hi is None or value <= hi:
        return None
    if as_rate and not had_percent and hi is not None and hi > 1 and value > hi:
        hint = suggest_rate(value, lo if lo is not None else -np.inf, hi, had_percent)
        return Phrase("ratio_above", {"header": header, "value": _fmt(value), "hi": _fmt(hi),
                                      "hi_pct": percent_text(hi), "hint": _rate_hint(hint)})
    if as_rate:
        rng = Phrase("range_to", {"lo": percent_text(lo), "hi": percent_text(hi)}) if lo is not None else \
            Phrase("range_up_to", {"hi": percent_text(hi)})
        hint = suggest_rate(value, lo if lo is not None else -np.inf, hi, had_percent) if hi is not None else None
        return Phrase("outside_plausible_range", {"header": header, "value": shown, "range": rng,
                                                  "hint": _rate_hint(hint)})
    rng = Phrase("range_to", {"lo": _fmt(lo), "hi": _fmt(hi)}) if lo is not None and hi is not None else (
        Phrase("range_at_least", {"lo": _fmt(lo)}) if lo is not None else Phrase("range_up_to", {"hi": _fmt(hi)}))
    return Phrase("outside_range", {"header": header, "value": shown, "range": rng})


def _rate_hint(hint: float | None) -> Phrase | str:
    """"; did you mean 25 %?" for the rate the seller likely meant ("" when there is none)."""
    return Phrase("did_you_mean_rate", {"value": percent_text(hint)}) if hint is not None else ""


class ProblemSink:
    """Collects problems per (sheet, column), summing up beyond MAX_PER_COLUMN."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        self._counts: dict[tuple[str, str, str], int] = {}

    def add(self, sheet: str, cell, message, severity: str = "error", column: str = "") -> None:
        """Record a problem; `message` is the catalogue's `Phrase` for it; `cell` and `message` may be callables,
        evaluated only if it is listed."""
        k = (sheet, column, severity)
        n = self._counts.get(k, 0) + 1
        self._counts[k] = n
        if n <= MAX_PER_COLUMN or not column:
            phrase = message() if callable(message) else message
            self.problems.append(Problem(sheet, cell() if callable(cell) else cell, severity=severity,
                                         code=phrase.code, args=phrase.args))

    def flush(self) -> None:
        for (sheet, column, severity), n in self._counts.items():
            if column and n > MAX_PER_COLUMN:
                self.problems.append(Problem(sheet, column, severity=severity, code="more_like_these",
                                             args={"more": n - MAX_PER_COLUMN,
                                                   "kind": Term("problems_of_severity", severity)}))
        self._counts.clear()


def parse_column(table: Table, column: Column, sink: ProblemSink) -> pd.Series:
    """One schema column of a table, typed; problems for its bad cells go to `sink`."""
    n = len(table.data)
    if column.key not in table.columns:
        if column.kind in ("money", "number", "rate", "int"):
            return pd.Series(np.full(n, np.nan))
        return pd.Series([None] * n, dtype=object)
    raw = table.data[column.key]
    header = table.headers.get(column.key, column.key)
    letter = table.column_cell(column.key).rstrip("0123456789")
    sheet = table.sheet

    def err(pos: int, msg: Phrase, severity: str = "error") -> None:
        sink.add(sheet, lambda: table.cell(pos, column.key), msg, severity, column=letter)

    if column.kind in ("money", "number", "rate", "int"):
        floats = table.numbers_of(column.key)   # only numbers and blanks: already float64 (build_table)
        if floats is not None:
            values, percent, bad = pd.Series(floats, copy=False), pd.Series(np.zeros(n, bool)), {}
            blank = pd.Series(np.isnan(floats))
        else:
            values, percent, bad, blank = number_column(raw)
        for pos, msg in bad.items():
            err(pos, Phrase("cell_value", {"header": header, "reason": msg}))
        vals = values.to_numpy(copy=True)
        pct = percent.to_numpy()
        infinite = np.isinf(vals)
        for pos in np.flatnonzero(infinite):
            err(int(pos), Phrase("cell_value", {"header": header, "reason": Phrase("not_finite")}))
        vals[infinite] = np.nan
        as_rate = column.kind == "rate"
        if as_rate and column.hi is not None and column.hi <= 1:
            shift = ~pct & (np.abs(np.nan_to_num(vals)) > 1)
            for pos in np.flatnonzero(shift):
                err(int(pos), Phrase("read_as_percent", {"header": header, "value": _fmt(vals[pos])}), "warning")
            vals[shift] = vals[shift] / 100
        if column.kind == "int":
            frac = ~np.isnan(vals) & (vals != np.round(vals))
            for pos in np.flatnonzero(frac):
                err(int(pos), Phrase("not_whole_number", {"header": header, "value": _fmt(vals[pos])}))
            vals[frac] = np.nan
        lo, hi = column.lo, column.hi
        if column.kind == "money" and lo is None:
            lo = 0.0
        if hi is None:
            hi = plausible_max(column)
        out = np.zeros(n, dtype=bool)
        with np.errstate(invalid="ignore"):
            if lo is not None:
                out |= (vals <= lo) if column.min_exclusive else (vals < lo)
            if hi is not None and column.open_above:
                above = vals > hi
                for pos in np.flatnonzero(above):
                    err(int(pos), Phrase("read_as_open", {"header": header, "value": percent_text(float(vals[pos]))}),
                        "warning")
                vals[above] = np.nan
            elif hi is not None:
                out |= vals > hi
        for pos in np.flatnonzero(out):
            err(int(pos), range_message(column, header, float(vals[pos]), bool(pct[pos]), as_rate) or
                Phrase("out_of_range", {"header": header}))
        vals[out] = np.nan
        missing = blank.to_numpy()
        if column.required:
            for pos in np.flatnonzero(missing):
                err(int(pos), Phrase("required_blank", {"header": header}))
        return pd.Series(vals)
    if column.kind == "month":
        months, bad = month_column(raw)
        for pos, msg in bad.items():
            err(pos, Phrase("cell_value", {"header": header, "reason": msg}))
        if column.required:
            for pos in np.flatnonzero(months.isna().to_numpy() & ~np.isin(np.arange(n), list(bad))):
                err(int(pos), Phrase("required_blank", {"header": header}))
        return months
    texts = text_column(raw, table.factors_of(column.key))
    if column.kind == "text":
        if column.required:
            for pos in np.flatnonzero(texts.isna().to_numpy()):
                err(int(pos), Phrase("required_blank", {"header": header}))
        return texts
    out_values: list[object] = []
    for pos, t in enumerate(texts):
        if t is None:
            if column.required:
                err(pos, Phrase("required_blank", {"header": header}))
            out_values.append(None)
            continue
        try:
            if column.kind == "enum":
                out_values.append(enum_value(column, t))
            elif column.kind == "months":
                out_values.append(parse_months_list(raw.iloc[pos]))
            else:
                out_values.append(t)
        except BadValue as e:
            err(pos, Phrase("cell_value", {"header": header, "reason": e.phrase}))
            out_values.append(None)
    return pd.Series(out_values, dtype=object)


def parse_columns(table: Table, sink: ProblemSink, only: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Every schema column of the table (absent ones blank), typed, in schema order."""
    cols = {}
    for c in table.schema.columns:
        if only is not None and c.key not in only:
            continue
        cols[c.key] = parse_column(table, c, sink)
    return pd.DataFrame(cols, index=range(len(table.data)))
