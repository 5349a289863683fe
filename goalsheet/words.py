"""The catalogue of every sentence goalsheet says about a seller's input or plan, in English and Chinese.

Code never writes a problem's words: it raises `Problem(sheet, cell, code=..., args={...})` and the text is made
here, in the language of the run.  `PROBLEMS` maps a problem code to its (English, Chinese) template, formatted with
`str.format` and the problem's named args; `TERMS` holds the words a sentence takes as an argument (a bonus
period, a metric); `CONSOLE` the lines the command line prints about a run.  An arg may itself be a `Phrase` (a
sentence of the catalogue), a `Term` (a word of `TERMS`) or a `Join` (several of those in a list), rendered in the
same language.  This module imports nothing of goalsheet, so the input side, the planner's problems, the report
and the command line all share it.
"""
from __future__ import annotations

from typing import Any, Mapping, NamedTuple

LANGS = ("en", "zh")


class Phrase(NamedTuple):
    """A sentence of `PROBLEMS` with its args, said in the language of whatever holds it."""
    code: str
    args: Mapping[str, Any] = {}

    def text(self, lang: str = "en") -> str:
        return say(self.code, self.args, lang)


class Term(NamedTuple):
    """A word of `TERMS[kind]` (the value itself when the catalogue has no word for it)."""
    kind: str
    value: Any

    def text(self, lang: str = "en") -> str:
        words = TERMS.get(self.kind, {}).get(self.value)
        if words is None:
            return str(self.value)
        return words[1] if lang == "zh" else words[0]


class Join(NamedTuple):
    """Several args said as one list: ", " in English; `sep` names the Chinese separator of `SEPARATORS`."""
    items: tuple
    sep: str = "list"

    def text(self, lang: str = "en") -> str:
        en, zh = SEPARATORS[self.sep]
        return (zh if lang == "zh" else en).join(render(x, lang) for x in self.items)


SEPARATORS = {"list": (", ", "、"), "comma": (", ", ", "), "clause": (", ", "，")}


def render(value: Any, lang: str) -> Any:
    """An arg as a sentence shows it: catalogue pieces in `lang`, anything else as it is (for its format spec)."""
    if isinstance(value, (Phrase, Term, Join)):
        return value.text(lang)
    return value


def say(code: str, args: Mapping[str, Any] | None, lang: str = "en") -> str:
    """The sentence of `code` in `lang` (English for any language the catalogue does not have)."""
    en, zh = PROBLEMS[code]
    template = zh if lang == "zh" else en
    return template.format(**{k: render(v, lang) for k, v in (args or {}).items()})


def console(code: str, lang: str = "en", **args: Any) -> str:
    """A line of the command line's own (`CONSOLE`) in `lang`."""
    en, zh = CONSOLE[code]
    return (zh if lang == "zh" else en).format(**{k: render(v, lang) for k, v in args.items()})


# Words a sentence takes as an argument: kind -> value -> (English, Chinese).
TERMS: dict[str, dict[Any, tuple[str, str]]] = {
    "bonus_period": {"month": ("month", "月度"), "quarter": ("quarter", "季度"), "year": ("year", "年度")},
    "bonus_metric": {"sales": ("sales", "销售额"), "net_profit": ("net_profit", "净利润"),
                     "launches": ("launches", "上新")},
    "bonus_column": {"mode": ("mode", "方式"), "cap": ("cap", "封顶"), "weight": ("weight", "权重")},
    "months_are": {"one": ("this month is", "该月"), "many": ("these months are", "这些月份")},
}


