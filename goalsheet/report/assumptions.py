"""The Assumptions table in words: the planner gives each row a label code and a note code with their arguments
(`goalsheet.plan.assumptions`); this makes the English and Chinese label and note of each row, the columns the
workbook and the plan JSON show: setting, value, source, note, setting_zh, value_zh, note_zh, format."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from goalsheet import __version__
from goalsheet.inputs import schema
from goalsheet.inputs.blank import EXPLAIN
from goalsheet.words import Phrase, Term, render

WORDED_COLUMNS = ["setting", "value", "source", "note", "setting_zh", "value_zh", "note_zh", "format"]
"""value_zh: the value in Chinese where the value is a word of the catalogue ("无"), else blank."""

# The notes by code: (English, Chinese), formatted with the row's note arguments.
NOTES: dict[str, tuple[str, str]] = {
    "plan_year_derived": ("plan year (SPEC 3.1): not set, from the last history month",
                          "未设置：按最后一个历史月份推算（该月为 12 月时取下一年）"),
    "history": ("history months used", "使用的历史月份"),
    "bridge_months": ("forecast, never targeted", "历史之后、计划年度之前的月份：只预测，不设目标"),
    "first_launch_month": ("m >= 1 + ceil(lead_time_days / 30.4)", "m ≥ 1 + 向上取整(备货周期天数 / 30.4)"),
    "from_settings": ("Settings", "设置表"),
    "new_monthly_units": ("median run-rate units of the store's existing SKUs", "该店老品月均销量的中位数"),
    "new_unit_cost": ("median cogs + freight of the store's existing SKUs", "该店老品采购成本 + 头程的中位数"),
    "base_currency": ("base currency", "本位币"),
    "ad_rate_derived": ("ad_spend / revenue of the last baseline_months history months", "最近基准月数的广告花费 ÷ 销售额"),
    "input": ("input file", "输入文件"),
    "input_sha256": ("input file hash", "输入文件的 SHA-256"),
    "planned_at": ("local time", "本地时间"),
    "none": ("", ""),
}

# The labels of rows that are not a column of an input sheet: (English is the row's setting key, Chinese).
LABELS_ZH = {
    "history": "历史月份 (history)",
    "bridge_months": "过渡月份 (bridge_months)",
    "first_launch_month": "最早上新月份 (first_launch_month)",
    "input": "输入文件 (input)",
    "input_sha256": "输入文件哈希 (input_sha256)",
    "goalsheet_version": "goalsheet 版本 (goalsheet_version)",
    "planned_at": "计划时间 (planned_at)",
}



def worded_assumptions(table: pd.DataFrame | None) -> pd.DataFrame | None:
    """The planner's Assumptions table with each row's label and note in English and Chinese (`WORDED_COLUMNS`);
    a table already in words (a hand-made plan, an earlier plan's JSON) is returned as it is."""
    if table is None or "note_code" not in table.columns:
        return table
    rows = []
    for r in table.to_dict("records"):
        label, largs = r["label_code"], r["label_args"] or {}
        note, nargs = r["note_code"], r["note_args"] or {}
        value = __version__ if label == "goalsheet_version" and r["value"] is None else r["value"]
        value_zh = None
        if isinstance(value, Phrase):
            value, value_zh = value.text("en"), value.text("zh")
        elif isinstance(value, str) and value in schema.CHOICE_WORDS.get(r["setting"], {}) \
                and r["setting"] != "base_currency":
            value_zh = schema.choice_word(r["setting"], value, "zh")      # a choice: its Chinese word
        note_en, note_zh = note_words(note, nargs)
        rows.append({"setting": r["setting"], "value": value, "source": r["source"], "note": note_en,
                     "setting_zh": label_zh(label, largs, r["setting"]), "value_zh": value_zh,
                     "note_zh": note_zh or note_en, "format": r["format"]})
    return pd.DataFrame(rows, columns=WORDED_COLUMNS)


def label_zh(code: str, args: dict[str, Any], setting: str) -> str:
    """A row's Chinese label: the input column's Chinese name beside its key ('新品客单价 (new_price) [Lumos US]')."""
    if code == "column":
        scope = skus_zh(args["skus"]) if args.get("skus") is not None else args.get("scope") or ""
        return _column_label(args["sheet"], args["key"], scope)
    if code == "seasonality_index":
        return f"季节性指数 (seasonality_index) [{args['month']}月]"
    if code == "new_unit_net":
        return f"新品单件净利润 (unit_net) [{args['store']}]"
    if code == "default":
        sheet, key = args["sheet"], args["key"]
        col = _column(sheet, key)
        sheet_zh = schema.SHEET_BY_KEY[sheet].zh if sheet in schema.SHEET_BY_KEY else sheet
        return f"{sheet_zh}: {render(args['row'], 'zh')} {col.zh if col is not None else ''} ({key})".replace("  ", " ")
    if code == "sku_default":
        key = args["key"]
        col = _column("SKUs", key)
        return f"{schema.SHEET_BY_KEY['SKUs'].zh}: {col.zh if col is not None else key} ({key}) " \
               f"[{skus_zh(args['skus'])}]"
    return LABELS_ZH.get(code, setting)


def note_words(code: str, args: dict[str, Any]) -> tuple[str, str]:
    """A row's note in English and Chinese (the Chinese empty where there is none)."""
    if code == "setting":
        key = args["key"]
        col = _column("Settings", key)
        en, zh = (col.note if col is not None else ""), EXPLAIN.get(("Settings", key), ("", ""))[1]
    elif code == "method":
        method = Term("assumption_method", args["method"])
        en, zh = method.text("en"), method.text("zh")
    elif code == "new_price":
        method = Term("assumption_method", args["method"])
        en, zh = f"{method.text('en')} (store currency)", f"{method.text('zh')}（店铺币种）"
    elif code == "default":
        reason = args["reason"]
        en, zh = render(reason, "en"), render(reason, "zh")
    elif code == "from_report":
        en = f"derived by goalsheet import from {args['report']}, {args['period']}"
        zh = f"由 goalsheet 根据报告 {args['report']}（{args['period']}）推算"
    else:
        en, zh = NOTES[code]
    if args.get("spread"):
        more_en, more_zh = spread_words(args["spread"])
        en, zh = en + more_en, zh + more_zh
    return en, zh


def spread_words(spread: dict[str, Any]) -> tuple[str, str]:
    """What a summary row of many SKUs adds to its note (`plan.assumptions.Spread`), in English and Chinese."""
    names = [n for n in spread.get("names") or [] if n is not None]
    names_en = f"; {', '.join(names)}" if names else ""
    names_zh = f"；{'、'.join(names)}" if names else ""
    kind = spread["kind"]
    if kind == "median":
        n, lo, hi = spread["count"], spread["lo"], spread["hi"]
        return (f"; median of {n:,}, from {lo} to {hi}{names_en}", f"；{n:,} 个值的中位数，{lo} 至 {hi}{names_zh}")
    if kind == "distinct":
        n = spread["count"]
        return f"; {n:,} different values{names_en}", f"；{n:,} 个不同的值{names_zh}"
    return names_en, names_zh


def skus_zh(n: int) -> str:
    return f"{n:,} 个SKU"


def _column(sheet: str, key: str) -> schema.Column | None:
    try:
        return schema.SHEET_BY_KEY[sheet].column(key)
    except KeyError:
        return None


def _column_label(sheet: str, key: str, scope: str = "") -> str:
    """'计划年度 (plan_year)', '新品客单价 (new_price) [Lumos US]'."""
    col = _column(sheet, key)
    name = f"{col.zh} ({key})" if col is not None else key
    return f"{name} [{scope}]" if scope else name


def worded_plan(plan):
    """`plan` with its Assumptions table in words, as the workbook and the plan JSON show it (the plan itself is
    left as it is)."""
    table = plan.tables.get("assumptions")
    worded = worded_assumptions(table)
    if worded is table:
        return plan
    return replace(plan, tables={**plan.tables, "assumptions": worded})
