"""Chart caches' quick paths against the straightforward ones: a series' values read down one column without a
{col: value} per row (engine._column_values) as read from the sheet's grid, and a cache of plain finite numbers
formatted in one pass as formatted point by point ("%.16g", not repr: 0.1 + 0.2 -> 0.3000000000000000)."""
from __future__ import annotations

import math
import random

from goalsheet.render.cells import SheetOutput
from goalsheet.render.formula_values import FormulaCell, FormulaValues as _Book, _column_values
from goalsheet.render.evaluate import ErrorValue
from goalsheet.render.refs import Remapper
from goalsheet.render.structure import _num_cache_xml


def _reference_num_cache(values: list) -> str:
    pts = "".join(f'<pt idx="{i}"><v>{"%.16g" % v}</v></pt>' for i, v in enumerate(values)
                  if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v))
    return f'<formatCode>General</formatCode><ptCount val="{len(values)}" />{pts}'


def test_num_cache_by_hand():
    assert _num_cache_xml([0.1 + 0.2, 3]) == ('<formatCode>General</formatCode><ptCount val="2" />'
                                              '<pt idx="0"><v>0.3</v></pt><pt idx="1"><v>3</v></pt>')
    assert "<v>1e+22</v>" in _num_cache_xml([1e22]) and "<v>1.234567890123457</v>" in _num_cache_xml([1.2345678901234567])


def test_num_cache_as_point_by_point():
    rng = random.Random(5)
    plain = [rng.uniform(-1e7, 1e7) for _ in range(500)] + [0.1 + 0.2, 5e-324, -0.0, 2 ** 53, 10 ** 17, 7, 1e-5]
    mixed = plain[:50] + [True, None, "x", math.nan, math.inf, -math.inf, ErrorValue("#N/A")] + plain[50:60]
    for values in (plain, mixed, [], [None], [1, 2.5], [False]):
        assert _num_cache_xml(values) == _reference_num_cache(values)


def _book(rows: list) -> _Book:
    out = SheetOutput("S", rows, [], 5)
    return _Book({"s": out}, {}, Remapper({}))


def _both(rows: list, r1: int, c1: int, r2: int, c2: int) -> tuple[list, list]:
    """shown_values before the sheet's grid exists (the column path where it applies), then from the grid."""
    book = _book(rows)
    quick = book.shown_values("S", r1, c1, r2, c2)
    book._sheet("S").grid()
    return quick, book.shown_values("S", r1, c1, r2, c2)


def test_column_read_as_grid_read():
    uniform = [[(1, 0, f"k{i}"), (2, 3, float(i)), (4, 0, i)] for i in range(20)]
    done = FormulaCell("=1", None, [], "S!B1")
    done.value, done.state = 2.5, 2
    cases = [
        uniform,
        uniform[:5] + [[(1, 0, "x"), (4, 0, 1)]] + uniform[5:],           # a row without column 2
        uniform[:5] + [None] + uniform[5:],                                   # an empty row
        uniform[:5] + [[(2, 0, "short")]] + uniform[5:],                      # a row of another layout
        uniform[:3] + [[(1, 0, "f"), (2, 0, done), (4, 0, 0)]] + uniform[3:],  # a formula's value
        uniform[:3] + [[(1, 0, "e"), (2, 0, ErrorValue("#DIV/0!")), (4, 0, 0)]] + uniform[3:],
    ]
    assert _column_values(uniform, 2) == [float(i) for i in range(20)]
    assert [_column_values(rows, 2) is None for rows in cases[1:]] == [True, True, True, False, False]
    for rows in cases:
        for area in ((1, 2, len(rows), 2), (2, 2, len(rows) + 4, 2), (1, 1, 3, 1), (1, 3, 5, 3), (1, 1, 4, 4)):
            quick, grid = _both(rows, *area)
            assert quick == grid, area
            assert len(quick) == (area[2] - area[0] + 1) * (area[3] - area[1] + 1)
    quick, _ = _both(cases[4], 1, 2, 6, 2)
    assert quick == [0.0, 1.0, 2.0, 2.5, 3.0, 4.0]
