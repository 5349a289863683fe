"""Existing products (SPEC.md 3.3): run-rates, trend classes, growth rates and forecasts.

Existing = SKUs with sales in the last 12 history months and not `discontinued`.
Monthly series are calendar months (missing months 0), deseasonalised by S (3.4):

    run_rate   = mean of revenue_t / S_t over the last `baseline_months` history months
                 (or over the months since the SKU's first sale, when fewer); units likewise
    trend      = deseasonalised mean of the last 3 history months / that of the 3 before:
                 growing (> 1.10), declining (< 0.90), else stable; under 6 months: stable
    g          = the SKU's growth_rate if given; else growing -> the store's monthly growth,
                 stable -> half of it, declining -> ratio^(1/3) − 1 floored at −10 %
    forecast   stable: run_rate × S_m;  growth: run_rate × (1 + g)^m × S_m

Everything is vectorised over SKUs: a (SKU × month) matrix of the history.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.errors import InvalidIndexError

from goalsheet.plan.calendar import Calendar, month_index

GROWING, STABLE, DECLINING = "growing", "stable", "declining"
GROWING_ABOVE, DECLINING_BELOW = 1.10, 0.90
DECLINE_FLOOR = -0.10
TREND_MONTHS = 3


@dataclass
class ExistingForecast:
    """Per SKU (rows in the order of `products`) and per forecast month (bridge then plan months).

    products      store, sku, operator, existing (bool), first_sale, months_sold, sales_12m, units_12m,
                  run_rate, run_rate_units (store currency / units per month, deseasonalised),
                  trend_ratio, trend, g, g_source
    months        the forecast months ('YYYY-MM'), bridge then plan
    m             their m
    stable_sales, growth_sales, stable_units, growth_units   arrays (n_skus × n_months), store currency;
                  0 for SKUs that are not existing
    """
    products: pd.DataFrame
    months: tuple[str, ...]
    m: np.ndarray
    stable_sales: np.ndarray
    growth_sales: np.ndarray
    stable_units: np.ndarray
    growth_units: np.ndarray

    def sales(self, scenario: str) -> np.ndarray:
        return self.growth_sales if scenario == "growth" else self.stable_sales

    def units(self, scenario: str) -> np.ndarray:
        return self.growth_units if scenario == "growth" else self.stable_units


def history_matrix(sales: pd.DataFrame, keys: pd.DataFrame, history: tuple[str, ...],
                   column: str | tuple[str, ...]) -> np.ndarray | tuple[np.ndarray, ...]:
    """(SKU × history month) totals of `column` (or of each of several columns); rows follow `keys`
    (store, sku), missing months 0.

    Sales may have a million rows: store, SKU and month are factorized and only their distinct
    values are looked up (the keys' rows, the months' columns); the totals are a bincount."""
    columns = (column,) if isinstance(column, str) else tuple(column)
    n_hist = len(history)
    outs = tuple(np.zeros((len(keys), n_hist)) for _ in columns)
    if n_hist and len(sales) and len(keys):
        rows = _key_rows(sales, keys)
        cols = month_indices(sales["month"]) - month_index(history[0])
        ok = (rows >= 0) & (cols >= 0) & (cols < n_hist)
        cell = rows[ok] * n_hist + cols[ok]
        for out, c in zip(outs, columns):
            # bincount adds in row order from 0, as np.add.at did: the same sums to the last bit
            out += np.bincount(cell, weights=sales[c].to_numpy(dtype=float)[ok],
                               minlength=out.size).reshape(out.shape)
    return outs[0] if isinstance(column, str) else outs


def factorize_runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """pd.factorize(values) (same codes, same distinct values in order of first appearance), faster on a
    column sorted into long runs (the summed Sales' month and store): only each run's first cell is hashed."""
    n = len(values)
    if n < 2:
        return pd.factorize(values)
    try:
        change = values[1:] != values[:-1]
    except (TypeError, ValueError):          # a cell that does not compare to a plain True/False (pd.NA)
        change = None
    if isinstance(change, np.ndarray) and change.dtype == bool:
        heads = np.flatnonzero(np.concatenate(([True], change)))
        if len(heads) * 4 < n:
            codes, uniques = pd.factorize(values[heads])
            return np.repeat(codes, np.diff(np.append(heads, n))), uniques
    return pd.factorize(values)


def _key_rows(sales: pd.DataFrame, keys: pd.DataFrame) -> np.ndarray:
    """Each sales row's row in `keys` (store, sku compared as text), −1 when it has none."""
    store_codes, stores = factorize_runs(sales["store"].to_numpy(dtype=object))
    sku_codes, skus = pd.factorize(sales["sku"].to_numpy(dtype=object))
    pair = store_codes.astype(np.int64) * max(len(skus), 1) + sku_codes
    pair[(store_codes < 0) | (sku_codes < 0)] = -1
    pair_codes, pairs = pd.factorize(pair)
    valid = pairs >= 0
    store_of = np.asarray(stores, dtype=object)[np.where(valid, pairs // max(len(skus), 1), 0)]
    sku_of = np.asarray(skus, dtype=object)[np.where(valid, pairs % max(len(skus), 1), 0)]
    found = np.where(valid, _pair_rows(keys, store_of, sku_of), -1)
    return found[pair_codes] if len(pairs) else np.full(len(sales), -1)


def _pair_rows(keys: pd.DataFrame, store_of: np.ndarray, sku_of: np.ndarray) -> np.ndarray:
    """Each (store_of, sku_of) pair's row in `keys`, −1 when it has none, looked up in a dict.  Store and SKU are
    text once validated (required text columns of SKUs and Sales; a SKU number read as text); a (store, SKU)
    listed twice is refused, as validation refuses it (and as a MultiIndex lookup would)."""
    stores, skus = keys["store"].tolist(), keys["sku"].tolist()
    s_list, k_list = store_of.tolist(), sku_of.tolist()
    if not all(type(x) is str for x in (*stores, *skus, *s_list, *k_list)):
        raise ValueError("history_matrix: a store or SKU is not text (validation makes them text)")
    row = {pair: i for i, pair in enumerate(zip(stores, skus))}
    if len(row) != len(stores):
        raise InvalidIndexError("Reindexing only valid with uniquely valued Index objects")
    get = row.get
    return np.array([get(pair, -1) for pair in zip(s_list, k_list)], dtype=np.intp)


def month_indices(months: pd.Series) -> np.ndarray:
    """Vectorised `month_index` over a column of 'YYYY-MM' strings (each distinct month parsed once)."""
    codes, uniques = factorize_runs(months.to_numpy(dtype=object))
    if not len(uniques):
        return np.zeros(len(codes), dtype=int)
    parsed = np.array([int(str(u)[:4]) * 12 + int(str(u)[5:7]) - 1 for u in uniques], dtype=np.int64)
    return np.where(codes >= 0, parsed[codes], np.iinfo(np.int32).min)     # a blank month: no column


def trailing_mean(matrix: np.ndarray, n: np.ndarray, closed: np.ndarray | None = None) -> np.ndarray:
    """Row i: the mean of its last n[i] columns (0 where n[i] <= 0), the `closed` columns (months the whole
    business sold nothing) left out of it (0 where only closed ones are left)."""
    if matrix.shape[1] == 0:
        return np.zeros(matrix.shape[0])
    open_ = np.ones(matrix.shape[1]) if closed is None else (~np.asarray(closed, dtype=bool)).astype(float)
    from_right = np.cumsum((matrix * open_)[:, ::-1], axis=1)
    counted = np.cumsum(open_[::-1])
    k = np.clip(n, 1, matrix.shape[1]).astype(int)
    total = from_right[np.arange(matrix.shape[0]), k - 1]
    count = counted[k - 1]
    return np.where((n > 0) & (count > 0), total / np.where(count > 0, count, 1.0), 0.0)


def run_rate(deseasonalised: np.ndarray, months_sold: np.ndarray, baseline_months: int,
             closed: np.ndarray | None = None) -> np.ndarray:
    """Mean of the last `baseline_months` deseasonalised months, or of the months since first sale when fewer;
    months in which the whole business sold nothing (`closed`) are missing, not zeros."""
    return trailing_mean(deseasonalised, np.minimum(baseline_months, months_sold), closed)


def _window_mean(matrix: np.ndarray, open_: np.ndarray) -> np.ndarray:
    """Per row, the mean of the columns marked open (NaN when none is)."""
    count = open_.sum()
    return (matrix * open_).sum(axis=1) / count if count else np.full(matrix.shape[0], np.nan)


def trend_ratio(deseasonalised: np.ndarray, closed: np.ndarray | None = None) -> np.ndarray:
    """Deseasonalised mean of the last 3 history months / the 3 before (inf when those sold nothing), closed
    months left out of either mean."""
    n = deseasonalised.shape[1]
    if n < 2 * TREND_MONTHS:
        return np.full(deseasonalised.shape[0], np.nan)
    open_ = np.ones(n) if closed is None else (~np.asarray(closed, dtype=bool)).astype(float)
    last = _window_mean(deseasonalised[:, n - TREND_MONTHS:], open_[n - TREND_MONTHS:])
    before = _window_mean(deseasonalised[:, n - 2 * TREND_MONTHS:n - TREND_MONTHS],
                          open_[n - 2 * TREND_MONTHS:n - TREND_MONTHS])
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(before > 0, last / before, np.where(last > 0, np.inf, 1.0))


def trend_class(ratio: np.ndarray, months_sold: np.ndarray) -> np.ndarray:
    """growing (> 1.10), declining (< 0.90), else stable; stable under 6 months of history."""
    cls = np.where(ratio > GROWING_ABOVE, GROWING, np.where(ratio < DECLINING_BELOW, DECLINING, STABLE))
    return np.where((months_sold < 2 * TREND_MONTHS) | np.isnan(ratio), STABLE, cls).astype(object)


def growth_by_trend(trend: np.ndarray, ratio: np.ndarray, store_growth: np.ndarray) -> np.ndarray:
    """g by class: growing -> store's monthly growth; stable -> half; declining -> max(ratio^(1/3) − 1, −10 %)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        declining = np.maximum(np.power(np.where(ratio > 0, ratio, 0.0), 1 / 3) - 1, DECLINE_FLOOR)
    return np.where(trend == GROWING, store_growth,
                    np.where(trend == DECLINING, declining, 0.5 * store_growth)).astype(float)


def stable_forecast(run_rate: np.ndarray, S_m: np.ndarray) -> np.ndarray:
    """run_rate × S_m: (SKU × month)."""
    return np.outer(run_rate, S_m)


def growth_forecast(run_rate: np.ndarray, g: np.ndarray, m: np.ndarray, S_m: np.ndarray) -> np.ndarray:
    """run_rate × (1 + g)^m × S_m: (SKU × month)."""
    return run_rate[:, None] * np.power(1 + g[:, None], m[None, :]) * S_m[None, :]


def forecast_existing(sales: pd.DataFrame, skus: pd.DataFrame, calendar: Calendar, S: np.ndarray,
                      baseline_months: int, store_growth: pd.Series,
                      closed: np.ndarray | None = None) -> ExistingForecast:
    """Analyse every SKU of `skus` (store, sku, operator, status, growth_rate, launch_month) against the
    history in `sales` (month, store, sku, units, revenue; store currency).

    store_growth: the store's monthly growth (Stores `monthly_growth`, else Settings'), indexed by store.
    closed: per history month, True where the whole business sold nothing: missing in the run-rate and trend
    means, not a zero (3.4)."""
    keys = skus[["store", "sku"]].astype(str).reset_index(drop=True)
    history = calendar.history
    revenue, units = history_matrix(sales, keys, history, ("revenue", "units"))
    S_hist = np.array([S[int(x[5:7]) - 1] for x in history]) if history else np.ones(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        d_revenue = np.where(S_hist > 0, revenue / S_hist, 0.0) if history else revenue
        d_units = np.where(S_hist > 0, units / S_hist, 0.0) if history else units

    sold = (revenue > 0) | (units > 0)
    n_hist = len(history)
    any_sold = sold.any(axis=1)
    first_col = np.where(any_sold, sold.argmax(axis=1), n_hist) if n_hist else np.zeros(len(keys), dtype=int)
    # the months counted since the first sale start at the SKU's launch_month where given, even when it is
    # earlier than the first month with sales (the months in between sold nothing: they count as 0)
    launch_col = _launch_columns(skus, history)
    first_col = np.where(np.isnan(launch_col), first_col, np.nan_to_num(launch_col)).astype(int)
    months_sold = np.clip(n_hist - first_col, 0, None).astype(int)

    recent = sold[:, max(0, n_hist - 12):].any(axis=1) if n_hist else np.zeros(len(keys), dtype=bool)
    status = skus["status"].fillna("active").astype(str).str.lower().to_numpy() if "status" in skus \
        else np.array(["active"] * len(keys))
    existing = recent & (status != "discontinued")

    rr = np.where(existing, run_rate(d_revenue, months_sold, baseline_months, closed), 0.0)
    rr_units = np.where(existing, run_rate(d_units, months_sold, baseline_months, closed), 0.0)
    ratio = trend_ratio(d_revenue, closed)
    trend = trend_class(ratio, months_sold)
    growth_store = skus["store"].astype(str).map(store_growth).astype(float).fillna(0.0).to_numpy()
    given = pd.to_numeric(skus["growth_rate"], errors="coerce").to_numpy(dtype=float) if "growth_rate" in skus \
        else np.full(len(keys), np.nan)
    g = np.where(np.isnan(given), growth_by_trend(trend, ratio, growth_store), given)

    months = calendar.forecast_months
    m = np.array([calendar.m(x) for x in months], dtype=float)
    S_m = np.array([S[int(x[5:7]) - 1] for x in months])
    mask = existing[:, None]
    products = pd.DataFrame({
        "store": keys["store"], "sku": keys["sku"],
        "operator": skus["operator"].to_numpy() if "operator" in skus else None,
        "existing": existing,
        "first_sale": [history[c] if c < n_hist else None for c in first_col],
        "months_sold": months_sold,
        "sales_12m": revenue[:, max(0, n_hist - 12):].sum(axis=1),
        "units_12m": units[:, max(0, n_hist - 12):].sum(axis=1),
        "run_rate": rr, "run_rate_units": rr_units,
        "trend_ratio": ratio, "trend": trend, "g": g,
        "g_source": np.where(np.isnan(given), "trend class", "SKUs growth_rate"),
    })
    return ExistingForecast(
        products=products, months=months, m=m,
        stable_sales=np.where(mask, stable_forecast(rr, S_m), 0.0),
        growth_sales=np.where(mask, growth_forecast(rr, g, m, S_m), 0.0),
        stable_units=np.where(mask, stable_forecast(rr_units, S_m), 0.0),
        growth_units=np.where(mask, growth_forecast(rr_units, g, m, S_m), 0.0),
    )


def _launch_columns(skus: pd.DataFrame, history: tuple[str, ...]) -> np.ndarray:
    """The SKUs' `launch_month` as a history column (NaN when blank; 0 when before the history); it replaces
    the first sale as the start of the months counted."""
    if "launch_month" not in skus or not history:
        return np.full(len(skus), np.nan)
    first = month_index(history[0])
    out = np.full(len(skus), np.nan)
    for i, v in enumerate(skus["launch_month"].to_numpy()):
        if isinstance(v, str) and len(v) >= 7:
            out[i] = max(0, month_index(v[:7]) - first)
    return out
