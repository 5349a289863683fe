"""The write phase made cheaper without changing the workbook (render/package.py, render/sheet_xml.py, report/):
parts deflated on a worker thread, the embedded plan's rows streamed rather than put in openpyxl cells, chart
caches read an area at a time."""
from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.chart import LineChart, Reference

from goalsheet.report.context import plan_context
from goalsheet.report.workbook import (default_template, embed_plan, EMBED_SHEET, plan_json_text,
                                       read_embedded_plan, render_workbook)
from goalsheet.render import Template, package
from goalsheet.render.package import DeflatingZip

sys.path.insert(0, str(Path(__file__).parents[1] / "output"))
from sample_plan import sample_plan  # noqa: E402

PARTS = [("a.xml", b"<a>" + b"x" * 5000 + b"</a>"), ("b/c.xml", b"<c/>"), ("d.xml", "<d>é</d>".encode())]
ROWS = ["<row r=\"%d\"><c r=\"A%d\"><v>%d.5</v></c></row>" % (i, i, i) for i in range(1, 2001)]


def _reference_zip() -> bytes:
    """What zipfile itself writes for the same parts in the same order (the streamed one via open(name, 'w'))."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr(*PARTS[0])
        with z.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write(b"<sheetData>" + "".join(ROWS).encode() + b"</sheetData>")
        for name, data in PARTS[1:]:
            z.writestr(name, data)
    return buf.getvalue()


def _deflating_zip() -> bytes:
    buf = io.BytesIO()
    with DeflatingZip(buf, 1) as z:
        z.writestr(*PARTS[0])
        part = z.stream("xl/worksheets/sheet1.xml")
        part.write(b"<sheetData>")
        for row in ROWS:
            part.write_text(row)
        part.write(b"</sheetData>")
        part.close()
        for name, data in PARTS[1:]:
            z.writestr(name, data)
    return buf.getvalue()


def test_deflating_zip_writes_what_zipfile_writes(monkeypatch):
    """Four parts, one streamed as 2 000 rows handed over in blocks of ~4 KB (so in many pieces): the same names
    in the same order, the same bytes, the same CRCs, and the zip checks clean."""
    monkeypatch.setattr(package, "STREAM_CHUNK", 4096)
    ours, theirs = zipfile.ZipFile(io.BytesIO(_deflating_zip())), zipfile.ZipFile(io.BytesIO(_reference_zip()))
    assert ours.testzip() is None
    assert ours.namelist() == theirs.namelist() == ["a.xml", "xl/worksheets/sheet1.xml", "b/c.xml", "d.xml"]
    for a, b in zip(ours.infolist(), theirs.infolist()):
        assert ours.read(a) == theirs.read(b)
        assert (a.CRC, a.file_size, a.compress_type) == (b.CRC, b.file_size, zipfile.ZIP_DEFLATED)


class _DiskFullOnce(io.RawIOBase):
    """A file whose write fails once, as a full disk does, after 1 000 bytes; later writes succeed (so only the
    worker, which made the failing write, can know that the file is short)."""

    def __init__(self):
        self.size, self.failed = 0, False

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.size + len(data) > 1000 and not self.failed:
            self.failed = True
            raise OSError(28, "No space left on device")
        self.size += len(data)
        return len(data)


def test_an_error_on_the_worker_is_raised_in_the_caller():
    """The worker's write fails (disk full): the caller gets the OSError, not a silent short file."""
    with pytest.raises(OSError, match="No space left"):
        with DeflatingZip(_DiskFullOnce(), 1) as z:
            for i in range(50):
                z.writestr(f"p{i}.bin", bytes(range(256)) * 40)


def _old_embed_plan(plan_json: str):
    """The embedding written by goalsheet before the rows were streamed: openpyxl cells (a file a seller may
    still have from last month)."""
    def hook(wb):
        rows = embed_plan(wb, plan_json)
        (ws, values), = rows.items()
        for row in values:
            ws.append(row)
    return hook


def test_read_embedded_plan_reads_old_and_new_files(tmp_path):
    """The same plan embedded the old way (openpyxl cells) and the new way (streamed rows): read_embedded_plan
    gives the plan back from both, and the hidden sheet holds the same values in both."""
    plan = sample_plan()
    text = plan_json_text(plan)
    context = plan_context(plan, "en")
    old, new = tmp_path / "old.xlsx", tmp_path / "new.xlsx"
    Template(default_template("en")).render(context, old, before_save=_old_embed_plan(text))
    render_workbook(default_template("en"), context, out=new, plan_json=text)
    assert read_embedded_plan(old) == read_embedded_plan(new) == plan.to_json()
    values = []
    for path in (old, new):
        wb = load_workbook(path, read_only=True)
        assert wb[EMBED_SHEET].sheet_state == "veryHidden"
        values.append([list(r) for r in wb[EMBED_SHEET].iter_rows(values_only=True)])
        wb.close()
    assert values[0] == values[1]
    assert values[1][0][:2] == ["goalsheet_plan", len(values[1]) - 1]


def test_chart_cache_shows_formula_values_and_leaves_errors_out():
    """A chart over a formula column: =10*n for n = 1, 2, blank, 4, and =1/0 in the last row.  The cached
    points are 10, 20, 0 (a formula over a blank reads 0), 40 and no point for the #DIV/0! (idx 4 left out)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["n", "ten"])
    ws.append(["{% for r in rows %}"])
    ws.append(["{{ r.n }}", "=IF(A3=\"x\",1/0,10*A3)"])
    ws.append(["{% endfor %}"])
    chart = LineChart()
    chart.add_data(Reference(ws, min_col=2, min_row=3, max_row=3), titles_from_data=False)
    ws.add_chart(chart, "E2")
    template = io.BytesIO()
    wb.save(template)
    out = io.BytesIO()
    Template(template.getvalue()).render({"rows": [{"n": 1}, {"n": 2}, {"n": None}, {"n": 4}, {"n": "x"}]}, out)
    out.seek(0)
    (series,) = load_workbook(out)["Data"]._charts[0].series
    cache = series.val.numRef.numCache
    assert cache.ptCount == 5
    assert [(p.idx, p.v) for p in cache.pt] == [(0, 10.0), (1, 20.0), (2, 0.0), (3, 40.0)]


def test_xml_escape_drops_control_characters_only():
    """Text with a tab, a newline, a form feed (illegal in XML), U+FFFE and a no-break space: the form feed and
    U+FFFE go, everything else stays (escaped where XML needs it)."""
    from goalsheet.render.sheet_xml import xml_escape as _xml_escape

    assert _xml_escape("a\tb\nc\x0cd\ufffee\u00a0<&>") == "a\tb\ncd" + "e\u00a0&lt;&amp;&gt;"
    assert _xml_escape("plain 文字") == "plain 文字"


def test_plan_workbook_zip_is_whole(tmp_path):
    """The plan workbook written through the worker opens, checks clean, and names the embedded sheet."""
    from goalsheet.report.workbook import write_plan_workbook

    path = tmp_path / "plan.xlsx"
    write_plan_workbook(sample_plan(), path)
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        assert f'name="{EMBED_SHEET}"'.encode() in z.read("xl/workbook.xml")
