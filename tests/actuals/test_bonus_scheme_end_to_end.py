"""A yearly step scheme through the whole pipeline: `goalsheet plan --json`, the Bonus sheet and the JSON (3.8).

The golden seller (tests/golden) with a third operator, Li Na, who runs the US organiser SKU, and the scheme:
yearly sales, step: 0 below 80 %, 0.5 from 80 % to 100 %, 1.0 from 100 %; each operator's bonus base 12 000.

    at 100 %:  3 × 12 000 × 1.0 = 36 000        at 80 %:  3 × 12 000 × 0.5 = 18 000
    at 120 %:  the last tier's rate, 1.0 → 36 000

The 36 000 at 100 % is the planned bonus cost (gs_bonus_total).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[0] / "golden"))
sys.path.insert(0, str(HERE.parents[0] / "output"))
from make_golden import golden_sheets  # noqa: E402
from readback import name_target, named_table, named_value  # noqa: E402

from goalsheet.cli import cli  # noqa: E402

OPERATORS = ["Wang Fang", "Chen Jie", "Li Na"]


def three_operator_seller(path: Path) -> None:
    sheets = golden_sheets()
    sheets["Team"] = [["operator", "base_salary", "bonus_base"],
                      ["Wang Fang", 9000, 12000], ["Chen Jie", 7500, 12000], ["Li Na", 7000, 12000]]
    sheets["Bonus"] = [["period", "metric", "from", "to", "rate", "mode", "cap", "weight"],
                       ["year", "sales", 0, 0.8, 0, "step", None, None],
                       ["year", "sales", 0.8, 1.0, 0.5, "step", None, None],
                       ["year", "sales", 1.0, None, 1.0, "step", None, None]]
    head, *rows = sheets["SKUs"]
    op, sku = head.index("operator"), head.index("sku")
    sheets["SKUs"] = [head] + [r[:op] + ["Li Na"] + r[op + 1:] if r[sku] == "US-ORG-03" else r for r in rows]
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_three_operators_yearly_step_in_workbook_and_json(tmp_path, lang):
    book, out, js = tmp_path / "three.xlsx", tmp_path / "three-plan.xlsx", tmp_path / "three.json"
    three_operator_seller(book)
    result = CliRunner().invoke(cli, ["plan", str(book), "-o", str(out), "--json", str(js), "--lang", lang])
    assert result.exit_code == 0, result.output
    plan = json.loads(js.read_text(encoding="utf-8"))

    # the JSON
    assert plan["headline"]["gs_bonus_total"] == 36_000.0
    rows = plan["tables"]["bonus"]
    totals = {r["operator"]: r for r in rows if r["kind"] == "total"}
    assert list(totals) == OPERATORS
    assert sum(r["bonus_100"] for r in totals.values()) == 36_000.0
    assert sum(r["bonus_80"] for r in totals.values()) == 18_000.0
    assert sum(r["bonus_120"] for r in totals.values()) == 36_000.0
    year = {r["operator"]: r for r in rows if r["kind"] == "year"}
    assert [year[o]["share"] for o in OPERATORS] == [12_000.0] * 3
    assert [year[o]["bonus_80"] for o in OPERATORS] == [6_000.0] * 3
    assert year["Li Na"]["target"] > 0          # she has a sales target of her own (the organiser)

    # the workbook, cached values only
    wb = openpyxl.load_workbook(out, data_only=True)
    assert named_value(wb, "gs_bonus_total") == 36_000.0
    headers, table, last = named_table(wb, "gs_bonus")
    col = {h: j for j, h in enumerate(headers)}
    at80, at100 = (("80%达成奖金", "100%达成奖金") if lang == "zh" else ("Bonus at 80%", "Bonus at 100%"))
    total_word = "合计" if lang == "zh" else "Total"
    period = col["周期" if lang == "zh" else "Period"]
    per_operator = [r for r in table if r[period] == total_word]
    assert sum(r[col[at100]] for r in per_operator) == 36_000.0
    assert sum(r[col[at80]] for r in per_operator) == 18_000.0
    ws = wb[name_target(wb, "gs_bonus")[0]]
    grand = [ws.cell(last + 1, j + 1).value for j in range(len(headers))]
    assert grand[col[at100]] == 36_000.0          # each row counted once, the operators' Total rows not again
    assert grand[col[at80]] == 18_000.0
