"""Hostile and unlucky input files (tests/hostile/make_hostile.py) through `goalsheet check` and `plan`.

Each must end with exit 1 (never a Rust abort, 134), one line naming the problem and no traceback, nothing
written beside it, and the input's bytes untouched.  The limits themselves are checked in-process with
small stand-ins for their values (a real bomb would take gigabytes to build)."""
from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import make_hostile  # noqa: E402

from goalsheet.inputs import limits  # noqa: E402

CASES = {
    "xfd_cell": ("Settings!XFD1048576: ", "16,384 columns"),
    "xfd_in_large_sheet": ("Sales!XFD1048576: ", "16,384 columns"),
    "huge_row": ("Settings!A99999999: ", "outside Excel's grid"),
    "odd_syntax_ref": ("Settings!XFD1048576: ", "16,384 columns"),
    "merged_ranges": ("SKUs: ", "merged ranges"),
    "lying_zip": ("file: lying.xlsx ", "inflates to more than its zip directory says"),
    "not_a_zip": ("file: random.xlsx ", "not an Excel workbook"),
    "broken_zip": ("file: broken.xlsx ", "damaged"),
    "encrypted": ("file: locked.xlsx ", "password-protected"),
    "fifo": ("file: x.xlsx ", "not a regular file"),
}


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "goalsheet", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60)         # a hang guard only


def _problem_lines(result: subprocess.CompletedProcess) -> list[str]:
    """The lines that report a problem (the closing `N error(s) in ...` count left out)."""
    lines = (result.stdout + result.stderr).splitlines()
    return [ln for ln in lines if ln.strip() and " error(s) in " not in ln]


