"""Choice values in the book's language (issue 15, `init` traps): `goalsheet init` offers each choice in the
words of the book (a Chinese book: 增长/总额 …) and the reader takes the English code, the English word or the
Chinese word for each, ignoring case and spaces (`schema.CHOICE_WORDS`, the one table of spellings)."""
from __future__ import annotations

import openpyxl
import pytest

from goalsheet.inputs import from_rows, load, schema
from goalsheet.inputs.columns import enum_value
from goalsheet.inputs.values import BadValue

from init.test_untouched import fill_required, untouched

CHOICE_COLUMNS = [(sheet, c) for sheet in schema.SHEETS for c in sheet.columns if c.kind == "enum"]


@pytest.mark.parametrize("sheet, column", CHOICE_COLUMNS, ids=[f"{s.key}.{c.key}" for s, c in CHOICE_COLUMNS])
def test_every_word_offered_reads_back_to_its_code(sheet, column):
    """Each drop-down word of each language, as offered and in other case and spacing, is its code."""
    for lang in ("en", "zh"):
        words = schema.choice_words(column, lang)
        assert len(words) == len(column.choices) and len(set(words)) == len(words)
        for word, code in zip(words, column.choices):
            for spelled in (word, f"  {word.upper()} ", word.title(), code):
                assert enum_value(column, spelled) == code, (lang, spelled)


def test_every_choice_column_has_its_chinese_words_or_stays_a_code():
    """Marketplaces and currencies stay codes in a Chinese book; every other choice has a Chinese word."""
    for _, column in CHOICE_COLUMNS:
        zh = schema.choice_words(column, "zh")
        if column.key in ("marketplace", "currency", "base_currency"):
            assert zh == column.choices
        else:
            assert all(any("\u4e00" <= ch <= "\u9fff" for ch in w) for w in zh), (column.key, zh)


@pytest.mark.parametrize("written, code", [("总额", "total"), ("Total", "total"), (" TOTAL ", "total"),
                                           ("总目标", "total"), ("增长", "growth"), ("growth", "growth")])
def test_target_mode_in_either_language(written, code):
    """Settings target_mode read from a workbook's rows, by hand."""
    book, problems = from_rows(_seller({"target_mode": written, "target_total": 1_000_000}))
    assert book is not None, [str(p) for p in problems]
    assert book.settings["target_mode"] == code


def test_a_word_that_is_no_choice_names_the_choices_in_the_books_language():
    """"总计" is not a target_mode: the sentence lists 增长、总额 in Chinese and growth, total in English."""
    column = schema.SETTINGS.column("target_mode")
    with pytest.raises(BadValue) as caught:
        enum_value(column, "总计")
    assert caught.value.phrase.text("zh") == "“总计” 不是可选值（增长、总额）之一"
    assert caught.value.phrase.text("en") == '"总计" is not one of growth, total'
    with pytest.raises(BadValue) as caught:
        enum_value(schema.BONUS.column("metric"), "net profitt")
    assert caught.value.phrase.text("en") == '"net profitt" is not one of sales, net profit, launches; did you ' \
                                             'mean "net profit"?'


def test_a_chinese_book_filled_with_chinese_words_reads_as_codes(tmp_path):
    """The zh book filled in with the words its drop-downs offer: 总额 (with a target), 不考虑, 持平 in Settings;
    a Bonus row 季度 / 净利润 / 累进; SKU status 停售 on a second SKU.  Read back as total, off, stable, quarter,
    net_profit, marginal, discontinued."""
    path = fill_required(untouched(tmp_path, "zh"), "zh")
    wb = openpyxl.load_workbook(path)
    settings = wb["设置"]
    rows = {settings.cell(r, 1).value: r for r in range(2, settings.max_row + 1)}
    for key, value in (("目标模式", "总额"), ("年度总目标", 300_000), ("季节性", "不考虑"), ("老品预测情景", "持平")):
        settings.cell(rows[key], 2).value = value
    for j, v in enumerate(["季度", "净利润", 0.8, None, 1, "累进"], start=1):
        wb["绩效"].cell(3, j).value = v
    for j, v in enumerate(["Shop", "B2", None, None, None, 25, 40, 5, 0, 0.15, 5], start=1):
        wb["产品"].cell(4, j).value = v
    wb["产品"].cell(4, 21).value = "停售"
    wb.save(path)
    book, problems = load(path)
    assert book is not None, [p.text("zh") for p in problems if p.severity == "error"]
    assert (book.settings["target_mode"], book.settings["seasonality"], book.settings["existing_scenario"]) == \
        ("total", "off", "stable")
    assert book.bonus[["period", "metric", "mode"]].values.tolist() == [["quarter", "net_profit", "marginal"]]
    assert book.skus.set_index("sku")["status"].to_dict() == {"A1": "active", "B2": "discontinued"}


def _seller(settings: dict) -> dict[str, list[list]]:
    """One US store selling in the base currency USD, one SKU, 12 months: enough to read Settings."""
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    return {"Settings": [["key", "value"], ["base_currency", "USD"], ["cash_available", 100_000],
                         *([k, v] for k, v in settings.items())],
            "Sales": [["month", "store", "sku", "units", "revenue"]] + [[m, "S", "A", 10, 250] for m in months],
            "SKUs": [["store", "sku", "price", "cogs", "fba_fee"], ["S", "A", 25, 8, 5]]}
