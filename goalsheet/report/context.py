"""The template context (SPEC section 4): what a plan template's Jinja sees - `headline.<key>`, one list of
rows per table of `layout.LAYOUT`, and the words of the plan (verdict, notes, warnings) in the workbook's
language."""
from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from typing import Any

import numpy as np

from goalsheet import __version__
from goalsheet.render import Cell
from goalsheet.report.assumptions import worded_plan
from goalsheet.report.layout import (ASSUMPTION_FORMATS, HEADLINE, LAYOUT, LAYOUT_BY_KEY, LINE_HEIGHT, SheetLayout)
from goalsheet.report.words import MONTHS_EN, TEXTS, VALUE_EN, VALUE_ZH, display_value, month_label, warning_text
from goalsheet.words import Phrase, Term


def plan_context(plan, lang: str = "en") -> dict[str, Any]:
    """Everything a plan template can name: `headline.<key>`, one list of rows per table, and the words.

    Every row carries every column key of `LAYOUT` (None where the plan has no such column), so a template
    never fails on a blank; month columns become dates (formatted as months by the template); text stays text.
    """
    lang = "zh" if lang == "zh" else "en"
    texts = TEXTS[lang]
    plan = worded_plan(plan)
    cur = plan.base_currency
    figures = plan.headline.figures() if plan.headline is not None else {}
    headline = {key: _cell_value(figures.get(key), fmt) for key, _en, _zh, fmt in HEADLINE}
    for key, value in figures.items():                 # further headline figures a custom template may use
        headline.setdefault(key, _cell_value(value, "number" if isinstance(value, (int, float)) else "text"))
    headline.setdefault("verdict", None)               # the Summary's hidden gs_verdict cell (blank without one)
    # a yes/no figure as the Summary shows it: 是 / 否, Yes / No (the cell its defined name names keeps the boolean)
    headline_words = {key: Phrase("yes" if headline[key] else "no").text(lang)
                      for key, _en, _zh, fmt in HEADLINE if fmt == "bool" and isinstance(headline[key], bool)}
    # a code figure (what binds first) as words; the cell its defined name names keeps the code
    headline_words.update({key: Term(key, headline[key]).text(lang) if headline[key] is not None else None
                           for key, _en, _zh, fmt in HEADLINE if fmt == "word"})
    if isinstance(headline.get("plan_year"), float) and headline["plan_year"].is_integer():
        headline["plan_year"] = int(headline["plan_year"])
    if headline.get("plan_year") is None:
        headline["plan_year"] = plan.plan_year

    feasible = plan.headline.funding_feasible if plan.headline is not None else None
    level = plan.headline.verdict if plan.headline is not None else None
    if level is not None:
        verdict, detail = verdict_text(plan, level, lang)
    elif feasible is None:
        verdict = texts["unknown"]
        detail = ""
    else:
        verdict = texts["feasible"] if bool(feasible) else texts["infeasible"]
        detail = funding_detail(plan, lang)

    if plan.has_actuals:
        actuals_note = texts["actuals_to"].format(as_of=month_label(plan.headline.as_of or "", lang))
        standing = standing_text(plan, lang)
    else:
        actuals_note = texts["no_actuals"].format(year=headline["plan_year"])
        standing = actuals_note
    amounts_in = texts["amounts_in"].format(cur=cur)
    generated = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %z")
    source = plan.source_name or "?"
    sha = (plan.source_sha256 or "")[:16]
    source_note = (f"{source} (sha256 {sha}…) · goalsheet {__version__} · {generated}" if sha
                   else f"{source} · goalsheet {__version__} · {generated}")
    if plan.frozen and plan.frozen.get("baseline"):
        source_note += " · " + texts["baseline"]
    warnings = [{"text": warning_text(w, lang)} for w in plan.warnings] or [{"text": texts["no_warnings"]}]
    warning_lines = [{"text": line} for w in warnings for line in wrap_text(w["text"], 64, first="• ")]
    context: dict[str, Any] = {
        "lang": lang, "base_currency": cur, "plan_year": headline["plan_year"], "headline": headline,
        "headline_words": headline_words,
        "verdict": verdict, "verdict_detail": detail, "actuals_note": actuals_note, "has_actuals": plan.has_actuals,
        "amounts_in": amounts_in, "source_name": source, "source_sha256": plan.source_sha256 or "",
        "version": __version__, "generated": generated, "source_note": source_note, "warnings": warnings,
        "warning_lines": warning_lines, "standing": standing,
        "standing_lines": [{"text": line} for line in wrap_text(standing, 64)],
        "profit_note": (f"{amounts_in}; store-currency columns in the row's currency" if lang == "en"
                        else f"{amounts_in}；本店币种列按该行币种"),
        "products_note": amounts_in, "checks_note": amounts_in,
        "cash_note": cash_note(plan, texts, amounts_in, lang),
    }
    for layout in LAYOUT:
        context[layout.key] = table_rows(plan.tables.get(layout.key), layout, lang)
    assumption_cells(context["assumptions"])
    context["profit_top"] = largest_sellers(context["profit"], plan.tables.get("products"))
    scenario_cells(context["scenarios"])
    return context


