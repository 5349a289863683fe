"""The basis' history sums and SKU lookups over integer ids and dicts against the pandas code they replace (the
groupbys and the MultiIndex, still the fallback, forced here as the reference): the same basis to the last bit,
columns, order and dtypes, on the golden book, the sample, the sample's Sales shuffled (unsorted group ids: pandas'
compensated sums) and with a blank revenue."""
from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_book import golden_book  # noqa: E402

from goalsheet.inputs import load  # noqa: E402
from goalsheet.plan import engine  # noqa: E402
from goalsheet.plan import existing as ex  # noqa: E402

SAMPLE = Path(__file__).parents[2] / "sample_workbooks" / "demo_seller.xlsx"


def _sample_book():
    book, problems = load(SAMPLE)
    assert book is not None, problems
    return book


def _sample_shuffled():
    book = _sample_book()
    sales = book.sales.sample(frac=1.0, random_state=3).reset_index(drop=True)
    return dataclasses.replace(book, sales=sales)


def _sample_blank_revenue():
    book = _sample_book()
    sales = book.sales.copy()
    rev = sales["revenue"].to_numpy(dtype=float).copy()
    rev[5] = np.nan
    sales["revenue"] = rev
    return dataclasses.replace(book, sales=sales)


SELLERS = {"golden": golden_book, "sample": _sample_book, "sample, Sales shuffled": _sample_shuffled,
           "sample, a blank revenue": _sample_blank_revenue}


def _reference_basis(book, monkeypatch):
    """build_basis by the groupbys and the MultiIndex, the SKUs' existing-product columns set one at a time."""
    with monkeypatch.context() as m:
        m.setattr(engine, "_month_sums", lambda *a: None)
        m.setattr(engine, "_month_store_sums", lambda *a: None)
        m.setattr(ex, "_pair_rows", lambda *a: None)
        m.setattr(engine.ue, "with_columns", _with_columns_one_at_a_time(engine.ue.with_columns))
        return engine.build_basis(book)


def _with_columns_one_at_a_time(fast):
    def with_columns(frame, columns):
        if list(columns) != list(engine.EXISTING_COLUMNS):
            return fast(frame, columns)
        for col, values in columns.items():
            frame[col] = values
        return frame
    return with_columns


def _same(a, b):
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
        for c in a.columns:
            if a[c].dtype == np.float64:
                assert np.array_equal(np.signbit(a[c].to_numpy()), np.signbit(b[c].to_numpy()))
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
    elif isinstance(a, ex.ExistingForecast):
        for f in dataclasses.fields(a):
            _same(getattr(a, f.name), getattr(b, f.name))
    elif f"{a}" != f"{b}":
        raise AssertionError((a, b))


@pytest.mark.parametrize("name", list(SELLERS))
def test_basis_is_the_reference(name, monkeypatch):
    book = SELLERS[name]()
    fast, ref = engine.build_basis(book), _reference_basis(book, monkeypatch)
    for f in dataclasses.fields(engine.Basis):
        if f.name not in ("book", "cache"):
            _same(getattr(fast, f.name), getattr(ref, f.name))


def test_sums_over_ids_hand_worked():
    rb = pd.DataFrame({"month": ["2025-02", "2025-01", "2025-02", "2025-01"], "store": ["B", "A", "A", "A"],
                       "revenue_base": [1.0, 2.0, 4.0, 8.0]})
    assert engine._month_sums(rb).to_dict() == {"2025-01": 10.0, "2025-02": 5.0}
    got = engine._month_store_sums(rb)
    assert got.to_dict("list") == {"month": ["2025-01", "2025-02", "2025-02"], "store": ["A", "A", "B"],
                                   "revenue_base": [10.0, 4.0, 1.0]}
    assert engine._month_sums(rb.assign(month=[1, 2, 1, 2])) is None


def test_pair_rows_hand_worked():
    keys = pd.DataFrame({"store": ["A", "A", "B"], "sku": ["x", "y", "x"]})
    got = ex._pair_rows(keys, np.array(["B", "A", "C", "A"], dtype=object), np.array(["x", "y", "x", "x"], dtype=object))
    assert got.tolist() == [2, 1, -1, 0]
    assert ex._pair_rows(pd.concat([keys, keys.iloc[:1]]), np.array(["A"], dtype=object),
                         np.array(["x"], dtype=object)) is None          # repeated keys: the MultiIndex refuses


def test_repeated_sku_keys_still_refused():
    sales = pd.DataFrame({"store": ["A"], "sku": ["x"], "month": ["2025-01"], "revenue": [1.0], "units": [1.0]})
    keys = pd.DataFrame({"store": ["A", "A"], "sku": ["x", "x"]})
    with pytest.raises(Exception):
        ex._key_rows(sales, keys)
