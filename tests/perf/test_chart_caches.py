"""Chart caches written as text (render/structure.py): the same XML openpyxl would write, read back by openpyxl."""
from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference

from goalsheet.render import Template


def _template() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["sku", "units"])
    ws.append(["{% for r in rows %}"])
    ws.append(["{{ r.sku }}", "{{ r.units }}"])
    ws.append(["{% endfor %}"])
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=2, min_row=3, max_row=3), titles_from_data=False)
    chart.set_categories(Reference(ws, min_col=1, min_row=3, max_row=3))
    ws.add_chart(chart, "E2")
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_cached_points_keep_text_escaped_blanks_out_and_spaces():
    """Rows: ("A&B", 3), (" lead", 2.5), (None, None), ("<x>", 1e20).
    Expected caches: categories idx 0,1,3 = "A&B", " lead", "<x>" (blank row 2 left out, ptCount 4);
    values idx 0,1,3 = 3.0, 2.5, 1e20 (the blank left out)."""
    rows = [{"sku": "A&B", "units": 3}, {"sku": " lead", "units": 2.5}, {"sku": None, "units": None},
            {"sku": "<x>", "units": 1e20}]
    out = BytesIO()
    Template(_template()).render({"rows": rows}, out)
    out.seek(0)
    ws = load_workbook(out)["Data"]
    (series,) = ws._charts[0].series
    cat = series.cat.strRef.strCache
    val = series.val.numRef.numCache
    assert cat.ptCount == 4 and val.ptCount == 4
    assert [(p.idx, p.v) for p in cat.pt] == [(0, "A&B"), (1, " lead"), (3, "<x>")]
    assert [(p.idx, p.v) for p in val.pt] == [(0, 3.0), (1, 2.5), (3, 1e20)]
    assert series.val.numRef.f == "'Data'!$B$2:$B$5"
