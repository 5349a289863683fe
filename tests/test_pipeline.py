"""The plan command's library entry point: a bad user template is a one-line usage error, nothing written."""
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from goalsheet.cli import cli
from goalsheet.report import default_template

GOLDEN = Path(__file__).parent / "golden" / "golden_seller.xlsx"


def test_unknown_name_in_user_template_is_a_usage_error(tmp_path):
    template = tmp_path / "mine.xlsx"
    wb = openpyxl.load_workbook(default_template("en"))
    wb["Summary"]["A70"] = "{{ montly_total }}"
    wb.save(template)
    out = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(cli, ["plan", str(GOLDEN), "-o", str(out), "--template", str(template)])
    assert result.exit_code == 2, result.output
    assert "Summary!A70" in result.output and "montly_total" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_bad_template_waits_for_the_workbooks_own_errors(tmp_path):
    """The template is compiled early (during the read, or while the plan's capital is made), but a workbook with
    errors is still reported as such (exit 1, its problems), not as a template error, as before."""
    template = tmp_path / "mine.xlsx"
    wb = openpyxl.load_workbook(default_template("en"))
    wb["Summary"]["A70"] = "{{ montly_total }}"
    wb.save(template)
    seller = openpyxl.load_workbook(GOLDEN)
    seller["Settings"]["B2"] = "not a currency"
    broken = tmp_path / "broken.xlsx"
    seller.save(broken)
    result = CliRunner().invoke(cli, ["plan", str(broken), "-o", str(tmp_path / "p.xlsx"), "--template", str(template)])
    assert result.exit_code == 1, result.output
    assert "Settings!B2" in result.output and "montly_total" not in result.output


def test_the_template_is_compiled_once_in_the_language_the_book_will_have():
    from goalsheet.pipeline import PlanRequest, _Template
    t = _Template(PlanRequest(input=GOLDEN))
    t.compile_for_sheets(["设置", "销售", "SKU", "店铺"])
    zh = t.get("zh")
    assert list(zh.sheets)[0] == "总览"
    assert t.get("zh") is zh                            # not compiled again
    assert list(t.get("en").sheets)[0] == "Summary"     # the book's language after all: compiled for it
    forced = _Template(PlanRequest(input=GOLDEN, lang="en"))
    forced.compile_for_sheets(["设置", "销售"])          # --lang en wins over the sheet names
    assert list(forced.get("en").sheets)[0] == "Summary"


def test_the_template_is_compiled_during_the_read_only_while_sheets_are_still_parsed(monkeypatch):
    import goalsheet.inputs.read as read
    from goalsheet.pipeline import _load_while_starting_up
    for still_parsing, expected in ((True, [["Settings", "Stores", "FX", "SKUs"]]), (False, [])):
        calls = []
        monkeypatch.setattr(read.WorkbookReading, "parsing", lambda self, v=still_parsing: v)
        book, _ = _load_while_starting_up(GOLDEN, lambda names: calls.append(names[:4]))
        assert book is not None
        assert calls == expected
