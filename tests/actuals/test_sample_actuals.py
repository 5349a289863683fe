"""The monthly run with actuals, end to end on the shipped sample (SPEC 3.1, 3.8, 3.9; issue 5).

The sample (Lumos Home, plan_year 2026, history 2023-07 .. 2025-12) is planned as shipped, then with two and
three months of 2026 actuals appended to its Sales sheet (tests/actuals/books.py: last year's rows × a store
factor).  `goalsheet plan --json` runs through click's CliRunner; the workbook is read back with openpyxl
(cached values) and the JSON is read as written.
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "output"))
from books import FX, SAMPLE, sample_with_actuals  # noqa: E402
from readback import name_target, named_table, named_value  # noqa: E402

from goalsheet.cli import cli  # noqa: E402

ACTUAL_COLUMNS = {"monthly": ("actual_sales", "variance", "attainment", "reforecast"),
                  "bonus": ("plan_to_date", "actual", "attainment", "status", "accrued", "earned", "forecast",
                            "payment_month", "paid", "true_up")}
ACTUAL_HEADLINE = ("gs_as_of", "gs_plan_sales_ytd", "gs_actual_sales_ytd", "gs_attainment_ytd",
                   "gs_reforecast_sales", "gs_bonus_earned", "gs_bonus_paid", "gs_bonus_forecast", "gs_bonus_true_up")
PLAN_TABLES = ("monthly", "stores", "operators", "products", "profit", "launches", "cash", "purchases", "bonus",
               "checks")


def plan(book: Path, out: Path, *extra: str) -> dict:
    js = out.with_suffix(".json")
    result = CliRunner().invoke(cli, ["plan", str(book), "-o", str(out), "--json", str(js), *extra])
    assert result.exit_code == 0, result.output
    return json.loads(js.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The sample planned without actuals, with Jan-Feb and with Jan-Mar 2026 actuals (English workbooks), and
    the Jan-Mar workbook planned --as-of 2026-02."""
    tmp = tmp_path_factory.mktemp("actuals")
    out = {"none": (plan(SAMPLE, tmp / "none-plan.xlsx"), tmp / "none-plan.xlsx", [])}
    for n in (2, 3):
        book = tmp / f"act{n}.xlsx"
        added = sample_with_actuals(book, tuple(f"2026-{m:02d}" for m in range(1, n + 1)))
        out[n] = (plan(book, tmp / f"act{n}-plan.xlsx"), tmp / f"act{n}-plan.xlsx", added)
    out["as_of"] = (plan(tmp / "act3.xlsx", tmp / "asof-plan.xlsx", "--as-of", "2026-02"), tmp / "asof-plan.xlsx",
                    out[2][2])
    return out


def plan_part(js: dict, table: str) -> list[dict]:
    skip = ACTUAL_COLUMNS.get(table, ())
    return [{k: v for k, v in r.items() if k not in skip} for r in js["tables"][table]]


def test_actuals_never_change_a_plan_figure(runs):
    """Every plan column of every table and every headline plan figure is the same with 0, 2 and 3 months of
    actuals (SPEC 3.1: the plan is computed from history and settings only)."""
    base = runs["none"][0]
    assert not base["tables"]["tracking"]
    for n in (2, 3):
        js = runs[n][0]
        for key, value in base["headline"].items():
            assert js["headline"][key] == value, (n, key)
        for table in PLAN_TABLES:
            assert plan_part(js, table) == plan_part(base, table), (n, table)
        assert js["headline"]["gs_as_of"] == f"2026-{n:02d}"