AFTER_YEAR = ("bonus_after_year", "budgets_after_year", "orders_after_year")


def cash_note(plan, texts: dict, amounts_in: str, lang: str) -> str:
    """The Cash sheet's note: the currency, and what falls due after December (outside the table, 3.6), by kind."""
    late = [w for w in plan.warnings if w.code in AFTER_YEAR]
    if not late:
        return amounts_in
    parts = ("、" if lang == "zh" else ", ").join(
        texts["after_year_" + w.code].format(amount=f"{w.args['amount']:,.2f}") for w in late)
    year = late[0].args.get("year", (plan.plan_year or 0) + 1)
    return amounts_in + ("。" if lang == "zh" else ". ") + texts["after_year"].format(parts=parts, year=year)


PROFIT_CHART_SKUS = 10      # the Profit sheet's chart: the SKUs with the largest sales, at most this many (the
                            # chart shares their printed page, under the table's header)


def largest_sellers(rows: list[dict[str, Any]], products, n: int = PROFIT_CHART_SKUS) -> list[dict[str, Any]]:
    """The Profit rows of the `n` SKUs with the largest sales in the plan year (the Products table's growth
    forecast; a SKU without one counts as 0), largest first, ties in the table's order; each row with its
    `label` "store / SKU" for the chart."""
    sales: dict[tuple[Any, Any], float] = {}
    if products is not None and len(products) and {"store", "sku", "growth_forecast"} <= set(products.columns):
        for store, sku, value in zip(products["store"], products["sku"], products["growth_forecast"]):
            if isinstance(value, (int, float)) and not math.isnan(value):
                sales[(store, sku)] = sales.get((store, sku), 0.0) + float(value)
    order = sorted(range(len(rows)), key=lambda i: -sales.get((rows[i].get("store"), rows[i].get("sku")), 0.0))
    return [{**rows[i], "label": f"{rows[i].get('store')} / {rows[i].get('sku')}"} for i in order[:n]]


def _pct_text(x: float) -> str:
    return f"{x:.1%}"


def verdict_text(plan, level: str, lang: str) -> tuple[str, str]:
    """The Summary's banner and the sentences under it: the verdict with its most serious reason (the plan's
    warnings in `plan.verdict.RED + AMBER` order), how many more there are, the reachable target and what binds,
    and the funding detail."""
    from goalsheet.plan.verdict import verdict as reasons_of

    texts, cur, h = TEXTS[lang], plan.base_currency, plan.headline
    _, reasons = reasons_of(plan.warnings)
    if level == "green" or not reasons:
        banner = texts["verdict_green"]
    else:
        banner = texts[f"verdict_{level}"].format(reason=Term("verdict_reason", reasons[0].code).text(lang))
    parts = []
    if reasons:
        sentence = reasons[0].sentence(lang)
        parts.append(sentence[:1].upper() + sentence[1:] + ("." if lang == "en" else "。"))
    if len(reasons) > 1:
        parts.append(texts["more_reasons"].format(n=len(reasons) - 1))
    if h.max_reachable_sales is not None and h.target_sales and h.binding_limit is not None:
        parts.append(texts["reachable_note"].format(
            reach=_money_text(h.max_reachable_sales, cur), ratio=f"{h.max_reachable_sales / h.target_sales:.0%}",
            binding=Term("binding_limit", h.binding_limit).text(lang)))
    if h.funding_feasible is not None:
        parts.append(funding_detail(plan, lang, with_max=False))
    return banner, (" ".join(parts) if lang == "en" else "".join(parts))


