"""The Scenarios sheet of the plan workbook (SPEC 3.10, 4), in English and Chinese, from the sample seller: the SPEC's
headers, gs_scenarios over exactly its rows, the figures of the plan's table, the plan's own row marked, the chart
of net profit and peak cash need reading those rows, the JSON carrying the table, one landscape page."""
from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path

import pytest

from goalsheet.pipeline import PlanRequest, run_plan

sys.path.insert(0, str(Path(__file__).parent))
from readback import load, name_target, named_table  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SPEC_HEADERS = ["Scenario", "Changes", "Target sales", "Target net profit", "Launches needed", "Peak cash need",
                "Fundable", "Largest reachable target", "Binding limit"]


@pytest.fixture(scope="module", params=["en", "zh"])
def written(request, tmp_path_factory):
    lang = request.param
    sample = ROOT / "sample_workbooks" / ("demo_seller_zh.xlsx" if lang == "zh" else "demo_seller.xlsx")
    out = tmp_path_factory.mktemp(f"scen_{lang}")
    result = run_plan(PlanRequest(input=sample, output=out / "plan.xlsx", json_out=out / "plan.json"))
    assert result.ok, [str(p) for p in result.problems if p.severity == "error"]
    return lang, result.plan, out / "plan.xlsx", json.loads((out / "plan.json").read_text("utf-8"))


def test_headers_names_and_figures(written):
    lang, plan, path, _ = written
    wb = load(path)
    sheet, ref = name_target(wb, "gs_scenarios")
    assert sheet == ("情景" if lang == "zh" else "Scenarios")
    headers, rows, _ = named_table(wb, "gs_scenarios")
    table = plan.tables["scenarios"]
    assert len(rows) == len(table) == 7
    if lang == "en":
        assert set(SPEC_HEADERS) <= set(headers)
    else:
        assert headers[:4] == ["情景", "改变的设置", "目标销售额", "目标净利润"]
    at = {h: i for i, h in enumerate(headers)}
    sales = at["Target sales" if lang == "en" else "目标销售额"]
    reach = at["Largest reachable target" if lang == "en" else "可实现的最大目标"]
    for row, (_, record) in zip(rows, table.iterrows()):
        assert row[sales] == record["target_sales"]
        assert row[reach] == record["max_reachable_sales"]
    name = table["scenario_zh" if lang == "zh" else "scenario"].tolist()
    assert [r[0] for r in rows] == name
    changes = at["Changes" if lang == "en" else "改变的设置"]
    unchanged = "不作改变：按设置表" if lang == "zh" else "nothing: the Settings as they are"
    assert [r[changes] == unchanged for r in rows] == [True] + [False] * 6      # the plan's own row, shaded
    assert rows[0][sales] == plan.headline.target_sales


def test_chart_reads_net_profit_and_peak_need_of_the_rows(written):
    lang, _, path, _ = written
    wb = load(path)
    sheet, ref = name_target(wb, "gs_scenarios")
    first, last = (int(re.sub(r"\D", "", x)) for x in ref.split(":"))
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/charts/chart")]
    mine = [x for x in charts if f"{sheet}'!" in x or f"{sheet}!" in x]
    assert len(mine) == 1
    refs = re.findall(r"<(?:c:)?f>'?[^'!<]+'?!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)</(?:c:)?f>", mine[0])
    assert {(c, int(a), int(b)) for c, a, b in refs} == {("A", first + 1, last), ("D", first + 1, last),
                                                         ("H", first + 1, last)}


def test_one_landscape_page(written):
    _, _, path, _ = written
    wb = load(path, data_only=False)
    ws = wb["情景"] if "情景" in wb.sheetnames else wb["Scenarios"]
    assert ws.page_setup.orientation == "landscape"
    assert not ws.col_breaks.brk                      # the table on one page across,
    assert 74 <= int(ws.page_setup.scale) <= 100        # at 8 pt or more,
    assert len(ws.row_breaks.brk) == 1                  # the chart on a page of its own after it


def test_json_carries_the_table(written):
    _, plan, _, data = written
    records = data["tables"]["scenarios"]
    assert [r["target_net_profit"] for r in records] == plan.tables["scenarios"]["target_net_profit"].tolist()
    assert records[0]["is_plan"] is True and json.loads(records[1]["settings"]) == {"monthly_growth": 0.01}
