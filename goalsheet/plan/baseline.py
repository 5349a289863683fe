"""--baseline (SPEC 3.1): the plan figures of an earlier plan, kept mid-year."""
from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

import pandas as pd

from goalsheet.plan.result import ACTUALS_FIGURES, Headline, Plan


def apply_baseline(plan: Plan, baseline: dict[str, Any]) -> Plan:
    """--baseline: take every plan figure (headline and plan tables) from an earlier plan's JSON (3.1), so
    mid-year changes of prices, costs or settings leave the targets people are paid on untouched.
    The cash tables, assumptions and checks stay as computed now; tracking (done after this) compares the
    actuals with the baseline's targets, and the reforecast scales the current forecast."""
    tables = baseline.get("tables", {}) if isinstance(baseline, dict) else {}
    for name in ("monthly", "stores", "operators", "products", "profit", "launches", "bonus"):
        if tables.get(name):
            df = pd.DataFrame(tables[name])
            if name == "monthly":
                df = df[[c for c in df.columns if c not in ("actual_sales", "variance", "attainment", "reforecast")]]
            if name == "bonus":       # a plan of an earlier version also carries each `bonus_<pct>` as `bonus_at_<pct>`
                df = df[[c for c in df.columns if c not in BONUS_TRACKING_COLUMNS
                         and not (c.startswith("bonus_at_") and f"bonus_{c[len('bonus_at_'):]}" in df.columns)]]
            plan.tables[name] = df
    head = baseline.get("headline", {}) if isinstance(baseline, dict) else {}
    names = {f.name for f in fields(Headline)} - set(ACTUALS_FIGURES)
    kept = {key: v for key, v in ((k[3:] if k.startswith("gs_") else k, v) for k, v in head.items()) if key in names}
    plan.headline = replace(plan.headline, **kept)
    plan.frozen = dict(plan.frozen, baseline=True)
    if isinstance(baseline.get("frozen"), dict) and baseline["frozen"].get("bonus_targets"):
        plan.frozen["bonus_targets"] = baseline["frozen"]["bonus_targets"]
    return plan

BONUS_TRACKING_COLUMNS = ("plan_to_date", "actual_to_date", "actual", "attainment", "status", "accrued", "earned",
                          "forecast", "payment_month", "paid", "true_up")
