"""Build the default plan templates `plan_en.xlsx` and `plan_zh.xlsx` (SPEC.md sections 4 and 5).

    python templates/make_templates.py          # rewrites both files beside this script

The templates are ordinary .xlsx files a finance person can restyle in Excel or WPS.  Cells hold Jinja2
(`{{ headline.target_sales }}`, `{{ row.month }}`); a table's data row sits between a `{% for row in <table> %}`
row and an `{% endfor %}` row, and the render engine (`goalsheet.render`) repeats it once per table row,
stretching the SUM totals under it, the table's defined name, its autofilter, conditional formats and the
chart series that read it.  Which column goes where comes from `goalsheet.report.layout.LAYOUT`, so the templates
and the context that fills them cannot drift apart.
"""
from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.drawing.text import RichTextProperties
from openpyxl.chart.data_source import StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.pagebreak import Break
from openpyxl.workbook.properties import CalcProperties

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:       # run as a script from a checkout
    sys.path.insert(0, str(HERE.parent))

from goalsheet.report import printing  # noqa: E402
from goalsheet.report.layout import (DATE_FORMAT, HEADLINE, LAYOUT, MONTH_FORMAT, NUMBER_FORMATS, Col,  # noqa: E402
                                     SheetLayout)
from goalsheet.report.words import SUMMARY_EN, SUMMARY_ZH  # noqa: E402
from goalsheet.words import Phrase  # noqa: E402

# Row numbers of every table sheet (before rendering).
TITLE_ROW, NOTE_ROW, HEADER_ROW, FOR_ROW, BODY_ROW, ENDFOR_ROW, TOTAL_ROW = 1, 2, 4, 5, 6, 7, 8

NAVY = "1F3864"
HEADER_FILL = PatternFill("solid", fgColor=NAVY)
TOTAL_FILL = PatternFill("solid", fgColor="D9E1F2")
BAND_FILL = PatternFill("solid", fgColor="F2F2F2")
GREEN_FILL = PatternFill("solid", fgColor="C6EFCE")
AMBER_FILL = PatternFill("solid", fgColor="FFEB9C")
RED_FILL = PatternFill("solid", fgColor="FFC7CE")
GREEN_FONT_COLOR, RED_FONT_COLOR, AMBER_FONT_COLOR = "006100", "9C0006", "9C5700"
THIN = Side(style="thin", color="8EA9DB")
AXIS_MONTH_FORMAT = {"en": "mmm", "zh": 'm"月"'}     # the year is in the title
# a chart on its own page after the table (12 months, a handful of scenarios: no repeated header)
CHARTS_BELOW = ("monthly", "cash", "scenarios")
CHART_ROWS = 20          # rows a chart under a table takes (its height 9.5 cm at the default row height)
# The Profit sheet, under its table: the rows of the SKUs with the largest sales again (the chart's data, under
# the header the printed page repeats), their "store / SKU" labels beside them, and the chart under them.
TOP_NOTE_ROW, TOP_FOR_ROW, TOP_BODY_ROW, TOP_ENDFOR_ROW, TOP_CHART_ROW = 10, 11, 12, 13, 15
ACTUAL_KEYS = ("actual_sales", "variance", "reforecast", "earned", "paid", "forecast", "true_up")
FONTS = {"en": "Calibri", "zh": "Microsoft YaHei"}

