"""`goalsheet init`: a blank input workbook a seller can fill in (SPEC.md sections 1 and 2).

Every sheet of `schema.SHEETS` with its headers in English (the column `key`) or Chinese
(the column's `zh` name), drop-downs (data validation) for every choice column offering the
choices in the book's language (`schema.CHOICE_WORDS`: 增长/总额 in a Chinese book; the reader
takes either language), a note on each header, and an instructions sheet (`Instructions` /
`说明`) explaining every sheet and column.

The book plans nothing until the seller fills it in:
- the Settings sheet lists every key of the schema by section, with its default (or how it is
  worked out) beside it and its value blank: a blank value takes the default; the required
  keys (cash_available) are blank and marked, so `check` names their cells until they are filled;
- each table has one example row under its header, in grey italics, its first cell marked
  "e.g. " / "例：" (`schema.example_cells`).  The reader skips a marked row, so an example left
  in the book changes no figure, and a book with nothing but the examples fails `check` with
  the cells to fill (Sales!A3, SKUs!A3, Settings' cash_available).  The seller types over the
  example (mark and all) or below it.

Everything comes from `goalsheet/inputs/schema.py`: a column added there is offered,
explained and validated here at once.  The only text kept here is what the schema does
not hold: Chinese explanations, and a short explanation for the columns whose schema
`note` is empty (their meaning is evident to a seller from the name, but not to every
finance person); the Settings sheet's words are the catalogue's (`goalsheet.words`).
"""
from __future__ import annotations

from pathlib import Path

import datetime as dt

from goalsheet.inputs import schema
from goalsheet.inputs.schema import Column, Sheet
from goalsheet.words import TERMS

INSTRUCTIONS = {"en": "Instructions", "zh": "说明"}
# The Settings sheet's columns: key, value (blank: the default), the default, what the key means.  The reader
# reads the first two (inputs.validate.SETTINGS_TABLE) and ignores the others.
SETTINGS_HEADER = {"en": ("key", "value", "default", "note"), "zh": ("参数", "值", "默认值", "说明")}
DATA_ROWS = 2000            # rows the drop-downs cover below the header
SALES_ROWS = 20000

REQUIRED_FILL = "1F4E78"    # required columns: dark blue, white text
OPTIONAL_FILL = "BDD7EE"    # optional columns: light blue, dark text
TO_FILL = "FFF2CC"          # a required Settings value still to fill: light yellow
EXAMPLE_COLOR = "808080"    # example rows: grey italics
REQUIRED_COLOR = "C00000"   # the word "required": dark red

NUMBER_FORMAT = {"money": "#,##0.00", "rate": "0.0%", "int": "0"}

KIND_LABEL = {
    "en": {"text": "text", "money": "amount", "number": "number", "rate": "rate (15% or 0.15)", "int": "whole number",
           "month": "month", "enum": "choice", "months": "months (1-6 or 3,4,5)", "list": "list"},
    "zh": {"text": "文本", "money": "金额", "number": "数字", "rate": "比例（15% 或 0.15）", "int": "整数",
           "month": "月份", "enum": "下拉选项", "months": "月份（1-6 或 3,4,5）", "list": "列表"},
}

UNIT_ZH = {
    "base currency": "本位币", "store currency": "店铺币种", "store currency, incl. VAT": "店铺币种，含增值税",
    "base currency per unit": "本位币/件", "store currency per unit": "店铺币种/件",
    "store currency per unit sold": "店铺币种/每件售出", "store currency per returned unit": "店铺币种/每件退货",
    "base currency per month": "本位币/月", "base currency per year": "本位币/年",
}

