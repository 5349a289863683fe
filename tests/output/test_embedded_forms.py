"""The plan embedded in the workbook by column (Plan.to_json(by_column=True)) and read back as records: the
same plan JSON as `Plan.to_json()`, and workbooks written before (tables as records) still read."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from goalsheet.report.context import plan_context
from goalsheet.report.workbook import (_json_default, default_template, plan_json_text, read_embedded_plan,
                                       render_workbook)
from goalsheet.plan.result import records, table_columns, table_records, tables_as_records

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sample_plan import sample_plan  # noqa: E402


def test_a_table_by_column_by_hand():
    """Two rows: a float with a blank, an int, a text with a blank."""
    df = pd.DataFrame({"x": [1.5, np.nan], "n": np.array([3, 4], dtype=np.int64), "s": ["a", None]})
    t = table_columns(df)
    assert t == {"columns": ["x", "n", "s"], "values": [[1.5, None], [3, 4], ["a", None]], "rows": 2}
    assert records(t) == [{"x": 1.5, "n": 3, "s": "a"}, {"x": None, "n": 4, "s": None}]
    assert records(t) == table_records(df)


def test_a_table_without_columns_keeps_its_rows():
    t = table_columns(pd.DataFrame(index=range(3)))
    assert t == {"columns": [], "values": [], "rows": 3}
    assert records(t) == [{}, {}, {}]
    assert records(table_columns(pd.DataFrame({"a": []}))) == []


def test_the_by_column_form_reads_back_as_the_plan_json():
    plan = sample_plan(actuals_through=3)
    by_column = json.loads(plan_json_text(plan))
    assert by_column["tables_by_column"] is True
    assert isinstance(by_column["tables"]["monthly"], dict)
    assert tables_as_records(by_column) == json.loads(json.dumps(plan.to_json()))
    plain = plan.to_json()
    assert tables_as_records(plain) is plain


def test_workbooks_embedded_either_way_read_the_same(tmp_path):
    """A workbook written by the previous release (its tables as records) and one written now (by column): both
    give `Plan.to_json()` back, and the embedded text of the new one is the shorter."""
    plan = sample_plan(actuals_through=2)
    context = plan_context(plan, "en")
    as_records = json.dumps(plan.to_json(), ensure_ascii=True, separators=(",", ":"), default=_json_default,
                            allow_nan=False)
    by_column = plan_json_text(plan)
    old, new = tmp_path / "old.xlsx", tmp_path / "new.xlsx"
    render_workbook(default_template("en"), context, out=old, plan_json=as_records)
    render_workbook(default_template("en"), context, out=new, plan_json=by_column)
    expected = json.loads(json.dumps(plan.to_json()))
    assert read_embedded_plan(old) == expected
    assert read_embedded_plan(new) == expected
    assert len(by_column) < len(as_records)


def _plan_with(values: list) -> "Plan":
    from goalsheet.plan.result import Headline, Plan
    table = pd.DataFrame({"store": values, "sales": np.array([1234.5, np.nan, 1e-05, 1e16][:len(values)]),
                          "units": np.arange(len(values), dtype=np.int64)})
    headline = Headline(plan_year=2026, target_sales=np.float64(6402588.12), target_net_profit=np.float64(1.5),
                        existing_sales=np.float64(0), new_sales=np.float64(0), gap=np.float64(0),
                        launches_needed=np.int64(5), shortfall=np.float64(0), cash_available=np.float64(0),
                        bonus_total=np.float64(0))
    return Plan(headline=headline,
                tables={"stores": table}, base_currency="CNY", plan_year=2026, source_name="卖家.xlsx")


def test_the_embedded_text_is_ascii_and_parses_as_the_standard_library_writes_it():
    """Chinese and an emoji (beyond the BMP: a surrogate pair) are escaped exactly as json.dumps(ensure_ascii=True)
    escapes them, so 30 000 characters are 30 000 UTF-16 units in Excel; blanks, tiny and huge floats and numpy
    scalars read back the same."""
    plan = _plan_with(["深圳店 US", "Lumos 🚀", "plain", "Ünïcode"])
    text = plan_json_text(plan)
    expected = json.dumps(plan.to_json(by_column=True), ensure_ascii=True, separators=(",", ":"),
                          default=_json_default, allow_nan=False)
    assert text.isascii()
    assert json.loads(text) == json.loads(expected)
    assert '"Lumos \\ud83d\\ude80"' in text and '"\\u6df1\\u5733\\u5e97 US"' in text
    assert json.loads(text)["tables"]["stores"]["values"][1] == [1234.5, None, 1e-05, 1e16]
