"""The Assumptions table (SPEC section 4): every setting used, with its source (input / default / derived), and
the run's provenance."""
from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

import numpy as np
import pandas as pd

from goalsheet.inputs import schema
from goalsheet.inputs.model import SellerBook
from goalsheet.plan.basis import Basis


SETTING_NOTES = {c.key: c.note for c in schema.SETTINGS.columns}

ASSUMPTION_COLUMNS = ["setting", "value", "source", "note", "setting_zh", "note_zh", "format"]

# How the workbook shows a value, by the schema's kind (goalsheet.report has the number formats).
VALUE_FORMAT = {"rate": "rate", "money": "money", "int": "int", "number": "number"}

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Chinese for the notes of derived rows that come from the method's own words.
METHOD_ZH = {
    "history: ratio to centred moving average": "按历史：各月与居中移动平均之比",
    "history: share of the last 12 months": "按历史：最近 12 个月各月的占比",
    "flat (under 12 months of history)": "平均（历史不足 12 个月）",
    "off": "不考虑季节性（每月 1）",
    "given": "设置表给出的 12 个指数（已调整为平均 1）",
    "median sell price of the store's SKUs": "该店 SKU 买家支付价的中位数",
    "Stores new_price": "店铺表的新品客单价",
    "Settings new_price": "设置表的新品客单价（换算为店铺币种）",
}


def _explain_zh(sheet: str, key: str) -> str:
    """The Chinese explanation `goalsheet init` writes for a column or setting (inputs.blank.EXPLAIN)."""
    from goalsheet.inputs.blank import EXPLAIN
    return EXPLAIN.get((sheet, key), ("", ""))[1]


def _column(sheet: str, key: str) -> schema.Column | None:
    try:
        return schema.SHEET_BY_KEY[sheet].column(key)
    except KeyError:
        return None


def _label_zh(sheet: str, key: str, scope: str = "") -> str:
    """'计划年度 (plan_year)', '新品客单价 (new_price) [Lumos US]'."""
    col = _column(sheet, key)
    name = f"{col.zh} ({key})" if col is not None else key
    return f"{name} [{scope}]" if scope else name


def _default_reason_zh(reason: str) -> str:
    """A Default's reason ('marketplace DE', 'currency USD', 'operator of store X', 'default') in Chinese."""
    for pattern, zh in ((r"marketplace (.+)", "按站点 {0} 的默认值"), (r"currency (.+)", "按币种 {0} 的默认值"),
                        (r"operator of store (.+)", "店铺 {0} 的运营"), (r"default", "默认值"),
                        (r"no units in Sales", "销售表没有销量：按销售额 ÷ 买家支付价")):
        m = re.fullmatch(pattern, str(reason))
        if m:
            return zh.format(*m.groups())
    return str(reason)

SKU_SHEET = "SKUs"

NAMED_SKUS = 3       # a summary row names its SKUs when there are at most this many


def _skus(n: int) -> str:
    return f"{n:,} SKU" + ("" if n == 1 else "s")


def _skus_zh(n: int) -> str:
    return f"{n:,} 个SKU"


def sku_defaults(defaults) -> dict[tuple[str, str], list]:
    """The SKUs sheet's defaults grouped by (column, how it was defaulted), in order of first appearance: the
    Assumptions table has one row per group, not one per SKU (the per-SKU values are on Products/Profit)."""
    return _defaults_by_sheet(defaults)[2]


def _defaults_by_sheet(defaults) -> tuple[set, list, dict[tuple[str, str], list]]:
    """One pass over the defaults (tens of thousands on a large seller): the Settings rows defaulted, the
    defaults of the other sheets but SKUs (in order), and `sku_defaults`' groups."""
    settings: set = set()
    others: list = []
    groups: dict[tuple[str, str], list] = {}
    for x in defaults:
        sheet = x.sheet
        if sheet == SKU_SHEET:
            groups.setdefault((x.column, str(x.reason)), []).append(x)
        elif sheet == "Settings":
            settings.add(x.row)
        else:
            others.append(x)
    return settings, others, groups

_VALUE_OF, _ROW_OF = attrgetter("value"), attrgetter("row")

_PLAIN_TYPES = frozenset((float, int, str, bool, type(None)))


@dataclass(frozen=True)
class Spread:
    """The value a summary row shows for many SKUs, and what its note adds (English, Chinese)."""
    value: Any
    note: str
    note_zh: str


