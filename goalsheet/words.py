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

import locale
import os
from typing import Any, Mapping, NamedTuple

LANGS = ("en", "zh")

# Code pages of a Chinese Windows console (it sets no LANG).
CHINESE_CODE_PAGES = ("cp936", "gbk", "gb2312", "gb18030", "cp950", "big5")


def default_lang(environ: Mapping[str, str] | None = None) -> str:
    """The seller's language when neither `--lang` nor a workbook says: "zh" when the console's locale is
    Chinese (the first of LC_ALL, LC_MESSAGES, LANG that is set starts "zh", as POSIX looks them up; with none
    set, a Chinese Windows code page), else "en"."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    if environ is None and locale.getencoding().lower() in CHINESE_CODE_PAGES:
        return "zh"
    return "en"


class Phrase(NamedTuple):
    """A sentence of `PROBLEMS` with its args, said in the language of whatever holds it."""
    code: str
    args: Mapping[str, Any] = {}

    def text(self, lang: str = "en") -> str:
        return say(self.code, self.args, lang)

    def __hash__(self) -> int:
        """Equal phrases hash alike (the args are a dict: hashed as their items), so a phrase can key a dict."""
        return hash((self.code, frozenset(self.args.items())))


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


SEPARATORS = {"list": (", ", "、"), "comma": (", ", ", "), "clause": (", ", "，"), "semicolon": ("; ", "；")}


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
    # the Summary banner's short name of the most serious reason of the verdict (plan.verdict)
    "verdict_reason": {
        "plan_loses_money": ("the plan loses money", "计划亏损"),
        "funding_infeasible": ("the cash cannot carry this target", "资金无法支撑该目标"),
        "launch_shortfall": ("launch capacity is short of the gap", "上新产能不足以填补缺口"),
        "short_history": ("under 12 months of sales history", "销售历史不足 12 个月"),
        "store_no_ads": ("net profit leaves out advertising", "净利润未扣除广告费"),
        "store_no_fees": ("a store has no Amazon fees", "有店铺没有亚马逊费用"),
        "example_rows_left": ("example rows are still in the workbook", "工作簿中仍有示例行"),
        "read_as_percent": ("some inputs were read differently than typed", "部分输入未按原样读取"),
        "read_as_open": ("some inputs were read differently than typed", "部分输入未按原样读取"),
        "total_row": ("some inputs were read differently than typed", "部分输入未按原样读取"),
        "base_currency_rate": ("some inputs were read differently than typed", "部分输入未按原样读取"),
        "wide_column_repeats": ("some inputs were read differently than typed", "部分输入未按原样读取"),
    },
    "verdict": {"red": ("red — act before committing", "红色 —— 确定目标前须处理"),
                "amber": ("amber — check before committing", "黄色 —— 确定目标前请核对"),
                "green": ("green — on track", "绿色 —— 状态良好")},
    "binding_limit": {"cash": ("cash", "资金"), "launch capacity": ("launch capacity", "上新产能"),
                      "both": ("cash and launch capacity", "资金与上新产能"),
                      "none": ("neither, up to 100 × the target", "在目标 100 倍内均不受限")},
    "bonus_period": {"month": ("month", "月度"), "quarter": ("quarter", "季度"), "year": ("year", "年度")},
    "bonus_metric": {"sales": ("sales", "销售额"), "net_profit": ("net_profit", "净利润"),
                     "launches": ("launches", "上新")},
    "bonus_column": {"mode": ("mode", "方式"), "cap": ("cap", "封顶"), "weight": ("weight", "权重")},
    "setting_note": {"cash_available": ("cash the business can put in", "企业可投入的资金")},
    # goalsheet init's Settings sheet: its section titles (inputs.schema.SETTINGS_SECTIONS; the reader skips a row
    # that holds only one of them), the defaults that are worked out rather than a constant, and its own words
    "settings_section": {"target": ("The plan and its target", "计划与目标"), "cash": ("Cash and payments", "资金与回款"),
                         "stock": ("Stock and purchasing", "备货与采购"), "launches": ("New products", "新品"),
                         "bonus": ("Bonus", "奖金"), "other": ("Other settings", "其他参数")},
    "setting_default": {
        "plan_year": ("the year of the last Sales month (the next year when that is December)",
                      "最后一个销售月份的年份（该月为 12 月时取下一年）"),
        "target_total": ("none: required when target_mode is total", "无：目标模式为总额时必填"),
        "opening_stock_value": ("lead_time_days + safety_stock_days of run-rate sales",
                                "按备货周期 + 安全库存天数的日常销量估算"),
        "opening_payables": ("worked out from run-rate purchases", "按日常销量的采购估算"),
        "new_price": ("per store: the median sell price of its SKUs", "每个店铺：其 SKU 售价的中位数"),
        "new_monthly_units": ("per store: the median of its SKUs", "每个店铺：其 SKU 月销量的中位数"),
        "new_unit_cost": ("per store: the median of its SKUs", "每个店铺：其 SKU 单位成本的中位数"),
        "new_first_order_units": ("3 × new_monthly_units", "3 × 新品成熟月销量"),
        **{key: ("per store: the median of its SKUs", "每个店铺：其 SKU 的中位数")
           for key in ("new_freight", "new_referral_rate", "new_duty_rate", "new_fba_fee", "new_storage_fee",
                       "new_placement_fee", "new_ad_rate", "new_return_rate", "new_other_cost")},
    },
    "init": {"default": ("default", "默认值"), "required": ("required: fill in", "必填"),
             "choose": ("Choose one of: ", "请从下拉列表中选择："),
             "settings_value": ("blank: the Settings value", "留空：沿用设置表的值"),
             "also_codes": ("; the Chinese words are read too", "；也可填写英文代码"),
             "example": ("example row (skipped while its first cell starts with “e.g.”)",
                         "示例行（第一格以“例：”开头时不读取）")},
    "row_label": {"operator": ("operator", "运营")},
    "measure": {"units": ("units", "销量"), "revenue": ("revenue", "销售额"), "ad_spend": ("ad_spend", "广告花费"),
                "refunds": ("refunds", "退款")},
    "file_kind": {"FIFO": ("FIFO", "命名管道"), "device": ("device", "设备"), "socket": ("socket", "套接字"),
                  "special file": ("special file", "特殊文件")},
    "funding": {True: ("fundable", "可行"), False: ("NOT fundable", "不可行")},
    "template_name": {"default": ("default template", "默认模板")},
    "argument": {"input": ("INPUT", "输入工作簿"), "path": ("PATH", "文件路径")},
    # how the plan took a derived value (the Assumptions notes): the seasonality index, a new product's price
    "assumption_method": {
        "history: ratio to centred moving average": ("history: ratio to centred moving average",
                                                     "按历史：各月与居中移动平均之比"),
        "history: share of the last 12 months": ("history: share of the last 12 months", "按历史：最近 12 个月各月的占比"),
        "flat (under 12 months of history)": ("flat (under 12 months of history)", "平均（历史不足 12 个月）"),
        "off": ("off", "不考虑季节性（每月 1）"),
        "given": ("given", "设置表给出的 12 个指数（已调整为平均 1）"),
        "median sell price of the store's SKUs": ("median sell price of the store's SKUs", "该店 SKU 买家支付价的中位数"),
        "Stores new_price": ("Stores new_price", "店铺表的新品客单价"),
        "Settings new_price": ("Settings new_price", "设置表的新品客单价（换算为店铺币种）"),
    },
    "input_name": {"input": ("the input workbook", "输入工作簿"), "template": ("the --template workbook", "--template 模板"),
                   "baseline": ("the --baseline workbook", "--baseline 工作簿")},
    "output_name": {"plan": ("the plan", "计划工作簿")},
    "problems_of_severity": {"error": ("errors", "错误"), "warning": ("warnings", "警告")},
    "months_are": {"one": ("this month is", "该月"), "many": ("these months are", "这些月份")},
    "reserved_folder": {"failed": ("failed workbooks", "失败的工作簿"), "processed": ("processed inputs", "已处理的输入")},
    # goalsheet import (goalsheet/imports): the kinds of report, why rows were left out, the Imports sheet
    "report_kind": {"business_report": ("Business Report (by child item)", "业务报告（按子商品）"),
                    "all_orders": ("All Orders report", "所有订单报告"),
                    "transactions": ("Date Range transaction report", "日期范围交易报告"),
                    "advertising": ("Sponsored Products advertised product report", "商品推广的推广商品报告"),
                    "fee_preview": ("FBA Fee Preview report", "亚马逊物流费用预览报告"),
                    "lingxing": ("Lingxing product performance export", "领星产品表现导出"),
                    "jijia": ("Jijia (积加) sales export", "积加销量导出"),
                    "mabang": ("Mabang order export", "马帮订单导出")},
    "left_out": {"no_sku": ("no SKU", "没有 SKU"), "not_a_number": ("a figure that is not a number", "数值不是数字"),
                 "no_sales": ("no units and no sales", "没有销量和销售额"),
                 "cancelled": ("cancelled", "已取消"), "pending": ("pending", "待处理"),
                 "status": ("order status not shipped or unshipped", "订单状态既非已发货也非未发货"),
                 "not_amazon": ("not an Amazon marketplace", "不是亚马逊站点"),
                 "other_marketplace": ("another marketplace than the store's", "不是该店铺的站点"),
                 "no_store": ("no store of the book sells in that marketplace", "工作簿中没有该站点的店铺"),
                 "several_stores": ("several stores of the book sell in that marketplace: name one with --store",
                                    "工作簿中有多个店铺在该站点销售：请用 --store 指定"),
                 "no_date": ("no date that reads as a month", "没有可识别为月份的日期"),
                 "other_type": ("another transaction type", "其他交易类型"),
                 "no_price": ("no price (a listing without an offer)", "没有价格（无报价的商品）"),
                 "other_store": ("another store than the one named", "不是指定的店铺"),
                 "duplicated_month": ("store-month already given by an earlier report of this import",
                                      "该店铺月份已由本次导入中更早的报告提供")},
    "imports_column": {"report": ("report", "报告"), "kind": ("kind", "类型"), "rows": ("rows", "行数"),
                       "months": ("months", "月份"), "stores": ("stores", "店铺"), "skus": ("SKUs", "SKU 数"),
                       "left_out": ("left out", "未导入")},
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
    "new_freight_above_unit_cost": (
        "new_freight {freight:,.2f} is above the new product's unit cost (cogs + freight) of {names}: its cogs "
        "would be negative; set new_unit_cost too",
        "新品头程运费 {freight:,.2f} 高于新品单位成本（采购成本 + 头程）：{names}；新品采购成本将为负数，请同时设置新品单位成本"),
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
    "bonus_after_year": (
        "bonuses of {amount:,.2f} {currency} at 100 % attainment fall due after December ({months}): they are not in "
        "this year's cash table; keep the cash for them in {year}",
        "按 100% 达成计的奖金 {amount:,.2f} {currency} 在 12 月之后发放（{months}）：不在本年度资金计划内，请在 {year} 年预留资金"),
    "budgets_after_year": (
        "launch budgets of {amount:,.2f} {currency} fall due after December (launches whose ramp runs into {year}): "
        "they are not in this year's cash table; keep the cash for them in {year}",
        "新品推广预算 {amount:,.2f} {currency} 在 12 月之后支出（推广期延续到 {year} 年的新品）：不在本年度资金计划内，"
        "请在 {year} 年预留资金"),
    "orders_after_year": (
        "purchase order payments of {amount:,.2f} {currency} fall due after December (stock for {year}): they are "
        "not in this year's cash table; keep the cash for them in {year}",
        "采购订单付款 {amount:,.2f} {currency} 在 12 月之后支付（{year} 年的备货）：不在本年度资金计划内，请在 {year} 年预留资金"),
    "plan_loses_money": (
        "the plan loses money: target net profit {profit:,.2f} {currency}; look at the Profit sheet's loss-making "
        "SKUs and the costs before committing to this target",
        "该计划亏损：目标净利润 {profit:,.2f} {currency}；确定目标前请查看利润表中亏损的 SKU 与各项成本"),
    "short_history": (
        "only {months} months of sales history: seasonality is flat and the run-rate rests on few months; add "
        "at least 12 months of Sales for a plan that follows the seller's seasons",
        "销售历史仅 {months} 个月：季节性按平均处理，基准销量依据的月份很少；请补充至少 12 个月的销售数据"),
    "store_no_ads": (
        "no ad spend anywhere in the history of {stores} and no ad_rate given: net profit leaves out advertising, "
        "so it is overstated; import the Sponsored Products advertised product report (goalsheet import) or set "
        "ad_rate on the SKUs sheet (0 if the store does not advertise)",
        "{stores} 的销售历史中没有任何广告花费，也未填写广告占比：净利润未扣除广告费，因此偏高；请用 goalsheet 导入商品推广的推广商品报告，"
        "或在产品表填写“广告占比”（不投放广告则填 0）"),
    "store_no_fees": (
        "no Amazon fees in {stores} (referral and FBA are zero for every SKU): net profit is overstated; fill "
        "referral_rate and fba_fee on the SKUs sheet",
        "{stores} 没有任何亚马逊费用（所有 SKU 的佣金和 FBA 费均为 0）：净利润会偏高；请在产品表填写“佣金比例”和“FBA配送费”"),
    "example_rows_left": (
        "{count} example row(s) from the new workbook are still here: replace or delete them before planning",
        "仍有 {count} 行新建工作簿自带的示例数据：请在做计划前替换或删除"),
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

    # ---- a cell's value (goalsheet/inputs/values.py, columns.py): `{header} {reason}` and the reasons
    "cell_value": ("{header} {reason}", "{header}：{reason}"),
    "blank": ("is blank", "为空"),
    "not_number": ('"{text}" is not a number', "“{text}” 不是数字"),
    "bool_not_number": ("{word} is not a number", "{word} 不是数字"),
    "not_finite": ("is not a finite number", "不是有限的数字"),
    "date_not_number": ('the date "{value}" is not a number', "日期“{value}”不是数字"),
    "not_month": ('"{text}" is not a month', "“{text}” 不是月份"),
    "month_ambiguous": ('"{text}" is ambiguous (day/month or month/day?); write it as {year}-MM',
                        "“{text}” 有歧义（日/月还是月/日？）：请写成 {year}-MM"),
    "month_unreadable": ('"{text}" is not a month (write it like 2025-03)', "“{text}” 不是月份（请写成 2025-03 这样）"),
    "bool_not_month": ("{word} is not a month", "{word} 不是月份"),
    "number_not_month": ("{value} is not a month (write it like 2025-03)", "{value} 不是月份（请写成 2025-03 这样）"),
    "not_month_number": ("{value} is not a month number 1-12", "{value} 不是 1-12 的月份"),
    "not_month_list": ('"{value}" is not a month list (write 1-6 or 3,4,5)',
                       "“{value}” 不是月份列表（请写成 1-6 或 3,4,5）"),
    "month_list_range": ('"{value}" is not a month list: months are 1-12 (write 1-6 or 3,4,5)',
                         "“{value}” 不是月份列表：月份须在 1-12 之间（请写成 1-6 或 3,4,5）"),
    "not_one_of": ('"{text}" is not one of {choices}{hint}', "“{text}” 不是可选值（{choices}）之一{hint}"),
    "did_you_mean": ('; did you mean "{name}"?', "；是否为“{name}”？"),
    "choice_word": ("{en}", "{zh}"),
    "did_you_mean_rate": ("; did you mean {value}?", "；是否为 {value}？"),
    "above_plausible_per_unit": (
        "{header} {value} is above the plausible maximum of {most} for one unit; is it a total, or a typo with "
        "extra digits?",
        "{header} {value} 超过单件的合理上限 {most}：是否填成了总额，或多打了几位数？"),
    "above_plausible_total": (
        "{header} {value} is above the plausible maximum of {most}; is it a typo with extra digits, or in the wrong "
        "unit (cents, not whole currency)?",
        "{header} {value} 超过合理上限 {most}：是否多打了几位数，或单位填错（分，而不是元）？"),
    "above_plausible_units": (
        "{header} {value} is above the plausible maximum of {most} units; is it a typo with extra digits?",
        "{header} {value} 超过合理上限 {most} 件：是否多打了几位数？"),
    "above_plausible_fx": (
        "{header} {value} is above the plausible maximum of {most} for an exchange rate; it is base-currency units "
        "for one unit of the currency",
        "{header} {value} 超过汇率的合理上限 {most}：汇率是 1 单位该币种折合的本位币金额"),
    "must_be_more": ("{header} {value} must be more than {lo}", "{header} {value} 必须大于 {lo}"),
    "cannot_be_negative": ("{header} {value} cannot be negative", "{header} {value} 不能为负数"),
    "ratio_above": ("{header} {value} is above {hi}: plain numbers here are ratios ({hi} = {hi_pct}){hint}",
                    "{header} {value} 大于 {hi}：此处不带 % 的数字是比例（{hi} = {hi_pct}）{hint}"),
    "outside_plausible_range": ("{header} {value} is outside the plausible range {range}{hint}",
                                "{header} {value} 超出合理范围 {range}{hint}"),
    "outside_range": ("{header} {value} is outside the range {range}", "{header} {value} 超出范围 {range}"),
    "range_to": ("{lo} to {hi}", "{lo} 至 {hi}"),
    "range_up_to": ("up to {hi}", "不超过 {hi}"),
    "range_at_least": ("at least {lo}", "不低于 {lo}"),
    "out_of_range": ("{header} is out of range", "{header} 超出范围"),
    "required_blank": ("{header} is blank; it is required", "{header} 为空：此项必填"),
    "read_as_open": ("{header} {value} read as open-ended (no upper bound)", "{header} {value} 按不设上限读取"),
    "read_as_percent": ("{header} {value} read as {value} %", "{header} {value} 按 {value}% 读取"),
    "not_whole_number": ("{header} {value} is not a whole number", "{header} {value} 不是整数"),
    "more_like_these": ("… and {more} more {kind} like those above in this column",
                        "…… 本列另有 {more} 个类似的{kind}"),

    # ---- the workbook's sheets, headers and rows (goalsheet/inputs/tables.py, validate/, sales.py)
    "sheet_missing": ('required sheet "{sheet}" ({sheet_zh}) is missing{hint}', "缺少必需的工作表“{sheet_zh}”（{sheet}）{hint}"),
    "is_it": ('; is it "{name}"?', "；是否为“{name}”？"),
    "workbook_has": ("; the workbook has: {names}", "；工作簿中的工作表：{names}"),
    "workbook_has_none": ("; the workbook has: no sheets", "；工作簿中没有工作表"),
    "second_sheet": ('a second sheet for {sheet} ("{first}" is already read); this one is ignored',
                     "又一个“{sheet_zh}”工作表（已读取“{first}”）：此表已忽略"),
    "sheet_empty": ("the {sheet} sheet is empty", "工作表“{sheet_zh}”为空"),
    "sheet_no_rows": ("the {sheet} sheet has no rows of data under its header: fill them in from this row",
                      "工作表“{sheet_zh}”的表头下没有数据行：请从此行开始填写"),
    "example_row_edited": (
        "this row starts with an example mark (“{mark}”) so it is skipped, but it was edited: remove the mark to use it",
        "此行以示例标记（“{mark}”）开头，因此不读取，但其内容已被修改：如需使用，请删除该标记"),
    "column_missing_hint": ('required column "{key}" ({name_zh}) is missing; is "{hint}" meant to be {key}?',
                            "缺少必需的列“{name_zh}”（{key}）；“{hint}”是否就是这一列？"),
    "column_missing": ('required column "{key}" ({name_zh}) is missing from the header row (row {row})',
                       "表头行（第 {row} 行）缺少必需的列“{name_zh}”（{key}）"),
    "total_row": ("row {rows} looks like a total row and is skipped", "第 {rows} 行像是合计行，已跳过"),
    "header_row_repeated": ("row {rows} repeats the header row (stacked reports) and is skipped",
                            "第 {rows} 行重复了表头行（多份报告上下拼接），已跳过"),
    "column_not_read": ('column "{header}" also names {key}; "{used}" ({used_cell}) is read for it and this column '
                        "is not",
                        "“{header}”列也对应“{name_zh}”（{key}）：已读取“{used}”列（{used_cell}），此列未读取"),
    "formula_no_value": (
        "formula has no saved value (the file was written by a program that does not calculate); open the file "
        "in Excel or WPS, save it, and try again",
        "公式没有保存计算结果（文件由不会计算公式的程序生成）：请用 Excel 或 WPS 打开并保存后再试"),
    "formula_error": ("the cell shows the Excel error {error}; fix the formula or type the value",
                      "单元格显示 Excel 错误 {error}：请修正公式或直接填入数值"),
    "setting_name": ("{key}", "{name_zh}"),
    # the Scenarios sheet of the plan (SPEC 3.10): each scenario's name and what it changes
    "scenario_base": ("base: the plan as set", "基准：按设置表的计划"),
    "scenario_named": ("{name}", "{name}"),
    "scenario_growth": ("growth {growth} a month ({points} points)", "月增长率 {growth}（{points} 个百分点）"),
    "scenario_band": ("launch products like your {lo}–{hi} ones", "上新参照售价 {lo}–{hi} 的老品"),
    "scenario_band_changes": (
        "new product = the medians of your {count} SKUs selling at {lo}–{hi} {currency}: price {price:,.2f}, "
        "unit cost {cost:,.2f}, {units:,.0f} units a month when ramped, and their fees and rates",
        "新品取售价 {lo}–{hi} {currency} 的 {count} 个老品的中位数：售价 {price:,.2f}，单位成本 {cost:,.2f}，"
        "成熟月销 {units:,.0f} 件，以及其各项费用和费率"),
    "scenario_setting_change": ("{setting} {old} → {new}", "{setting} {old} → {new}"),
    "scenario_no_change": ("nothing: the Settings as they are", "不作改变：按设置表"),
    "scenario_unset": ("not set", "未设置"),
    "scenario_choice": ("{en}", "{zh}"),
    "scenario_this_plan": ("this plan", "本计划"),
    "setting_value_no_key": ("a value with no key; it is ignored", "有值但没有参数名：已忽略"),
    "setting_unknown": ('unknown setting "{key}"; it is ignored{hint}', "未知参数“{key}”：已忽略{hint}"),
    "did_you_mean_setting": (' (did you mean "{name}"?)', "（是否为“{name}”？）"),
    "scenario_column_unknown": ('column "{header}" is not a Settings key: a scenario column names the setting it '
                                "changes{hint}",
                                "列“{header}”不是设置表的参数：情景的每一列须为要改变的参数名{hint}"),
    "scenario_name_blank": ("this scenario has values but no name: give it one", "该情景填写了参数但没有名称：请填写情景名称"),
    "scenario_twice": ('scenario "{name}" is listed twice (first at {first})', "情景“{name}”填写了两次（第一次在 {first}）"),
    "setting_twice": ('setting "{key}" is given twice (first at {first})', "参数“{key}”填写了两次（第一次在 {first}）"),
    "setting_missing": ("{key} ({name_zh}) is missing: {note}; add a row for it",
                        "缺少{name_zh}（{key}）：{note}；请添加这一行"),
    "setting_blank": ("{key} ({name_zh}) is blank: {note}; fill in its value", "{name_zh}（{key}）未填写：{note}；请填写其值"),
    "it_is_required": ("it is required", "此项必填"),
    "target_total_not_given": ("target_mode is total but target_total (年度总目标) is not given",
                               "目标方式为总额（total），但未填写年度总目标（target_total）"),
    "seasonality_setting_bad": (
        'seasonality "{text}" must be history, off, or 12 positive indices Jan..Dec separated by commas',
        "季节性“{text}”须为 history、off，或 12 个以逗号分隔的正数（1月至12月）"),
    "seasonality_not_mean_one": ("seasonality indices average {mean}, not 1; they are scaled to average 1",
                                 "季节性指数平均为 {mean}，不是 1：已按平均为 1 缩放"),
    "currency_twice": ("currency {currency} is listed twice (first at {first})",
                       "币种 {currency} 出现了两次（第一次在 {first}）"),
    "base_currency_rate": ("{currency} is the base currency; its rate is always 1 ({rate} ignored)",
                           "{currency} 是本位币，汇率恒为 1（已忽略 {rate}）"),
    "no_stores_sheet": (
        "there is no Stores sheet, or it has no rows: stores are taken from Sales, each on marketplace US with the "
        "Settings defaults",
        "没有店铺表，或店铺表没有数据行：店铺取自销售表，均按美国站点及设置表中的默认值"),
    "store_twice": ('store "{store}" is listed twice (first at {first})', "店铺“{store}”出现了两次（第一次在 {first}）"),
    "marketplace_no_default": (
        'marketplace {marketplace} of store "{store}" has no listed default for {keys}: 0 is used; fill them in to '
        "be exact",
        "店铺“{store}”的站点 {marketplace} 没有 {keys} 的默认值：按 0 计；如需准确请填写"),
    "sku_twice": ('SKU "{sku}" of store "{store}" has two rows (first at {first}); keep one',
                  "店铺“{store}”的 SKU“{sku}”有两行（第一行在 {first}）：请只保留一行"),
    "store_not_in_stores": ('store "{store}" is not in the Stores sheet{hint}', "店铺“{store}”不在店铺表中{hint}"),
    "sales_no_usable_rows": ("no usable Sales rows (every row has a problem above)",
                             "销售表没有可用的行（每一行都有上面列出的问题）"),
    "sales_no_data": ("the Sales sheet has no rows of data", "销售表没有数据行"),
    "sku_not_in_skus": ('SKU "{sku}" of store "{store}" is sold but has no row in the SKUs sheet (price and costs '
                        "are needed)",
                        "店铺“{store}”的 SKU“{sku}”有销售，但产品表中没有这一行（需要售价和成本）"),
    "wide_sales_no_units": ("the wide Sales sheet has no units block: units are estimated as revenue / sell price",
                            "横向销售表没有销量部分：销量按销售额 ÷ 买家支付价估算"),
    "store_currency_no_rate": (
        'store "{store}" sells in {currency} but the FX sheet has no rate for {currency} (base-currency {base} per '
        "1 {currency})",
        "店铺“{store}”以 {currency} 销售，但汇率表没有 {currency} 的汇率（1 {currency} 折合多少 {base}）"),
    "store_unknown": ('store "{store}" is not a known store{hint}', "店铺“{store}”不存在{hint}"),
    "tier_not_above": ("tier to {to} is not above from {from}", "档位上限 {to} 不高于下限 {from}"),
    "operator_not_on_team": ('operator "{operator}" is not on the Team sheet: no salary or bonus base for them{hint}',
                             "运营“{operator}”不在团队表中：没有其工资和奖金基数{hint}"),
    "listed_twice": ('{label} "{value}" is listed twice (first at {first}); keep one',
                     "{label}“{value}”出现了两次（第一次在 {first}）：请只保留一个"),
    "sales_no_rows": ("the Sales sheet has no rows of data under its header: fill in the sales history from this row",
                      "销售表的表头下没有数据行：请从此行开始填写销售历史"),
    "revenue_no_units": ("{count} row(s) have revenue but 0 units (first here); check the units",
                         "{count} 行有销售额但销量为 0（第一行在此）：请检查销量"),
    "wide_column_repeats": ('column "{header}" repeats {measure} of {month} (also in column {first}); both are added',
                            "列“{header}”重复了 {month} 的{measure}（{first} 列也有）：两列相加"),

    # ---- the file and its limits (goalsheet/inputs/read.py, limits/)
    "limit_not_regular": ("{name} is not a regular file (a {kind}); give the path of a workbook file",
                          "{name} 不是普通文件（而是{kind}）：请给出工作簿文件的路径"),
    "limit_file_too_large": ("{name} is {size} MB; the largest workbook goalsheet reads is {limit} MB",
                             "{name} 有 {size} MB：goalsheet 最多读取 {limit} MB 的工作簿"),
    "limit_members": ("{name} holds {count} files inside its zip; a workbook has far fewer (at most {limit} are read)",
                      "{name} 的压缩包内有 {count} 个文件：工作簿远没有这么多（最多读取 {limit} 个）"),
    "limit_part_too_large": ("{name} is damaged or not a plain workbook: its part {part} inflates to more than "
                             "{limit} MB",
                             "{name} 已损坏或不是普通工作簿：其中的 {part} 解压后超过 {limit} MB"),
    "limit_total_too_large": ("{name} inflates to more than {limit} MB; the largest workbook goalsheet reads is far "
                              "smaller",
                              "{name} 解压后超过 {limit} MB：goalsheet 能读取的工作簿远小于此"),
    "limit_directory_lies": ("{name} is damaged: its part {part} inflates to more than its zip directory says",
                             "{name} 已损坏：其中的 {part} 解压后比压缩包目录所记载的更大"),
    "limit_bad_zip": ("{name} is not an Excel workbook or it is damaged (bad zip: {reason})",
                      "{name} 不是 Excel 工作簿或已损坏（压缩包错误：{reason}）"),
    "zip_no_local_header": ("no local header for {part}", "{part} 缺少本地文件头"),
    "limit_compression": ("{name} uses a zip compression Excel does not write ({part}); open it in Excel and save "
                          "it as .xlsx",
                          "{name} 使用了 Excel 不会使用的压缩方式（{part}）：请用 Excel 打开并另存为 .xlsx"),
    "zip_encrypted": ("{part}, encrypted", "{part}，已加密"),
    "zip_method": ("{part}, method {method}", "{part}，压缩方式 {method}"),
    "limit_doctype": ("{name} is not a plain workbook: its part {part} declares an XML DTD, which Excel never writes",
                      "{name} 不是普通工作簿：其中的 {part} 声明了 XML DTD，Excel 从不写入这种内容"),
    "the_workbook": ("the workbook", "工作簿"),
    "limit_outside_grid": ("cell reference {ref} is outside Excel's grid (last cell XFD1048576); the sheet is "
                           "damaged or was not written by Excel",
                           "单元格引用 {ref} 超出 Excel 的表格范围（最后一个单元格为 XFD1048576）：该表已损坏或不是由 Excel 写入"),
    "limit_box": ("this sheet's cells span {rows} rows x {cols} columns (to {last}); more than the {limit} cells "
                  "goalsheet reads in one sheet - delete the stray cells far from the data (Ctrl+End shows the last "
                  "one)",
                  "该表的单元格跨越 {rows} 行 × {cols} 列（至 {last}），超过 goalsheet 单表最多读取的 {limit} 个单元格："
                  "请删除远离数据的零散单元格（按 Ctrl+End 可看到最后一个）"),
    "limit_book_box": ("the sheets together span more than {limit} cells; delete the stray cells far from the data",
                       "各表合计跨越超过 {limit} 个单元格：请删除远离数据的零散单元格"),
    "limit_cells": ("this sheet has more than {limit} cells; the largest seller's Sales sheet has about 7 million",
                    "该表超过 {limit} 个单元格：最大卖家的销售表也只有约 700 万个"),
    "limit_merged_count": ("this sheet has more than {limit} merged ranges; at most {limit} are read - unmerge the "
                           "cells",
                           "该表有超过 {limit} 个合并区域：最多读取 {limit} 个，请取消合并单元格"),
    "limit_merged_area": ("the merged ranges of this sheet cover more cells than the sheet has ({area}); they "
                          "overlap - unmerge the cells",
                          "该表的合并区域覆盖的单元格比表本身还多（{area}）：合并区域相互重叠，请取消合并单元格"),
    "limit_strings": ("{name} has more than {limit} shared strings; at most {limit} are read",
                      "{name} 有超过 {limit} 个共享字符串：最多读取 {limit} 个"),
    "limit_string_long": ("{name} has a text of more than {limit} characters (Excel's own limit for a cell)",
                          "{name} 中有超过 {limit} 个字符的文本（这是 Excel 单元格自身的上限）"),
    "limit_shared_text": ("the text of this sheet's cells comes to more than {limit} MB; the sheet repeats a very long "
                          "text",
                          "该表单元格的文本合计超过 {limit} MB：表中重复了一段很长的文本"),
    "limit_ods_repeat": ("a repeated row or column reaches past Excel's grid or over {limit} cells; the sheet is "
                         "damaged",
                         "重复的行或列超出了 Excel 的表格范围或超过 {limit} 个单元格：该表已损坏"),
    "file_missing": ("{path} does not exist", "{path} 不存在"),
    "file_is_folder": ("{path} is a folder, not a workbook", "{path} 是文件夹，不是工作簿"),
    "file_cannot_read": ("{name} cannot be read: {error}", "无法读取 {name}：{error}"),
    "file_too_large_memory": ("{name} is too large to read in memory", "{name} 太大，内存中读不下"),
    "file_empty": ("{name} is empty (0 bytes); it is not a workbook", "{name} 是空文件（0 字节），不是工作簿"),
    "file_password": ("{name} is password-protected; open it in Excel, remove the password (File > Info > Protect "
                      "Workbook), save, and try again",
                      "{name} 设有密码保护：请用 Excel 打开，取消密码（文件 > 信息 > 保护工作簿），保存后再试"),
    "file_csv": ("{name} is a CSV/text file, not an Excel workbook; open it in Excel and save it as .xlsx",
                 "{name} 是 CSV/文本文件，不是 Excel 工作簿：请用 Excel 打开并另存为 .xlsx"),
    "file_html": ("{name} is an HTML/XML file, not an Excel workbook; open it in Excel and save it as .xlsx",
                  "{name} 是 HTML/XML 文件，不是 Excel 工作簿：请用 Excel 打开并另存为 .xlsx"),
    "file_not_workbook": ("{name} is not an Excel workbook (.xlsx, .xlsm, .xls or .ods) or it is damaged",
                          "{name} 不是 Excel 工作簿（.xlsx、.xlsm、.xls 或 .ods），或已损坏"),
    "file_bad_zip": ("{name} is not an Excel workbook or it is damaged (bad zip)",
                     "{name} 不是 Excel 工作簿或已损坏（压缩包错误）"),
    "file_zip_not_workbook": ("{name} is a zip file but not an Excel workbook (.xlsx, .xlsm, .ods)",
                              "{name} 是压缩包，但不是 Excel 工作簿（.xlsx、.xlsm、.ods）"),
    "file_unreadable_workbook": ("{name} cannot be read as a workbook ({error}); open it in Excel and save it as "
                                 ".xlsx",
                                 "{name} 无法作为工作簿读取（{error}）：请用 Excel 打开并另存为 .xlsx"),

    # ---- why a blank input has its value (inputs.model.Default.reason; the Assumptions sheet's notes)
    "reason_default": ("default", "默认值"),
    "reason_marketplace": ("marketplace {marketplace}", "按站点 {marketplace} 的默认值"),
    "reason_currency": ("currency {currency}", "按币种 {currency} 的默认值"),
    "reason_operator_of_store": ("operator of store {store}", "店铺 {store} 的运营"),
    "reason_no_units": ("no units in Sales: revenue / sell price", "销售表没有销量：按销售额 ÷ 买家支付价"),
    "all_rows": ("all rows", "所有行"),
    # ---- the Assumptions sheet's own values
    "none_value": ("none", "无"),
    "distinct_values": ("{count:,.0f} values", "{count:,.0f} 个不同的值"),
    "yes": ("Yes", "是"),
    "no": ("No", "否"),

    # ---- a --template that cannot be used (goalsheet/report/workbook.py, goalsheet/render errors' codes)
    "template_too_large": ("{path}: the template is too large to read", "{path}：模板太大，无法读取"),
    "template_unreadable": ("{path}: not a readable .xlsx template ({reason})",
                            "{path}：不是可读取的 .xlsx 模板（不是 Excel 工作簿，或已损坏）"),
    "template_unknown_name": ("unknown name '{name}'", "未知的名称“{name}”"),
    "template_no_attribute": ("{label} has no attribute '{attr}'", "{label} 中没有“{attr}”"),
    "template_endfor_alone": ("an endfor tag without a for tag before it", "endfor 标签之前没有对应的 for 标签"),
    "template_for_unclosed": ("a for tag without a matching endfor tag", "for 标签没有对应的 endfor 标签"),
    "template_budget_time": ("the template took longer than {seconds:g} s to fill (the limit); a loop or an "
                             "expression here does too much work",
                             "模板填充超过 {seconds:g} 秒（上限）：此处的循环或表达式计算量过大"),
    "template_budget_cells": ("the filled workbook would have more than {cells:,.0f} cells (the limit)",
                              "填充后的工作簿将超过 {cells:,.0f} 个单元格（上限）"),
    "template_budget_text": ("this would make a text of more than {chars:,.0f} characters (the limit)",
                             "此处将生成超过 {chars:,.0f} 个字符的文本（上限）"),

    # ---- where a command may write (goalsheet/paths.py; docs/limits.md, "Output files")
    "output_is_input": ("{option} {path} is {what}; an input is never overwritten, choose another name",
                        "{option} {path} 是{what}：输入文件从不会被覆盖，请换一个文件名"),
    "outputs_same": ("{first} and {second} name the same file {path}; choose two names",
                     "{first} 和 {second} 指向同一个文件 {path}：请用两个不同的文件名"),
    "output_not_ours": ("{path} exists and was not written by goalsheet; use --force to overwrite it",
                        "{path} 已存在，且不是 goalsheet 写入的：如需覆盖，请加 --force"),
    "output_is_folder": ("cannot write {path}: it is a folder", "无法写入 {path}：这是一个文件夹"),
    "output_no_folder": ("cannot write {path}: the folder {folder} does not exist",
                         "无法写入 {path}：文件夹 {folder} 不存在"),
    "output_not_a_folder": ("cannot write {path}: {folder} is a file, not a folder",
                            "无法写入 {path}：{folder} 是文件，不是文件夹"),
    "output_denied": ("cannot write {path}: permission denied (is it open in Excel or another program, or is the "
                      "folder read-only?)",
                      "无法写入 {path}：没有权限（文件是否正在 Excel 或其他程序中打开，或文件夹是只读的？）"),
    "output_read_only": ("cannot write {path}: the disk or folder is read-only", "无法写入 {path}：磁盘或文件夹是只读的"),
    "output_no_space": ("cannot write {path}: the disk is full", "无法写入 {path}：磁盘已满"),
    "output_other": ("cannot write {path}: {reason}", "无法写入 {path}：{reason}"),

    # ---- how a problem is listed (goalsheet/inputs/model.py Problem.line)
    "warning_prefix": ("warning: ", "警告："),
    "the_file": ("file", "文件"),
    "severity_error": ("error", "错误"),
    "severity_warning": ("warning", "警告"),

    # ---- check --annotate: the comment on a bad cell, and the sheet listing the problems of the file itself
    "annotate_error": ("ERROR: ", "错误："),
    "annotate_warning": ("warning: ", "警告："),
    "annotate_sheet": ("Problems", "问题"),
    "annotate_where": ("where", "位置"),
    "annotate_severity": ("severity", "级别"),
    "annotate_problem": ("problem", "问题"),
}

# The command line's own lines about a run -> (English, Chinese).
CONSOLE: dict[str, tuple[str, str]] = {
    "errors_in": ("{count} error(s) in {name}", "{name} 中有 {count} 个错误"),
    "nothing_written": ("{count} error(s) in {name}; nothing written", "{name} 中有 {count} 个错误：未写入任何文件"),
    "ok": ("{name}: OK", "{name}：没有问题"),
    "ok_warnings": ("{name}: OK ({count} warning(s))", "{name}：没有错误（{count} 个警告）"),
    "annotated": ("annotated copy: {path}", "已标注的副本：{path}"),
    "wrote": ("wrote {path}", "已写入 {path}"),
    "baseline_no_plan": ("{path}: holds no goalsheet plan that can be read back (not a goalsheet plan workbook, or "
                         "its hidden plan sheet was changed)",
                         "{path}：其中没有可读回的 goalsheet 计划（不是 goalsheet 的计划工作簿，或其隐藏的计划表被改动过）"),
    "baseline_unusable": ("{path}: its plan cannot be used as a baseline (its hidden plan sheet was changed: {reason})",
                          "{path}：其中的计划不能作为基准（其隐藏的计划表被改动过：{reason}）"),
    # the command line's usage errors (goalsheet/usage.py): the English is click's own, for the tests of both
    "usage_line": ("Usage: {command} {pieces}", "用法：{command} {pieces}"),
    "usage_options": ("[OPTIONS]", "[选项]"),
    "usage_subcommand": ("COMMAND [ARGS]...", "命令 [参数]..."),
    "usage_help": ("Try '{command} --help' for help.", "运行 {command} --help 查看帮助。"),
    "usage_error": ("Error: {message}", "错误：{message}"),
    "usage_other": ("{message}", "命令行有误：{message}"),
    "missing_argument": ("Missing argument '{name}'.", "缺少参数：{name}。"),
    "missing_option": ("Missing option '{name}'.", "缺少选项 {name}。"),
    "no_such_option": ("No such option: {name}{hint}", "没有 {name} 这个选项{hint}。"),
    "did_you_mean_option": (" Did you mean {names}?", "；是否为 {names}？"),
    "option_needs_value": ("Option '{name}' requires an argument.", "选项 {name} 后面需要一个值。"),
    "option_takes_no_value": ("Option '{name}' does not take a value.", "选项 {name} 不带值。"),
    "invalid_value": ("Invalid value for '{name}': {message}", "{name} 的值无效：{message}"),
    "extra_arguments": ("Got unexpected extra arguments ({args})", "多余的参数：{args}"),
    "no_such_command": ("No such command '{name}'.", "没有 {name} 这个命令（可用的命令：{names}）。"),
    "bad_choice": ("'{value}' is not one of {names}.", "“{value}” 不是可选值（{names}）之一"),
    "path_is_file": ("'{path}' is a file, not a folder.", "{path} 是文件，不是文件夹"),
    "path_unusable": ("'{path}' cannot be used.", "{path} 无法使用"),
    "not_whole_number": ("'{value}' is not a valid integer.", "“{value}” 不是整数"),
    "not_a_number": ("'{value}' is not a valid float.", "“{value}” 不是数字"),
    "outside_range": ("{value} is not in the range {lo} to {hi}.", "{value} 不在 {lo} 至 {hi} 之间"),
    "below_range": ("{value} is smaller than {lo}.", "{value} 小于 {lo}"),
    "above_range": ("{value} is larger than {hi}.", "{value} 大于 {hi}"),
    "interrupted": ("interrupted", "已中断"),
    "unexpected": ("goalsheet failed unexpectedly ({kind}: {text}); set GOALSHEET_DEBUG=1 to see where",
                   "goalsheet 意外出错（{kind}：{text}）；设置环境变量 GOALSHEET_DEBUG=1 可查看出错位置"),
    "stage_starting": ("starting", "正在启动"),
    "stage_reading": ("reading", "正在读取"),
    "stage_planning": ("planning", "正在计划"),
    "stage_writing": ("writing", "正在写入"),
    "stage_line": ("{stage} {name} ...", "{stage} {name} ……"),
    "template_error_at": ("template {template}: {where}: {message}", "模板 {template} 的 {where}：{message}"),
    "template_error": ("template {template}: {message}", "模板 {template}：{message}"),
    "summary_plan": ("plan year {year}: target sales {sales:,.2f} {currency}, target net profit {profit:,.2f} "
                     "{currency}",
                     "计划年度 {year}：目标销售额 {sales:,.2f} {currency}，目标净利润 {profit:,.2f} {currency}"),
    "summary_gap": ("existing products {existing:,.2f}, gap {gap:,.2f}, launches {launches}",
                    "老品 {existing:,.2f}，缺口 {gap:,.2f}，需上新 {launches} 个"),
    "summary_cash": ("cash: {verdict}; peak need {need:,.2f} {currency}, largest fundable target {top:,.2f} "
                     "{currency}",
                     "资金：{verdict}；资金峰值缺口 {need:,.2f} {currency}，资金可支撑的最大目标 {top:,.2f} {currency}"),
    "summary_reach": ("verdict: {verdict}; largest reachable target {reach:,.2f} {currency} (binds first: {binding})",
                      "结论：{verdict}；可实现的最大目标 {reach:,.2f} {currency}（首先受限于{binding}）"),
    # ---- goalsheet run (goalsheet/batch): the console and the detail of a log line, in the run's language
    # (--lang).  A line's status token (ok, FAILED, skipped, recovered, recovery:) is the code's, the same in
    # every language; so are the log's fields other than the detail.
    "run_ok": ("{name} -> {output} ({seconds:.1f} s)", "{name} -> {output}（用时 {seconds:.1f} 秒）"),
    "run_failed": ("{name}: {detail} -> {files}; input moved to {moved}", "{name}：{detail} -> {files}；输入已移至 {moved}"),
    "run_more_lines": ("... {count} more in {name}", "…… 另有 {count} 条，见 {name}"),
    "run_skipped": ("{name}: {why}", "{name}：{why}"),
    "run_recovered": ("{name}: {result}, {detail}", "{name}：{result}，{detail}"),
    "run_set_aside": ("could not finish {name} from an interrupted run ({why}); its record is kept in {path}; "
                      "the input, if still in the inbox, is planned again",
                      "无法完成中断的运行留下的 {name}（{why}）：其记录保存在 {path}；输入如仍在收件文件夹中，将重新计划"),
    "run_busy": ("another goalsheet run is already working on {inbox}; nothing to do",
                 "另一个 goalsheet 运行正在处理 {inbox}：本次不做任何事"),
    "run_nothing": ("nothing to do", "没有需要处理的工作簿"),
    "run_summary": ("processed {processed}, failed {failed}, skipped {skipped}",
                    "已处理 {processed} 个，失败 {failed} 个，跳过 {skipped} 个"),
    "run_summary_recovered": (", recovered {recovered}", "，恢复 {recovered} 个"),
    "run_watching": ("watching {inbox} every {interval:g} s (Ctrl-C to stop)",
                     "正在监视 {inbox}，每 {interval:g} 秒查看一次（按 Ctrl-C 停止）"),
    "run_stopped": ("stopped", "已停止"),
    "run_progress": ("planning", "正在计划"),
    "run_error": ("error: {reason}", "错误：{reason}"),
    "run_inbox_not_folder": ("inbox {inbox} is not a folder", "收件文件夹 {inbox} 不是文件夹"),
    "run_outbox_unmade": ("cannot make the outbox {outbox} ({why})", "无法创建输出文件夹 {outbox}（{why}）"),
    "run_next_run_finishes": ("{why}; the next run will finish the work", "{why}：下次运行会完成余下的工作"),
    "run_outbox_is_inbox": ("--outbox must not be the inbox (plans would be taken as new inputs)",
                            "--outbox 不能是收件文件夹（计划会被当作新的输入）"),
    "run_outbox_in_inbox": ("--outbox {outbox} is inside the inbox {inbox}; keep them apart",
                            "--outbox {outbox} 位于收件文件夹 {inbox} 之内：请将两者分开"),
    "run_inbox_in_outbox": ("the inbox {inbox} is inside --outbox {outbox}; keep them apart",
                            "收件文件夹 {inbox} 位于 --outbox {outbox} 之内：请将两者分开"),
    "run_archive_is_inbox": ("--archive must not be the inbox (every planned input would be removed from it)",
                             "--archive 不能是收件文件夹（每个计划过的输入都会从中移走）"),
    "run_archive_in_outbox": ("--archive {archive} is inside --outbox {outbox}; choose a folder outside it",
                              "--archive {archive} 位于 --outbox {outbox} 之内：请选择其外的文件夹"),
    "run_archive_is_failed": ("--archive must not be {failed} (where failed workbooks go)",
                              "--archive 不能是 {failed}（失败的工作簿存放于此）"),
    "run_in_the_way": ("{path} is in the way: goalsheet keeps {what} in a folder of that name; move or rename it",
                       "{path} 占用了这个名称：goalsheet 在同名文件夹中存放{what}；请移走或重命名它"),
    "run_archive_under_file": ("--archive {archive} cannot be made: {path} is a file, not a folder",
                               "无法创建 --archive {archive}：{path} 是文件，不是文件夹"),
    "run_lock_unusable": ("cannot take the lock {path} ({why}); if another user made it (a run as root?), delete it "
                          "or run as that user",
                          "无法获取锁文件 {path}（{why}）：如果它是其他用户创建的（曾以 root 运行？），请删除它或以该用户运行"),
    "run_link_skipped": ("a link, not a file (links are not followed; put the workbook itself in the inbox)",
                         "这是链接，不是文件（链接不会被跟随；请把工作簿本身放进收件文件夹）"),
    "run_still_written": ("still being written", "仍在写入"),
    "run_same_stem": ("same name as another workbook in this pass; next pass", "与本轮另一个工作簿同名：下一轮处理"),
    "run_changed_while_planned": ("changed or removed while it was being planned; will retry",
                                  "计划期间被修改或移走：稍后重试"),
    "run_changed_while_read": ("changed while being read; will retry", "读取期间被修改：稍后重试"),
    "run_gone": ("gone before it could be read", "读取之前已被移走"),
    "run_cannot_read_yet": ("cannot be read yet ({why}); will retry", "暂时无法读取（{why}）：稍后重试"),
    "run_cannot_read": ("cannot be read ({why}); will retry", "无法读取（{why}）：稍后重试"),
    "run_write_failed": ("the outbox could not be written ({why}); the workbook stays in the inbox for the next run",
                         "无法写入输出文件夹（{why}）：工作簿留在收件文件夹中，下次运行再处理"),
    "run_write_failed_summary": ("the outbox could not be written ({why}); {n} workbook(s) stay in the inbox for "
                                 "the next run",
                                 "无法写入输出文件夹（{why}）：{n} 个工作簿留在收件文件夹中，下次运行再处理"),
    "run_time": ("planning stopped: the workbook took more than {seconds:g} s (the time budget, --time-budget)",
                 "计划已中止：该工作簿用时超过 {seconds:g} 秒（时间预算，--time-budget）"),
    "run_memory": ("planning stopped: the workbook needed more than {gib:g} GiB of memory (the memory budget, "
                   "--memory-budget)",
                   "计划已中止：该工作簿所需内存超过 {gib:g} GiB（内存预算，--memory-budget）"),
    "run_killed": ("planning stopped: the system killed the worker (SIGKILL), most likely for lack of memory",
                   "计划已中止：系统终止了工作进程（SIGKILL），很可能是内存不足"),
    "run_crashed": ("planning stopped: the reader crashed ({signal})", "计划已中止：读取程序崩溃（{signal}）"),
    "run_ended": ("planning stopped: the worker ended without an answer (exit code {code})",
                  "计划已中止：工作进程未给出结果就结束了（退出码 {code}）"),
    "run_reason_line": ("{reason}: {line}", "{reason}：{line}"),
    "run_stopped_note": ("the workbook was set aside so the rest of the inbox could be planned",
                         "已将该工作簿搁置，以便计划收件文件夹中的其他工作簿"),
    "run_could_not_plan": ("could not plan this workbook ({error})", "无法计划此工作簿（{error}）"),
    "run_no_details": ("the workbook could not be planned (no details were given)", "无法计划此工作簿（未给出原因）"),
    "run_errors": ("{count} error(s)", "{count} 个错误"),
    "run_finished_late": ("{detail} (finished after an interrupted run)", "{detail}（中断的运行留下的工作，现已完成）"),
    "run_note": ("note: {note}", "说明：{note}"),
    "run_annotated_empty": ("the annotated copy came out empty", "标注副本为空"),
    "run_no_annotated_copy": ("no annotated copy could be made ({error})", "无法生成标注副本（{error}）"),
    "run_problems_in": ("Problems found in {name}", "{name} 中发现的问题"),
    # ---- goalsheet import (goalsheet/imports): what was taken and left out; why a report or book is refused
    "import_took": ("{report}: {kind}, {rows} rows: months {months}, stores {stores}, {skus} SKUs",
                    "{report}：{kind}，{rows} 行：月份 {months}，店铺 {stores}，{skus} 个 SKU"),
    "import_derived": ("  SKUs sheet: {count} value(s) derived from the reports written into blank cells ({columns}); "
                       "{typed} kept as you typed them, {earlier} derived earlier kept (--refresh replaces those)",
                       "  产品表：根据报告推算的 {count} 个数值已写入空白单元格（{columns}）；保留您填写的 {typed} 个，"
                       "保留此前推算的 {earlier} 个（加 --refresh 可替换）"),
    "import_skus_no_header": ("{book}: the {sheet} sheet has no header row with store, sku, price, cogs and fba_fee; "
                              "nothing written",
                              "{book}：{sheet} 表没有包含店铺、SKU、售价、采购成本和 FBA配送费的表头行：未写入任何内容"),
    "import_local_sku": ("  SKU from column {used} ({used_cell}), the seller SKU on Amazon; {other} ({other_cell}) is "
                         "the ERP's own SKU and is not used",
                         "  SKU 取自 {used} 列（{used_cell}），即亚马逊上的卖家 SKU；{other} 列（{other_cell}）是 ERP 的本地 "
                         "SKU，未使用"),
    "import_left_out": ("  left out {count} row(s): {reason}{detail}", "  未导入 {count} 行：{reason}{detail}"),
    "import_unreadable": ("{report}: cannot be read ({why}); nothing written", "{report}：无法读取（{why}）：未写入任何内容"),
    "import_unknown_file": ("{report}: not a report goalsheet reads (.xlsx, .xls, .ods, .csv, .tsv, .txt or a .zip of "
                            "them); nothing written",
                            "{report}：不是 goalsheet 能读取的报告（.xlsx、.xls、.ods、.csv、.tsv、.txt 或其 .zip 压缩包）：未写入任何内容"),
    "import_bad_zip": ("{report}: the .zip cannot be opened ({why}); nothing written",
                       "{report}：无法打开该 .zip 压缩包（{why}）：未写入任何内容"),
    "import_zip_empty": ("{report}: the .zip holds no report; nothing written", "{report}：该 .zip 压缩包中没有报告：未写入任何内容"),
    "import_zip_too_many": ("{report}: the .zip holds {count} files, more than {limit}; nothing written",
                            "{report}：该 .zip 压缩包中有 {count} 个文件，超过 {limit} 个：未写入任何内容"),
    "import_not_a_workbook": ("{report}: cannot be read as a workbook ({why}); nothing written",
                              "{report}：无法作为工作簿读取（{why}）：未写入任何内容"),
    "import_unknown_encoding": ("{report}: its text is in none of UTF-8, GBK, Shift-JIS or Windows-1252; nothing "
                                "written", "{report}：其文本编码不是 UTF-8、GBK、Shift-JIS 或 Windows-1252：未写入任何内容"),
    "import_unrecognised": ("{report}: not a report goalsheet knows by its header row (Business Report by child "
                            "item, All Orders, Date Range transactions, Sponsored Products advertised product); "
                            "nothing written",
                            "{report}：无法从标题行识别报告类型（支持：按子商品的业务报告、所有订单报告、日期范围交易报告、"
                            "商品推广的推广商品报告）：未写入任何内容"),
    "import_no_sku_column": ("{report}: the Business Report has no SKU column (choose to show SKUs when "
                             "downloading it); nothing written",
                             "{report}：该业务报告没有 SKU 列（下载时请选择显示 SKU）：未写入任何内容"),
    "import_no_month": ("{report}: the report has no month: give --month YYYY-MM, or put the date range in its file "
                        "name (…_2025-01-01_2025-01-31.csv); nothing written",
                        "{report}：该报告没有月份：请用 --month YYYY-MM 指定，或在文件名中写明日期范围"
                        "（…_2025-01-01_2025-01-31.csv）：未写入任何内容"),
    "import_several_months": ("{report}: its file name spans several months; download one report per month (or "
                              "give --month); nothing written",
                              "{report}：文件名中的日期跨越多个月：请按月分别下载报告（或用 --month 指定）：未写入任何内容"),
    "import_no_store": ("{report}: the report does not say its store: give --store, or put the store's name in the "
                        "file name; nothing written",
                        "{report}：该报告未注明店铺：请用 --store 指定，或在文件名中写上店铺名称：未写入任何内容"),
    "import_unknown_store": ("--store {store}: no such store in {book} (its Stores, SKUs or Sales sheet)",
                             "--store {store}：{book} 中没有该店铺（店铺表、产品表或销售表）"),
    "import_other_marketplace": ("{report}: no row is of {market}, the marketplace of store {store}; nothing written",
                                 "{report}：没有属于店铺 {store} 的站点 {market} 的行：未写入任何内容"),
    "import_book_not_xlsx": ("{book}: import writes into an .xlsx or .xlsm workbook; save it as .xlsx first",
                             "{book}：导入只能写入 .xlsx 或 .xlsm 工作簿：请先另存为 .xlsx"),
    "import_book_unreadable": ("{book}: cannot be opened ({why}); nothing written", "{book}：无法打开（{why}）：未写入任何内容"),
    "import_not_input_book": ("{book}: not a goalsheet input workbook (it needs Sales, SKUs and Settings sheets; "
                              "`goalsheet init` makes one); nothing written",
                              "{book}：不是 goalsheet 输入工作簿（需要销售、产品和设置表；可用 goalsheet init 生成）：未写入任何内容"),
    "import_sales_not_long": ("{book}: the {sheet} sheet is not in long form (month, store, sku, units, revenue); "
                              "import cannot update it; nothing written",
                              "{book}：{sheet} 表不是长表格式（月份、店铺、SKU、销量、销售额）：无法导入更新：未写入任何内容"),
    "import_would_replace": ("{cell}: {store} {month} already has {measure} you typed; --force replaces it with "
                             "the report's; nothing written",
                             "{cell}：{store} {month} 已有您填写的{measure}：加 --force 才会用报告中的数据替换：未写入任何内容"),
    "import_book_is_report": ("--into {book} is one of the reports; the reports are never written",
                              "--into {book} 是要导入的报告之一：报告文件不会被改写"),
}
