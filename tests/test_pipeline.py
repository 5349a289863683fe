"""The plan command's library entry point: a bad user template is a one-line usage error, nothing written."""
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from goalsheet.cli import cli
from goalsheet.output import default_template

GOLDEN = Path(__file__).parent / "golden" / "golden_seller.xlsx"


def test_unknown_name_in_user_template_is_a_usage_error(tmp_path):
    template = tmp_path / "mine.xlsx"
    wb = openpyxl.load_workbook(default_template("en"))
    wb["Summary"]["A40"] = "{{ montly_total }}"
    wb.save(template)
    out = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(cli, ["plan", str(GOLDEN), "-o", str(out), "--template", str(template)])
    assert result.exit_code == 2, result.output
    assert "Summary!A40" in result.output and "montly_total" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