def sku_spread(values, fmt: str, names: list[str]) -> Spread:
    """One value for a group of SKUs: the value itself when all agree, else the median of numbers (the note
    gives the range) or the count of distinct texts.  At most NAMED_SKUS SKUs are named in the note.

    [0.19, 0.19] -> 0.19; [0.1, 0.3, 0.2] -> 0.2, 'median; from 10.00% to 30.00%' (rate)."""
    names_en = f"; {', '.join(names)}" if len(names) <= NAMED_SKUS else ""
    names_zh = f"；{'、'.join(names)}" if len(names) <= NAMED_SKUS else ""
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiub":
        plain = values.tolist()                         # each value's .item()
    elif isinstance(values, list) and set(map(type, values)) <= _PLAIN_TYPES:
        plain = values                                  # nothing has an .item()
    else:
        plain = [v.item() if hasattr(v, "item") else v for v in values]
    distinct = list(dict.fromkeys(zip(map(type, plain), plain)))
    if len(distinct) == 1:
        return Spread(plain[0], names_en, names_zh)
    if {t for t, _ in distinct} <= {int, float}:
        numbers = list(map(float, plain))
    else:
        numbers = [float(v) for v in plain if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if len(numbers) == len(plain) and all(map(math.isfinite, numbers)):
        lo, hi = _number_text(min(numbers), fmt), _number_text(max(numbers), fmt)
        return Spread(float(np.median(numbers)), f"; median of {len(numbers):,}, from {lo} to {hi}{names_en}",
                      f"；{len(numbers):,} 个值的中位数，{lo} 至 {hi}{names_zh}")
    return Spread(f"{len(distinct):,} values", f"; {len(distinct):,} different values{names_en}",
                  f"；{len(distinct):,} 个不同的值{names_zh}")


def _number_text(x: float, fmt: str) -> str:
    if fmt == "rate":
        return f"{x:.2%}"
    if fmt == "money":
        return f"{x:,.2f}"
    if fmt == "int":
        return f"{x:,.0f}"
    return f"{x:,.6g}"


def assumptions_table(basis: Basis, book: SellerBook) -> pd.DataFrame:
    """Every setting used, with its source (input / default / derived), and the run's provenance.

    Columns: setting (the key, English label), value, source, note; setting_zh, note_zh (the Chinese workbook's
    label and note: the schema's Chinese name beside the key, the explanation `goalsheet init` gives); format
    (how the value is shown: rate | money | int | number | index | text).

    Per-SKU values are summarised, one row per (column, how it was defaulted) with the count of SKUs, the value
    (the median and range when they differ) and, for a few SKUs, their names: a seller with 20 000 SKUs gets
    some dozens of rows, not 140 000; each SKU's effective values are on the Products and Profit sheets.
    Per-store rows (few) stay one per store."""
    from goalsheet import __version__
    defaulted_settings, other_defaults, sku_groups = _defaults_by_sheet(book.defaults)
    rows = []

    def add(setting: str, value: Any, source: str, note: str, setting_zh: str, note_zh: str, fmt: str) -> None:
        value = _text(value)
        rows.append({"setting": setting, "value": value, "source": source, "note": note, "setting_zh": setting_zh,
                     "note_zh": note_zh or note, "format": fmt if isinstance(value, (int, float)) else "text"})

    for c in schema.SETTINGS.columns:
        v = basis.settings.given.get(c.key)
        if v is None:
            continue
        source = "default" if c.key in defaulted_settings else "input"
        add(c.key, v, source, c.note, _label_zh("Settings", c.key), _explain_zh("Settings", c.key),
            VALUE_FORMAT.get(c.kind, "text"))
    cal = basis.calendar
    if basis.settings.given.get("plan_year") is None:
        add("plan_year", cal.plan_year, "derived", "plan year (SPEC 3.1): not set, from the last history month",
            _label_zh("Settings", "plan_year"), "未设置：按最后一个历史月份推算（该月为 12 月时取下一年）", "int")
    for month, (name, x) in enumerate(zip(MONTHS_EN, basis.S), start=1):
        add(f"seasonality_index [{name}]", round(float(x), 6), "derived", basis.S_method,
            f"季节性指数 (seasonality_index) [{month}月]", METHOD_ZH.get(basis.S_method, basis.S_method), "index")
    add("history", f"{cal.history[0]} .. {cal.history[-1]}" if cal.history else "none", "derived",
        "history months used", "历史月份 (history)", "使用的历史月份", "text")
    add("bridge_months", ", ".join(cal.bridge) or "none", "derived", "forecast, never targeted",
        "过渡月份 (bridge_months)", "历史之后、计划年度之前的月份：只预测，不设目标", "text")
    add("first_launch_month", basis.months[basis.first_col] if basis.first_col < len(basis.months) else "none",
        "derived", "m >= 1 + ceil(lead_time_days / 30.4)", "最早上新月份 (first_launch_month)",
        "m ≥ 1 + ceil(备货周期天数 / 30.4)", "text")
    given = {k: basis.settings.given.get(k) is not None for k in ("new_monthly_units", "new_unit_cost")}
    npd = basis.new_products
    for store, price, price_source, monthly_units, unit_cost, unit_net_base in zip(
            npd["store"], npd["price"], npd["price_source"], npd["monthly_units"], npd["unit_cost"],
            npd["unit_net_base"]):
        store = str(store)
        add(f"new_price [{store}]", round(float(price), 6), "derived", f"{price_source} (store currency)",
            _label_zh("Settings", "new_price", store),
            f"{METHOD_ZH.get(price_source, price_source)}（店铺币种）", "money")
        add(f"new_monthly_units [{store}]", round(float(monthly_units), 4), "derived",
            "Settings" if given["new_monthly_units"] else "median run-rate units of the store's existing SKUs",
            _label_zh("Settings", "new_monthly_units", store),
            "设置表" if given["new_monthly_units"] else "该店老品月均销量的中位数", "number")
        add(f"new_unit_cost [{store}]", round(float(unit_cost), 4), "derived",
            "Settings" if given["new_unit_cost"] else "median cogs + freight of the store's existing SKUs",
            _label_zh("Settings", "new_unit_cost", store),
            "设置表" if given["new_unit_cost"] else "该店老品采购成本 + 头程的中位数", "money")
        add(f"new product unit_net [{store}]", round(float(unit_net_base), 6), "derived", "base currency",
            f"新品单件净利润 (unit_net) [{store}]", "本位币", "money")
    e = basis.econ
    derived = e.loc[~e["ad_rate_given"].to_numpy(bool)]
    if len(derived):
        names = [f"{s} / {k}" for s, k in zip(derived["store"], derived["sku"])] \
            if len(derived) <= NAMED_SKUS else [None] * len(derived)          # only a few are named
        spread = sku_spread(derived["ad_rate"].to_numpy(float), "rate", names)
        add(f"ad_rate [{_skus(len(derived))}]", spread.value, "derived",
            "ad_spend / revenue of the last baseline_months history months" + spread.note,
            _label_zh("SKUs", "ad_rate", _skus_zh(len(derived))), "最近基准月数的广告花费 ÷ 销售额" + spread.note_zh,
            "rate")
    for x in other_defaults:
        col = _column(x.sheet, x.column)
        sheet_zh = schema.SHEET_BY_KEY[x.sheet].zh if x.sheet in schema.SHEET_BY_KEY else x.sheet
        add(f"{x.sheet}: {x.row} {x.column}", x.value, "default", x.reason,
            f"{sheet_zh}: {x.row} {col.zh if col is not None else ''} ({x.column})".replace("  ", " "),
            _default_reason_zh(x.reason), VALUE_FORMAT.get(col.kind, "number") if col is not None else "number")
    for (column, reason), group in sku_groups.items():
        col = _column(SKU_SHEET, column)
        fmt = VALUE_FORMAT.get(col.kind, "number") if col is not None else "number"
        names = list(map(_ROW_OF, group)) if len(group) <= NAMED_SKUS else [None] * len(group)  # only a few named
        spread = sku_spread(list(map(_VALUE_OF, group)), fmt, names)
        sheet_zh = schema.SHEET_BY_KEY[SKU_SHEET].zh
        add(f"{SKU_SHEET}: {column} [{_skus(len(group))}]", spread.value, "default", reason + spread.note,
            f"{sheet_zh}: {col.zh if col is not None else column} ({column}) [{_skus_zh(len(group))}]",
            _default_reason_zh(reason) + spread.note_zh, fmt)
    add("input", book.source_name, "run", "input file", "输入文件 (input)", "输入文件", "text")
    add("input_sha256", book.source_sha256, "run", "input file hash", "输入文件哈希 (input_sha256)", "输入文件的 SHA-256",
        "text")
    add("goalsheet_version", __version__, "run", "", "goalsheet 版本 (goalsheet_version)", "", "text")
    add("planned_at", _dt.datetime.now().isoformat(timespec="seconds"), "run", "local time",
        "计划时间 (planned_at)", "本地时间", "text")
    return pd.DataFrame(rows, columns=ASSUMPTION_COLUMNS)


def _text(v: Any) -> Any:
    """A setting's value for the Assumptions table: numbers stay numbers (the workbook formats them), the
    rest is text."""
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, float, np.integer, np.floating)):
        x = float(v)
        if math.isfinite(x):
            return int(x) if x.is_integer() and abs(x) < 1e15 else x
        return str(v)
    if isinstance(v, (tuple, list)):
        return ", ".join(f"{x:g}" if isinstance(x, float) else str(x) for x in v)
    return str(v)
