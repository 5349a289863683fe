"""sheet_xml.write_rows (rows of one shape share a format string) against the cell-by-cell writer `row_xml` and
hand-written XML."""
import math

from goalsheet.render.cells import SheetOutput
from goalsheet.render.refs import COL_LETTERS
from goalsheet.render.sheet_xml import row_xml as _row_xml, xml_escape as _xml_escape
from goalsheet.render.evaluate import ErrorValue

FLOATS = [0.0, -0.0, 1.5, 2741.0, 0.1, 1 / 3, 1e-4, 9.99e-5, 1e-5, 12.00001, 10.00001, 1e15, 9999999999999998.0,
          1e16, 1.2345e16, -123456789012345.67, 5e-324, 1.7976931348623157e308, math.nan, math.inf, -math.inf,
          1329744.8401476995, 98.3524168909091]


def _written(out: SheetOutput) -> str:
    parts: list[str] = []
    out.write_rows(parts.append)
    return "".join(parts)


def _reference(out: SheetOutput) -> str:
    xml = []
    for i in range(max(len(out.rows), len(out.row_attrs))):
        cells = out.rows[i] if i < len(out.rows) else None
        ra = out.row_attrs[i] if i < len(out.row_attrs) else ""
        if not cells and not ra:
            continue
        r = str(i + 1)
        xml.append(_row_xml(r, ra, cells, COL_LETTERS, _xml_escape) if cells else f'<row r="{r}"{ra}/>')
    return "".join(xml)


def test_hand_worked_row():
    out = SheetOutput("S", [[(1, 3, 1.5), (2, 0, "a & b"), (3, 4, None), (4, 0, 7), (28, 5, " x")]], [""], 28)
    assert _written(out) == ('<row r="1"><c r="A1" s="3"><v>1.5</v></c>'
                             '<c r="B1" t="inlineStr"><is><t>a &amp; b</t></is></c><c r="C1" s="4"/>'
                             '<c r="D1"><v>7</v></c>'
                             '<c r="AB1" s="5" t="inlineStr"><is><t xml:space="preserve"> x</t></is></c></row>')


def test_floats_as_repr():
    rows = [[(1, 2, v)] for v in FLOATS] + [[(c, 2, v) for c, v in enumerate(FLOATS, 1)]]
    rows += [[(1, 2, v), (2, 0, "t"), (3, 2, 2.0 * i)] for i, v in enumerate(FLOATS)]
    out = SheetOutput("S", rows, [""] * len(rows), len(FLOATS))
    xml = _written(out)
    assert xml == _reference(out)
    for v in FLOATS:
        assert f"<v>{v!r}</v>" in xml


def test_mixed_shapes_match_cell_by_cell():
    texts = ["", "plain", " lead", "trail ", "<&>", "ctl\x01\x02x", "{0} {x}", "中文", "x" * 40000]
    others = [True, False, ErrorValue("#DIV/0!"), 10 ** 30, -3]
    rows: list = []
    attrs: list = []
    for i in range(60):
        v = FLOATS[i % len(FLOATS)]
        t = texts[i % len(texts)]
        cells = [(1, 1, t), (2, 2, v), (3, 0, None), (5, 3, i), (6, 2, v * 3)]
        if i % 7 == 0:
            cells.append((9, 4, others[i % len(others)]))
        rows.append(cells if i % 11 else None)
        attrs.append(' ht="30" customHeight="1" x="{1}"' if i % 5 == 0 else "")
    attrs += ["", ' hidden="1"']
    out = SheetOutput("S", rows, attrs, 9)
    assert _written(out) == _reference(out)