@pytest.mark.parametrize("command", ["check", "plan"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_file_is_one_line_exit_1_nothing_written(tmp_path, case, command):
    path = make_hostile.MAKERS[case](tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    digest = _digest(path)
    result = _run(command, path.name, cwd=tmp_path)
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr and "panicked" not in result.stderr
    lines = _problem_lines(result)
    where, words = CASES[case]
    assert len(lines) == 1, lines
    assert lines[0].startswith(where) and words in lines[0], lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert _digest(path) == digest


def test_dev_zero_is_refused_without_reading_it(tmp_path):
    result = _run("check", "/dev/zero", cwd=tmp_path)
    assert result.returncode == 1
    lines = _problem_lines(result)
    assert len(lines) == 1 and "not a regular file" in lines[0]


def test_many_xml_comments_leave_the_formula_scan_linear_and_right(tmp_path):
    """40 000 comments that each open a cell: the scan finds the one formula with no saved value, once."""
    path = make_hostile.many_comments(tmp_path)
    result = _run("check", path.name, cwd=tmp_path)
    lines = _problem_lines(result)
    assert result.returncode == 1 and len(lines) == 1 and lines[0].startswith("Team!D2: formula has no saved value")


def test_formula_scan_ignores_a_cell_left_open():
    from goalsheet.inputs.read import _empty_formula_cells
    xml = (b'<sheetData>' + b'<c r="A1">' * 1000 + b'<row><c r="B2"><f>1+1</f></c>'
           b'<c r="C2"><f>2</f><v>2</v></c><c r="D2" t="e"><v>#N/A</v></c></row></sheetData>')
    assert _empty_formula_cells(xml) == {(1, 1): None, (1, 3): "#N/A"}


def test_a_merged_range_over_the_whole_sheet_fills_only_the_cells_read():
    from goalsheet.inputs.read import Grid, _fill_merged
    grid = Grid("S", [["a", None], [None, None], [None]])
    _fill_merged(grid, [((0, 0), (1114, 16383))])
    assert grid.rows == [["a", "a"], ["a", "a"], ["a"]]


# ---------------------------------------------------------------- the limits, with small stand-ins

def _package(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


WORKBOOK = (b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            b'<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
RELS = (b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="x"/></Relationships>')


def _book(sheet: bytes, strings: bytes | None = None) -> bytes:
    members = {"xl/workbook.xml": WORKBOOK, "xl/_rels/workbook.xml.rels": RELS, "xl/worksheets/sheet1.xml": sheet}
    if strings is not None:
        members["xl/sharedStrings.xml"] = strings
    return _package(members)


def _sheet(cells: bytes) -> bytes:
    return b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + \
        cells + b"</sheetData></worksheet>"


def _problem(data: bytes) -> limits.LimitProblem | None:
    try:
        limits.check_package("book.xlsx", data)
    except limits.LimitProblem as e:
        return e
    return None


def test_a_member_inflating_past_its_budget_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "PART_BYTES", 10_000)
    e = _problem(_book(_sheet(b'<row r="1"><c r="A1"><v>1</v></c></row>' * 1000)))
    assert e is not None and e.sheet == "" and "inflates to more than" in e.message


def test_the_whole_package_inflating_past_its_budget_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "TOTAL_BYTES", 5_000)
    e = _problem(_book(_sheet(b'<row r="1"><c r="A1"><v>1</v></c></row>' * 200)))
    assert e is not None and "inflates to more than" in e.message


@pytest.mark.parametrize("cells, where", [
    (b'<row r="1"><c r="A1"><v>1</v></c><c r="ZZ1"><v>1</v></c></row>'
     b'<row r="900000"><c r="A900000"><v>1</v></c></row>', "ZZ900000"),
    (b"<row><c t='n'><v>1</v></c></row><row r='1048576'><c s=\"1\"><v>1</v></c><c r=\"AAA1048576\"><v>2</v></c>"
     b"</row>", "AAA1048576"),
])
def test_the_box_between_the_first_and_last_cell_is_bounded(cells, where):
    e = _problem(_book(_sheet(cells)))
    assert e is not None and e.sheet == "S" and e.cell == where


@pytest.mark.parametrize("tag", [b'<c r="A5" r="XFD1048576">', b"<c r = 'a5' s='/>' r\t=\"XFD1048576\">"])
def test_the_last_r_of_a_cell_counts_as_in_calamine(tag):
    e = _problem(_book(_sheet(b'<row r="1"><c r="A1"><v>1</v></c></row><row r="5">' + tag + b"<v>1</v></c></row>")))
    assert e is not None and e.cell == "XFD1048576"


def test_a_large_box_within_the_limit_passes():
    # Excel's full height over six columns: the largest seller's Sales sheet
    assert _problem(_book(_sheet(b'<row r="1"><c r="A1"><v>1</v></c></row>'
                                 b'<row r="1048576"><c r="F1048576"><v>1</v></c></row>'))) is None


def test_a_large_sheet_is_screened_like_a_small_one(monkeypatch):
    """Over PRECISE_BYTES (100 here) a sheet goes through the screen first, and the screen finds what the
    tokeniser would: a cell out of Excel's grid, a second `r` in a usual-looking tag, cells without `r`."""
    from goalsheet.inputs.limits import sheet_scan
    screened = []
    screen = sheet_scan._screened
    monkeypatch.setattr(sheet_scan, "_screened", lambda *a: screened.append(1) or screen(*a))
    monkeypatch.setattr(limits, "PRECISE_BYTES", 100)
    rows = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>0</v></c></row>' % (i, i) for i in range(1, 200))
    assert _problem(_book(_sheet(rows))) is None
    assert screened                      # the screen read it (at the real limit this small sheet is tokenised)
    e = _problem(_book(_sheet(rows + b'<row r="300"><c r="XFD300"><v>1</v></c></row>' * 2 +
                              b'<row r="1048576"><c r="B1048576"><v>1</v></c></row>')))
    assert e is not None and e.cell == "XFD1048576"
    e = _problem(_book(_sheet(rows + b'<row r="300"><c r="A300" t="n" r="XFD300"><v>1</v></c></row>' +
                              b'<row r="1048576"><c r="B1048576"><v>1</v></c></row>')))
    assert e is not None and e.cell == "XFD1048576"           # a second r in a usual-looking tag
    e = _problem(_book(_sheet(rows + b'<row r="5"><c><v>1</v></c>' * 3 + b"<c>" * 0 +
                              b'</row><row r="99999999"><c><v>1</v></c></row>')))
    assert e is not None and e.cell == "A99999999"


def test_merged_ranges_are_counted(monkeypatch):
    """11 merged ranges of two cells each (A1:B1 … A11:B11, 22 cells) on a sheet whose box is A1:K20 (220 cells):
    within the merged-area limit, over a count limit of 10 (and within the real one)."""
    rows = b'<row r="1"><c r="A1"><v>1</v></c></row><row r="20"><c r="K20"><v>1</v></c></row>'
    merged = b"".join(b'<mergeCell ref="A%d:B%d"/>' % (i, i) for i in range(1, 12))
    sheet = _sheet(rows).replace(b"</sheetData>", b"</sheetData><mergeCells>" + merged + b"</mergeCells>")
    assert _problem(_book(sheet)) is None
    monkeypatch.setattr(limits, "MERGED_RANGES", 10)
    e = _problem(_book(sheet))
    assert e is not None and e.sheet == "S" and "more than 10 merged ranges" in e.message


def test_shared_strings_are_bounded(monkeypatch):
    sheet = _sheet(b'<row r="1">' + b"".join(b'<c r="%s1" t="s"><v>0</v></c>' % c for c in (b"A", b"B", b"C"))
                   + b"</row>")
    long_string = b"<sst><si><t>" + b"x" * 2000 + b"</t></si></sst>"
    assert _problem(_book(sheet, long_string)) is None
    monkeypatch.setattr(limits, "SHARED_TEXT_BYTES", 5000)         # three copies of 2000 characters
    e = _problem(_book(sheet, long_string))
    assert e is not None and e.sheet == "S" and "very long text" in e.message
    monkeypatch.setattr(limits, "STRING_BYTES", 1000)
    e = _problem(_book(sheet, long_string))
    assert e is not None and "32,767 characters" in e.message
    monkeypatch.setattr(limits, "SHARED_STRINGS", 2)
    e = _problem(_book(sheet, b"<sst>" + b"<si><t>a</t></si>" * 3 + b"</sst>"))
    assert e is not None and "shared strings" in e.message


def test_a_dtd_in_a_sheet_is_refused():
    e = _problem(_book(b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + _sheet(b"")))
    assert e is not None and "DTD" in e.message


def test_ods_repeated_cells_are_bounded(monkeypatch):
    monkeypatch.setattr(limits, "SHEET_CELLS", 1000)
    content = (b'<office:document-content><table:table table:name="S"><table:table-row '
               b'table:number-rows-repeated="100"><table:table-cell table:number-columns-repeated="100" '
               b'office:value-type="float" office:value="1"/></table:table-row></table:table>'
               b'</office:document-content>')
    e = _problem(_package({"content.xml": content, "mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}))
    assert e is not None and "repeated" in e.message
