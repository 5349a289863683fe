"""Text from the input is written back as that text: `_xHHHH_` is OOXML's escape of a character, so a seller's
`_x003D_HYPERLINK(1)` must not come back as `=HYPERLINK(1)` (SPEC section 6: text stays text)."""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "inputs"))
from broken import _set, golden  # noqa: E402

TEXT = "_x003D_HYPERLINK(1)"


def test_x_sequences_in_a_sellers_text_are_written_as_that_text(tmp_path):
    import python_calamine as pc

    from goalsheet.inputs import from_rows
    from goalsheet.report import write_plan_workbook
    from goalsheet.plan import make_plan

    sheets = _set(golden(), "SKUs", 2, 3, TEXT)            # C2: the first SKU's name
    book, problems = from_rows(sheets)
    assert book is not None, [str(p) for p in problems if p.severity == "error"]
    plan, _ = make_plan(book)
    out = tmp_path / "plan.xlsx"
    write_plan_workbook(plan, out)
    # in the sheet XML the underscore that starts the look-alike is itself escaped (`_x005F_` is "_"), which
    # Excel and readers that decode OOXML escapes show as the seller's text
    import zipfile
    with zipfile.ZipFile(out) as z:
        xml = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
    assert b"_x005F_x003D_HYPERLINK(1)" in xml and b">_x003D_HYPERLINK(1)" not in xml
    wb = pc.CalamineWorkbook.from_path(str(out))
    texts = {v for name in wb.sheet_names if not name.startswith("_")
             for row in wb.get_sheet_by_name(name).to_python() for v in row if isinstance(v, str)}
    assert "=HYPERLINK(1)" not in texts
    # the python-calamine installed here decodes the escapes; at its floor (0.4.0) it shows them as written
    assert TEXT in texts or "_x005F_x003D_HYPERLINK(1)" in texts