def test_actual_ytd_is_the_sum_of_the_actual_rows(runs):
    """Actual sales to date = Σ revenue × FX over the appended Sales rows (CNY per USD 7.10, GBP 9.40,
    EUR 8.25), added up here from the rows themselves; the same figure in the JSON, in the workbook's defined
    name and on the Tracking sheet's year row; each month's actual likewise."""
    for n in (2, 3):
        js, path, added = runs[n]
        expected = round(math.fsum(r["revenue"] * FX[r["store"]] for r in added), 2)
        assert js["headline"]["gs_actual_sales_ytd"] == pytest.approx(expected, abs=0.01)
        wb = openpyxl.load_workbook(path, data_only=True)
        assert named_value(wb, "gs_actual_sales_ytd") == pytest.approx(expected, abs=0.01)
        _h, rows, _ = named_table(wb, "gs_tracking")
        year = next(r for r in rows if r[0] == "year")
        assert year[4] == pytest.approx(expected, abs=0.01)
        for m in range(1, n + 1):
            month = f"2026-{m:02d}"
            by_month = round(math.fsum(r["revenue"] * FX[r["store"]] for r in added if r["month"] == month), 2)
            row = next(r for r in js["tables"]["tracking"] if r["level"] == "month" and r["name"] == month)
            assert row["actual"] == pytest.approx(by_month, abs=0.01)
            assert row["variance"] == pytest.approx(by_month - row["plan"], abs=0.011)


def test_every_level_carries_plan_actual_variance_attainment_reforecast(runs):
    """The Tracking table has the year, 12 months, 4 quarters, the 3 stores and the 3 operators; closed rows
    carry actual, variance and attainment, open months only plan and reforecast; the levels add up: stores and
    operators to the year's actual and reforecast, quarters to the months."""
    js = runs[2][0]
    t = js["tables"]["tracking"]
    levels = [r["level"] for r in t]
    assert levels.count("year") == 1 and levels.count("month") == 12 and levels.count("quarter") == 4
    assert [r["name"] for r in t if r["level"] == "store"] == ["Lumos US", "Lumos UK", "Lumos DE"]
    assert [r["name"] for r in t if r["level"] == "operator"] == ["Wang Fang", "Li Hao", "Chen Jie"]
    year = t[0]
    for level in ("store", "operator", "month"):
        rows = [r for r in t if r["level"] == level]
        assert math.fsum(r["actual"] or 0 for r in rows) == pytest.approx(year["actual"], abs=0.005), level
        assert math.fsum(r["reforecast"] for r in rows) == pytest.approx(year["reforecast"], abs=0.005), level
    for r in t:
        closed = r["level"] in ("year", "store", "operator") or r["name"] in ("2026-01", "2026-02", "2026-Q1")
        if closed:
            assert r["attainment"] == pytest.approx(r["actual"] / r["plan_to_date"]), r
            assert r["variance"] == pytest.approx(r["actual"] - r["plan_to_date"], abs=0.011), r
        else:
            assert r["actual"] is None and r["attainment"] is None and r["reforecast"] > 0, r
    # the Monthly sheet's actual columns are the Tracking sheet's month rows
    monthly = {r["month"]: r for r in js["tables"]["monthly"]}
    for r in t:
        if r["level"] == "month":
            assert monthly[r["name"]]["actual_sales"] == r["actual"]
            assert monthly[r["name"]]["reforecast"] == r["reforecast"]


def test_reforecast_of_a_store_by_hand(runs):
    """Lumos UK with January and February closed.  Its first launch is in March (lead time 60 days: m ≥ 1 +
    ⌈60 / 30.4⌉ = 3), so its new products keep their plan N; its existing products are scaled by their
    year-to-date attainment:  reforecast = actual(Jan, Feb) + Σ_{Mar..Dec} (E_m × A + N_m),
    A = actual sales of its existing SKUs (every SKU sold there in 2025 is existing: none is discontinued in
    the UK) ÷ (E_Jan + E_Feb).  E and N (the plan's existing forecast and T − E) come from the planner; the
    actuals, A and the sum are worked here."""
    from goalsheet.inputs import load
    from goalsheet.plan.basis import build_basis, derive

    js, _path, added = runs[2]
    basis = build_basis(load(SAMPLE)[0])
    d = derive(basis)
    i = basis.stores.index("Lumos UK")
    assert int(d.first_launch_col[i]) - len(basis.calendar.bridge) >= 2       # no launch month closed yet
    actual = [math.fsum(r["revenue"] * FX["Lumos UK"] for r in added if r["store"] == "Lumos UK" and
                        r["month"] == m) for m in ("2026-01", "2026-02")]
    E, N = d.E[i], d.new_sales[i]
    A = sum(actual) / (E[0] + E[1])
    expected = sum(actual) + math.fsum(E[j] * A + N[j] for j in range(2, 12))
    row = next(r for r in js["tables"]["tracking"] if r["level"] == "store" and r["name"] == "Lumos UK")
    assert row["reforecast"] == pytest.approx(expected, abs=0.02)
    assert row["actual"] == pytest.approx(sum(actual), abs=0.01)


