"""The bonus table and its monthly lookups made over lists and dicts against the pandas code they replaced
(kept here as the reference): the same frames to the last bit, columns, order and dtypes, on random schemes,
teams and targets (launch bonus, profit pool, operators without targets, -0.0 and rounding ties, repeated and
blank keys, no detail rows)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from goalsheet.plan import bonus as bn
from goalsheet.plan.bonus import DEFAULT_RULES, BonusRule, BonusScheme, Tier


def _monthly_reference(frame: pd.DataFrame, columns) -> dict:
    """`bonus._monthly` by pandas' groupby (the code it replaced)."""
    if frame is None or len(frame) == 0:
        return {}
    df = frame.copy()
    df["month"] = df["month"].astype(str).str[:7]
    for c in columns:
        if c not in df.columns:
            df[c] = 0.0
    g = df.groupby(["operator", "month"], sort=False)[list(columns)].sum()
    return {k: {c: float(v) for c, v in row.items()} for k, row in g.to_dict(orient="index").items()}


def _with_totals_reference(rows, ops, columns, decimals) -> pd.DataFrame:
    """`bonus._with_totals` by frames (the code it replaced): the detail frame rounded column by column, each
    operator's part and total row concatenated."""
    from goalsheet.plan.breakdown import round_largest_remainder

    detail = pd.DataFrame(rows, columns=columns)
    if decimals is not None and len(detail):
        for c in columns[5:]:
            known = detail[c].notna()
            detail.loc[known, c] = round_largest_remainder(detail.loc[known, c].to_numpy(float), decimals)
    out = []
    for op in ops:
        part = detail[detail["operator"] == op]
        total = {"operator": op, "period": "Total", "kind": "total", "metric": "", "target": math.nan}
        for c in columns[5:]:
            total[c] = bn._exact_sum(part[c].dropna(), decimals)
        out += [part, pd.DataFrame([total], columns=columns)]
    return pd.concat(out, ignore_index=True) if out else detail


def _plan_bonus_reference(monkeypatch, *args, **kwargs) -> pd.DataFrame:
    with monkeypatch.context() as m:
        m.setattr(bn, "_with_totals", _with_totals_reference)
        m.setattr(bn, "_monthly", _monthly_reference)
        return bn.plan_bonus(*args, **kwargs)


def _same_table(fast: pd.DataFrame, slow: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)
    for c in fast.columns[4:]:
        a, b = fast[c].to_numpy(float), slow[c].to_numpy(float)
        assert np.array_equal(np.signbit(a), np.signbit(b)) and np.array_equal(a, b, equal_nan=True)


def _targets(rng, ops, year=2026, repeat=False):
    rows = []
    for o in ops:
        for m in range(1, 13):
            rows.append({"operator": o, "month": f"{year}-{m:02d}",
                         "sales": float(rng.choice([0.0, -0.0, rng.normal(1e4, 3e3)])),
                         "net_profit": float(rng.choice([-0.0, rng.normal(1e3, 2e3), 1 / 3])),
                         "launches": float(rng.integers(0, 3))})
    if repeat:
        rows += rows[:5]
    return pd.DataFrame(rows)


def _scheme(rng):
    rules = list(DEFAULT_RULES)
    if rng.random() < 0.5:
        rules.append(BonusRule("month", "sales", (Tier(0.0, 0.9, 0.0), Tier(0.9, float("inf"), 1.1)),
                               "marginal", None, 0.2))
    return BonusScheme(rules=tuple(rules), launch_bonus=float(rng.choice([0.0, 333.33])),
                       profit_pool_rate=float(rng.choice([0.0, 0.07])))


@pytest.mark.parametrize("seed", range(12))
def test_plan_bonus_table_matches_the_frames(seed, monkeypatch):
    rng = np.random.default_rng(seed)
    ops = [f"op{i}" for i in range(int(rng.integers(1, 6)))]
    team = pd.DataFrame({"operator": ops + ["idle"], "bonus_base": rng.uniform(0, 5e4, len(ops) + 1).round(2)})
    targets = _targets(rng, ops)
    scheme = _scheme(rng)
    for decimals in (2, 0, None):
        kw = dict(new_success_rate=0.6, plan_year=2026, decimals=decimals,
                  target_net_profit=float(targets["net_profit"].sum()))
        fast = bn.plan_bonus(scheme, team, targets, **kw)
        _same_table(fast, _plan_bonus_reference(monkeypatch, scheme, team, targets, **kw))


