"""Whatever a seller types, validation returns problems and never raises (hypothesis)."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))
from broken import golden  # noqa: E402

from goalsheet.inputs import from_rows  # noqa: E402

CELLS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12), st.sampled_from(["", " ", "15%", "1.2万", "$1,234.50", "2025-13", "=1+1", "abc", "-0",
                                           "Mar 2025", "1e400", "(5)", "€12,50", "２０２５年３月"]),
    st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)),
)
SHEETS = ["Settings", "Sales", "SKUs", "Stores", "FX", "Team", "Launches", "Bonus", "Expenses"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(SHEETS), st.integers(0, 200), st.integers(0, 25), CELLS),
                min_size=1, max_size=6))
def test_any_edit_gives_problems_not_exceptions(edits):
    sheets = golden()
    for sheet, r, c, value in edits:
        rows = sheets[sheet]
        r %= len(rows)
        while len(rows[r]) <= c:
            rows[r].append(None)
        rows[r][c] = value
    book, problems = from_rows(sheets)
    errors = [p for p in problems if p.severity == "error"]
    assert (book is None) == bool(errors)
    for p in problems:
        assert p.message
