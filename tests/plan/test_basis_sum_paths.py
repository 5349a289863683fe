"""The basis' history sums and SKU lookups over integer ids and dicts against the pandas code they replaced (the
groupbys and the MultiIndex, kept here as the reference): the same basis to the last bit, columns, order and dtypes,
on the golden book, the sample, the sample's Sales shuffled (unsorted group ids: pandas' compensated sums), with a
blank revenue and with no history."""
from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_book import golden_book, sample_book  # noqa: E402

from goalsheet.plan import engine  # noqa: E402
from goalsheet.plan import existing as ex  # noqa: E402


def _sample_shuffled():
    book = sample_book()
    sales = book.sales.sample(frac=1.0, random_state=3).reset_index(drop=True)
    return dataclasses.replace(book, sales=sales)


def _sample_blank_revenue():
    book = sample_book()
    sales = book.sales.copy()
    rev = sales["revenue"].to_numpy(dtype=float).copy()
    rev[5] = np.nan
    sales["revenue"] = rev
    return dataclasses.replace(book, sales=sales)


def _sample_no_history():
    """The sample planned for the year of its first Sales month: no history month before it."""
    book = sample_book()
    first = min(book.sales["month"])
    return dataclasses.replace(book, settings={**book.settings, "plan_year": int(first[:4])},
                               sales=book.sales[book.sales["month"].str[:4] == first[:4]].reset_index(drop=True))


SELLERS = {"golden": golden_book, "sample": sample_book, "sample, Sales shuffled": _sample_shuffled,
           "sample, a blank revenue": _sample_blank_revenue, "sample, no history": _sample_no_history}


def _month_sums_reference(rev_base):
    return rev_base.groupby("month")["revenue_base"].sum()


def _month_store_sums_reference(rev_base):
    return rev_base.groupby(["month", "store"], as_index=False)["revenue_base"].sum()


def _pair_rows_reference(keys, store_of, sku_of):
    """The keys' rows by a MultiIndex of the keys as text (refuses repeated keys)."""
    index = pd.MultiIndex.from_arrays([keys["store"].astype(str), keys["sku"].astype(str)])
    return index.get_indexer(pd.MultiIndex.from_arrays([pd.Index(store_of).astype(str),
                                                        pd.Index(sku_of).astype(str)]))


def _reference_basis(book, monkeypatch):
    """build_basis by the groupbys and the MultiIndex, the SKUs' existing-product columns set one at a time."""
    with monkeypatch.context() as m:
        m.setattr(engine, "_month_sums", _month_sums_reference)
        m.setattr(engine, "_month_store_sums", _month_store_sums_reference)
        m.setattr(ex, "_pair_rows", _pair_rows_reference)
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
    for a, b in ((engine._month_sums(rb), _month_sums_reference(rb)),
                 (engine._month_sums(rb.iloc[:0]), _month_sums_reference(rb.iloc[:0]))):
        pd.testing.assert_series_equal(a, b, check_exact=True)
    for frame in (rb, rb.iloc[:0]):
        pd.testing.assert_frame_equal(engine._month_store_sums(frame), _month_store_sums_reference(frame),
                                      check_exact=True)
    with pytest.raises(ValueError, match="not text"):
        engine._month_sums(rb.assign(month=[1, 2, 1, 2]))
    with pytest.raises(ValueError, match="blank"):
        engine._month_store_sums(rb.assign(store=["B", None, "A", "A"]))


def test_pair_rows_hand_worked():
    keys = pd.DataFrame({"store": ["A", "A", "B"], "sku": ["x", "y", "x"]})
    got = ex._pair_rows(keys, np.array(["B", "A", "C", "A"], dtype=object), np.array(["x", "y", "x", "x"], dtype=object))
    assert got.tolist() == [2, 1, -1, 0]
    assert got.tolist() == _pair_rows_reference(keys, np.array(["B", "A", "C", "A"], dtype=object),
                                                np.array(["x", "y", "x", "x"], dtype=object)).tolist()
    with pytest.raises(ValueError, match="not text"):
        ex._pair_rows(keys.assign(sku=["x", 1, "x"]), np.array(["A"], dtype=object), np.array(["x"], dtype=object))


def test_repeated_sku_keys_still_refused():
    """A (store, SKU) listed twice is refused with the error the MultiIndex lookup raised."""
    sales = pd.DataFrame({"store": ["A"], "sku": ["x"], "month": ["2025-01"], "revenue": [1.0], "units": [1.0]})
    keys = pd.DataFrame({"store": ["A", "A"], "sku": ["x", "x"]})
    with pytest.raises(pd.errors.InvalidIndexError) as ours:
        ex._key_rows(sales, keys)
    with pytest.raises(pd.errors.InvalidIndexError) as reference:
        _pair_rows_reference(keys, np.array(["A"], dtype=object), np.array(["x"], dtype=object))
    assert str(ours.value) == str(reference.value)
