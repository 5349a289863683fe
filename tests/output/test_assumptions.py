"""The Assumptions sheet: Chinese labels and notes in a Chinese workbook, number formats by kind, rows tall
enough for wrapped text (LibreOffice does not grow them)."""
from __future__ import annotations

import sys
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "plan"))
from golden_book import golden_book  # noqa: E402
from readback import name_target  # noqa: E402

from goalsheet.report.assumptions import worded_assumptions  # noqa: E402
from goalsheet.report.context import text_lines  # noqa: E402
from goalsheet.report.layout import LINE_HEIGHT  # noqa: E402
from goalsheet.report.workbook import write_plan_workbook  # noqa: E402
from goalsheet.plan import make_plan  # noqa: E402


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("assumptions")
    plan, _ = make_plan(golden_book())
    out = {}
    for lang in ("en", "zh"):
        path = tmp / f"plan_{lang}.xlsx"
        write_plan_workbook(plan, path, lang=lang)
        out[lang] = openpyxl.load_workbook(path)
    return plan, out


def cells(wb) -> list[tuple]:
    """(setting cell, value cell, source cell, note cell, row height) of every Assumptions row."""
    sheet, ref = name_target(wb, "gs_assumptions")
    c1, r1, _c2, r2 = range_boundaries(ref)
    ws = wb[sheet]
    return [(ws.cell(r, c1), ws.cell(r, c1 + 1), ws.cell(r, c1 + 2), ws.cell(r, c1 + 3), ws.row_dimensions[r].height)
            for r in range(r1 + 1, r2 + 1)]


def row_of(wb, start: str):
    return next(r for r in cells(wb) if str(r[0].value).startswith(start))


def test_chinese_workbook_names_settings_in_chinese_beside_the_key(books):
    """zh: `月增长率 (monthly_growth)` (schema.SETTINGS zh), its note the explanation `goalsheet init` gives
    (inputs.blank.EXPLAIN); derived rows too (the golden book leaves plan_year out: `计划年度 (plan_year)`, derived): `广告占比 (ad_rate) [store / sku]`, `季节性指数 (seasonality_index) [1月]`,
    and the default rows name the sheet and column in Chinese.  English keeps English."""
    _plan, wb = books
    zh, en = wb["zh"], wb["en"]
    plan_year = row_of(zh, "计划年度 (plan_year)")
    assert plan_year[3].value.startswith("未设置") and plan_year[2].value == "推算"
    assert row_of(zh, "月增长率 (monthly_growth)")[3].value == "基准月销售额的月环比增长率"
    assert row_of(zh, "广告占比 (ad_rate) [2 个SKU]")[3].value.startswith("最近基准月数的广告花费 ÷ 销售额；")
    assert row_of(zh, "季节性指数 (seasonality_index) [1月]")[2].value == "推算"
    assert row_of(zh, "历史月份 (history)")[3].value == "使用的历史月份"
    assert row_of(zh, "输入文件 (input)")
    labels = [str(r[0].value) for r in cells(zh)]
    assert not any(label in ("plan_year", "monthly_growth", "history", "bridge_months") for label in labels)
    assert row_of(en, "plan_year")[3].value.startswith("plan year")
    assert row_of(en, "monthly_growth")[3].value == "month-on-month growth of the baseline"
    assert row_of(en, "seasonality_index [Jan]")[3].value.startswith("history")
    assert not any("计划" in str(r[0].value) for r in cells(en))


