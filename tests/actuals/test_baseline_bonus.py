"""--baseline freezes the bonus scheme too (SPEC 3.1, 3.8): a Bonus tier changed mid-year does not change what
people are paid on.

The shipped sample's scheme (sample_workbooks/demo_seller.xlsx, Bonus sheet):

    year sales, step, weight 0.5:        0 below 80 %, 0.6 from 80 %, 1.0 from 100 %, 1.3 from 120 %
    quarter net profit, marginal, cap 1.5, weight 0.4:   rate 1 on 0-100 %, 1.5 on 100-150 %
    year launches, step, weight 0.1:     0 below 100 %, 1 from 100 %

Mid-year (three months of actuals in) the seller edits two tiers: the yearly sales tier 100-120 % pays 2.0
instead of 1.0, and the quarterly net-profit tier 0-100 % pays 0.5 instead of 1.  Planned afresh, the bonus at
100 % changes (Wang Fang, bonus base 36 000: her yearly sales row goes from 36 000 × 0.5 × 1.0 = 18 000 to
36 000 × 0.5 × 2.0 = 36 000).  Planned with --baseline (the plan written before the edit), every bonus row's
target and bonus at 80 / 100 / 120 % are the earlier plan's, the tracking's accrued bonus is the earlier
plan's bonus at 100 %, and a closed quarter earns by the earlier tiers:
share × multiplier, multiplier = A for A ≤ 1, 1 + 1.5 × (A − 1) above, at most 1.5.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
from books import SAMPLE, sample_with_actuals  # noqa: E402

from goalsheet.cli import cli  # noqa: E402

PLAN_COLUMNS = ("operator", "period", "kind", "metric", "target", "share", "bonus_80", "bonus_100", "bonus_120")


def plan(book: Path, out: Path, *extra: str) -> tuple[dict, str]:
    js = out.with_suffix(".json")
    result = CliRunner().invoke(cli, ["plan", str(book), "-o", str(out), "--json", str(js), *extra])
    assert result.exit_code == 0, result.output
    return json.loads(js.read_text(encoding="utf-8")), result.output


def edit_tiers(path: Path) -> None:
    """Year sales 100-120 %: rate 1 -> 2; quarter net profit 0-100 %: rate 1 -> 0.5."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Bonus"]
    head = [c.value for c in ws[1]]
    col = {h: i for i, h in enumerate(head)}
    for row in ws.iter_rows(min_row=2):
        period, metric, lower = row[col["period"]].value, row[col["metric"]].value, row[col["from"]].value
        if (period, metric, lower) == ("year", "sales", 1):
            row[col["rate"]].value = 2
        if (period, metric, lower) == ("quarter", "net_profit", 0):
            row[col["rate"]].value = 0.5
    wb.save(path)


def rows_of(js: dict, columns=PLAN_COLUMNS) -> list[dict]:
    return [{k: r.get(k) for k in columns} for r in js["tables"]["bonus"]]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("baseline_bonus")
    base, _ = plan(SAMPLE, tmp / "base.xlsx")
    book = tmp / "edited.xlsx"
    sample_with_actuals(book, ("2026-01", "2026-02", "2026-03"))
    edit_tiers(book)
    free, _ = plan(book, tmp / "free.xlsx")
    frozen, output = plan(book, tmp / "frozen.xlsx", "--baseline", str(tmp / "base.xlsx"))
    return base, free, frozen, output


def test_the_edit_changes_a_fresh_plan(runs):
    """Without --baseline the edited tiers count: Wang Fang's yearly sales bonus at 100 % is 36 000 × 0.5 × 2.0 =
    36 000 (it was 36 000 × 0.5 × 1.0 = 18 000)."""
    base, free, _frozen, _ = runs
    def year_sales(js):
        return next(r for r in js["tables"]["bonus"] if r["operator"] == "Wang Fang" and r["kind"] == "year"
                    and r["metric"] == "sales")
    assert year_sales(base)["bonus_100"] == pytest.approx(18_000.0)
    assert year_sales(free)["bonus_100"] == pytest.approx(36_000.0)
    assert free["headline"]["gs_bonus_total"] != base["headline"]["gs_bonus_total"]


def test_baseline_keeps_the_bonus_targets_and_amounts(runs):
    """With --baseline: targets and bonus at 80 / 100 / 120 % of every row, and gs_bonus_total, are the earlier
    plan's; the accrued bonus tracked against is the earlier plan's bonus at 100 % (18 000 for Wang Fang's yearly
    sales row, not 36 000)."""
    base, _free, frozen, _ = runs
    assert rows_of(frozen) == rows_of(base)
    assert frozen["headline"]["gs_bonus_total"] == base["headline"]["gs_bonus_total"]
    detail = [r for r in frozen["tables"]["bonus"] if r["kind"] != "total"]
    assert detail and all(r["accrued"] == pytest.approx(r["bonus_100"], abs=0.005) for r in detail)
    wang = next(r for r in detail if r["operator"] == "Wang Fang" and r["kind"] == "year" and r["metric"] == "sales")
    assert wang["accrued"] == pytest.approx(18_000.0)


def test_a_closed_quarter_earns_by_the_earlier_tiers(runs):
    """Q1 is closed (actuals through March): each operator's Q1 net-profit bonus = share × multiplier of the
    earlier (unedited) tiers: A ≤ 1: A; above: 1 + 1.5 (A − 1), capped at 1.5.  With the edited tiers the part
    up to 100 % would pay half as much, so the two differ whenever A > 0."""
    _base, _free, frozen, _ = runs
    q1 = [r for r in frozen["tables"]["bonus"] if r["period"] == "2026-Q1" and r["metric"] == "net_profit"]
    assert len(q1) == 3
    for r in q1:
        a = r["attainment"]
        mult = a if a <= 1 else min(1.5, 1 + 1.5 * (a - 1))
        assert r["status"] == "closed"
        assert r["earned"] == pytest.approx(r["share"] * max(0.0, mult), abs=0.01)


def test_the_scheme_is_embedded_and_the_edit_is_reported(runs):
    """The earlier plan's JSON carries its scheme (Plan.frozen['bonus_scheme']: the sample's three rules, the open
    top tier's `to` null, the bonus bases 36 000 / 24 000 / 24 000); the frozen plan carries the same scheme on,
    and says the Bonus sheet now differs."""
    base, _free, frozen, output = runs
    scheme = base["frozen"]["bonus_scheme"]
    assert [(r["period"], r["metric"]) for r in scheme["rules"]] == [("year", "sales"), ("quarter", "net_profit"),
                                                                      ("year", "launches")]
    assert scheme["rules"][0]["tiers"][-1] == [1.2, None, 1.3]
    assert scheme["bonus_base"] == {"Wang Fang": 36000.0, "Li Hao": 24000.0, "Chen Jie": 24000.0}
    assert frozen["frozen"]["bonus_scheme"] == scheme
    assert any("differs from the earlier plan's" in w for w in frozen["warnings"])
    assert "differs from the earlier plan's" in output