# What each table sheet says under its title (a Jinja expression of the context).
NOTES = {
    "monthly": "{{ amounts_in }}. {{ actuals_note }}",
    "tracking": "{{ amounts_in }}. {{ actuals_note }}",
    "profit": "{{ profit_note }}",
    "products": "{{ products_note }}",
    "bonus": "{{ amounts_in }}. {{ actuals_note }}",
    "assumptions": "{{ source_note }}",
    "checks": "{{ checks_note }}",
    "cash": "{{ cash_note }}",
}
CHART_TEXT = {
    "en": {"monthly": ("Monthly target vs actual", "Sales"), "cash": ("Cash balance at month end", "Balance"),
           "profit": ("Where the money per unit goes (base currency)", "Per unit")},
    "zh": {"monthly": ("月度目标与实际", "销售额"), "cash": ("月末现金余额", "余额"),
           "profit": ("单件收入去向（本位币）", "每件")},
}
TOP_NOTE = {
    "en": "The {{ profit_top | length }} SKUs with the largest sales in the plan year, largest first: where the "
          "money per unit goes (chart below)",
    "zh": "计划年度销售额最大的 {{ profit_top | length }} 个SKU（从大到小）：单件收入去向见下图",
}
LABELS = {
    "en": {"total": "Total", "title": "Annual plan {{ headline.plan_year }}", "warnings": "Warnings",
           "headline": "Headline figures", "summary_note": "{{ source_note }}", "standing": "Where the year stands",
           "pass": "PASS", "fail": "FAIL"},
    "zh": {"total": "合计", "title": "{{ headline.plan_year }} 年度计划", "warnings": "警告",
           "headline": "核心数据", "summary_note": "{{ source_note }}", "standing": "年度进展",
           "pass": "通过", "fail": "未通过"},
}
CHART_CM = (14.0, 25.0)  # height, width of a chart on its sheet (`printing.fit_pages` fits it to its page)
BOOLEAN_COLUMN = "Z"     # the Summary's hidden column holding the TRUE/FALSE of its yes/no figures


def _font(lang: str, **kw) -> Font:
    return Font(name=FONTS[lang], **kw)


def _col_index(layout: SheetLayout, key: str) -> int:
    for i, col in enumerate(layout.columns, start=1):
        if col.key == key:
            return i
    raise KeyError(key)


def _width(col: Col, lang: str = "en") -> float:
    """The column's width: its layout's, or its kind's; never narrower than the longest word of its header
    (a bold letter is about 1.1 digits wide; Chinese headers wrap between any two characters)."""
    width = col.width or {"text": 14, "month": 11, "pct": 12, "int": 9, "units": 11}.get(col.fmt, 14)
    words = (col.zh if lang == "zh" else col.en).split()
    longest = max((len(w) for w in words if w.isascii()), default=0)
    return max(width, round(longest * 1.1 + 1.5, 1))


def _number_format(col: Col, lang: str) -> str:
    if col.fmt == "date":
        return DATE_FORMAT[lang]
    return MONTH_FORMAT[lang] if col.fmt == "month" else NUMBER_FORMATS[col.fmt]


