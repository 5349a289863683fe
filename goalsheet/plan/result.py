"""The plan: every table of SPEC.md section 4 and the headline figures, as plain data.

`Plan` is the contract between `goalsheet.plan` (which computes it) and
`goalsheet.report` (which renders it into the workbook and the JSON).

    headline   a `Headline`: the workbook-scope defined names of SPEC section 4 without the `gs_` prefix.
               Money already rounded to cents (0 decimals for a JPY base).
    tables     name -> DataFrame, names as the defined names without `gs_`:
               monthly, stores, operators, products, profit, launches, cash, purchases, bonus,
               tracking (empty without actuals), assumptions, checks.  Column keys are snake_case
               English (`target_sales`); `goalsheet.report` maps them to the template's headers.
    warnings   problems a seller should see (loss-making SKUs, infeasible funding, ...).
    base_currency, plan_year, has_actuals: for the renderer.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Iterator

import numpy as np
import pandas as pd

from goalsheet.inputs.model import Problem

TABLES = ("monthly", "stores", "coverage", "operators", "products", "profit", "launches", "cash", "purchases", "orders",
          "bonus", "tracking", "assumptions", "checks", "scenarios")


@dataclass(frozen=True)
class Headline:
    """The plan's headline figures (SPEC section 4), each the defined name `gs_<field>` of the workbook.

    The funding figures are None only for a plan made without its cash step (a hand-made test plan);
    `max_feasible_sales`, `max_capacity_sales`, `max_reachable_sales` and `binding_limit` (what binds first:
    "cash", "launch capacity", "both" or "none", see `plan.cash.search.binding_limit`) are None when the searches did
    not run.  `verdict` is "red", "amber" or "green" (`plan.verdict`).  The actuals figures (3.9) are
    there exactly when the plan tracks actuals (`as_of` set)."""
    plan_year: int
    target_sales: float
    target_net_profit: float
    existing_sales: float
    new_sales: float
    gap: float
    launches_needed: int
    shortfall: float
    cash_available: float
    bonus_total: float
    peak_cash_need: float | None = None
    funding_feasible: bool | None = None
    max_feasible_sales: float | None = None
    max_capacity_sales: float | None = None
    max_reachable_sales: float | None = None
    binding_limit: str | None = None
    verdict: str | None = None
    as_of: str | None = None
    plan_sales_ytd: float | None = None
    actual_sales_ytd: float | None = None
    attainment_ytd: float | None = None
    reforecast_sales: float | None = None
    bonus_earned: float | None = None
    bonus_paid: float | None = None
    bonus_forecast: float | None = None
    bonus_true_up: float | None = None

    def figures(self) -> dict[str, Any]:
        """The figures the plan has, by defined name without `gs_`, in this order: the actuals figures
        when it tracks actuals, every other figure when it is not None."""
        return dict(self.items())

    def items(self) -> Iterator[tuple[str, Any]]:
        tracked = self.as_of is not None
        for f in fields(self):
            value = getattr(self, f.name)
            if (tracked and f.name in ACTUALS_FIGURES) or value is not None:
                yield f.name, value

    def __getitem__(self, key: str) -> Any:
        """A figure by its defined name without `gs_` (KeyError when the plan does not have it)."""
        return self.figures()[key]


ACTUALS_FIGURES = ("as_of", "plan_sales_ytd", "actual_sales_ytd", "attainment_ytd", "reforecast_sales",
                   "bonus_earned", "bonus_paid", "bonus_forecast", "bonus_true_up")
"""The headline figures of the year so far (3.9): a --baseline keeps them as tracked now."""


@dataclass
class Plan:
    headline: Headline | None
    tables: dict[str, pd.DataFrame]
    warnings: list[Problem] = field(default_factory=list)
    base_currency: str = "CNY"
    plan_year: int = 0
    has_actuals: bool = False
    source_name: str = ""
    source_sha256: str = ""
    frozen: dict[str, Any] = field(default_factory=dict)   # what --baseline needs to reproduce the plan

    def to_json(self, by_column: bool = False) -> dict[str, Any]:
        """Headline figures and every table, JSON-ready (NaN -> null).  Tables are lists of records; with
        `by_column` each is {"columns", "values" (one list per column), "rows"} and "tables_by_column" is
        true: the form embedded in the workbook (the largest seller's JSON in half the time and size, with
        no key repeated per row), which `tables_as_records` turns back into this one."""
        return {
            "goalsheet_plan": 1,
            "plan_year": self.plan_year,
            "base_currency": self.base_currency,
            "source": {"name": self.source_name, "sha256": self.source_sha256},
            "headline": {f"gs_{k}": _plain(v) for k, v in (self.headline.items() if self.headline else ())},
            "tables": {name: (table_columns if by_column else table_records)(df) for name, df in self.tables.items()},
            "warnings": [str(w) for w in self.warnings],
            "frozen": self.frozen,
            **({"tables_by_column": True} if by_column else {}),
        }


def table_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """A table as JSON-ready records (missing -> None, numpy -> Python), converted a column at a time: numeric
    columns in one `tolist()` each, only text and mixed columns value by value (the max seller's 20 000-row
    Profit table has 55 columns)."""
    return records(table_columns(df))


def table_columns(df: pd.DataFrame) -> dict[str, Any]:
    """A table by column, JSON-ready: {"columns": names, "values": one list per column, "rows": the count}."""
    return {"columns": list(df.columns),
            "values": [_column_values(df.iloc[:, i]) for i in range(df.shape[1])], "rows": len(df)}


def records(table: dict[str, Any]) -> list[dict[str, Any]]:
    """`table_columns`' form as records."""
    columns = table["columns"]
    if not columns:
        return [{} for _ in range(int(table["rows"]))]
    return [dict(zip(columns, values)) for values in zip(*table["values"])]


def tables_as_records(plan_json: dict[str, Any]) -> dict[str, Any]:
    """A plan JSON with its tables as lists of records, whichever form it holds (see `Plan.to_json`)."""
    if not plan_json.get("tables_by_column"):
        return plan_json
    out = {k: v for k, v in plan_json.items() if k != "tables_by_column"}
    out["tables"] = {name: records(t) for name, t in plan_json["tables"].items()}
    return out


def _column_values(s: pd.Series) -> list[Any]:
    dtype = s.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "iub":
        return s.to_numpy().tolist()
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        values = s.to_numpy()
        out = values.tolist()
        return [None if v != v else v for v in out] if np.isnan(values).any() else out
    present = s.notna().to_numpy()
    return [_plain(v) if ok else None for v, ok in zip(s.tolist(), present)]


def _plain(v: Any) -> Any:
    """numpy scalars -> Python scalars, so json.dumps takes them."""
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        try:
            return v.item()
        except (ValueError, AttributeError):
            return v
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d")
    return v