def funding_detail(plan, lang: str, with_max: bool = True) -> str:
    """The Summary's sentence under the funding verdict: how low the cash gets and when, against the minimum
    and the credit line; then the largest fundable target."""
    texts, cur = TEXTS[lang], plan.base_currency
    parts = []
    need = plan.headline.peak_cash_need
    credit = _assumption(plan, "credit_line")
    minimum = _assumption(plan, "min_cash")
    low, when = _lowest_balance(plan)
    if low is not None:
        words = dict(low=_money_text(low, cur), month=month_label(when, lang), min=_money_text(minimum, cur),
                     need=_money_text(need or 0, cur), credit=_money_text(credit or 0, cur))
        parts.append((texts["low_note"] if need and need > 0 else texts["low_ok_note"]).format(**words))
    elif need is not None:
        parts.append(texts["peak_note"].format(need=_money_text(need, cur), credit=_money_text(credit or 0, cur)))
    top, target = plan.headline.max_feasible_sales, plan.headline.target_sales
    if with_max and top is not None and target:
        parts.append(texts["max_note"].format(max=_money_text(top, cur), ratio=f"{top / target:.0%}"))
    return " ".join(parts) if lang == "en" else "".join(parts)


def _lowest_balance(plan) -> tuple[float | None, str]:
    """The lowest closing balance of the cash table and its month (None when there is no cash table)."""
    cash = plan.tables.get("cash")
    if cash is None or len(cash) == 0:
        return None, ""
    src = "closing_balance"
    if src not in cash.columns or "month" not in cash.columns:
        return None, ""
    values = [float(v) for v in cash[src]]
    i = min(range(len(values)), key=lambda k: values[k])
    return values[i], str(cash["month"].iloc[i])[:7]


def standing_text(plan, lang: str) -> str:
    """Where the year stands, in words: actual to date against plan to date, the reforecast for the year
    against the target, and the bonus so far against its budget."""
    texts, cur, h = TEXTS[lang], plan.base_currency, plan.headline
    money = lambda x: _money_text(float(x or 0), cur)   # noqa: E731
    actual, plan_td = float(h.actual_sales_ytd or 0), float(h.plan_sales_ytd or 0)
    att = h.attainment_ytd
    if att is None:
        att = actual / plan_td if plan_td else 1.0
    var = actual - plan_td
    var_text = texts["standing_ahead" if var >= 0 else "standing_behind"].format(x=money(abs(var)))
    out = [texts["standing"].format(as_of=month_label(h.as_of, lang), actual=money(actual),
                                    plan=money(plan_td), att=_pct_text(float(att)), var=var_text)]
    ref, target = h.reforecast_sales, h.target_sales
    if ref is not None and target:
        diff = float(ref) - float(target)
        diff_text = texts["standing_ahead" if diff >= 0 else "standing_behind"].format(x=money(abs(diff)))
        out.append(texts["reforecast"].format(ref=money(ref), ratio=_pct_text(float(ref) / float(target)),
                                              target=money(target), diff=diff_text))
    if h.bonus_earned is not None:
        true_up = float(h.bonus_true_up or 0)
        budget = float(h.bonus_total or 0)
        forecast = h.bonus_forecast if h.bonus_forecast is not None else budget + true_up
        diff = (texts["bonus_more"].format(x=money(true_up)) if true_up > 0.005 else
                texts["bonus_less"].format(x=money(-true_up)) if true_up < -0.005 else texts["bonus_same"])
        out.append(texts["bonus_standing"].format(earned=money(h.bonus_earned), paid=money(h.bonus_paid),
                                                  forecast=money(forecast), diff=diff, budget=money(budget)))
    return " ".join(out) if lang == "en" else "".join(out)


def _assumption(plan, key: str) -> float:
    """A numeric setting from the Assumptions table (0 when absent or not a number)."""
    df = plan.tables.get("assumptions")
    if df is None or len(df) == 0 or "setting" not in df.columns or "value" not in df.columns:
        return 0.0
    hit = df.loc[df["setting"] == key, "value"]
    try:
        return float(hit.iloc[0]) if len(hit) else 0.0
    except (TypeError, ValueError):
        return 0.0