# (sheet, column) -> (English explanation when the schema's note is empty, Chinese explanation)
EXPLAIN: dict[tuple[str, str], tuple[str, str]] = {
    ("Settings", "plan_year"): ("", "计划的年度；不填：最后一个历史月份的年份（该月为12月时为下一年）"),
    ("Settings", "base_currency"): ("", "输出中所有金额的币种（本位币）"),
    ("Settings", "target_mode"): ("", "增长 = 当前水平 + 增长；总额 = 由年度总目标倒推"),
    ("Settings", "target_total"): ("", "年度销售总目标（目标模式为总额时使用），本位币"),
    ("Settings", "monthly_growth"): ("", "基准月销售额的月环比增长率"),
    ("Settings", "baseline_months"): ("", "计算当前月销水平取最近几个历史月的平均"),
    ("Settings", "seasonality"): ("", "按历史（按历史数据测算）、不考虑（不考虑季节性），或 1-12 月的 12 个逗号分隔指数"),
    ("Settings", "existing_scenario"): ("", "从总目标中扣除的老品预测：增长（增长情景）或持平（持平情景）"),
    ("Settings", "cash_available"): ("", "企业可投入的资金，本位币"),
    ("Settings", "credit_line"): ("", "可额外借用的授信额度，本位币"),
    ("Settings", "opening_stock_value"): ("", "在库及在途库存的货值（到岸成本）；不填：按备货周期 + 安全库存天数的销量估算"),
    ("Settings", "lead_time_days"): ("", "从下采购单到亚马逊可售的天数"),
    ("Settings", "transit_days"): ("", "从发货到亚马逊可售的天数（此时付尾款、头程和关税）"),
    ("Settings", "min_cash"): ("", "账上最低保留的现金"),
    ("Settings", "opening_payables"): ("", "计划开始时欠供应商和货代的款项；不填：按月销水平的采购估算"),
    ("Settings", "safety_stock_days"): ("", "备货周期之外多备的库存天数"),
    ("Settings", "min_order_days"): ("", "每张采购单至少覆盖店铺多少天的备货需求（0：每月一单）"),
    ("Settings", "deposit_rate"): ("", "下单时支付的定金比例，其余发货前付清"),
    ("Settings", "payout_delay_days"): ("", "从销售到回款到账的天数"),
    ("Settings", "new_price"): ("", "新品的买家支付价（本位币，按店铺换算）；不填：每店取其 SKU 售价的中位数"),
    ("Settings", "new_monthly_units"): ("", "新品成熟后的月销量；不填：每店取其 SKU 的中位数"),
    ("Settings", "new_ramp_months"): ("", "新品达到成熟月销量所需的月数"),
    ("Settings", "new_success_rate"): ("", "能达到成熟月销量的新品比例"),
    ("Settings", "new_unit_cost"): ("", "新品单位成本 = 采购成本 + 头程，本位币；不填：每店取其 SKU 的中位数"),
    ("Settings", "new_first_order_units"): ("", "新品首单采购数量；不填：3 × 新品成熟月销量"),
    ("Settings", "new_launch_budget"): ("", "每个新品的推广广告预算，本位币"),
    ("Settings", "new_failure_writeoff"): ("", "失败新品首单货值中损失的比例"),
    ("Settings", "launches_per_operator_month"): ("", "每位运营每月可上新的数量（上新产能）"),
    ("Settings", "new_freight"): ("", "新品单件头程运费（新品单位成本的一部分），本位币；不填：每店取其 SKU 的中位数"),
    ("Settings", "new_referral_rate"): ("", "新品的佣金比例；不填：每店取其 SKU 的中位数"),
    ("Settings", "new_duty_rate"): ("", "新品的关税率；不填：每店取其 SKU 的中位数"),
    ("Settings", "new_fba_fee"): ("", "新品单件 FBA 配送费，本位币（按店铺换算）；不填：每店取其 SKU 的中位数"),
    ("Settings", "new_storage_fee"): ("", "新品每件售出的仓储费，本位币（按店铺换算）；不填：每店取其 SKU 的中位数"),
    ("Settings", "new_placement_fee"): ("", "新品单件入库配置费，本位币（按店铺换算）；不填：每店取其 SKU 的中位数"),
    ("Settings", "new_ad_rate"): ("", "新品广告费占销售额比例；不填：每店取其 SKU 的中位数"),
    ("Settings", "new_return_rate"): ("", "新品退货率；不填：每店取其 SKU 的中位数"),
    ("Settings", "new_other_cost"): ("", "新品其他单件成本，本位币（按店铺换算）；不填：每店取其 SKU 的中位数"),
    ("Settings", "payout_fee_rate"): ("", "回款的换汇 / 收款手续费率"),
    ("Settings", "profit_pool_rate"): ("", "超出目标的净利润中计入奖金池的比例"),
    ("Settings", "launch_bonus"): ("", "每个成功新品的奖金，本位币"),

    ("Scenarios", "scenario"): ("", "情景名称，计划的“情景”表按此显示"),

    ("Sales", "month"): ("calendar month of the sales (daily or weekly rows are summed into months)",
                         "销售所在月份（按日或按周的行会汇总成月）"),
    ("Sales", "store"): ("store name, as on the Stores and SKUs sheets", "店铺名称，与店铺表、产品表一致"),
    ("Sales", "sku"): ("seller SKU, as on the SKUs sheet", "卖家 SKU，与产品表一致"),
    ("Sales", "units"): ("units ordered (before returns)", "已订购商品数量（退货前）"),
    ("Sales", "revenue"): ("ordered product sales: what buyers paid, VAT included where prices include it, "
                           "after promotions", "已订购商品销售额：买家支付金额（含增值税的站点含税），已扣促销"),
    ("Sales", "ad_spend"): ("advertising spend of the SKU that month", "该 SKU 当月广告花费"),
    ("Sales", "refunds"): ("refunds paid that month", "当月退款金额"),

    ("SKUs", "store"): ("store name, as on the Stores sheet", "店铺名称，与店铺表一致"),
    ("SKUs", "sku"): ("seller SKU; the same SKU may be listed in several stores", "卖家 SKU；同一 SKU 可在多个店铺各占一行"),
    ("SKUs", "name"): ("product name", "产品名称"),
    ("SKUs", "category"): ("product category", "类目"),
    ("SKUs", "operator"): ("", "负责该 SKU 的运营；不填：店铺的运营"),
    ("SKUs", "price"): ("list price buyers see, VAT included where the marketplace includes it",
                        "前台售价（欧洲、英国等站点含增值税）"),
    ("SKUs", "cogs"): ("purchase cost per unit", "单件采购成本"),
    ("SKUs", "freight"): ("first-leg freight per unit to Amazon", "单件头程运费"),
    ("SKUs", "duty_rate"): ("", "关税率，按完税价格计（美国、加拿大：采购成本；其他站点：采购成本 + 头程）"),
    ("SKUs", "referral_rate"): ("", "亚马逊销售佣金比例，按买家支付价计"),
    ("SKUs", "fba_fee"): ("FBA fulfilment fee per unit", "单件 FBA 配送费"),
    ("SKUs", "storage_fee"): ("monthly storage fees spread over the units sold", "仓储费，摊到每件售出商品"),
    ("SKUs", "ad_rate"): ("", "广告费占销售额比例（TACoS）；不填：最近基准月数的广告花费 ÷ 销售额"),
    ("SKUs", "promo_rate"): ("", "促销折扣率（售价的折扣）"),
    ("SKUs", "return_rate"): ("", "退货率（按件数）"),
    ("SKUs", "return_cost"): ("", "单件退货损失；不填：退款 − 退回的佣金 + 退款管理费 − 一半可再售"),
    ("SKUs", "vat_rate"): ("", "增值税率；不填：按站点默认（英国 20%，德国 19% …）"),
    ("SKUs", "other_cost"): ("any other cost per unit (packaging, labels, inspection)", "其他单件成本（包装、贴标、质检等）"),
    ("SKUs", "placement_fee"): ("FBA inbound placement fee per unit", "单件 FBA 入库配置费"),
    ("SKUs", "dst_rate"): ("", "数字服务税率，按亚马逊费用计；不填：按站点默认（英国 2%，法意西 3%）"),
    ("SKUs", "status"): ("active, or discontinued (left out of the forecast)", "在售，或停售（不计入预测）"),
    ("SKUs", "growth_rate"): ("", "该 SKU 的月增长率，可为负；不填：按趋势分类"),
    ("SKUs", "launch_month"): ("", "上架月份；不填：首次有销量的月份"),

    ("Stores", "store"): ("store name, as used on the other sheets", "店铺名称，与其他表一致"),
    ("Stores", "marketplace"): ("Amazon marketplace; decides VAT, DST, store fee and currency defaults",
                                "亚马逊站点；决定增值税、数字服务税、月租和币种的默认值"),
    ("Stores", "currency"): ("", "店铺币种；不填：按站点"),
    ("Stores", "operator"): ("the store's operator (staff member)", "店铺的运营负责人"),
    ("Stores", "monthly_fee"): ("", "店铺月租；不填：按站点（美国 39.99 美元，英国 25 英镑，德国 39 欧元 …）"),
    ("Stores", "monthly_growth"): ("", "该店铺的月增长率，覆盖设置表"),
    ("Stores", "referral_min"): ("", "单件最低佣金；不填：按币种"),
    ("Stores", "new_price"): ("", "该店铺新品的买家支付价，覆盖设置表"),

    ("FX", "currency"): ("a store currency", "店铺币种"),
    ("FX", "rate"): ("", "1 单位该币种折合多少本位币（如 1 美元 = 7.2 人民币）"),

    ("Team", "operator"): ("operator (staff member) name, as on the Stores and SKUs sheets", "运营姓名，与店铺表、产品表一致"),
    ("Team", "base_salary"): ("monthly base salary", "月底薪"),
    ("Team", "bonus_base"): ("target bonus per year at 100 % attainment", "100% 达成时的年度目标奖金"),

    ("Launches", "launch_month"): ("month the new product goes on sale", "新品上架月份"),
    ("Launches", "store"): ("store it launches in", "上架店铺"),
    ("Launches", "operator"): ("operator who launches it", "负责运营"),
    ("Launches", "count"): ("number of new products", "新品数量"),
    ("Launches", "price"): ("what buyers will pay; blank: the new_price default", "买家支付价；不填：按新品客单价默认"),
    ("Launches", "monthly_units"): ("units per month once ramped; blank: new_monthly_units",
                                    "成熟后月销量；不填：按新品成熟月销量"),
    ("Launches", "unit_cost"): ("cogs + freight per unit; blank: new_unit_cost", "单位成本（采购 + 头程）；不填：按新品单位成本"),

    ("Expenses", "item"): ("what the cost is (rent, software, salaries of non-operators …)",
                           "费用项目（房租、软件、非运营人员工资等）"),
    ("Expenses", "monthly_amount"): ("amount per month", "每月金额"),
    ("Expenses", "store"): ("", "归属店铺；不填：按各店当月计划销售额分摊"),
    ("Expenses", "months"): ("", "发生的月份，如 1-6 或 3,4,5；不填：每个月"),

    ("Bonus", "period"): ("month, quarter or year", "月度、季度或年度"),
    ("Bonus", "metric"): ("what is measured: sales, net profit or launches", "考核指标：销售额、净利润或上新数"),
    ("Bonus", "from"): ("lower end of the attainment tier (80% or 0.8)", "达成率档位下限（80% 或 0.8）"),
    ("Bonus", "to"): ("", "达成率档位上限；不填：不封顶"),
    ("Bonus", "rate"): ("", "系数（倍数，不是百分比）"),
    ("Bonus", "mode"): ("step: the tier reached pays its rate; marginal: each tier pays on its own part",
                        "阶梯：按所在档位系数；累进：每档按其区间计算"),
    ("Bonus", "cap"): ("", "系数封顶（最大倍数）"),
    ("Bonus", "weight"): ("", "该周期和指标占奖金基数的比例"),
}