def add_table_sheet(wb: Workbook, layout: SheetLayout, lang: str) -> None:
    ws = wb.create_sheet(layout.zh if lang == "zh" else layout.en)
    ncols = len(layout.columns)
    last = get_column_letter(ncols)
    title = layout.title_zh if lang == "zh" else layout.title_en
    ws.cell(TITLE_ROW, 1, f"{title} · {{{{ headline.plan_year }}}}").font = _font(lang, size=14, bold=True,
                                                                                   color=NAVY)
    note = NOTES.get(layout.key, "{{ amounts_in }}")
    ws.cell(NOTE_ROW, 1, note).font = _font(lang, italic=True, color="595959")
    ws.cell(FOR_ROW, 1, f"{{% for row in {layout.key} %}}")
    ws.cell(ENDFOR_ROW, 1, "{% endfor %}")
    has_total = any(c.total for c in layout.columns)
    for i, col in enumerate(layout.columns, start=1):
        letter = get_column_letter(i)
        head = ws.cell(HEADER_ROW, i, col.zh if lang == "zh" else col.en)
        head.font = _font(lang, bold=True, color="FFFFFF")
        head.fill = HEADER_FILL
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        head.border = Border(bottom=THIN)
        _body_cell(ws, layout, col, i, BODY_ROW, lang)
        if has_total:
            cell = ws.cell(TOTAL_ROW, i)
            cell.fill = TOTAL_FILL
            cell.font = _font(lang, bold=True)
            cell.border = Border(top=Side(style="thin", color=NAVY), bottom=Side(style="double", color=NAVY))
            if col.total and layout.key == "bonus":     # the operators' own Total rows are not added again
                period = get_column_letter(_col_index(layout, "period"))
                cell.value = (f'=SUMIF({period}{BODY_ROW}:{period}{BODY_ROW},"<>{LABELS[lang]["total"]}",'
                              f'{letter}{BODY_ROW}:{letter}{BODY_ROW})')
            elif col.total:
                cell.value = f"=SUM({letter}{BODY_ROW}:{letter}{BODY_ROW})"
            if col.total:
                cell.number_format = _number_format(col, lang)
                if col.key in ACTUAL_KEYS:      # blank, not 0, under a column without actuals
                    cell.number_format += ';""'

        ws.column_dimensions[letter].width = _width(col, lang)
    if has_total:
        ws.cell(TOTAL_ROW, 1, LABELS[lang]["total"])
    # every header whole, wrapped at its column's width (the long Chinese ones too)
    widths = [_width(c, lang) for c in layout.columns]
    ws.row_dimensions[HEADER_ROW].height = printing.header_height(layout, lang, widths)

    table = f"$A${HEADER_ROW}:${last}${BODY_ROW}"
    wb.defined_names[f"gs_{layout.key}"] = DefinedName(f"gs_{layout.key}",
                                                       attr_text=f"{_quote(ws.title)}!{table}")
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{BODY_ROW}"
    ws.freeze_panes = ws.cell(FOR_ROW, 2 if layout.key in ("stores", "operators", "profit", "products") else 1)
    # Printing (goalsheet/report/printing.py): the title and note in the page header and footer, the table from
    # its header row, the header row repeated on every page down and the key columns on every page across; a
    # chart after the table on a page of its own.  The scale, the column breaks and the charts' sizes are set
    # when the plan is written, from the widths of its figures.
    end = TOTAL_ROW
    if layout.key in CHARTS_BELOW:
        end = TOTAL_ROW + 3 + CHART_ROWS
        ws.row_breaks.append(Break(id=TOTAL_ROW + 1))
    else:
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    keys = printing.key_columns(layout)
    if keys:
        ws.print_title_cols = f"A:{get_column_letter(keys)}"
    if layout.key == "profit":
        end = _largest_sellers(ws, layout, lang)
    ws.print_area = f"A{HEADER_ROW}:{last}{end}"
    _page_setup(ws, header=f"&B{title} · {{{{ headline.plan_year }}}}", footer=f"&I{note}")
    _conditional_formats(ws, layout, lang)
    _charts(ws, layout, lang)


def _body_cell(ws, layout: SheetLayout, col: Col, i: int, row: int, lang: str):
    """The data row's cell of column `col` (the i-th): its value, number format, font and alignment."""
    body = ws.cell(row, i, f"{{{{ row.{col.key} }}}}")
    if layout.wide_months and col.key == "total":      # a live row total over Jan..Dec
        body.value = f"=SUM(B{row}:M{row})"
    body.number_format = _number_format(col, lang)
    body.font = _font(lang)
    body.border = Border(bottom=Side(style="hair", color="BFBFBF"))
    if col.fmt in ("text", "note", "setting"):       # long notes wrap (the row grows in Excel, WPS and LibreOffice)
        body.alignment = Alignment(horizontal="left", wrap_text=bool(col.width and col.width >= 30))
    if layout.key == "assumptions":          # a wrapped setting or note reads from the top beside its value
        body.alignment = Alignment(horizontal=body.alignment.horizontal or "general", vertical="top",
                                   wrap_text=body.alignment.wrap_text)
    return body


def _largest_sellers(ws, layout: SheetLayout, lang: str) -> int:
    """The Profit sheet's second block, on a page of its own: the rows of the SKUs with the largest sales (the
    context's `profit_top`), each with its "store / SKU" label in the column after the table, the chart of
    them below.  Returns the last row the print area takes."""
    ws.row_breaks.append(Break(id=TOP_NOTE_ROW - 1))
    ws.cell(TOP_NOTE_ROW, 1, TOP_NOTE[lang]).font = _font(lang, italic=True, color="595959")
    ws.cell(TOP_FOR_ROW, 1, "{% for row in profit_top %}")
    ws.cell(TOP_ENDFOR_ROW, 1, "{% endfor %}")
    for i, col in enumerate(layout.columns, start=1):
        _body_cell(ws, layout, col, i, TOP_BODY_ROW, lang)
    label = ws.cell(TOP_BODY_ROW, len(layout.columns) + 1, "{{ row.label }}")
    label.font = _font(lang, color="595959")
    ws.column_dimensions[get_column_letter(len(layout.columns) + 1)].width = 24
    return TOP_CHART_ROW + CHART_ROWS