# Problem code -> (English, Chinese).  The English is what the Warnings sheet and the console say in English;
# the Chinese what they say for a Chinese workbook.
PROBLEMS: dict[str, tuple[str, str]] = {
    # ---- the plan (goalsheet/plan)
    "as_of_bad": ("--as-of must be a month such as 2026-03", "--as-of 须为月份，例如 2026-03"),
    "plan_year_default": (
        "plan_year is not set: planning {plan_year} (the year after the last Sales month when that is December, "
        "else its year); set plan_year to plan another year",
        "未设置计划年度：按 {plan_year} 年计划（最后一个销售月份为 12 月时取下一年，否则取该年）；如需计划其他年份，请设置计划年度"),
    "capacity_binds": (
        "launch capacity binds before cash: from a target of {target:,.2f} {currency} the launches needed exceed "
        "what the operators can launch",
        "上新产能先于资金成为瓶颈：目标达到 {target:,.2f} {currency} 起，所需上新数超出运营的上新能力"),
    "cash_carries_100x": ("the cash carries at least 100 × the target", "现有资金至少可支撑 100 倍的目标"),
    "new_unit_cost_below_freight": (
        "new_unit_cost {cost:,.2f} is below the median freight of the store's SKUs ({names}): it is cogs + freight "
        "per unit, so the new product's cogs would be negative",
        "新品单位成本 {cost:,.2f} 低于店铺 SKU 头程的中位数（{names}）：单位成本 = 采购成本 + 头程，新品采购成本将为负数"),
    "launch_unit_cost_below_freight": (
        "unit_cost {cost:,.2f} is below the median freight {freight:,.2f} of store {store}'s SKUs: it is cogs + "
        "freight per unit, so the launch's cogs would be negative",
        "单位成本 {cost:,.2f} 低于店铺 {store} SKU 头程的中位数 {freight:,.2f}：单位成本 = 采购成本 + 头程，"
        "该新品采购成本将为负数"),
    "store_no_skus": (
        "store {store} has no SKUs to take its new product's price and costs from: no launches are planned for it",
        "店铺 {store} 没有可参照价格和成本的SKU：不为其安排上新"),
    "store_no_selling_sku": (
        "store {store} has no existing SKU selling to take a new product's monthly units from: no launches are "
        "added for it (set new_monthly_units)",
        "店铺 {store} 没有在售的老品可参照新品月销量：不为其增加新品（请设置新品月销量）"),
    "launch_outside": (
        "planned launch in {month} for store {store} is outside the months planned ({first} .. {last}) or names an "
        "unknown store: left out",
        "{month} 店铺 {store} 的计划上新不在计划月份（{first} .. {last}）内，或店铺不存在：已忽略"),
    "launch_adds_nothing": (
        "a launch would add no sales in the plan year for {names} (new_success_rate, new_monthly_units or the new "
        "price is 0, or no plan month is left for it): no launch is added and the gap stays as shortfall",
        "{names}：新品在计划年内不会带来销售（新品成功率、新品月销量或新品售价为 0，或已无可上新的月份）：不增加新品，缺口计为差额"),
    "no_launch_month": (
        "no launch can start in the plan year for {names}: a first order ordered now arrives after December "
        "(lead_time_days {days:g}); the gap stays as shortfall",
        "{names}：计划年内无法上新：现在下单的首批货在 12 月之后才到（备货周期 {days:g} 天），缺口计为差额"),
    "bonus_row_unknown": ("a row with period {period!r} and metric {metric!r} is not understood and is left out",
                          "周期 {period!r}、指标 {metric!r} 的一行无法识别，已忽略"),
    "bonus_rule_conflict": ("{period} {metric}: the rows give different {column} values ({values}); the first, "
                            "{first}, is used",
                            "{period}{metric}：各行的 {column} 不一致（{values}），采用第一个 {first}"),
    "bonus_mode_unknown": ("{period} {metric}: mode {mode!r} is neither step nor marginal; step is used",
                           "{period}{metric}：方式 {mode!r} 既不是阶梯也不是累进，按阶梯计算"),
    "bonus_tier_incomplete": ("{period} {metric}: a tier without from or rate is left out",
                              "{period}{metric}：缺少达成率下限或系数的档位已忽略"),
    "bonus_weights_over": ("the weights given add up to {total:g}, more than 1; the pairs without a weight get none",
                           "已填写的权重合计 {total:g}，超过 1；未填权重的规则不分配奖金"),
    "bonus_weights_not_one": ("the weights add up to {total:.4g}, not 1: the bonus at 100 % attainment is "
                              "{total:.4g} × bonus_base",
                              "权重合计 {total:.4g}，不等于 1：100% 达成时奖金为 {total:.4g} × 奖金基数"),
    "baseline_no_scheme": ("the earlier plan (--baseline) carries no bonus scheme: the Bonus and Team sheets as "
                           "they are now are used",
                           "早先的计划（--baseline）未保存奖金方案：按当前的绩效奖金表和团队表计算"),
    "baseline_scheme_changed": (
        "the Bonus or Team sheet (tiers, weights, bonus bases, profit pool, launch bonus) differs from the earlier "
        "plan's: the earlier plan's scheme is used (--baseline)",
        "绩效奖金表或团队表（档位、权重、奖金基数、利润分享、新品奖金）与早先的计划不同：按早先计划的奖金方案计算（--baseline）"),
    "closed_months": (
        "the whole business sold nothing in {months}: {which} left out of the seasonality and the run-rates (a "
        "closure or stock-out is not a season)",
        "全店在 {months} 无销售：季节性与日常销售速度的计算不计入这些月份（停业或断货不是季节）"),
    "no_team_sheet": (
        "there is no Team sheet: the operators {names} launch and are given targets, but have no salary and no "
        "bonus base (add a Team sheet to plan their pay)",
        "没有团队表：运营 {names} 有上新能力和目标，但没有工资和奖金基数（添加团队表以计划薪酬）"),
    "unassigned_store": (
        'store {store} names no operator (Stores or SKUs): its launches and sales are planned for "(unassigned)", '
        "who has launch capacity but no salary or bonus base",
        "店铺 {store} 未指定运营（店铺表或SKU表）：其新品与销售计入“未分配”，有上新能力，但无工资、无奖金基数"),
    "unassigned_skus": (
        'store {store}: {count} SKU(s) name no operator and the store none: their sales count as "(unassigned)"\'s '
        "in the operator split (launches go to the named operators)",
        "店铺 {store}：{count} 个 SKU 未指定运营、店铺也未指定：其销售在运营拆分中计入“未分配”（新品由已指定的运营负责）"),
    "loss_making": ("{count} SKU(s) lose money on every unit sold: {names}{more}", "{count} 个SKU每卖一件都亏损：{names}{more}"),
    "low_margin": ("{count} SKU(s) earn a net margin under 10 %: {names}{more}", "{count} 个SKU净利率低于 10%：{names}{more}"),
    "ads_heavy": ("{count} SKU(s) spend more than half of their margin before ads on advertising: {names}{more}",
                  "{count} 个SKU广告花费超过广告前利润的一半：{names}{more}"),
    "skus_more": (" and {more} more", " 等 {count} 个"),
    "negative_new_sales": (
        'store {store}: its existing products are forecast above its target in {months} (by {amount} in all), so '
        '"new products" are negative there',
        "店铺 {store}：老品预测在 {months} 高于目标（合计高出 {amount}），因此这些月份的“新品”为负数"),
    "launch_shortfall": (
        "launch capacity cannot cover the gap: {stores} {currency}; the shortfall stays in the target (raise "
        "launches_per_operator_month, add operators, or lower the target)",
        "上新产能不足以填补缺口：{stores}；差额仍计入目标（可提高每人每月上新数、增加运营或降低目标）"),
    "store_short": ("{store} short by {amount:,.2f}", "{store} 差 {amount:,.2f} {currency}"),
    "funding_infeasible": (
        "the cash cannot carry this target: the peak cash need {need:,.2f} {currency} exceeds the credit line "
        "{credit:,.2f} {currency} by {over:,.2f}; the largest fundable target found is {top:,.2f} {currency} (the "
        "plan asks {asked:,.2f})",
        "资金无法支撑该目标：资金峰值缺口 {need:,.2f} {currency}，超出授信额度 {credit:,.2f} {currency} 达 {over:,.2f}；"
        "资金可支撑的最大目标为 {top:,.2f} {currency}（计划目标 {asked:,.2f}）"),
    "seasonality_bad": (
        "seasonality must be history, off, or 12 non-negative numbers (January .. December); using history",
        "季节性须为 history、off 或 12 个非负数（1月至12月）：按历史数据计算"),
    "fx_rate_missing": ("no rate for {currency}: its stores' figures count as 0", "汇率表没有 {currency} 的汇率：其店铺的金额按 0 计"),
    "target_total_missing": ("target_mode is total but target_total is not set",
                             "目标方式为总额（total），但未设置目标总额"),
    "actuals_missing": ("no Sales rows for {months}: counted as 0 in the actuals (months up to {as_of} are closed)",
                        "销售表没有 {months} 的数据：实际按 0 计（截至 {as_of} 的月份视为已结束）"),
}

# The command line's own lines about a run -> (English, Chinese).
CONSOLE: dict[str, tuple[str, str]] = {
}