SHEET_EXPLAIN = {
    "Settings": ("The plan's settings: one row per key, by section. A blank value takes the default shown beside "
                 "it; cash_available is required.",
                 "计划参数：每个参数一行，按类别分组。值留空即用旁边所示的默认值；可用资金必填。"),
    "Sales": ("Sales history (and actuals of the plan year), one row per month × store × SKU, in the store's "
              "currency. Seller Central report headers are accepted. Wide form also works: store, SKU, then one "
              "revenue column per month (2025-03), then 'units 2025-03' and 'ad_spend 2025-03' blocks.",
              "历史销售（及计划年度的实际销售），每月 × 店铺 × SKU 一行，店铺币种。可直接使用后台报表表头。"
              "也可用宽表：店铺、SKU，然后每月一列销售额（2025年3月），再接“销量 2025年3月”“广告花费 2025年3月”列。"),
    "SKUs": ("Every SKU of every store with its price, costs and fees. Blank cells take the default shown.",
             "每个店铺的每个 SKU 的售价、成本和费用。空白单元格使用所示默认值。"),
    "Stores": ("Optional. Each store's marketplace, currency and operator. Without it, stores come from Sales, "
               "marketplace US.", "可选。各店铺的站点、币种和运营。不填此表时，店铺取自销售表，站点按美国。"),
    "FX": ("Exchange rates: base-currency units per one unit of each store currency not the base currency.",
           "汇率：每 1 单位店铺币种折合多少本位币。非本位币的店铺币种都必须填写。"),
    "Team": ("Optional. Operators, their monthly base salary and yearly bonus base.",
             "可选。运营人员的月底薪和年度奖金基数。"),
    "Launches": ("Optional. New products already planned. Blank cells take the new-product settings.",
                 "可选。已确定的新品计划。空白单元格使用新品参数。"),
    "Expenses": ("Optional. Fixed costs per month, in base currency.", "可选。每月固定费用，本位币。"),
    "Bonus": ("Optional. The bonus scheme, one row per attainment tier. Without it: yearly sales, 0 below 80 %, "
              "0.5 from 80 %, 1.0 from 100 %, 1.5 from 120 %.",
              "可选。奖金方案，每个达成率档位一行。不填时：年度销售额，80% 以下 0，80% 起 0.5，100% 起 1.0，120% 起 1.5。"),
    "Scenarios": ("Optional. The choices you are weighing, one row per scenario: a name, then the Settings you change "
                  "as columns (any Settings key may be a column; a blank cell keeps the Settings value). The plan "
                  "compares them side by side on its Scenarios sheet. Without this sheet it compares its own: "
                  "growth ± 2 points and launching in each price band of your SKUs.",
                  "可选。正在权衡的方案，每个情景一行：情景名称，然后把要改变的设置参数作为列（任何设置参数都可作为一列；"
                  "空白单元格沿用设置表的值）。计划的“情景”表把各情景并排比较。不填此表时，比较默认情景：月增长率加减 2 个百分点，"
                  "以及按各价格段的老品上新。"),
}