def _quote(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _page_setup(ws, scale: int = printing.MIN_SCALE, header: str | None = None, footer: str | None = None) -> None:
    """A4 landscape at `scale` % (never fitted to a page: that would shrink the text), pages numbered across
    then down; `header` and `footer` (page codes and Jinja, e.g. the title and the note) at the left of every
    page, the page number at the right of the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.scale = scale
    ws.page_setup.pageOrder = "overThenDown"
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.print_options.horizontalCentered = True
    for side, inches in printing.MARGINS.items():
        setattr(ws.page_margins, side, inches)
    if header:
        ws.oddHeader.left.text = header
        ws.oddHeader.left.size = int(printing.TITLE_FONT)
        ws.oddHeader.left.color = NAVY
    if footer:
        ws.oddFooter.left.text = footer
        ws.oddFooter.left.size = int(printing.BODY_FONT)
        ws.oddFooter.left.color = "595959"
        ws.oddFooter.right.text = "&P / &N"
        ws.oddFooter.right.size = int(printing.BODY_FONT)


def _conditional_formats(ws, layout: SheetLayout, lang: str) -> None:
    ncols = len(layout.columns)
    red = dict(fill=RED_FILL, font=Font(color=RED_FONT_COLOR))
    green = dict(fill=GREEN_FILL, font=Font(color=GREEN_FONT_COLOR))
    amber = dict(fill=AMBER_FILL, font=Font(color=AMBER_FONT_COLOR))
    # Attainment colours: below 80 % red, 80-100 % amber, 100 % and more green (blank: no colour).
    for key in ("attainment",):
        if any(c.key == key for c in layout.columns):
            c = get_column_letter(_col_index(layout, key))
            ref = f"{c}{BODY_ROW}:{c}{BODY_ROW}"
            ws.conditional_formatting.add(ref, FormulaRule(formula=[f'AND(ISNUMBER({c}{BODY_ROW}),{c}{BODY_ROW}>=1)'],
                                                           **green))
            ws.conditional_formatting.add(ref, FormulaRule(
                formula=[f'AND(ISNUMBER({c}{BODY_ROW}),{c}{BODY_ROW}>=0.8,{c}{BODY_ROW}<1)'], **amber))
            ws.conditional_formatting.add(ref, FormulaRule(formula=[f'AND(ISNUMBER({c}{BODY_ROW}),{c}{BODY_ROW}<0.8)'],
                                                           **red))
    if layout.key in ("profit", "products"):
        # A loss-making SKU is red across its row (the Profit sheet's largest sellers too).
        c = get_column_letter(_col_index(layout, "unit_net_base"))
        for row in (BODY_ROW, TOP_BODY_ROW) if layout.key == "profit" else (BODY_ROW,):
            ws.conditional_formatting.add(f"A{row}:{get_column_letter(ncols)}{row}", FormulaRule(
                formula=[f'AND(ISNUMBER(${c}{row}),${c}{row}<0)'], **red))
    if layout.key == "cash":
        for key in ("closing_balance", "downside_closing_balance"):
            c = get_column_letter(_col_index(layout, key))
            ws.conditional_formatting.add(f"{c}{BODY_ROW}:{c}{BODY_ROW}", CellIsRule(operator="lessThan",
                                                                                     formula=["0"], **red))
    if layout.key == "checks":
        c = get_column_letter(_col_index(layout, "result"))
        ref = f"{c}{BODY_ROW}:{c}{BODY_ROW}"
        words = LABELS[lang]
        ws.conditional_formatting.add(ref, FormulaRule(formula=[f'{c}{BODY_ROW}="{words["pass"]}"'], **green))
        ws.conditional_formatting.add(ref, FormulaRule(formula=[f'{c}{BODY_ROW}="{words["fail"]}"'], **red))
    if layout.key == "monthly":
        c = get_column_letter(_col_index(layout, "new_sales"))
        ws.conditional_formatting.add(f"{c}{BODY_ROW}:{c}{BODY_ROW}", CellIsRule(operator="lessThan",
                                                                                 formula=["0"], **amber))


def _series(ws, col: int, row: int = BODY_ROW) -> Series:
    """One series: the values of the table's data row (stretched by the engine), titled by its header."""
    letter = get_column_letter(col)
    series = Series(Reference(ws, min_col=col, min_row=row, max_row=row))
    series.val.numRef.f = _row_range(ws, col, row)
    series.tx = SeriesLabel(strRef=StrRef(f"{_quote(ws.title)}!${letter}${HEADER_ROW}"))
    return series


def _row_range(ws, col: int, row: int = BODY_ROW) -> str:
    """'Sheet'!$B$6:$B$6: written as a range (not one cell) so it stretches over the generated rows."""
    letter = get_column_letter(col)
    return f"{_quote(ws.title)}!${letter}${row}:${letter}${row}"


def _categories(chart, ws, col: int, row: int = BODY_ROW) -> None:
    chart.set_categories(Reference(ws, min_col=col, min_row=row, max_row=row))
    for series in chart.series:
        ref = series.cat.numRef or series.cat.strRef
        ref.f = _row_range(ws, col, row)


def _text(size: float, bold: bool = False) -> RichText:
    """Chart text of `size` points (CHART_FONT: 8 pt or more at the smallest print scale)."""
    props = CharacterProperties(sz=int(size * 100), b=bold)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def _title(text: str, size: float) -> Title:
    props = CharacterProperties(sz=int(size * 100), b=True)
    return Title(tx=Text(rich=RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props),
                                                    r=[RegularTextRun(rPr=props, t=text)])])), overlay=False)


