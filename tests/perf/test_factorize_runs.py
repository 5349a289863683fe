"""plan/existing.factorize_runs: the run-heads shortcut gives exactly pd.factorize's codes and distinct values."""
from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from goalsheet.plan.existing import factorize_runs


def test_runs_by_hand():
    """Cells B B B A A A A A B B (sorted by month, then store: runs); first appearance B then A:
    distinct B, A; codes 0 0 0 1 1 1 1 1 0 0.  Blank (None) cells are -1 as in pd.factorize."""
    codes, uniques = factorize_runs(np.array(list("BBBAAAAABB"), dtype=object))
    assert uniques.tolist() == ["B", "A"]
    assert codes.tolist() == [0, 0, 0, 1, 1, 1, 1, 1, 0, 0]
    codes, uniques = factorize_runs(np.array([None] * 6 + ["x"] * 6, dtype=object))
    assert uniques.tolist() == ["x"] and codes.tolist() == [-1] * 6 + [0] * 6


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", None, float("nan")]), st.integers(1, 12)), max_size=20))
def test_same_as_factorize(runs):
    values = np.array([v for v, k in runs for _ in range(k)], dtype=object)
    codes, uniques = factorize_runs(values)
    want_codes, want_uniques = pd.factorize(values)
    assert codes.tolist() == want_codes.tolist()
    assert list(uniques) == list(want_uniques)