def table_rows(df, layout: SheetLayout, lang: str = "en") -> list[dict[str, Any]]:
    """A plan table as template rows: one dict per row, keyed by the layout's column keys (the plan's own
    words in Chinese for lang zh).  Converted a column at a time (`column_cells`), then zipped into rows."""
    if df is None or len(df) == 0:
        return []
    if layout.wide_months:
        df = _wide_by_month(df, layout.columns[0].key)
    present = set(df.columns)
    keys, columns = [], []
    for col in layout.columns:
        src = col.key if col.key in present else None
        # a table may carry its own Chinese beside a column: `setting_zh` for `setting`
        zh_src = f"{src}_zh" if lang == "zh" and src and f"{src}_zh" in present else None
        keys.append(col.key)
        if src is None:
            columns.append([None] * len(df))
            continue
        columns.append(column_cells(df[src], col.fmt, layout.key, col.key, lang,
                                    _raw_values(df[zh_src]) if zh_src else None))
    if "format" in present:
        keys.append("format")
        columns.append(_raw_values(df["format"]))
    # filled a column at a time into copies of one dict of the keys (no dict grown key by key, row by row)
    blank = dict.fromkeys(keys).copy
    rows = [blank() for _ in range(len(df))]
    for key, values in zip(keys, columns):
        for row, value in zip(rows, values):
            row[key] = value
    return rows


def _raw_values(s) -> list[Any]:
    """A column's values as Python objects (numbers of numeric columns as Python numbers, NaN kept)."""
    if _numpy_numbers(s):
        return s.to_numpy().tolist()
    return s.tolist()


def column_cells(s, fmt: str, table: str, key: str, lang: str, zh: list[Any] | None = None) -> list[Any]:
    """One table column as cell values: `_cell_value` (and the Chinese words for lang zh) of each value, worked
    out once per distinct value; a numeric column in one pass (NaN -> blank).  `zh`: the column's own Chinese,
    used where it is non-empty text."""
    raw = _raw_values(s)
    if zh is not None:
        raw = [z if isinstance(z, str) and z else v for v, z in zip(raw, zh)]
    if zh is None and _numpy_numbers(s) and fmt not in ("month", "text", "bool"):
        if s.dtype.kind == "f":
            blank = np.isnan(s.to_numpy())
            if blank.any():
                for i in np.flatnonzero(blank).tolist():
                    raw[i] = None
        return raw
    worded = (VALUE_ZH if lang == "zh" else VALUE_EN).get(table, {}).get(key)
    if fmt not in ("month", "date") and not worded and set(map(type, raw)) == {str}:
        return raw                     # text as it is (`_cell_value` of a str is the str)
    cache: dict[tuple[type, Any], Any] = {}
    out = []
    for v in raw:
        try:
            out.append(cache[(type(v), v)])
            continue
        except KeyError:
            cell = _cell_value(v, fmt)
            if worded:
                cell = display_value(table, key, cell, lang)
            cache[(type(v), v)] = cell
        except TypeError:          # unhashable (a list): as it is
            cell = _cell_value(v, fmt)
            if worded:
                cell = display_value(table, key, cell, lang)
        out.append(cell)
    return out


def _numpy_numbers(s) -> bool:
    """A column of numpy ints, floats or bools (not a nullable pandas dtype, whose blanks are pd.NA)."""
    return isinstance(s.dtype, np.dtype) and s.dtype.kind in "iubf"


def _wide_by_month(df, key: str):
    """Stores/Operators as `key, m01..m12`: from long form (key, month, value) or from month-named columns."""
    if "month" in df.columns:
        value = next(c for c in ("target_sales", "rounded", "value", "target", "sales") if c in df.columns)
        long = df[[key, "month", value]].copy()
        long["m"] = long["month"].map(lambda m: f"m{_month_number(m):02d}")
        order = list(dict.fromkeys(long[key]))
        wide = long.pivot_table(index=key, columns="m", values=value, aggfunc="sum", sort=False).reindex(order)
        wide = wide.reset_index()
        wide["total"] = wide[[c for c in wide.columns if str(c).startswith("m") and c != key]].sum(axis=1)
        extra = [c for c in df.columns if c in ("net_profit", "target_net_profit")]
        if extra:
            wide = wide.merge(df.groupby(key, sort=False)[extra].sum().reset_index(), on=key, how="left")
        return wide
    renames = {}
    for c in df.columns:
        n = _month_number(c)
        if n:
            renames[c] = f"m{n:02d}"
    return df.rename(columns=renames)


def _month_number(label: Any) -> int:
    """'2026-03', 'Mar', '3月', 3, a date -> 3; anything else -> 0."""
    if isinstance(label, (dt.date, dt.datetime)):
        return label.month
    if isinstance(label, int) and 1 <= label <= 12:
        return label
    text = str(label).strip()
    m = re.fullmatch(r"(?:\d{4}[-/])?(\d{1,2})(?:月)?", text) or re.fullmatch(r"m(\d{2})", text)
    if m and 1 <= int(m.group(1)) <= 12:
        return int(m.group(1))
    for i, name in enumerate(MONTHS_EN, start=1):
        if text.lower() == name.lower():
            return i
    return 0


