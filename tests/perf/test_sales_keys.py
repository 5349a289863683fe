"""Sales rows summed per month × store × SKU (inputs/sales._distinct_keys): the one-pass path for rows already
in key order gives what np.unique gives."""
from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from goalsheet.inputs.sales import _distinct_keys


def test_sorted_keys_by_hand():
    """Keys 1 1 2 5 5 5 9: distinct 1 2 5 9; row i belongs to group 0 0 1 2 2 2 3."""
    groups, inverse = _distinct_keys(np.array([1, 1, 2, 5, 5, 5, 9]))
    assert groups.tolist() == [1, 2, 5, 9]
    assert inverse.tolist() == [0, 0, 1, 2, 2, 2, 3]


def test_unsorted_keys_by_hand():
    """Keys 5 1 5: distinct 1 5; groups 1 0 1."""
    groups, inverse = _distinct_keys(np.array([5, 1, 5]))
    assert groups.tolist() == [1, 5]
    assert inverse.tolist() == [1, 0, 1]


@given(st.lists(st.integers(0, 30), max_size=60), st.booleans())
def test_same_as_unique(keys, sort):
    key = np.array(sorted(keys) if sort else keys, dtype=np.int64)
    groups, inverse = _distinct_keys(key)
    want_groups, want_inverse = np.unique(key, return_inverse=True)
    assert groups.tolist() == want_groups.tolist()
    assert inverse.tolist() == want_inverse.reshape(-1).tolist()