def test_as_of_ignores_later_actuals(runs):
    """Jan-Mar actuals planned --as-of 2026-02: March's rows are ignored, so the tracking, the bonus and the
    actual headline figures are those of the Jan-Feb workbook (and March's actual is blank)."""
    asof, two = runs["as_of"][0], runs[2][0]
    assert asof["headline"]["gs_as_of"] == "2026-02"
    for key in ACTUAL_HEADLINE:
        assert asof["headline"][key] == two["headline"][key], key
    assert asof["tables"]["tracking"] == two["tables"]["tracking"]
    assert asof["tables"]["bonus"] == two["tables"]["bonus"]
    march = next(r for r in asof["tables"]["monthly"] if r["month"] == "2026-03")
    assert march["actual_sales"] is None
    assert runs[3][0]["headline"]["gs_actual_sales_ytd"] > asof["headline"]["gs_actual_sales_ytd"]


def test_bonus_sheet_with_actuals(runs):
    """Three months closed: each operator's Q1 net-profit rule is closed.  Its earned bonus is share ×
    multiplier(attainment to date), the sample's quarterly rule being marginal (1.0 on 0–100 %, 1.5 on
    100–150 %, cap 1.5); worked here from the row's own plan and actual to date.  Nothing is paid yet (Q1 is
    paid in April); the yearly rows are open (forecast at the pace to date), Q2–Q4 are future (forecast =
    budget, true-up 0).  The workbook shows the same rows with the columns Attainment to date, Earned, Paid,
    True-up vs budget, and its grand total counts each row once (not the operators' Total rows again)."""
    js, path, _added = runs[3]
    rows = js["tables"]["bonus"]
    q1 = [r for r in rows if r["period"] == "2026-Q1"]
    assert len(q1) == 3
    for r in q1:
        a = round(r["actual"] / r["plan_to_date"], 4)
        mult = min(1.5, 1.0 * min(a, 1.0) + 1.5 * max(0.0, min(a, 1.5) - 1.0))
        assert r["status"] == "closed" and r["attainment"] == a
        assert r["earned"] == pytest.approx(r["share"] * mult, abs=0.01)
        assert r["paid"] == 0.0 and r["payment_month"] == "2026-04"
        assert r["true_up"] == pytest.approx(r["earned"] - r["bonus_100"], abs=0.01)
    for r in rows:
        if r["period"] in ("2026-Q2", "2026-Q3", "2026-Q4"):
            assert r["status"] == "future" and r["forecast"] == r["bonus_100"] and r["true_up"] == 0.0
    totals = [r for r in rows if r["kind"] == "total"]
    assert js["headline"]["gs_bonus_earned"] == pytest.approx(sum(r["earned"] for r in totals), abs=0.005)
    assert js["headline"]["gs_bonus_earned"] == pytest.approx(sum(r["earned"] for r in q1), abs=0.005)
    wb = openpyxl.load_workbook(path, data_only=True)
    headers, table, last = named_table(wb, "gs_bonus")
    for h in ("Attainment to date", "Earned", "Paid", "True-up vs budget", "Target", "Bonus at 100%"):
        assert h in headers
    col = {h: j for j, h in enumerate(headers)}
    assert len(table) == len(rows)
    shown = [r for r in table if r[col["Period"]] == "2026-Q1"]
    assert [r[col["Earned"]] for r in shown] == [r["earned"] for r in q1]
    ws = wb[name_target(wb, "gs_bonus")[0]]
    grand = [ws.cell(last + 1, j + 1).value for j in range(len(headers))]
    assert grand[col["Bonus at 100%"]] == pytest.approx(js["headline"]["gs_bonus_total"], abs=0.005)
    assert grand[col["Earned"]] == pytest.approx(js["headline"]["gs_bonus_earned"], abs=0.005)