GENERAL = {
    "en": [
        "How to fill in this workbook",
        "Required sheets: Settings, Sales, SKUs. The others are optional; delete a sheet you do not need.",
        "Row 2 of each table is an example in grey, its first cell starting with “e.g.”: goalsheet skips it, so "
        "leaving it changes nothing. Type your rows below it, or over it (then without the “e.g.”). Dark headers "
        "are required columns, light headers optional; hover over a header for its meaning.",
        "Settings: a blank value takes the default shown beside it; fill in cash_available (required).",
        "Money is in the store's currency where the column says so, else in the base currency (Settings).",
        "Numbers may be typed as 1234.5, $1,234.50, 1.2万 or 3k; rates as 15% or 0.15; months as 2025-03, "
        "2025/3, 2025年3月, Mar 2025 or a date.",
        "Headers may be in English or Chinese; case, spaces and _ do not matter. Title rows above the header "
        "are fine.",
        "Check the workbook with:  goalsheet check <file>   — it lists every problem with its cell, and what is "
        "still to fill in.",
        "Then plan with:  goalsheet plan <file>",
    ],
    "zh": [
        "填写说明",
        "必填表：设置、销售、产品。其他表可选；不需要的表可以删除。",
        "每张表的第 2 行是灰色的示例，第一格以“例：”开头：goalsheet 不读取该行，保留也不影响计划。请在其下方填写，"
        "或直接覆盖（连同“例：”一起覆盖）。深色表头为必填列，浅色表头为选填列；鼠标悬停表头可看说明。",
        "设置表：值留空即用旁边所示的默认值；可用资金为必填。",
        "注明“店铺币种”的金额按店铺币种填写，其余金额按本位币（设置表）填写。",
        "数字可写作 1234.5、$1,234.50、1.2万 或 3k；比例写 15% 或 0.15；月份写 2025-03、2025/3、2025年3月、"
        "Mar 2025 或日期。",
        "表头可用中文或英文，不分大小写、空格和下划线。表头上方可以有标题行。",
        "检查表格：  goalsheet check <文件>   —— 列出所有问题及所在单元格，包括尚未填写的必填项。",
        "生成计划：  goalsheet plan <文件>",
    ],
}

