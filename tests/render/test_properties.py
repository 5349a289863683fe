"""Invariants over random data: totals reconcile, everything below a loop lands where the row count says."""
from __future__ import annotations

import math
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from goalsheet.render import Template


def _template(path: Path) -> Path:
    """Rows: 1 header, 2 {% for g in groups %}, 3 group name, 4 {% for v in g.values %}, 5 value,
    6 {% endfor %}, 7 Subtotal =SUM(B5:B5), 8 {% endfor %}, 9 Total =SUMIF(A2:A8,"Subtotal",B2:B8),
    10 merged footer A10:B10."""
    wb = Workbook()
    ws = wb.active
    ws.title = "S"
    rows = [["Group", "Value"], ["{% for g in groups %}"], ["{{ g.name }}"], ["{% for v in g['values'] %}"],
            ["{{ loop.index }}", "{{ v }}"], ["{% endfor %}"], ["Subtotal", "=SUM(B5:B5)"], ["{% endfor %}"],
            ["Total", '=SUMIF(A2:A8,"Subtotal",B2:B8)'], ["footer"]]
    for row in rows:
        ws.append(row)
    ws.merge_cells("A10:B10")
    ws.conditional_formatting.add("B5", _rule())
    wb.save(path)
    return path


def _rule():
    from openpyxl.formatting.rule import CellIsRule
    return CellIsRule(operator="lessThan", formula=["0"])


groups_strategy = st.lists(
    st.lists(st.integers(min_value=-10_000, max_value=10_000).map(lambda c: c / 100), max_size=6),
    max_size=6)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(groups=groups_strategy)
def test_totals_reconcile_and_the_footer_lands_after_the_generated_rows(tmp_path_factory, groups):
    """Each group makes 1 name row + max(1, len(values)) value rows (an empty inner loop leaves one empty
    row) + 1 subtotal row; no group at all leaves one empty row.  So the Total row is
    2 + (sum over groups of (2 + max(1, n)) or 1 when there are no groups), the footer the row after, and
    Total = the sum of every value (cents, so floating sums agree to 1e-9)."""
    tmp = tmp_path_factory.mktemp("prop")
    template = Template(_template(tmp / "t.xlsx"))
    context = {"groups": [{"name": f"g{i}", "values": vals} for i, vals in enumerate(groups)]}
    out = tmp / "o.xlsx"
    template.render(context, out)
    body = sum(2 + max(1, len(vals)) for vals in groups) if groups else 1
    total_row = 2 + body
    ws = load_workbook(out, data_only=True)["S"]
    assert ws.cell(total_row, 1).value == "Total"
    assert math.isclose(ws.cell(total_row, 2).value, math.fsum(v for vals in groups for v in vals), abs_tol=1e-9)
    formulas = load_workbook(out)["S"]
    assert {str(r) for r in formulas.merged_cells.ranges} == {f"A{total_row + 1}:B{total_row + 1}"}
    subtotal_rows = [r for r in range(2, total_row) if ws.cell(r, 1).value == "Subtotal"]
    assert len(subtotal_rows) == len(groups)
    for r, vals in zip(subtotal_rows, groups):
        assert math.isclose(ws.cell(r, 2).value, math.fsum(vals), abs_tol=1e-9)
    (cf,) = list(formulas.conditional_formatting)
    first, last = (3, total_row - 2) if groups else (2, 2)      # row 2 is the first group's name row
    assert str(cf.sqref) == (f"B{first}:B{last}" if first != last else f"B{first}")
