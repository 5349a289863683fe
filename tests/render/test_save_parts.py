"""package.save_parts (openpyxl's ExcelWriter with worksheets made in memory, into a stored zip) gives the parts
openpyxl's own `Workbook.save` gives: the same names in the same order and the same bytes (docProps/core.xml
aside: its modified time is the clock's), on the shipped templates and on the feature template (charts, merged
cells, conditional formats, validations, names) with a comment, a hyperlink and a table added."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.worksheet.table import Table

from goalsheet.output import default_template
from goalsheet.render.package import save_parts


def _parts(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(n, z.read(n)) for n in z.namelist() if n != "docProps/core.xml"]


def _both(load) -> tuple[list, list, zipfile.ZipInfo]:
    saved, ours = io.BytesIO(), io.BytesIO()
    load().save(saved)
    save_parts(load(), ours)
    with zipfile.ZipFile(io.BytesIO(ours.getvalue())) as z:
        info = z.infolist()[0]
    return _parts(saved.getvalue()), _parts(ours.getvalue()), info


def test_shipped_templates(tmp_path):
    for lang in ("en", "zh"):
        data = default_template(lang).read_bytes()
        saved, ours, info = _both(lambda: load_workbook(io.BytesIO(data), rich_text=False))
        assert [n for n, _ in saved] == [n for n, _ in ours] and saved == ours
        assert info.compress_type == zipfile.ZIP_STORED


def test_feature_template_with_comment_link_table(feature_template: Path):
    def load():
        wb = load_workbook(feature_template)
        ws = wb.worksheets[0]
        ws["H2"] = "linked"
        ws["H2"].hyperlink = "https://example.com/"
        ws["H3"].comment = Comment("a note", "goalsheet")
        ws["J1"], ws["K1"], ws["J2"], ws["K2"] = "a", "b", 1, 2
        ws.add_table(Table(displayName="T1", ref="J1:K2"))
        return wb
    saved, ours, _ = _both(load)
    names = [n for n, _ in saved]
    assert any(n.startswith("xl/charts/") for n in names) and any(n.startswith("xl/tables/") for n in names)
    assert any("comments" in n for n in names)
    assert names == [n for n, _ in ours] and saved == ours
