"""Plan.to_json: the tables as records, converted a column at a time, hold exactly what the row-by-row
conversion held (the embedded plan --baseline reads back must not change)."""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from goalsheet.plan.result import Plan, _plain, table_records

sys.path.insert(0, str(Path(__file__).parents[1] / "plan"))
from golden_book import golden_book  # noqa: E402


def row_by_row(df: pd.DataFrame) -> list[dict]:
    """The conversion to_json used before (one dict per row from DataFrame.to_dict, then each value)."""
    out = df.astype(object).where(df.notna(), None)
    return [{k: _plain(v) for k, v in row.items()} for row in out.to_dict(orient="records")]


def test_every_kind_of_column_by_hand():
    """Floats with a NaN -> None, ints and bools as Python's, text with a missing value -> None, a Timestamp
    -> '2026-03-01', NaT -> None, numpy scalars in an object column -> Python numbers."""
    df = pd.DataFrame({
        "x": [1.5, np.nan], "n": [1, 2], "b": [True, False], "s": ["a", None],
        "when": pd.to_datetime(["2026-03-01", None]), "o": pd.Series([np.int64(7), "t"], dtype=object),
    })
    got = table_records(df)
    assert got == [{"x": 1.5, "n": 1, "b": True, "s": "a", "when": "2026-03-01", "o": 7},
                   {"x": None, "n": 2, "b": False, "s": None, "when": None, "o": "t"}]
    assert type(got[0]["n"]) is int and type(got[0]["b"]) is bool and type(got[0]["o"]) is int
    assert got == row_by_row(df)
    json.dumps(got, allow_nan=False)


def test_empty_tables():
    assert table_records(pd.DataFrame()) == []
    assert table_records(pd.DataFrame(columns=["a", "b"])) == []


def test_golden_plan_json_unchanged():
    from goalsheet.plan import make_plan
    plan, _ = make_plan(golden_book())
    assert isinstance(plan, Plan)
    for name, df in plan.tables.items():
        fast, slow = table_records(df), row_by_row(df)
        assert json.dumps(fast, default=str) == json.dumps(slow, default=str), name
        for a, b in zip(fast, slow):
            for k in a:
                if isinstance(a[k], float) and not math.isnan(a[k]):
                    assert type(b[k]) is float and a[k] == b[k]
