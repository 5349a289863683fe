"""What the input side hands to the planner: validated tables and problems as values.

`SellerBook` is the one contract between `goalsheet.inputs` (read + validate) and
`goalsheet.plan`.  Every table uses the canonical column keys of `inputs/schema.py`;
blank optional cells are NaN (numbers) or None (text) unless a constant or
marketplace default applies, and every default applied is recorded in `defaults`
so the Assumptions sheet can mark it.  Derived defaults that need the method
(ad_rate from ad_spend, return_cost by formula, the new_* medians, plan_year,
opening stock and payables) are left blank here and computed in `goalsheet.plan`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import pandas as pd

from goalsheet.inputs.schema import SHEET_BY_KEY
from goalsheet.words import PROBLEMS, Join, Phrase, Term, say

__all__ = ["Problem", "Default", "SellerBook", "defaults_of", "Phrase", "Term", "Join", "REASON_DEFAULT"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or odd) in the input or the plan, with where it is: `Sheet!Cell: message`.

    Code names the kind of problem and its particulars, `Problem(sheet, cell, code="...", args={...})`; the words
    are the catalogue's (`goalsheet.words.PROBLEMS`), in English as `message` and in any language by `text`."""
    sheet: str          # the sheet's name as the seller wrote it ("" for the file itself)
    cell: str           # "F14", a column "F", a header "F3", or "" for the whole sheet/file
    message: str = ""   # the English sentence (made from code and args)
    severity: str = "error"   # "error" stops the run; "warning" is reported and the run goes on
    # the catalogue's name of the kind of problem ("funding_infeasible") and the sentence's named args: two
    # problems are equal when they say the same (in English) of the same place
    code: str = field(default="", compare=False)
    args: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.code and not self.message:
            object.__setattr__(self, "message", say(self.code, self.args, "en"))

    def sentence(self, lang: str = "en") -> str:
        """The message alone in `lang` (a problem without a catalogue code has its English only)."""
        if lang != "en" and self.code in PROBLEMS:
            return say(self.code, self.args, lang)
        return self.message

    def text(self, lang: str = "en") -> str:
        """The message in `lang`, with where it is: `Sheet!Cell: message`."""
        if lang == "zh":
            return f"{self.where_in(lang)}：{self.sentence(lang)}"
        return f"{self.where}: {self.message}"

    def line(self, lang: str = "en") -> str:
        """The problem as the console and the errors file list it: a warning says so first."""
        return (say("warning_prefix", {}, lang) if self.severity == "warning" else "") + self.text(lang)

    def where_in(self, lang: str = "en") -> str:
        """Where it is in `lang`: in Chinese the file is 文件 and a sheet the planner names by its key ("SKUs")
        is named as a Chinese workbook names it."""
        if lang != "zh":
            return self.where
        if not self.sheet:
            return say("the_file", {}, lang)
        sheet = SHEET_BY_KEY[self.sheet].zh if self.sheet in SHEET_BY_KEY else self.sheet
        return f"{sheet}!{self.cell}" if self.cell else sheet

    @property
    def where(self) -> str:
        if not self.sheet:
            return "file"
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class Default:
    """A value the seller left blank that goalsheet filled in (shown in Assumptions)."""
    sheet: str          # canonical sheet key: "Settings", "SKUs", "Stores", ...
    row: str | Phrase   # the Settings key, the row's identity ("Acme US / SKU-1"), or Phrase("all_rows")
    column: str         # canonical column key
    value: Any
    reason: Phrase      # why it is the value: Phrase("reason_marketplace", {"marketplace": "DE"}), REASON_DEFAULT


REASON_DEFAULT = Phrase("reason_default")
"""The reason of a value that is the schema's default (one object for the many SKUs that share it)."""

_new_object = object.__new__
_set_attribute = object.__setattr__


def defaults_of(sheet: str, column: str, items) -> list[Default]:
    """`Default(sheet, row, column, value, reason)` for each (row, value, reason) of `items`, in order.

    The same objects, equal field by field, pickled alike, but each made by handing it its attribute dict at
    once: the frozen dataclass' `__init__` sets its five fields one `object.__setattr__` at a time, ~0.5 µs a
    Default, and a SKUs sheet's blank columns ask for one per SKU and column (2 000 SKUs × 7 columns)."""
    fields = {"sheet": sheet, "row": None, "column": column, "value": None, "reason": None}
    copy = fields.copy
    out: list[Default] = []
    append = out.append
    for row, value, reason in items:
        state = copy()
        state["row"], state["value"], state["reason"] = row, value, reason
        default = _new_object(Default)
        _set_attribute(default, "__dict__", state)
        append(default)
    return out


@dataclass
class SellerBook:
    """A seller's workbook, read and validated.

    settings   canonical key -> value, constant defaults applied (see schema.SETTINGS);
               keys whose default is derived (plan_year, opening_stock_value, new_* medians, ...)
               are absent when the seller left them blank.  Rates are ratios (0.03), `int` keys are
               int, `seasonality` is "history", "off" or a tuple of 12 floats (Jan..Dec, mean 1).
    sales      month (str 'YYYY-MM'), store, sku, units, revenue, ad_spend, refunds: summed to one row
               per month × store × SKU, in store currency; ad_spend/refunds 0 when absent; sorted.
    skus       one row per store × SKU, SKUs-sheet order, every schema column present.
    stores     one row per store, sheet order (or first-seen order in Sales when there is no Stores
               sheet); marketplace, currency, monthly_fee, referral_min filled by marketplace defaults.
    fx         currency -> base-currency units per one unit; base currency -> 1.0.
    team       operator, base_salary, bonus_base (empty frame when there is no Team sheet).
    launches   launch_month ('YYYY-MM'), store, operator, count, price, monthly_units, unit_cost.
    expenses   item, monthly_amount, store (None = shared), months (tuple of 1..12).
    bonus      period, metric, from, to (NaN = open), rate, mode, cap (NaN = none), weight (NaN = equal)
               (empty frame when there is no Bonus sheet: the plan applies the default scheme).
    """
    settings: dict[str, Any]
    sales: pd.DataFrame
    skus: pd.DataFrame
    stores: pd.DataFrame
    fx: dict[str, float]
    team: pd.DataFrame
    launches: pd.DataFrame
    expenses: pd.DataFrame
    bonus: pd.DataFrame
    defaults: list[Default] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)   # warnings only, once validation passed
    source_name: str = ""       # the input's file name
    source_sha256: str = ""
    lang: str = "en"            # "zh" when the sheet names are Chinese (for --lang auto)
    sheet_names: dict[str, str] = field(default_factory=dict)  # canonical key -> name in the workbook
    # where a value the planner may have to refuse was typed: (sheet key, row, column key) -> "B7", the row being
    # the Settings key or the row's position in its table (Settings values; Launches unit_cost)
    cells: dict[tuple[str, object, str], str] = field(default_factory=dict)
    # SKUs cells `goalsheet import` derived from a report and the seller has not typed over: (store, sku, column)
    # -> inputs.derived.Derived (report, period), for the Assumptions sheet
    derived: dict[tuple[str, str, str], Any] = field(default_factory=dict)
    # the Scenarios sheet's rows (`inputs.scenarios.ScenarioInput`), None without the sheet: the defaults of 3.10
    scenarios: list | None = None

    def where(self, sheet: str, row: object, column: str) -> tuple[str, str]:
        """(sheet name as the seller wrote it, cell) of a recorded value ("" for the cell when not recorded)."""
        return self.sheet_names.get(sheet, sheet), self.cells.get((sheet, row, column), "")
