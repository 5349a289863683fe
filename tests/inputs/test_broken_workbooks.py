"""The broken-workbook corpus through `goalsheet check` (CliRunner): every fault named with its cell.

For each case: exit code 1, the output names the sheet and cell (or column/file) worked out by hand
in broken.py, nothing is written beside the input, and the input's bytes are unchanged.
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
from broken import CASES, golden, rows_to_xlsx  # noqa: E402

from goalsheet.cli import cli  # noqa: E402


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _check(*args: str):
    result = CliRunner().invoke(cli, ["check", *args])
    text = result.output + (getattr(result, "stderr", "") or "")
    return result, text


def test_corpus_is_large_and_varied():
    assert len(CASES) >= 25
    assert len({name for name, *_ in CASES}) == len(CASES)


@pytest.mark.parametrize("name,make,file_name,expected", CASES, ids=[c[0] for c in CASES])
def test_check_reports_the_fault(tmp_path, name, make, file_name, expected):
    path = make(tmp_path / file_name)
    before = _digest(path)
    listing = sorted(p.name for p in tmp_path.iterdir())
    result, text = _check(str(path))
    assert result.exit_code == (2 if name == "missing_file" else 1), text    # a missing input: a usage error
    assert "Traceback" not in text
    for want in expected:
        assert want in text, f"{want!r} not in:\n{text}"
    assert _digest(path) == before                        # input untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == listing   # nothing written


def test_two_faults_are_both_listed(tmp_path):
    """A negative price (SKUs!F2) and an unparseable month (Sales!A10) in one workbook: both reported."""
    sheets = golden()
    sheets["SKUs"][1][5] = -1
    sheets["Sales"][9][0] = "sometime"
    path = rows_to_xlsx(sheets, tmp_path / "two.xlsx")
    result, text = _check(str(path))
    assert result.exit_code == 1
    assert "SKUs!F2" in text and "Sales!A10" in text
    assert "2 error(s)" in text


def test_annotate_writes_a_commented_copy_and_leaves_the_input(tmp_path):
    import openpyxl

    sheets = golden()
    sheets["SKUs"][2][5] = "abc"                          # SKUs!F3
    path = rows_to_xlsx(sheets, tmp_path / "seller.xlsx")
    before = _digest(path)
    out = tmp_path / "seller-checked.xlsx"
    result, text = _check(str(path), "--annotate", str(out))
    assert result.exit_code == 1, text
    assert _digest(path) == before
    assert out.exists(), (text, repr(result.exception))
    wb = openpyxl.load_workbook(out)
    cell = wb["SKUs"]["F3"]
    assert cell.comment is not None and "not a number" in cell.comment.text
    assert cell.fill.fill_type == "solid"
    assert wb["SKUs"]["F2"].comment is None               # a good cell is left alone
    assert wb["SKUs"]["F3"].value == "abc"                # the copy keeps the seller's value


def test_annotate_refuses_to_overwrite_the_input(tmp_path):
    path = rows_to_xlsx(golden(), tmp_path / "seller.xlsx")
    before = _digest(path)
    result, _ = _check(str(path), "--annotate", str(path))
    assert result.exit_code == 2
    assert _digest(path) == before


def test_golden_checks_ok(tmp_path):
    path = Path(__file__).resolve().parents[1] / "golden" / "golden_seller.xlsx"
    before = _digest(path)
    result, text = _check(str(path))
    assert result.exit_code == 0, text
    assert _digest(path) == before


def test_annotate_stays_a_function_after_use(tmp_path):
    """The module is inputs/annotation.py, so importing it never rebinds `goalsheet.inputs.annotate`."""
    import goalsheet.inputs as inputs

    path = rows_to_xlsx(golden(), tmp_path / "seller.xlsx")
    for n in range(2):
        inputs.annotate(path, [], tmp_path / f"copy{n}.xlsx")
        assert callable(inputs.annotate)


def test_annotating_an_xlsm_into_an_xlsx_gives_a_plain_workbook(tmp_path):
    """`check shop.xlsm --annotate shop-checked.xlsx`: Excel refuses an .xlsx whose content type says
    macro-enabled (which openpyxl writes for any .xlsm it loads keeping its macros), so the copy must be a plain
    workbook, still with the comment on the bad cell (SKUs!F2)."""
    import zipfile

    import openpyxl
    from click.testing import CliRunner

    from goalsheet.cli import cli

    book = openpyxl.load_workbook(Path(__file__).resolve().parents[1] / "golden" / "golden_seller.xlsx")
    book["SKUs"]["F2"] = "abc"
    src = tmp_path / "shop.xlsm"
    book.save(src)
    out = tmp_path / "shop-checked.xlsx"
    result = CliRunner().invoke(cli, ["check", str(src), "--annotate", str(out)])
    assert result.exit_code == 1
    with zipfile.ZipFile(out) as z:
        assert b"macroEnabled" not in z.read("[Content_Types].xml")
    assert "abc" in openpyxl.load_workbook(out)["SKUs"]["F2"].comment.text