LABELS = {
    "en": {"column": "Column", "other": "Also accepted", "required": "Required", "kind": "Kind / unit",
           "default": "Default", "range": "Range / choices", "meaning": "Meaning", "yes": "yes", "no": "",
           "sheet_required": "required sheet", "sheet_optional": "optional sheet",
           "settings_key": "Key"},
    "zh": {"column": "列名", "other": "也可写作", "required": "必填", "kind": "类型 / 单位",
           "default": "默认值", "range": "范围 / 选项", "meaning": "说明", "yes": "是", "no": "",
           "sheet_required": "必填表", "sheet_optional": "选填表", "settings_key": "参数"},
}


def sheet_name(sheet: Sheet, lang: str) -> str:
    return sheet.zh if lang == "zh" else sheet.key


def header_name(column: Column, lang: str) -> str:
    return column.zh if lang == "zh" else column.key


def explain(sheet: Sheet, column: Column, lang: str) -> str:
    """What a column means, in the workbook's language (schema note first for English); a Scenarios column that
    is a Settings key means what the setting means."""
    if sheet is schema.SCENARIOS and column.key != "scenario":
        sheet = schema.SETTINGS
    en, zh = EXPLAIN.get((sheet.key, column.key), ("", ""))
    if lang == "zh":
        return zh or column.note
    return column.note or en


