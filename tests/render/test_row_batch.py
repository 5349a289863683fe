"""Rows of `{{ row.key }}` cells read in one pass (cells.RowBatch) against the cell-by-cell render of the same
template (the batch switched off): the same output cells for plain values, and the same handling - through the
cell-by-cell path - of NaN, infinities, numpy scalars, dates, a missing key, a row that is not a dict; which
template rows are batched (one name, no column loop bindings, only `{{ name.key }}` cells)."""
from __future__ import annotations

import datetime as dt
import io
import math
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from openpyxl import Workbook

from goalsheet.render import Template, TemplateError
from goalsheet.render import cells, engine
from goalsheet.render.cells import RowBatch as _RowBatch
from goalsheet.render.compile import CONST, EXPR, CellProgram


def _template() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "T"
    ws.append(["Name", "Value", "Count"])
    ws.append(["{% for row in rows %}"])
    ws.append(["{{ row.name }}", "{{ row.value }}", "{{ row.count }}"])
    ws.append(["{% endfor %}"])
    ws.append(["{% for row in rows %}"])
    ws.append(["{{ row.name }}", "{{ row.value * 2 if row.value is number else 0 }}", "x"])      # not a batch
    ws.append(["{% endfor %}"])
    ws["B3"].number_format = "0.00"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


ROWS = [
    {"name": "a", "value": 1.5, "count": 3},
    {"name": "b & <c>", "value": None, "count": True},
    {"name": "nan", "value": math.nan, "count": 1},
    {"name": "inf", "value": math.inf, "count": -math.inf},
    {"name": "np", "value": np.float64(2.25), "count": np.int64(4)},
    {"name": "date", "value": dt.date(2026, 3, 1), "count": dt.datetime(2026, 3, 1, 12, 30)},
    {"name": " spaced ", "value": -0.0, "count": 10 ** 20},
    {"name": "", "value": 1e-7, "count": 0},
]


def _render(context: dict, batch: bool, monkeypatch) -> dict[str, bytes]:
    with monkeypatch.context() as m:
        if not batch:
            m.setattr(_RowBatch, "of", classmethod(lambda cls, progs: None))
        out = io.BytesIO()
        Template(_template()).render(context, out)
    with zipfile.ZipFile(out) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def test_batched_rows_as_cell_by_cell(monkeypatch):
    calls = []
    real = _RowBatch.cells
    monkeypatch.setattr(_RowBatch, "cells", lambda self, scope: calls.append(real(self, scope)) or calls[-1])
    for rows in (ROWS, ROWS[:1], [dict(r, extra=1) for r in ROWS], [{"name": "x", "value": 1, "count": 2}] * 5):
        assert _render({"rows": rows}, True, monkeypatch) == _render({"rows": rows}, False, monkeypatch)
    # the batch took the plain rows and left NaN, infinities, numpy scalars and dates to the cell-by-cell path
    taken = [c is not None for c in calls[:len(ROWS)]]
    assert taken == [True, True, False, False, False, False, True, True]


def test_missing_key_and_not_a_dict_fail_as_before(monkeypatch):
    for rows in ([{"name": "a", "value": 1}], ["text"], [None]):
        errors = []
        for batch in (True, False):
            with pytest.raises(TemplateError) as exc:
                _render({"rows": rows}, batch, monkeypatch)
            errors.append(str(exc.value))
        assert errors[0] == errors[1]


def test_which_rows_batch():
    """Only rows of `{{ name.key }}` cells of one name, with no column bindings, links or comments."""
    def prog(field, kind=EXPR):
        return CellProgram(kind, None, 0, "T!A1", field=field)
    assert _RowBatch.of([(1, None, (), (), prog(("row", "a"))), (2, None, (), (), prog(("row", "b")))]) is not None
    assert _RowBatch.of([(1, None, (), (), prog(("row", "a"))), (2, None, (), (), prog(("other", "b")))]) is None
    assert _RowBatch.of([(1, None, (), (), prog(("row", "a"))), (2, None, (), (), prog(None))]) is None
    assert _RowBatch.of([(1, {"m": 1}, (), (), prog(("row", "a")))]) is None
    assert _RowBatch.of([(1, None, (), (), prog(("row", "a"), CONST))]) is None
    batch = _RowBatch.of([(2, None, (), (), prog(("row", "a"))), (5, None, (), (), prog(("row", "b")))])
    assert batch.cells({"row": {"a": "x", "b": 2.5}}) == [(2, 0, "x"), (5, 0, 2.5)]
    assert batch.cells({"row": {"a": "x", "b": math.nan}}) is None
    assert batch.cells({"row": {"a": "x"}}) is None
    assert batch.cells({}) is None


def test_batched_rows_written_as_unbatched(monkeypatch):
    """write_rows keys a batched row's shape by its batch (not by its columns and styles read anew): the same XML
    as with the batch forgotten, and as the cell-by-cell writer of test_write_rows_shapes."""
    sys.path.insert(0, str(Path(__file__).parent))
    from test_write_rows_shapes import _reference

    outputs = {}
    real = engine.render_cells

    def keep(wb, st, rows, cols, remapper):
        out = outputs[st.title] = real(wb, st, rows, cols, remapper)
        return out
    monkeypatch.setattr(engine, "render_cells", keep)
    rows = ROWS + [{"name": f"r{i}", "value": i / 7, "count": i} for i in range(30)]
    Template(_template()).render({"rows": rows}, io.BytesIO())
    out = outputs["T"]
    assert len(out.batched) == len(rows) - 4          # all but NaN, infinity, numpy and date rows
    written: list[str] = []
    out.write_rows(written.append)
    out.batched = {}
    forgotten: list[str] = []
    out.write_rows(forgotten.append)
    assert "".join(written) == "".join(forgotten) == _reference(out)