def test_summary_says_where_the_year_stands(runs):
    """The Summary says, in words, the actual to date against the plan to date, the attainment, and the
    reforecast for the year against the target (figures as in the headline)."""
    js, path, _ = runs[2]
    h = js["headline"]
    wb = openpyxl.load_workbook(path, data_only=True)
    text = " ".join(str(c.value) for row in wb["Summary"].iter_rows() for c in row if isinstance(c.value, str))
    text = " ".join(text.split())
    assert "Through Feb 2026: actual sales" in text
    assert f"{h['gs_actual_sales_ytd']:,.2f} CNY against a plan to date of {h['gs_plan_sales_ytd']:,.2f} CNY" in text
    assert f"({h['gs_actual_sales_ytd'] / h['gs_plan_sales_ytd']:.1%} attained" in text
    assert f"the year ends at {h['gs_reforecast_sales']:,.2f} CNY" in text


def test_baseline_keeps_the_targets_when_a_price_and_a_setting_change(tmp_path, runs):
    """Mid-year every price rises 10 % and monthly_growth goes from 3 % to 5 %; three months of actuals arrive.
    Planned afresh, the targets change; planned with --baseline (the plan written without actuals) they are
    the earlier plan's: every plan column of Monthly, Stores, Operators and the Bonus plan columns, and the
    headline target sales, net profit and bonus.  The actuals are tracked against those targets: plan to date
    = the baseline's Jan-Mar targets; actual to date = Σ revenue × FX of the appended rows."""
    base_js, base_path, _ = runs["none"]
    book = tmp_path / "changed.xlsx"
    added = sample_with_actuals(book, ("2026-01", "2026-02", "2026-03"), settings={"monthly_growth": 0.05},
                                price_factor=1.1)
    free = plan(book, tmp_path / "free.xlsx")
    assert free["headline"]["gs_target_sales"] != base_js["headline"]["gs_target_sales"]
    frozen = plan(book, tmp_path / "frozen.xlsx", "--baseline", str(base_path))
    for key in ("gs_target_sales", "gs_target_net_profit", "gs_bonus_total", "gs_launches_needed", "gs_gap"):
        assert frozen["headline"][key] == base_js["headline"][key], key
    for table in ("monthly", "stores", "operators", "bonus", "launches"):
        assert plan_part(frozen, table) == plan_part(base_js, table), table
    year = frozen["tables"]["tracking"][0]
    base_months = [r["target_sales"] for r in base_js["tables"]["monthly"]]
    assert year["plan"] == pytest.approx(sum(base_months), abs=0.005)
    assert year["plan_to_date"] == pytest.approx(sum(base_months[:3]), abs=0.005)
    expected = math.fsum(r["revenue"] * FX[r["store"]] for r in added)
    assert year["actual"] == pytest.approx(expected, abs=0.01)
    assert frozen["headline"]["gs_actual_sales_ytd"] == pytest.approx(expected, abs=0.01)
    wb = openpyxl.load_workbook(tmp_path / "frozen.xlsx", data_only=True)
    assert named_value(wb, "gs_target_sales") == base_js["headline"]["gs_target_sales"]


def test_as_of_spellings_and_a_bad_one(tmp_path, runs):
    """--as-of 2026/2 means 2026-02 (the same tracking as the Jan-Feb workbook); --as-of 'soon' is a usage
    error (exit 2, SPEC 1) and nothing is written."""
    book = tmp_path / "act3.xlsx"
    sample_with_actuals(book, ("2026-01", "2026-02", "2026-03"))
    js = plan(book, tmp_path / "slash.xlsx", "--as-of", "2026/2")
    assert js["headline"]["gs_as_of"] == "2026-02"
    assert js["tables"]["tracking"] == runs[2][0]["tables"]["tracking"]
    result = CliRunner().invoke(cli, ["plan", str(book), "-o", str(tmp_path / "bad.xlsx"), "--as-of", "soon"])
    assert result.exit_code == 2 and "--as-of" in result.output and '"soon" is not a month' in result.output
    assert not (tmp_path / "bad.xlsx").exists()
