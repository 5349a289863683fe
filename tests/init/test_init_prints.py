"""The `init` workbook prints readably: every sheet A4 landscape at a scale of 74 % or more (11 pt text at 8 pt or
more), never shrunk to one page wide (the Instructions sheet's seven columns at 20 % would print at 2 pt)."""
import openpyxl
import pytest

from goalsheet.inputs.blank import write_blank


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_sheet_prints_on_a4_landscape_at_8_pt_or_more(tmp_path, lang):
    path = tmp_path / f"init_{lang}.xlsx"
    write_blank(path, lang)
    wb = openpyxl.load_workbook(path)
    assert len(wb.worksheets) > 5
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9, ws.title              # A4
        assert not ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert 74 <= int(ws.page_setup.scale) <= 100, ws.title
        assert 11 * int(ws.page_setup.scale) / 100 >= 8.0