@pytest.mark.parametrize("team_ops", [["a", "b"], []])
def test_no_detail_rows(team_ops, monkeypatch):
    """A scheme with nothing to pay: each operator's total row only (none without operators), as the frames
    made it (every column of object dtype)."""
    scheme = BonusScheme(rules=(), launch_bonus=0.0, profit_pool_rate=0.0)
    team = pd.DataFrame({"operator": team_ops, "bonus_base": [1.0, 2.0][:len(team_ops)]})
    targets = _targets(np.random.default_rng(0), ["a"]) if team_ops else pd.DataFrame(columns=["operator", "month"])
    out = bn.plan_bonus(scheme, team, targets, plan_year=2026)
    if team_ops:
        assert list(out["period"]) == ["Total", "Total"] and list(out["share"]) == [0.0, 0.0]
    else:
        assert out.empty
    _same_table(out, _plan_bonus_reference(monkeypatch, scheme, team, targets, plan_year=2026))


def test_operators_not_text_as_the_frames(monkeypatch):
    rng = np.random.default_rng(5)
    team = pd.DataFrame({"operator": [7, 11], "bonus_base": [12_000.0, 30_000.0]})
    targets = _targets(rng, [7, 11])
    scheme = _scheme(rng)
    _same_table(bn.plan_bonus(scheme, team, targets, plan_year=2026),
                _plan_bonus_reference(monkeypatch, scheme, team, targets, plan_year=2026))


@pytest.mark.parametrize("seed", range(8))
def test_monthly_matches_the_groupby(seed):
    rng = np.random.default_rng(seed)
    frame = _targets(rng, ["a", "b", "c"], repeat=seed % 2 == 1)
    if seed % 4 == 2:
        frame = frame.drop(columns="launches")
    if seed % 4 == 3:
        frame.loc[3, "sales"] = np.nan
    if seed == 4:
        frame["launches"] = frame["launches"].astype(np.int64)
    if seed == 6:        # blank keys, unsorted repeats
        frame = pd.concat([frame, frame.iloc[[9, 2, 30]]], ignore_index=True)
        frame.loc[4, "operator"] = None
        frame.loc[7, "month"] = np.nan
    if seed == 5:
        frame["operator"] = frame["operator"].astype(object)
        frame.loc[0, "operator"] = np.nan
    _same_monthly(frame)


def _same_monthly(frame):
    cols = ("sales", "net_profit", "launches")
    fast, slow = bn._monthly(frame, cols), _monthly_reference(frame, cols)
    assert list(fast) == list(slow)
    for k in slow:
        assert list(fast[k]) == list(slow[k])
        for c in cols:
            assert type(fast[k][c]) is float
            assert np.signbit(fast[k][c]) == np.signbit(slow[k][c]) and fast[k][c] == slow[k][c]


def test_monthly_of_one_row_per_key_without_a_groupby(monkeypatch):
    """The plan's targets (one row per operator × month, plain numbers) are their own sums: no groupby."""
    frame = _targets(np.random.default_rng(1), ["a", "b"])
    slow = _monthly_reference(frame, ("sales", "net_profit", "launches"))

    def refuse(*a, **k):
        raise AssertionError("a groupby")
    monkeypatch.setattr(pd.DataFrame, "groupby", refuse)
    assert bn._monthly(frame, ("sales", "net_profit", "launches")) == slow


def test_monthly_hand_worked():
    frame = pd.DataFrame({"operator": ["a", "b", "a", None, "a"],
                          "month": ["2026-01", "2026-01", "2026-01-15", "2026-01", "2026-02"],
                          "sales": [1.5, 2.0, 0.25, 100.0, np.nan]})
    assert bn._monthly(frame, ("sales", "launches")) == {
        ("a", "2026-01"): {"sales": 1.75, "launches": 0.0}, ("b", "2026-01"): {"sales": 2.0, "launches": 0.0},
        ("a", "2026-02"): {"sales": 0.0, "launches": 0.0}}
    _same_monthly(frame)