def test_values_formatted_by_kind(books):
    """Rates as percentages (monthly_growth 0.03 -> 0.00%: 3.00%), money with thousands separators
    (cash_available 2 000 000 -> #,##0.00: 2,000,000.00), the plan year as a plain whole number (0: 2026, not
    2,026), seasonality indices to 6 decimals; values stay numbers."""
    _plan, wb = books
    for lang, growth, cash, year, jan in (("en", "monthly_growth", "cash_available", "plan_year",
                                           "seasonality_index [Jan]"),
                                          ("zh", "月增长率", "可用资金", "计划年度", "季节性指数 (seasonality_index) [1月]")):
        book = wb[lang]
        g = row_of(book, growth)[1]
        assert g.value == 0.03 and g.number_format == "0.00%"
        c = row_of(book, cash)[1]
        assert c.value == 2_000_000 and c.number_format == "#,##0.00"
        y = row_of(book, year)[1]
        assert y.value == 2026 and y.number_format == "0"
        s = row_of(book, jan)[1]
        assert isinstance(s.value, float) and s.number_format == "0.000000"


def test_text_lines_by_hand():
    """A column 20 wide holds 20 / 0.85 = 23 letters or 10 Chinese characters a line:
    'cash the business can put in' (28 letters incl. spaces; breaks after 'can ', 20 letters = 17.0) -> 2 lines;
    '企业可投入的资金，本位币' (12 × 2 = 24 > 20) -> 2 lines; 'cash' -> 1; '' -> 1."""
    assert text_lines("cash the business can put in", 20) == 2
    assert text_lines("企业可投入的资金，本位币", 20) == 2
    assert text_lines("cash", 20) == 1
    assert text_lines("", 20) == 1


def test_wrapped_rows_get_a_height_for_every_line(books):
    """target_mode's note ('growth = current level + growth; total = reverse calculation from target_total',
    78 characters × 0.85 = 66.3 > 55, the Note column's width: 2 lines) and seasonality's Chinese note
    ('history（按历史测算）、off（不考虑季节性），或 1-12 月的 12 个逗号分隔指数': over 55 wide: 2 lines) get a custom
    height of 2 lines; a one-line row (credit_line) keeps the default height."""
    _plan, wb = books
    for lang, key, short in (("en", "target_mode", "credit_line"), ("zh", "季节性 (seasonality)", "授信额度")):
        setting, _v, _s, note, height = row_of(wb[lang], key)
        ws = setting.parent
        width = ws.column_dimensions[note.column_letter].width
        lines = max(text_lines(note.value, width), text_lines(setting.value, ws.column_dimensions["A"].width))
        assert lines == 2
        assert height == pytest.approx(lines * LINE_HEIGHT)
        assert row_of(wb[lang], short)[4] is None


def test_sku_defaults_are_summarised_one_row_per_column_and_reason(books):
    """The golden book leaves vat_rate and dst_rate blank on its 6 SKUs (3 in Acme US, 3 in Acme DE): 12 per-SKU
    defaults become 4 rows, `SKUs: vat_rate [3 SKUs]` for marketplace US (0) and DE (0.19), and the same for
    dst_rate (0 in both); 3 SKUs are few enough to be named.  Per-store rows stay one per store."""
    plan, wb = books
    a = worded_assumptions(plan.tables["assumptions"])
    vat = a[a["setting"] == "SKUs: vat_rate [3 SKUs]"]
    assert list(vat["value"]) == [0, 0.19] and list(vat["format"]) == ["rate", "rate"]
    assert list(vat["note"]) == ["marketplace US; Acme US / US-LAMP-01, Acme US / US-BOTTLE-02, Acme US / US-ORG-03",
                                 "marketplace DE; Acme DE / DE-LAMP-01, Acme DE / DE-BOTTLE-02, Acme DE / DE-ORG-03"]
    assert len(a[a["setting"] == "SKUs: dst_rate [3 SKUs]"]) == 2
    assert not a["setting"].str.contains("US-LAMP-01 vat_rate").any()
    assert (a["setting"] == "Stores: Acme US monthly_fee").sum() == 1
    zh = row_of(wb["zh"], "产品: 增值税率 (vat_rate) [3 个SKU]")
    assert zh[3].value.startswith("按站点 US 的默认值；") and zh[1].number_format == "0.00%"


