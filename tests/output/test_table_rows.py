"""table_rows, converted a column at a time, gives the template exactly the rows the row-by-row conversion gave."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from goalsheet.report.context import _cell_value, _wide_by_month, table_rows
from goalsheet.report.layout import LAYOUT, LAYOUT_BY_KEY
from goalsheet.report.words import display_value

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "plan"))
from golden_book import golden_book  # noqa: E402
from sample_plan import sample_plan  # noqa: E402


def row_by_row(df, layout, lang="en"):
    """The conversion table_rows used before: DataFrame.to_dict records, `_cell_value` of every cell."""
    if df is None or len(df) == 0:
        return []
    if layout.wide_months:
        df = _wide_by_month(df, layout.columns[0].key)
    present = set(df.columns)
    sources = [col.key if col.key in present else None for col in layout.columns]
    zh_sources = ([f"{s}_zh" if s and f"{s}_zh" in present else None for s in sources] if lang == "zh"
                  else [None] * len(sources))
    out = []
    for record in df.to_dict(orient="records"):
        row = {}
        for col, src, zh_src in zip(layout.columns, sources, zh_sources):
            raw = record.get(src) if src else None
            if zh_src and isinstance(record.get(zh_src), str) and record[zh_src]:
                raw = record[zh_src]
            value = _cell_value(raw, col.fmt)
            row[col.key] = display_value(layout.key, col.key, value, lang)
        if "format" in present:
            row["format"] = record.get("format")
        out.append(row)
    return out


def same(a, b) -> bool:
    """Equal rows, NaN equal to NaN, and the same Python types (a float stays a float, a date a date)."""
    if len(a) != len(b):
        return False
    for ra, rb in zip(a, b):
        if ra.keys() != rb.keys():
            return False
        for k in ra:
            x, y = ra[k], rb[k]
            if type(x) is not type(y):
                return False
            if not (x == y or (isinstance(x, float) and x != x and y != y)):
                return False
    return True


def test_by_hand():
    """Products rows: a float NaN -> blank, a month '2026-03' -> 1 Mar 2026, trend 'growing' -> 增长 in zh,
    flags 'loss-making, ads heavy' -> '亏损，广告过重', a whole-number float in a text column -> int."""
    df = pd.DataFrame({"store": ["A", "B"], "sku": [1.0, "x"], "trend": ["growing", None],
                       "g": [0.1, np.nan], "flags": ["loss-making, ads heavy", ""]})
    rows = table_rows(df, LAYOUT_BY_KEY["products"], "zh")
    assert rows[0]["trend"] == "增长" and rows[0]["flags"] == "亏损，广告过重" and rows[0]["sku"] == 1
    assert rows[1]["g"] is None and rows[1]["trend"] is None and rows[0]["name"] is None
    m = table_rows(pd.DataFrame({"month": ["2026-03"], "target_sales": [5.0]}), LAYOUT_BY_KEY["monthly"])
    assert m[0]["month"] == dt.date(2026, 3, 1) and m[0]["target_sales"] == 5.0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_golden_and_sample_tables_unchanged(lang):
    from goalsheet.plan import make_plan
    plan, _ = make_plan(golden_book())
    for p in (plan, sample_plan()):
        for layout in LAYOUT:
            df = p.tables.get(layout.key)
            assert same(table_rows(df, layout, lang), row_by_row(df, layout, lang)), layout.key