def settings_layout() -> list[tuple[str, object]]:
    """The Settings sheet's rows under its header, in order: ("section", name) for a section title and ("key",
    Column) for a key (every key of the schema once, `schema.settings_sections`)."""
    rows: list[tuple[str, object]] = []
    for section, columns in schema.settings_sections():
        rows.append(("section", section))
        rows += [("key", c) for c in columns]
    return rows


def _init_word(key: str, lang: str) -> str:
    en, zh = TERMS["init"][key]
    return zh if lang == "zh" else en


def _range_text(column: Column, lang: str) -> str:
    if column.choices:
        return ("、" if lang == "zh" else ", ").join(schema.choice_words(column, lang))
    if column.kind == "list":
        return ("、" if lang == "zh" else ", ").join(schema.choice_words(column, lang))
    if column.lo is None and column.hi is None:
        return "> 0" if column.min_exclusive else ""
    pct = column.kind == "rate"

    def fmt(x: float) -> str:
        return f"{x * 100:g}%" if pct else f"{x:g}"
    if column.hi is None:
        return f"> {fmt(column.lo)}" if column.min_exclusive else f"≥ {fmt(column.lo)}"
    return f"{fmt(column.lo)} … {fmt(column.hi)}"


def default_text(column: Column, lang: str) -> str:
    """A column's default as a seller reads it in a book of `lang`: "required", the constant (choices in the
    book's words, rates as percents), or how it is worked out ("" when the column has none)."""
    if column.required:
        return _init_word("required", lang)
    if column.kind == "setting":                       # a Scenarios column: blank keeps the Settings value
        return _init_word("settings_value", lang)
    if column.default is None:
        worked_out = TERMS["setting_default"].get(column.key) if column in schema.SETTINGS.columns else None
        return (worked_out[1] if lang == "zh" else worked_out[0]) if worked_out else ""
    if column.kind in ("enum", "list") and isinstance(column.default, str):
        return schema.choice_word(column.key, column.default, lang)
    if column.kind == "rate" and isinstance(column.default, (int, float)):
        return f"{column.default * 100:g}%"
    if isinstance(column.default, float):
        return f"{column.default:g}"
    return str(column.default)


def _kind_text(column: Column, lang: str) -> str:
    kind = KIND_LABEL[lang][column.kind]
    unit = UNIT_ZH.get(column.unit, column.unit) if lang == "zh" else column.unit
    return f"{kind}, {unit}" if unit else kind


def _choice_validation(sheet: Sheet, column: Column, lang: str):
    """A drop-down of the column's choices in the book's words, with its explanation as the input message.  Any
    other entry only warns (Excel's "warning" style): the reader also takes the other language's words."""
    from openpyxl.worksheet.datavalidation import DataValidation

    words = schema.choice_words(column, lang)
    prompt = explain(sheet, column, lang)
    dv = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True,
                        showDropDown=False, showErrorMessage=True, showInputMessage=bool(prompt),
                        errorStyle="warning")
    dv.errorTitle = "goalsheet"
    also = _init_word("also_codes", lang) if any(w != c for w, c in zip(words, column.choices or words)) else ""
    dv.error = (_init_word("choose", lang) + ("、" if lang == "zh" else ", ").join(words) + also)[:255]
    if prompt:
        dv.promptTitle, dv.prompt = header_name(column, lang)[:32], prompt[:255]
    return dv


def plan_year_today(today: dt.date | None = None) -> int:
    """The year a new book plans: this year when made in its first half (a plan set in January), else the next
    (a plan set in the autumn for the coming year)."""
    today = today or dt.date.today()
    return today.year if today.month <= 6 else today.year + 1