def _cell_value(value: Any, fmt: str) -> Any:
    """A plan value as a cell value: numbers as numbers, months as dates, NaN as blank, text as text."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is not None and type(value).__name__ in ("NAType", "NaTType"):
        return None
    if fmt == "month":
        if isinstance(value, dt.datetime):
            return value.date().replace(day=1)
        if isinstance(value, dt.date):
            return value.replace(day=1)
        m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?", str(value).strip())
        return dt.date(int(m.group(1)), int(m.group(2)), 1) if m else str(value)
    if fmt == "date":
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", str(value).strip())
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else (str(value) or None)
    if fmt == "text":
        if isinstance(value, bool):
            return value
        if isinstance(value, (list, tuple)):
            return ", ".join(str(v) for v in value)
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            return int(value)
        return value if isinstance(value, (int, float)) else str(value)
    if fmt == "bool":
        return bool(value) if isinstance(value, (bool, int, float)) else value
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def wrap_text(text: str, width: int, first: str = "") -> list[str]:
    """Split text into lines of at most `width` display columns (a CJK character counts 2), first line
    prefixed with `first`, the others indented to match: the Summary lists warnings one line a row, which
    reads the same in every spreadsheet (wrapped text in merged cells does not grow its row)."""

    def cols(ch: str) -> int:
        return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1

    lines, line, used = [], first, sum(cols(c) for c in first)
    indent = " " * len(first)
    for token in re.findall(r"\S+\s*|\s+", text):
        w = sum(cols(c) for c in token.rstrip())
        if used + w > width and line.strip():
            if w > width:       # a long run without spaces (Chinese): break it by characters
                for ch in token:
                    if used + cols(ch) > width:
                        lines.append(line.rstrip())
                        line, used = indent, len(indent)
                    line += ch
                    used += cols(ch)
                continue
            lines.append(line.rstrip())
            line, used = indent, len(indent)
        line += token
        used += sum(cols(c) for c in token)
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _money_text(value: float, cur: str) -> str:
    return f"{value:,.2f} {cur}"


def text_lines(text: Any, width: float) -> int:
    """Lines a text takes wrapped (at spaces; Chinese anywhere) in a column `width` wide, in widths of the digit 0:
    a CJK character counts 2, any other 0.85 (letters average narrower than 0; the rounding up errs
    towards a taller row, never an overlap)."""
    if text is None or text == "":
        return 1
    lines, used = 1, 0.0
    for token in _WRAP_TOKEN.findall(str(text)):
        w = _text_width(token.rstrip())
        if used + w > width and used > 0:
            lines += 1
            used = 0.0
        while w > width:                      # a word longer than the column breaks inside
            lines += 1
            w -= width
        used += _text_width(token)
    return lines


_WRAP_TOKEN = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]|[^\s\u2e80-\u9fff\uff00-\uffef]+\s*|\s+")


def _text_width(token: str) -> float:
    return sum(2.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.85 for ch in token)


def assumption_cells(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The Assumptions rows with each value in its row's number format (`ASSUMPTION_FORMATS` by the row's
    `format`: 3.00 %, 4,000,000.00, 0.783810 - one template cell shows every kind of setting) and each row whose
    setting or note wraps made tall enough to show every line (LibreOffice does not grow rows on opening): the
    value becomes a `render.Cell`."""
    columns = {col.key: col.width for col in LAYOUT_BY_KEY["assumptions"].columns}
    wrapped = [(key, columns[key]) for key in ("setting", "note")]
    for row in rows:
        number_format = ASSUMPTION_FORMATS.get(str(row.get("format") or ""))
        lines = max(text_lines(row.get(key), width) for key, width in wrapped)
        height = lines * LINE_HEIGHT if lines > 1 else None
        if number_format is not None or height is not None:
            row["value"] = Cell(row.get("value"), number_format=number_format, row_height=height)
    return rows


def scenario_cells(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The Scenarios rows, each made tall enough for its wrapped name and changes (LibreOffice does not grow rows
    on opening): the changes become a `render.Cell` with the row's height."""
    columns = {col.key: col.width for col in LAYOUT_BY_KEY["scenarios"].columns}
    for row in rows:
        lines = max(text_lines(row.get(key), columns[key]) for key in ("scenario", "changes"))
        if lines > 1:
            row["changes"] = Cell(row.get("changes"), row_height=lines * LINE_HEIGHT)
    return rows
