"""The bonus table and its monthly lookups made over lists and dicts against the pandas code they replace
(bonus._with_totals_frames and bonus._monthly_frames, kept as the reference): the same frames to the last bit,
columns, order and dtypes, on random schemes, teams and targets (launch bonus, profit pool, operators without
targets, -0.0 and rounding ties)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from goalsheet.plan import bonus as bn
from goalsheet.plan.bonus import DEFAULT_RULES, BonusRule, BonusScheme, Tier


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
        with monkeypatch.context() as m:
            m.setattr(bn, "_with_totals", lambda *a: None)
            m.setattr(bn, "_monthly_unique", lambda *a: None)
            slow = bn.plan_bonus(scheme, team, targets, **kw)
        pd.testing.assert_frame_equal(fast, slow, check_exact=True)
        for c in fast.columns[4:]:
            a, b = fast[c].to_numpy(float), slow[c].to_numpy(float)
            assert np.array_equal(np.signbit(a), np.signbit(b)) and np.array_equal(a, b, equal_nan=True)


def test_no_detail_rows_take_the_frames():
    scheme = BonusScheme(rules=(), launch_bonus=0.0, profit_pool_rate=0.0)
    team = pd.DataFrame({"operator": ["a", "b"], "bonus_base": [1.0, 2.0]})
    out = bn.plan_bonus(scheme, team, _targets(np.random.default_rng(0), ["a"]), plan_year=2026)
    assert list(out["period"]) == ["Total", "Total"] and list(out["share"]) == [0.0, 0.0]


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
    cols = ("sales", "net_profit", "launches")
    fast, slow = bn._monthly(frame, cols), bn._monthly_frames(frame, cols)
    assert list(fast) == list(slow)
    for k in slow:
        assert list(fast[k]) == list(slow[k])
        for c in cols:
            assert type(fast[k][c]) is float
            assert np.signbit(fast[k][c]) == np.signbit(slow[k][c]) and fast[k][c] == slow[k][c]
    if seed % 2 == 0 and seed % 4 != 3:
        assert bn._monthly_unique(frame, cols) is not None       # the plan's targets take the fast way