def _write_settings(ws, lang: str) -> None:
    """The Settings sheet: every key by section, its value blank (the default), its default and meaning beside."""
    from openpyxl.styles import Alignment, Font, PatternFill

    header_fill = PatternFill("solid", fgColor=REQUIRED_FILL)
    section_fill = PatternFill("solid", fgColor=OPTIONAL_FILL)
    for j, h in enumerate(SETTINGS_HEADER[lang], start=1):
        c = ws.cell(1, j, h)
        c.font, c.fill = Font(bold=True, color="FFFFFF"), header_fill
        c.alignment = Alignment(horizontal="center", vertical="center")
    wrap = Alignment(wrap_text=True, vertical="center")
    middle = Alignment(vertical="center")
    for i, (kind, item) in enumerate(settings_layout(), start=2):
        if kind == "section":
            en, zh = TERMS["settings_section"][item]
            ws.cell(i, 1, zh if lang == "zh" else en).font = Font(bold=True, color="1F1F1F")
            for j in range(1, len(SETTINGS_HEADER[lang]) + 1):
                ws.cell(i, j).fill = section_fill
            continue
        col: Column = item
        key = ws.cell(i, 1, header_name(col, lang))
        key.data_type, key.alignment = "s", middle
        value = ws.cell(i, 2)
        value.alignment = middle
        if col.key == "plan_year":        # SPEC 3.1: init writes the year planned, so no default year is guessed
            value.value = plan_year_today()
        if col.kind in NUMBER_FORMAT:
            value.number_format = "#,##0" if col.kind == "money" else NUMBER_FORMAT[col.kind]
        default = ws.cell(i, 3, default_text(col, lang))
        default.data_type, default.alignment = "s", wrap
        note = ws.cell(i, 4, explain(schema.SETTINGS, col, lang))
        note.alignment = wrap
        if col.required:
            key.font = Font(bold=True)
            default.font = Font(bold=True, color=REQUIRED_COLOR)
            value.fill = PatternFill("solid", fgColor=TO_FILL)
        lines = max(-(-_width(default.value) // 30), -(-_width(note.value) // 66), 1)
        if lines > 1:
            ws.row_dimensions[i].height = 15 * lines
        if col.kind == "enum" or (col.kind == "list" and col.key in schema.CHOICE_WORDS):
            dv = _choice_validation(schema.SETTINGS, col, lang)
            if col.kind == "list":        # seasonality: the two words, or 12 numbers: never refused
                dv.showErrorMessage = False
            ws.add_data_validation(dv)
            dv.add(f"B{i}")
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 32
    ws.column_dimensions["D"].width = 70


# Printing: A4 landscape, shrunk to the page width but never below 74 % (11 pt text prints at 8 pt or more); a
# sheet wider than that continues on a page to the right.  Points per unit of column width: the width of a digit
# as LibreOffice draws Calibri (Excel's is narrower, so a page never takes more than it holds).
PRINT_ROOM = (841.89 - 0.8 * 72) * 0.96       # A4 landscape inside 0.4-inch margins, with some slack
PRINT_MIN_SCALE = 74
DIGIT_POINTS = 7.0


def print_readably(ws) -> None:
    """Set `ws` to print on A4 landscape at the largest scale from 74 % to 100 % that fits its columns across."""
    from openpyxl.utils import get_column_letter
    widths = [ws.column_dimensions[get_column_letter(j)].width or 8.43 for j in range(1, ws.max_column + 1)]
    total = sum(widths) * DIGIT_POINTS
    ws.page_margins.left = ws.page_margins.right = 0.4     # inches: the room PRINT_ROOM counts on
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = max(PRINT_MIN_SCALE, min(100, int(PRINT_ROOM / total * 100))) if total else 100
    ws.print_options.gridLines = False


def write_blank(path: Path, lang: str = "zh") -> None:
    """Write the blank input workbook for `goalsheet init` (see the module docstring)."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    _write_instructions(wb.create_sheet(INSTRUCTIONS[lang]), lang)

    required_style = (Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor=REQUIRED_FILL))
    optional_style = (Font(bold=True, color="1F1F1F"), PatternFill("solid", fgColor=OPTIONAL_FILL))
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)

    for sheet in schema.SHEETS:
        ws = wb.create_sheet(sheet_name(sheet, lang))
        if sheet is schema.SETTINGS:
            _write_settings(ws, lang)
            ws.row_dimensions[1].height = 30
            ws.freeze_panes = "A2"
            continue
        last_row = SALES_ROWS if sheet is schema.SALES else DATA_ROWS
        columns = schema.init_columns(sheet)
        example = schema.example_cells(sheet, lang)
        example_font = Font(italic=True, color=EXAMPLE_COLOR)
        for j, col in enumerate(columns, start=1):
            c = ws.cell(1, j, header_name(col, lang))
            c.font, c.fill = required_style if col.required else optional_style
            c.alignment = centred
            default = default_text(col, lang)
            col = schema.as_setting(sheet, col)          # a Scenarios column: as its Settings key
            unit = UNIT_ZH.get(col.unit, col.unit) if lang == "zh" else col.unit
            tip = " — ".join(x for x in (explain(sheet, col, lang), unit,
                                         default and (("默认：" if lang == "zh" else "default: ") + default)) if x)
            if j == 1:
                tip = " — ".join(x for x in (tip, _init_word("example", lang)) if x)
            if tip:
                c.comment = Comment(tip, "goalsheet", width=260, height=110)
            v = ws.cell(2, j, example[j - 1])
            v.font = example_font
            if isinstance(example[j - 1], str):
                v.data_type = "s"
            elif example[j - 1] is not None and col.kind in NUMBER_FORMAT:
                v.number_format = NUMBER_FORMAT[col.kind]
            letter = get_column_letter(j)
            if col.kind == "enum":
                dv = _choice_validation(sheet, col, lang)
                ws.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}{last_row}")
            width = max(_width(header_name(col, lang)), _width(example[j - 1]), 10) + 3
            ws.column_dimensions[letter].width = min(width, 30)
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}2"
        ws.row_dimensions[1].height = 30
        ws.freeze_panes = "A2"
    wb.properties.creator = "goalsheet init"
    wb.properties.title = "goalsheet input" if lang == "en" else "goalsheet 输入表"
    wb.active = 0
    for ws in wb.worksheets:
        print_readably(ws)
    wb.save(path)


INSTRUCTION_WIDTHS = (22, 22, 9, 18, 18, 18, 35)    # 142: one A4 landscape page across at 74 %


def _write_instructions(ws, lang: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    lab = LABELS[lang]
    wrap = Alignment(wrap_text=True, vertical="top")
    general = GENERAL[lang]
    ws.cell(1, 1, general[0]).font = Font(bold=True, size=14, color=REQUIRED_FILL)
    row = 2
    for line in general[1:]:
        ws.cell(row, 1, "• " + line)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=7)
        ws.cell(row, 1).alignment = wrap
        ws.row_dimensions[row].height = 15 * (1 + _width(line) // (sum(INSTRUCTION_WIDTHS) - 12))
        row += 1
    heads = [lab["column"], lab["other"], lab["required"], lab["kind"], lab["default"], lab["range"], lab["meaning"]]
    section_fill = PatternFill("solid", fgColor=REQUIRED_FILL)
    head_fill = PatternFill("solid", fgColor=OPTIONAL_FILL)
    for sheet in schema.SHEETS:
        row += 1
        other_name = sheet.key if lang == "zh" else sheet.zh
        kind = lab["sheet_required"] if sheet.required else lab["sheet_optional"]
        c = ws.cell(row, 1, f"{sheet_name(sheet, lang)}  ({other_name}) — {kind}")
        c.font, c.fill = Font(bold=True, color="FFFFFF", size=12), section_fill
        for j in range(2, 8):
            ws.cell(row, j).fill = section_fill
        row += 1
        note = SHEET_EXPLAIN[sheet.key][1 if lang == "zh" else 0]
        ws.cell(row, 1, note).alignment = wrap
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=7)
        ws.row_dimensions[row].height = 15 * (1 + _width(note) // 190)
        row += 1
        first = lab["settings_key"] if sheet is schema.SETTINGS else heads[0]
        for j, h in enumerate([first] + heads[1:], start=1):
            c = ws.cell(row, j, h)
            c.font, c.fill = Font(bold=True), head_fill
        for col in schema.init_columns(sheet):
            row += 1
            other = [col.key if lang == "zh" else col.zh] + list(col.aliases)
            shown = schema.as_setting(sheet, col)
            values = [header_name(col, lang), ", ".join(other), lab["yes"] if col.required else lab["no"],
                      _kind_text(shown, lang), default_text(col, lang), _range_text(shown, lang),
                      explain(sheet, col, lang)]
            for j, v in enumerate(values, start=1):
                c = ws.cell(row, j, v)
                c.data_type = "s"
                c.alignment = wrap
            lines = max(-(-_width(v) // int(INSTRUCTION_WIDTHS[j] - 2)) for j, v in enumerate(values) if v)
            ws.row_dimensions[row].height = 15 * max(1, lines)
            if col.required:
                ws.cell(row, 1).font = Font(bold=True)
    for letter, width in zip("ABCDEFG", INSTRUCTION_WIDTHS):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"


def _width(value: object) -> int:
    if value is None:
        return 0
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(value))
