"""LibreOffice opens a rendered workbook, recalculates every formula, and gets the values we cached.

Skipped when `soffice` is not installed.  LibreOffice is told to recalculate on load (as the project's
xlsx-to-png tool does), then saves an .xlsx whose cached values are its own.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from goalsheet.render import render

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")

_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def _libreoffice_roundtrip(book: Path, tmp: Path) -> Path:
    profile = tmp / "profile" / "user"
    profile.mkdir(parents=True)
    (profile / "registrymodifications.xcu").write_text(_PROFILE)
    outdir = tmp / "lo"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp / 'profile'}", "--headless", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir), str(book)],
                   check=True, capture_output=True, timeout=180)
    return outdir / book.name


def test_libreoffice_recalculates_to_our_cached_values(feature_template: Path, context: dict, five_stores: list,
                                                       tmp_path: Path):
    context["stores"] = five_stores
    ours = tmp_path / "rendered.xlsx"
    render(feature_template, context, ours)
    theirs = _libreoffice_roundtrip(ours, tmp_path)
    mine = load_workbook(ours, data_only=True)
    formulas = load_workbook(ours)
    lo = load_workbook(theirs, data_only=True)
    compared = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    want = lo[ws.title][cell.coordinate].value
                    got = mine[ws.title][cell.coordinate].value
                    if isinstance(want, float) or isinstance(got, float):
                        assert got == pytest.approx(want), f"{ws.title}!{cell.coordinate}"
                    else:
                        assert got == want, f"{ws.title}!{cell.coordinate}"
                    compared += 1
    assert compared > 30
    # the layout LibreOffice sees is ours
    assert lo["Data"]["A8"].value == "Total" and lo["Months"]["N1"].value == "Total"