def _charts(ws, layout: SheetLayout, lang: str, anchor: str | None = None, target=None) -> None:
    """The native charts of SPEC 4: Monthly and Cash on a page of their own after their table, Profit under
    the rows of its largest sellers; their size is set when the plan is written (`printing.fit_pages`)."""
    target = target or ws
    if anchor is None:      # after the key columns, which print on every page across
        column = get_column_letter(printing.key_columns(layout) + 1)
        anchor = f"{column}{TOP_CHART_ROW if layout.key == 'profit' else TOTAL_ROW + 3}"
    texts = CHART_TEXT[lang]
    if layout.key == "monthly":
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "clustered"
        for key in ("target_sales", "actual_sales"):
            i = _col_index(layout, key)
            chart.series.append(_series(ws, i))
        line = LineChart()
        i = _col_index(layout, "reforecast")
        line.series.append(_series(ws, i))
        _categories(line, ws, 1)
        _categories(chart, ws, 1)
        chart += line
        chart.x_axis.number_format = AXIS_MONTH_FORMAT[lang]
    elif layout.key == "cash":
        chart = LineChart()
        for key in ("closing_balance", "downside_closing_balance"):
            i = _col_index(layout, key)
            chart.series.append(_series(ws, i))
        _categories(chart, ws, 1)
        chart.x_axis.number_format = AXIS_MONTH_FORMAT[lang]
    elif layout.key == "profit":
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "stacked"
        chart.overlap = 100
        first = _col_index(layout, "referral_base")
        last = _col_index(layout, "unit_net_base")
        for i in range(first, last + 1):
            chart.series.append(_series(ws, i, TOP_BODY_ROW))
        _categories(chart, ws, len(layout.columns) + 1, TOP_BODY_ROW)      # "store / SKU"
        chart.x_axis.scaling.orientation = "maxMin"      # the largest seller at the top
    else:
        return
    title, axis_title = texts[layout.key]
    chart.title = _title(title, printing.CHART_FONT + 2)
    chart.y_axis.title = _title(axis_title, printing.CHART_FONT)        # the value axis
    chart.y_axis.majorGridlines = chart.y_axis.majorGridlines
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    for axis in (chart.x_axis, chart.y_axis):
        axis.txPr = _text(printing.CHART_FONT)
    for part in [chart] + list(getattr(chart, "_charts", [])):
        if isinstance(part, LineChart):
            for series in part.series:
                series.smooth = False
    chart.legend.position = "r" if layout.key == "profit" else "b"     # Profit: 12 series beside 10 bars
    chart.legend.txPr = _text(printing.CHART_FONT)
    chart.height, chart.width = 9.5, 18
    if target is ws:
        chart.height, chart.width = CHART_CM
    chart.y_axis.number_format = "#,##0"
    target.add_chart(chart, anchor)


