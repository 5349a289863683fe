"""The Assumptions table's summaries against the code they replace (kept here as the reference): the same groups of
SKU defaults, the same values and notes for every kind of value list."""
from __future__ import annotations

import math

import numpy as np
import pytest

from goalsheet.inputs.model import Default
from goalsheet.plan import assemble as A


def _sku_defaults_reference(defaults):
    groups = {}
    for x in defaults:
        if x.sheet == A.SKU_SHEET:
            groups.setdefault((x.column, str(x.reason)), []).append(x)
    return groups


def _sku_spread_reference(values, fmt, names):
    names_en = f"; {', '.join(names)}" if len(names) <= A.NAMED_SKUS else ""
    names_zh = f"；{'、'.join(names)}" if len(names) <= A.NAMED_SKUS else ""
    plain = [v.item() if hasattr(v, "item") else v for v in values]
    distinct = list(dict.fromkeys((type(v), v) for v in plain))
    if len(distinct) == 1:
        return A.Spread(plain[0], names_en, names_zh)
    numbers = [float(v) for v in plain if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if len(numbers) == len(plain) and all(math.isfinite(v) for v in numbers):
        lo, hi = A._number_text(min(numbers), fmt), A._number_text(max(numbers), fmt)
        return A.Spread(float(np.median(numbers)), f"; median of {len(numbers):,}, from {lo} to {hi}{names_en}",
                        f"；{len(numbers):,} 个值的中位数，{lo} 至 {hi}{names_zh}")
    return A.Spread(f"{len(distinct):,} values", f"; {len(distinct):,} different values{names_en}",
                    f"；{len(distinct):,} 个不同的值{names_zh}")


VALUE_LISTS = {
    "same floats": [0.19, 0.19, 0.19, 0.19],
    "floats": [0.1, 0.3, 0.2, 0.25, 0.15],
    "ints and floats": [5, 7, 6.5, 100],
    "one int, one float, equal": [1, 1.0],
    "bools": [True, False, True],
    "a bool among numbers": [1.0, True, 2.0],
    "texts": ["a", "b", "a"],
    "texts and numbers": ["a", 1.0, 2],
    "nan": [1.0, float("nan"), 2.0],
    "inf": [1.0, float("inf")],
    "None": [None, None],
    "numpy scalars": [np.float64(0.5), np.float64(0.25), np.int64(3)],
    "numpy float array": np.array([0.3, 0.1, 0.2, 0.1]),
    "numpy float array, same": np.array([0.1, 0.1]),
    "numpy int array": np.array([3, 1, 2]),
    "numpy bool array": np.array([True, False]),
    "numpy object array": np.array(["x", 1.5, None], dtype=object),
    "numpy nan array": np.array([0.1, np.nan]),
}


@pytest.mark.parametrize("name", list(VALUE_LISTS))
@pytest.mark.parametrize("fmt", ["rate", "money", "int", "number", "text"])
def test_sku_spread_is_the_reference(name, fmt):
    values = VALUE_LISTS[name]
    for names in (["A / 1", "A / 2"][: min(2, len(values))], [f"S / {i}" for i in range(max(len(values), 4))]):
        got, want = A.sku_spread(values, fmt, names), _sku_spread_reference(values, fmt, names)
        assert (got.note, got.note_zh) == (want.note, want.note_zh)
        assert type(got.value) is type(want.value)
        assert got.value == want.value or (got.value != got.value and want.value != want.value)


def test_defaults_grouped_in_one_pass():
    rng = np.random.default_rng(3)
    defaults = []
    for i in range(3000):
        sheet = ["SKUs", "SKUs", "SKUs", "Settings", "Stores"][int(rng.integers(0, 5))]
        reason = ["default", "marketplace DE", "marketplace US", 7][int(rng.integers(0, 4))]
        defaults.append(Default(sheet, f"row {i}", ["vat_rate", "dst_rate", "promo_rate"][i % 3], float(i % 5),
                                reason))
    defaults.append(Default("SKUs", "x", "vat_rate", 0.1, "7"))      # a text reason equal to another's str()
    settings, others, groups = A._defaults_by_sheet(defaults)
    want = _sku_defaults_reference(defaults)
    assert list(groups) == list(want) and all(groups[k] == want[k] for k in want)
    assert A.sku_defaults(defaults) == want
    assert settings == {x.row for x in defaults if x.sheet == "Settings"}
    assert others == [x for x in defaults if x.sheet not in ("Settings", "SKUs")]
