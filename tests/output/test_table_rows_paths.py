"""table_rows' quick paths (a float column's NaN found by numpy, a column of plain text taken as it is, rows
filled a column at a time) against the row-by-row conversion of test_table_rows, on tables made to reach each
path and its way out: text columns with a blank, a number or a numpy string among the text, text whose Chinese
words apply (zh), a float column with and without NaN, a month column of text."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_table_rows import row_by_row, same  # noqa: E402

from goalsheet.report.context import table_rows  # noqa: E402
from goalsheet.report.layout import LAYOUT_BY_KEY  # noqa: E402


def _products(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    growth = rng.normal(size=n)
    growth[rng.random(n) < 0.2] = np.nan
    trend = rng.choice(["growing", "stable", "declining"], n).astype(object)
    flags = rng.choice(["", "loss-making", "loss-making, ads heavy", "margin under 10%"], n).astype(object)
    return pd.DataFrame({
        "store": [f"S{i % 7}" for i in range(n)],                 # plain text
        "sku": [f"SKU-{i}" if i % 11 else float(i) for i in range(n)],   # a whole float among the text -> int
        "name": [f" name {i}" if i % 5 else None for i in range(n)],     # a blank among the text
        "operator": [np.str_(f"op{i % 3}") if i == 3 else f"op{i % 3}" for i in range(n)],  # a numpy str
        "trend": trend,                                            # words in Chinese for zh
        "flags": flags,
        "g": growth,                                               # floats with NaN
        "run_rate": rng.random(n) * 1000,                          # floats without
        "history_sales": rng.integers(0, 10_000, n),               # ints
        "net_margin": rng.random(n).astype(np.float32),            # float32 with no NaN
    })


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_quick_paths_as_row_by_row(lang, seed):
    df = _products(300, seed)
    layout = LAYOUT_BY_KEY["products"]
    assert same(table_rows(df, layout, lang), row_by_row(df, layout, lang))
    plain = df.assign(name=[f"n{i}" for i in range(len(df))], sku=[f"k{i}" for i in range(len(df))])
    assert same(table_rows(plain, layout, lang), row_by_row(plain, layout, lang))


def test_month_text_and_nan_by_hand():
    """A month column of text still becomes dates; NaN in a money column a blank; plain text stays the same
    object types (str)."""
    df = pd.DataFrame({"month": ["2026-01", "2026-02"], "target_sales": [1.5, np.nan]})
    rows = table_rows(df, LAYOUT_BY_KEY["monthly"], "en")
    assert [r["month"].month for r in rows] == [1, 2]
    assert rows[0]["target_sales"] == 1.5 and rows[1]["target_sales"] is None
    assert same(rows, row_by_row(df, LAYOUT_BY_KEY["monthly"], "en"))
    stores = table_rows(pd.DataFrame({"store": ["A", "B"], "m01": [1.0, 2.0]}), LAYOUT_BY_KEY["stores"], "en")
    assert [type(r["store"]) for r in stores] == [str, str] and stores[1]["m01"] == 2.0
