"""Scenarios (SPEC 3.10): the choices a seller is weighing, each planned in full and set side by side.

A scenario is a set of Settings changed; its row holds the headline figures of the whole plan of 3.1-3.8 made
with those Settings (same history, SKUs, team and sheets), so each equals, to the cent, what `goalsheet plan`
gives for the workbook with those values typed into its Settings sheet.  The scenarios come from the
Scenarios sheet when there is one, else the defaults:

- the plan itself (`base`);
- in growth mode, monthly_growth − 2 points (not below 0; left out when that changes nothing) and + 2 points
  (at most the schema's 50 %);
- one per price band of the seller's own existing SKUs (3.3: active and selling in the last 12 months): their
  sell prices in base currency sorted and cut at the j/b quantiles (the price at sorted position ⌊j·n/b⌋, a tie
  going to the upper band) into b = min(4, ⌊n / 3⌋) bands, fewer while a band would hold fewer than 3 SKUs,
  none with fewer than 6 SKUs.  The band's new product is the medians of its SKUs: price, run-rate units, landed
  cost, freight, and every rate and fee of 3.2 (fees in base currency, converted to each store's), given as the
  Settings `new_price`, `new_monthly_units`, `new_unit_cost`, `new_freight`, `new_referral_rate`, … .  VAT, the
  digital services tax and the minimum referral fee stay each store's: they belong to the marketplace.

What does not change between scenarios is reused: the read book, and, for a scenario that changes only the new
product, launch capacity, the target's mode and total, cash or bonus settings, the whole basis (history,
seasonality, unit economics, the existing products' forecast) with the cash plan's parts that do not depend on
the new product.  Any other change plans the basis afresh (`build_basis`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from goalsheet.inputs import schema
from goalsheet.inputs.model import Join, Phrase, Problem, SellerBook, Term
from goalsheet.plan import launches as nl
from goalsheet.plan.basis import Basis, build_basis
from goalsheet.plan.settings import PlanSettings

if TYPE_CHECKING:
    from goalsheet.plan.assemble import PlanCore

GROWTH_STEP = 0.02
MAX_BANDS = 4
MIN_BAND_SKUS = 3

# Settings a scenario may change and still share the plan's basis: they act only on the new product, launch
# capacity, the target's mode and total, the cash plan and the bonus (every other one is read by build_basis).
BASIS_FREE_SETTINGS = frozenset({
    "target_mode", "target_total", "cash_available", "credit_line", "opening_stock_value", "transit_days",
    "min_cash", "opening_payables", "safety_stock_days", "deposit_rate", "payout_delay_days", "new_price",
    "new_monthly_units", "new_ramp_months", "new_success_rate", "new_unit_cost", "new_first_order_units",
    "new_launch_budget", "new_failure_writeoff", "launches_per_operator_month", "profit_pool_rate", "launch_bonus",
    "new_freight", "new_referral_rate", "new_duty_rate", "new_fba_fee", "new_storage_fee", "new_placement_fee",
    "new_ad_rate", "new_return_rate", "new_other_cost"})
# The basis' cached figures that do not depend on those Settings (the growth target, the cash plan's history,
# run-rate, fixed costs and existing products).
SHARED_CACHE = ("growth_target", "cash_unchanged", "cash_unchanged_totals", "cash_existing_totals")
NEW_PRODUCT_PROBLEMS = frozenset({"store_no_skus", "store_no_selling_sku", "new_unit_cost_below_freight",
                                  "launch_unit_cost_below_freight", "new_freight_above_unit_cost"})

# A band's medians: Settings key -> (the SKU column, whether it is money in store currency to take in base currency)
BAND_FIELDS = (("new_price", "sell_price_base", False), ("new_monthly_units", "run_rate_units", False),
               ("new_unit_cost", "landed_cost_base", False), ("new_freight", "freight", False),
               ("new_referral_rate", "referral_rate", False), ("new_duty_rate", "duty_rate", False),
               ("new_fba_fee", "fba_fee", True), ("new_storage_fee", "storage_fee", True),
               ("new_placement_fee", "placement_fee", True), ("new_ad_rate", "ad_rate", False),
               ("new_return_rate", "return_rate", False), ("new_other_cost", "other_cost", True))

TABLE_COLUMNS = ["scenario", "scenario_zh", "changes", "changes_zh", "target_sales", "target_net_profit",
                 "net_margin", "launches_needed", "shortfall", "peak_cash_need", "funding_feasible", "fundable",
                 "fundable_zh", "max_reachable_sales", "binding_limit", "binding", "binding_zh", "bonus_total",
                 "is_plan", "this_plan", "this_plan_zh", "settings"]


@dataclass(frozen=True)
class Scenario:
    """A scenario: its name and what it changes in words, the Settings it changes, and where a seller typed it
    (the Scenarios sheet's cells; empty for a default scenario)."""
    name: Phrase
    changes: Phrase | Join
    settings: dict[str, Any]
    where: str = ""
    cells: tuple[tuple[str, str], ...] = ()


# ---------------------------------------------------------------- which scenarios

def price_bands(prices: np.ndarray) -> list[np.ndarray]:
    """The positions of `prices` in each price band (cheapest band first): b = min(4, ⌊n / 3⌋) bands cut at the
    prices at sorted positions ⌊j·n/b⌋ (j = 1 … b − 1; a price equal to a cut is in the upper band), fewer bands
    while one would hold fewer than 3 prices; none for fewer than 6.
    Twelve prices 1 … 12: cuts at 4, 7, 10 → {1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12}."""
    prices = np.asarray(prices, dtype=float)
    n = len(prices)
    ordered = np.sort(prices, kind="stable")
    for b in range(min(MAX_BANDS, n // MIN_BAND_SKUS), 1, -1):
        cuts = np.array([ordered[(j * n) // b] for j in range(1, b)])
        band = np.searchsorted(cuts, prices, side="right")
        groups = [np.flatnonzero(band == j) for j in range(b)]
        if all(len(g) >= MIN_BAND_SKUS for g in groups):
            return groups
    return []


def band_medians(skus: pd.DataFrame) -> dict[str, float]:
    """The new product of a price band as Settings: each field's median over the band's SKUs (blanks left out),
    money in base currency (a store-currency fee × its store's fx)."""
    out: dict[str, float] = {}
    fx = skus["fx"].to_numpy(float)
    for key, column, store_money in BAND_FIELDS:
        if column == "landed_cost_base":
            values = skus["cogs"].to_numpy(float) + skus["freight"].to_numpy(float)
        else:
            values = pd.to_numeric(skus[column], errors="coerce").to_numpy(float)
        if store_money:
            values = values * fx
        values = values[~np.isnan(values)]
        if len(values):
            out[key] = float(np.median(values))
    return out


def band_skus(basis: Basis) -> pd.DataFrame:
    """The SKUs the price bands are cut from: the existing products (3.3) of known stores with a price."""
    e = basis.econ
    keep = e["existing"].to_numpy(bool) & (basis.sku_store >= 0) & np.isfinite(e["sell_price_base"].to_numpy(float))
    return e[keep]


def default_scenarios(basis: Basis) -> list[Scenario]:
    """The default scenarios of 3.10 after the plan itself: growth ± 2 points (growth mode), the price bands."""
    settings = basis.settings
    out: list[Scenario] = []
    if settings.target_mode == "growth":
        g = settings.monthly_growth
        lower = max(0.0, round(g - GROWTH_STEP, 10))     # 3 % − 2 points is 1 %, as a seller types it
        if lower < g:
            out.append(_growth_scenario(g, lower))
        upper = min(schema.SETTINGS.column("monthly_growth").hi, round(g + GROWTH_STEP, 10))
        if upper > g:
            out.append(_growth_scenario(g, upper))
    skus = band_skus(basis)
    prices = skus["sell_price_base"].to_numpy(float)
    for group in price_bands(prices):
        band = skus.iloc[group]
        medians = band_medians(band)
        lo, hi = _price_text(float(prices[group].min())), _price_text(float(prices[group].max()))
        cur = basis.base_currency
        out.append(Scenario(
            Phrase("scenario_band", {"lo": lo, "hi": hi}),
            Phrase("scenario_band_changes", {"lo": lo, "hi": hi, "count": len(group), "currency": cur,
                                             "price": medians.get("new_price", 0.0),
                                             "cost": medians.get("new_unit_cost", 0.0),
                                             "units": medians.get("new_monthly_units", 0.0)}),
            medians))
    return out


def _growth_scenario(g: float, to: float) -> Scenario:
    points = round((to - g) * 100, 6)
    return Scenario(Phrase("scenario_growth", {"growth": f"{to:.1%}", "points": f"{points:+g}".replace("-", "−")}),
                    Phrase("scenario_setting_change", {"setting": _setting_name("monthly_growth"),
                                                       "old": f"{g:.1%}", "new": f"{to:.1%}"}),
                    {"monthly_growth": to})


def _price_text(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 20 else f"{x:,.2f}"


def sheet_scenarios(book: SellerBook) -> list[Scenario]:
    """The Scenarios sheet's rows, each with its changes in words (setting: Settings value → the row's)."""
    out = []
    for row in book.scenarios or []:
        parts = [Phrase("scenario_setting_change", {"setting": _setting_name(k),
                                                    "old": _value_words(k, book.settings.get(k)),
                                                    "new": _value_words(k, v)})
                 for k, v in row.changes.items() if book.settings.get(k) != v]
        changes = Join(tuple(parts), "semicolon") if parts else Phrase("scenario_no_change")
        out.append(Scenario(Phrase("scenario_named", {"name": row.name}), changes, dict(row.changes), row.where,
                            tuple(row.cells.items())))
    return out


def _setting_name(key: str) -> Phrase:
    return Phrase("setting_name", {"key": key, "name_zh": schema.SETTINGS.column(key).zh})


def _value_words(key: str, value: Any) -> Any:
    """A Settings value as the changes column says it: rates as percents, amounts with separators, choices in the
    sentence's language, a blank as "not set"."""
    column = schema.SETTINGS.column(key)
    if value is None:
        return Phrase("scenario_unset")
    if column.kind == "rate":
        return _number_text(float(value) * 100, 4) + "%"
    if column.kind in ("money", "number"):
        return _number_text(float(value), 2, separators=True)
    if column.kind == "enum":
        return Phrase("scenario_choice", {"en": schema.choice_word(key, str(value), "en"),
                                          "zh": schema.choice_word(key, str(value), "zh")})
    if isinstance(value, tuple):
        return ", ".join(_number_text(float(x), 4) for x in value)
    return str(value)


def _number_text(x: float, decimals: int, separators: bool = False) -> str:
    text = f"{x:,.{decimals}f}" if separators else f"{x:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# ---------------------------------------------------------------- planning them

def scenario_book(book: SellerBook, scenario: Scenario) -> SellerBook:
    """The workbook with the scenario's Settings typed in: the Settings it changes replace the sheet's, and a
    problem about one of them points at the Scenarios cell that set it."""
    cells = dict(book.cells)
    for key, cell in scenario.cells:
        cells[("Settings", key, "value")] = cell
    return replace(book, settings={**book.settings, **scenario.settings}, cells=cells)


def scenario_basis(basis: Basis, book: SellerBook, as_of: str | None) -> Basis:
    """The basis of the plan of `book` (the plan's own book with a scenario's Settings): the plan's basis with
    the new product, capacity and settings replaced when only `BASIS_FREE_SETTINGS` differ, else built afresh."""
    old, new = basis.book.settings, book.settings
    changed = {k for k in set(old) | set(new) if old.get(k) != new.get(k)}
    if not changed <= BASIS_FREE_SETTINGS:
        return build_basis(book, as_of)
    settings = PlanSettings.read(book.settings)
    new_products, problems = nl.new_product_parameters(basis.econ, basis.store_params, settings, book.stores)
    problems += nl.unit_cost_below_freight(new_products, settings, book.launches, book.where)
    kept = [p for p in basis.problems if p.code not in NEW_PRODUCT_PROBLEMS]
    cache = {k: basis.cache[k] for k in SHARED_CACHE if k in basis.cache}
    return replace(basis, book=book, settings=settings, new_products=new_products,
                   capacity=settings.launches_per_operator_month, problems=kept + problems, cache=cache)


def net_sales(basis: Basis, d) -> float:
    """Target sales less VAT over the plan year (3.2's net sales): each existing SKU's forecast at its own VAT
    rate; the new-product sales T − E at the existing mix before the store's first launch, at its new product's
    VAT rate from it on (as their profit is costed, 3.4)."""
    from goalsheet.plan import profit as pf
    from goalsheet.plan.basis import _by_store

    pc = basis.plan_cols
    vat = basis.econ["vat_rate"].to_numpy(float)
    ok = basis.sku_store >= 0
    net_sku = basis.E_sku[ok][:, pc] / (1 + vat[ok])[:, None]
    net_store = _by_store(net_sku, basis.sku_store[ok], len(basis.stores), len(pc))
    E = basis.E_store[:, pc]
    with np.errstate(divide="ignore", invalid="ignore"):
        mix = np.where(E > 0, net_store / np.where(E > 0, E, 1.0), np.nan)
    new_rate = 1 / (1 + basis.new_products["vat_rate"].to_numpy(float))
    return float(net_store.sum() + pf.new_sales_profit(d.new_sales, mix, new_rate, d.before_launch).sum())


def scenario_row(scenario: Scenario, core: "PlanCore", is_plan: bool) -> dict[str, Any]:
    h = core.headline
    sales_net = net_sales(core.basis, core.d)
    margin = h.target_net_profit / sales_net if sales_net > 0 else None
    binding = h.binding_limit
    return {
        "scenario": scenario.name.text("en"), "scenario_zh": scenario.name.text("zh"),
        "changes": scenario.changes.text("en"), "changes_zh": scenario.changes.text("zh"),
        "target_sales": h.target_sales, "target_net_profit": h.target_net_profit, "net_margin": margin,
        "launches_needed": h.launches_needed, "shortfall": h.shortfall, "peak_cash_need": h.peak_cash_need,
        "funding_feasible": bool(h.funding_feasible),
        "fundable": Phrase("yes" if h.funding_feasible else "no").text("en"),
        "fundable_zh": Phrase("yes" if h.funding_feasible else "no").text("zh"),
        "max_reachable_sales": h.max_reachable_sales, "binding_limit": binding,
        "binding": Term("binding_limit", binding).text("en") if binding else None,
        "binding_zh": Term("binding_limit", binding).text("zh") if binding else None,
        "bonus_total": h.bonus_total, "is_plan": is_plan,
        "this_plan": Phrase("scenario_this_plan").text("en") if is_plan else None,
        "this_plan_zh": Phrase("scenario_this_plan").text("zh") if is_plan else None,
        "settings": json.dumps(scenario.settings, sort_keys=True, ensure_ascii=False),
    }


def empty_scenarios() -> pd.DataFrame:
    """The Scenarios table of a plan made without its scenarios."""
    return pd.DataFrame(columns=TABLE_COLUMNS)


def scenario_table(core: "PlanCore", as_of: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """The Scenarios table (one row per scenario, the plan's own first and marked) and the errors a scenario of
    the Scenarios sheet meets in planning (at its cells)."""
    from goalsheet.plan.assemble import plan_core

    basis = core.basis
    book = basis.book
    base = Scenario(Phrase("scenario_base"), Phrase("scenario_no_change"), {})
    scenarios = [base] + (sheet_scenarios(book) if book.scenarios is not None else default_scenarios(basis))
    problems: list[Problem] = []
    rows = []
    sheet = book.sheet_names.get("Scenarios", "Scenarios")
    for scenario in scenarios:
        scen_book = scenario_book(book, scenario)
        if scen_book.settings == book.settings:
            rows.append(scenario_row(scenario, core, True))
            continue
        scen_core = plan_core(scenario_basis(basis, scen_book, as_of))
        errors = [p for p in scen_core.problems if p.severity == "error"]
        if errors:              # a row of the Scenarios sheet the plan refuses: at the cell that set it
            own = {cell for _, cell in scenario.cells}
            problems += [Problem(sheet, p.cell if p.cell in own else scenario.where, code=p.code, args=p.args)
                         for p in errors if scenario.where]
            continue
        rows.append(scenario_row(scenario, scen_core, False))
    return pd.DataFrame(rows, columns=TABLE_COLUMNS), problems