def add_summary(wb: Workbook, lang: str) -> None:
    ws = wb.active
    ws.title = SUMMARY_ZH if lang == "zh" else SUMMARY_EN
    labels = LABELS[lang]
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["C"].width = 4
    # A yes/no figure shows as a word in B (是 / Yes); its defined name holds the TRUE/FALSE itself (SPEC
    # section 4), in a hidden column beyond the charts, so formulas reading the name keep a boolean.
    ws.column_dimensions[BOOLEAN_COLUMN].hidden = True
    ws.cell(1, 1, labels["title"]).font = _font(lang, size=20, bold=True, color=NAVY)
    ws.row_dimensions[1].height = 27
    ws.cell(2, 1, labels["summary_note"]).font = _font(lang, italic=True, color="595959")
    # The verdict on funding, in words and colour (the colour follows gs_funding_feasible).
    ws.merge_cells("A4:B4")
    verdict = ws.cell(4, 1, "{{ verdict }}")
    verdict.font = _font(lang, size=15, bold=True)
    verdict.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[4].height = 36
    # gs_verdict (red / amber / green, for other tools) in the hidden column; the banner's colour follows it
    ws.cell(4, column_index_from_string(BOOLEAN_COLUMN), "{{ headline.verdict }}")
    verdict_cell = f"${BOOLEAN_COLUMN}$4"
    wb.defined_names["gs_verdict"] = DefinedName("gs_verdict", attr_text=f"{_quote(ws.title)}!{verdict_cell}")
    ws.merge_cells("A5:B5")
    detail = ws.cell(5, 1, "{{ verdict_detail }}")
    detail.alignment = Alignment(wrap_text=True, vertical="top")
    detail.font = _font(lang, color="404040")
    ws.row_dimensions[5].height = 84
    ws.cell(7, 1, labels["headline"]).font = _font(lang, size=12, bold=True, color=NAVY)
    row = 8
    cells = {}
    for key, en, zh, fmt in HEADLINE:
        label = ws.cell(row, 1, zh if lang == "zh" else en)
        worded = fmt in ("bool", "word")
        value = ws.cell(row, 2, f"{{{{ headline_words.{key} }}}}" if worded else f"{{{{ headline.{key} }}}}")
        value.number_format = NUMBER_FORMATS[fmt]
        value.alignment = Alignment(horizontal="right")
        big = key in ("target_sales", "target_net_profit", "max_reachable_sales")
        label.font = _font(lang, size=14 if big else 11, bold=big)
        value.font = _font(lang, size=14 if big else 11, bold=big or worded)
        if big:
            ws.row_dimensions[row].height = 21
        for c in (label, value):
            c.border = Border(bottom=Side(style="hair", color="BFBFBF"))
        cells[key] = f"$B${row}"
        if worded:
            ws.cell(row, column_index_from_string(BOOLEAN_COLUMN), f"{{{{ headline.{key} }}}}")
            cells[key] = f"${BOOLEAN_COLUMN}${row}"
        wb.defined_names[f"gs_{key}"] = DefinedName(f"gs_{key}", attr_text=f"{_quote(ws.title)}!{cells[key]}")
        row += 1
    feasible = cells["funding_feasible"]
    ref = f"B{feasible.rsplit('$', 1)[1]}"
    ws.conditional_formatting.add(ref, FormulaRule(formula=[f"{feasible}=TRUE"], fill=GREEN_FILL,
                                                   font=Font(color=GREEN_FONT_COLOR, bold=True)))
    ws.conditional_formatting.add(ref, FormulaRule(formula=[f"{feasible}=FALSE"], fill=RED_FILL,
                                                   font=Font(color=RED_FONT_COLOR, bold=True)))
    for level, fill, color in (("green", GREEN_FILL, GREEN_FONT_COLOR), ("amber", AMBER_FILL, AMBER_FONT_COLOR),
                               ("red", RED_FILL, RED_FONT_COLOR)):
        ws.conditional_formatting.add("A4:B4", FormulaRule(formula=[f'{verdict_cell}="{level}"'], fill=fill,
                                                           font=Font(color=color, bold=True)))
    # Where the year stands, in words (one line a row, like the warnings: merged wrapped cells do not grow)
    row += 1
    ws.cell(row, 1, labels["standing"]).font = _font(lang, size=12, bold=True, color=NAVY)
    ws.cell(row + 1, 1, "{% for s in standing_lines %}")
    line = ws.cell(row + 2, 1, "{{ s.text }}")
    line.font = _font(lang, color="404040")
    ws.cell(row + 3, 1, "{% endfor %}")
    row += 3
    row += 2
    ws.cell(row, 1, labels["warnings"]).font = _font(lang, size=12, bold=True, color=NAVY)
    ws.cell(row + 1, 1, "{% for w in warning_lines %}")
    w = ws.cell(row + 2, 1, "{{ w.text }}")
    w.font = _font(lang, color="9C5700")
    ws.cell(row + 3, 1, "{% endfor %}")
    ws.freeze_panes = None
    # the verdict, the headline figures and the two charts beside them on the first page, the standing and the
    # warnings after it
    ws.row_breaks.append(Break(id=SUMMARY_FIRST_PAGE))
    _page_setup(ws, scale=_summary_scale(ws))
    ws.print_area = f"A1:{get_column_letter(_summary_last_column(ws))}{row + 3}"


