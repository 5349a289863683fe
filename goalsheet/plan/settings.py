"""The Settings the planner reads, typed: `PlanSettings.read(book.settings)`.

Each value is the Settings sheet's where it gives one, else the schema's default (goalsheet/inputs/schema.py,
the one place defaults live; validation fills them in too).  A setting the schema has no default for is None,
except `cash_available`, which the plan counts as 0 when it is not given.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any, Mapping

from goalsheet.inputs import schema


@dataclass(frozen=True)
class PlanSettings:
    plan_year: int | None
    base_currency: str
    target_mode: str
    target_total: float | None
    monthly_growth: float
    baseline_months: int
    seasonality: Any                 # 'history', 'off', or the 12 indices given
    existing_scenario: str
    cash_available: float
    credit_line: float
    opening_stock_value: float | None
    lead_time_days: float
    transit_days: float
    min_cash: float
    opening_payables: float | None
    safety_stock_days: float
    min_order_days: float
    deposit_rate: float
    payout_delay_days: float
    new_price: float | None
    new_monthly_units: float | None
    new_ramp_months: int
    new_success_rate: float
    new_unit_cost: float | None
    new_first_order_units: float | None
    new_launch_budget: float
    new_failure_writeoff: float
    launches_per_operator_month: float
    new_freight: float | None
    new_referral_rate: float | None
    new_duty_rate: float | None
    new_fba_fee: float | None
    new_storage_fee: float | None
    new_placement_fee: float | None
    new_ad_rate: float | None
    new_return_rate: float | None
    new_other_cost: float | None
    payout_fee_rate: float
    profit_pool_rate: float
    launch_bonus: float
    given: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)   # the sheet's own values

    @classmethod
    def read(cls, settings: Mapping[str, Any]) -> "PlanSettings":
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name == "given":
                continue
            v = settings.get(f.name)
            if _blank(v):
                v = schema.SETTINGS.column(f.name).default
            values[f.name] = _typed(f.name, str(f.type), v)
        return cls(**values, given=dict(settings))

    def is_given(self, key: str) -> bool:
        """Whether the Settings sheet (or validation's default) gives `key` a value."""
        return not _blank(self.given.get(key))


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _typed(name: str, kind: str, v: Any) -> Any:
    if v is None:
        return 0.0 if name == "cash_available" else None
    if kind.startswith("int"):
        return int(v)
    if kind.startswith("float"):
        return float(v)
    if kind == "str":
        return str(v)
    return v