def test_many_skus_make_one_row_without_names():
    """1 000 SKUs of one store defaulted alike (vat_rate 0.2, marketplace UK) -> one row, value 0.2, count in
    the label, no SKU names (more than 3)."""
    from goalsheet.inputs.model import Default, Phrase
    from goalsheet.plan.assumptions import sku_defaults, sku_spread
    from goalsheet.report.assumptions import spread_words
    uk = Phrase("reason_marketplace", {"marketplace": "UK"})
    defaults = [Default("SKUs", f"S UK / K{i}", "vat_rate", 0.2, Phrase("reason_marketplace", {"marketplace": "UK"}))
                for i in range(1000)]
    groups = sku_defaults(defaults)
    assert list(groups) == [("vat_rate", uk)]
    spread = sku_spread([x.value for x in groups[("vat_rate", uk)]], "rate",
                        [x.row for x in defaults])
    assert spread.value == 0.2 and spread_words({"kind": spread.kind, **spread.args}) == ("", "")


def test_differing_values_show_the_median_and_range():
    """ad rates 0.10, 0.30, 0.20 -> median 0.20 (the middle one), range 10.00% to 30.00%, the 3 SKUs named;
    money 5, 7, 6, 100 -> median (6 + 7) / 2 = 6.5, 5.00 to 100.00, 4 SKUs: not named; texts 'a', 'b', 'a' ->
    '2 values'."""
    from goalsheet.plan.assumptions import sku_spread
    from goalsheet.report.assumptions import spread_words

    def words(spread):
        return spread_words({"kind": spread.kind, **spread.args})
    s = sku_spread([0.1, 0.3, 0.2], "rate", ["A / 1", "A / 2", "A / 3"])
    assert s.value == pytest.approx(0.2)
    assert words(s) == ("; median of 3, from 10.00% to 30.00%; A / 1, A / 2, A / 3",
                        "；3 个值的中位数，10.00% 至 30.00%；A / 1、A / 2、A / 3")
    m = sku_spread([5, 7, 6, 100], "money", ["x"] * 4)
    assert m.value == 6.5 and words(m)[0] == "; median of 4, from 5.00 to 100.00"
    t = sku_spread(["a", "b", "a"], "text", ["p", "q", "r"])
    assert t.value.text("en") == "2 values" and t.value.text("zh") == "2 个不同的值"
    assert words(t)[0].startswith("; 2 different values")


def test_the_planner_gives_codes_and_the_report_the_words():
    """The plan's Assumptions table holds no text of either language for its labels and notes, only codes and
    their arguments; the report words each code in English and Chinese (a derived new price: its method, in
    store currency; the goalsheet version: filled in by the report)."""
    from goalsheet import __version__
    plan, _ = make_plan(golden_book())
    a = plan.tables["assumptions"]
    assert not {"note", "setting_zh", "note_zh"} & set(a.columns)
    price = a[a["setting"] == "new_price [Acme US]"].iloc[0]
    assert (price["label_code"], price["note_code"]) == ("column", "new_price")
    worded = worded_assumptions(a).set_index("setting")
    assert worded.loc["new_price [Acme US]", "note"] == f"{price['note_args']['method']} (store currency)"
    assert worded.loc["new_price [Acme US]", "setting_zh"] == "新品客单价 (new_price) [Acme US]"
    assert worded.loc["goalsheet_version", "value"] == __version__
    assert worded.loc["history", "setting_zh"] == "历史月份 (history)"


def test_choice_values_are_words_of_the_books_language(books):
    """target_mode growth and seasonality history read 增长 and 按历史 in a Chinese workbook (the words `init`
    offers in its drop-downs), growth and history in an English one."""
    _plan, wb = books
    want = {"en": {"target_mode": "growth", "seasonality": "history"},
            "zh": {"target_mode": "增长", "seasonality": "按历史"}}
    for lang, values in want.items():
        found = {}
        for setting, value, *_ in cells(wb[lang]):
            for key in values:
                if isinstance(setting.value, str) and setting.value.endswith(f"{key})") or setting.value == key:
                    found[key] = value.value
        assert found == values, lang