SUMMARY_FIRST_PAGE = 7 + len(HEADLINE)          # the last row of the headline figures
SUMMARY_TEXT_COLUMNS = 3                        # A to C: the words and figures; the charts beside them


def _summary_heights(ws) -> list[float]:
    """The heights of the Summary's rows 1 .. SUMMARY_FIRST_PAGE (index 0 is row 1)."""
    return [ws.row_dimensions[r].height or printing.ROW_HEIGHT for r in range(1, SUMMARY_FIRST_PAGE + 1)]


def _summary_scale(ws) -> int:
    """The largest scale at which the Summary's first page (rows 1 .. SUMMARY_FIRST_PAGE) fits one page tall,
    never below `printing.MIN_SCALE`."""
    _room_w, room_h = printing.body()
    fit = room_h * printing.HEIGHT_SLACK / sum(_summary_heights(ws))
    return max(printing.MIN_SCALE, min(100, int(fit * 100)))


def _summary_last_column(ws) -> int:
    """The last column of the Summary's page at its scale: A to C, then as many default columns as fit."""
    room_w, _room_h = printing.body()
    room = room_w * printing.WIDTH_SLACK * 100 / ws.page_setup.scale
    room -= sum(printing.column_points(ws.column_dimensions[get_column_letter(c)].width)
                for c in range(1, SUMMARY_TEXT_COLUMNS + 1))
    return SUMMARY_TEXT_COLUMNS + int(room // printing.column_points(None))


def add_summary_charts(wb: Workbook, lang: str) -> None:
    """The monthly and cash charts again on the Summary, beside the headline figures."""
    summary = wb.worksheets[0]
    by_key = {layout.key: layout for layout in LAYOUT}
    monthly = wb[by_key["monthly"].zh if lang == "zh" else by_key["monthly"].en]
    cash = wb[by_key["cash"].zh if lang == "zh" else by_key["cash"].en]
    # both beside the verdict and the headline figures (rows 4 .. SUMMARY_FIRST_PAGE), one above the other,
    # anchored to cells (their size follows the cells', in every application)
    heights = _summary_heights(summary)[3:]
    half, second = sum(heights) / 2, 4
    while sum(heights[:second - 4]) < half:
        second += 1
    last = _summary_last_column(summary)
    _charts(monthly, by_key["monthly"], lang, anchor="D4", target=summary)
    _charts(cash, by_key["cash"], lang, anchor=f"D{second}", target=summary)
    for chart, (top, bottom) in zip(summary._charts, ((4, second - 1), (second, SUMMARY_FIRST_PAGE))):
        chart.anchor = printing.cell_anchor(top - 1, SUMMARY_TEXT_COLUMNS, bottom - 1, last)


SCENARIO_CHART_TEXT = {"en": ("Net profit and peak cash need by scenario", "Amount"),
                       "zh": ("各情景的净利润与资金峰值缺口", "金额")}
SCENARIO_CHART_ROWS = 22


def add_scenarios_extras(wb: Workbook, lang: str) -> None:
    """The Scenarios sheet's chart (target net profit and peak cash need, a pair of bars per scenario) under its
    table, its plan's own row shaded, and its print area stretched over the chart: one landscape page."""
    layout = next(x for x in LAYOUT if x.key == "scenarios")
    ws = wb[layout.zh if lang == "zh" else layout.en]
    last = get_column_letter(len(layout.columns))
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    for key in ("target_net_profit", "peak_cash_need"):
        chart.series.append(_series(ws, _col_index(layout, key)))
    _categories(chart, ws, _col_index(layout, "scenario"))
    title, axis_title = SCENARIO_CHART_TEXT[lang]
    chart.title, chart.y_axis.title = _title(title, 14.0), _title(axis_title, printing.CHART_FONT)
    chart.y_axis.number_format = "#,##0"
    chart.y_axis.majorGridlines = chart.y_axis.majorGridlines
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "b"
    chart.y_axis.txPr = _text(printing.CHART_FONT)      # 12 pt: 8.9 pt at the smallest print scale
    chart.x_axis.txPr = _text(printing.CHART_FONT)
    chart.x_axis.txPr.bodyPr = RichTextProperties(rot=-2700000, vert="horz")   # long names at 45°, never shrunk
    chart.legend.txPr = _text(printing.CHART_FONT)
    chart.height, chart.width = 10.5, 30
    ws.add_chart(chart, f"A{TOTAL_ROW + 3}")
    # the plan's own row (always the first) is the one that changes nothing: shaded and bold
    changes = get_column_letter(_col_index(layout, "changes"))
    unchanged = Phrase("scenario_no_change").text(lang).replace('"', '""')
    ws.conditional_formatting.add(f"A{BODY_ROW}:{last}{BODY_ROW}", FormulaRule(
        formula=[f'${changes}{BODY_ROW}="{unchanged}"'], fill=TOTAL_FILL, font=Font(bold=True)))
    for i in range(1, len(layout.columns) + 1):   # a tall row (wrapped changes) reads from the top
        body = ws.cell(BODY_ROW, i)
        body.alignment = Alignment(horizontal=body.alignment.horizontal, vertical="top")
    for key in ("scenario", "changes", "binding"):         # names, changes and limits wrap, their rows made tall enough by the report
        ws.cell(BODY_ROW, _col_index(layout, key)).alignment = Alignment(horizontal="left", vertical="top",
                                                                         wrap_text=True)
    for key in ("fundable",):
        ws.cell(BODY_ROW, _col_index(layout, key)).alignment = Alignment(horizontal="center", vertical="top")
    ws.row_dimensions[HEADER_ROW].height = 44
    ws.print_area = f"A{HEADER_ROW}:{last}{TOTAL_ROW + 3 + SCENARIO_CHART_ROWS}"
    ws.page_setup.fitToHeight = 1


def build(lang: str) -> Workbook:
    wb = Workbook()
    add_summary(wb, lang)
    for layout in LAYOUT:
        add_table_sheet(wb, layout, lang)
    add_summary_charts(wb, lang)
    add_scenarios_extras(wb, lang)
    wb.calculation = CalcProperties(fullCalcOnLoad=True)
    wb.properties.title = "goalsheet plan template"
    wb.properties.creator = "goalsheet"
    return wb


def main(out_dir: Path = HERE) -> list[Path]:
    written = []
    for lang in ("en", "zh"):
        path = out_dir / f"plan_{lang}.xlsx"
        build(lang).save(path)
        written.append(path)
    return written


if __name__ == "__main__":
    for p in main():
        print(f"wrote {p}")
