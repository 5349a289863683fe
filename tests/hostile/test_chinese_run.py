"""A Chinese run shows the seller no English (issue 14): a Chinese workbook, `--lang zh` or a Chinese locale gets
its usage errors, refused and unwritable outputs, stage line, template errors, Assumptions notes and yes/no
figures in Chinese, from the one catalogue (goalsheet/words.py).

The end-to-end tests run `check`, `plan`, `init` and `template export` on the Chinese sample and on broken
Chinese workbooks and look for Latin words in what the seller sees: the console, the cells of the visible sheets
and the comments goalsheet writes.  What may stay Latin is listed, not guessed: the seller's own text (store,
SKU and product names, read from the input), the schema's keys, aliases and drop-down values (the input accepts
them as typed; SPEC section 2), currency and marketplace codes, command-line syntax, file names, hashes, and a
small set of names (`ALLOWED`)."""
from __future__ import annotations

import errno
import functools
import io
import re
import sys
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from clirun import ROOT, invoke, lines, listing  # noqa: E402

from goalsheet.inputs import schema  # noqa: E402
from goalsheet.words import Phrase, Term, default_lang  # noqa: E402

ZH_SAMPLE = ROOT / "sample_workbooks" / "demo_seller_zh.xlsx"

# Names a Chinese seller sees as they are: Amazon's and Excel's terms, the program and the hash's name, the
# seasonality values a seller types (history, off), a month format the input reads ("Mar 2025"), and the blank
# workbook's example store ("My Store US", overwritten by the seller).
ALLOWED = {"SKU", "SKUs", "FBA", "TACoS", "goalsheet", "sha", "SHA", "xlsx", "Excel", "WPS", "history", "off", "Mar",
           "My", "Store"}


@functools.lru_cache(maxsize=1)
def _schema_words() -> frozenset[str]:
    """Every Latin word of the schema's sheet keys, column keys, aliases and drop-down values, and of the example
    row `init` writes (seller data the seller overwrites: "LED desk lamp")."""
    words: set[str] = set(schema.CURRENCIES) | set(schema.MARKETPLACES)
    for sheet in schema.SHEETS:
        texts = [sheet.key, *sheet.aliases]
        for col in sheet.columns:
            texts += [col.key, *col.aliases, *map(str, col.choices), str(col.example or "")]
        for text in texts:
            words.update(re.findall(r"[A-Za-z]{2,}", str(text)))
    return frozenset(words)


@functools.lru_cache(maxsize=8)
def _seller_words(book: Path) -> frozenset[str]:
    """Every Latin word the seller typed in the workbook (store, SKU, product and operator names)."""
    wb = openpyxl.load_workbook(book, read_only=True)
    words = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, str):
                    words.update(re.findall(r"[A-Za-z]{2,}", v))
    wb.close()
    return frozenset(words)


def english_in(text: str, book: Path | None = None, folder: Path | None = None) -> set[str]:
    """The Latin words of `text` a Chinese seller should not see (the allowed ones taken out)."""
    if folder is not None:
        text = text.replace(str(folder), "")
    text = re.sub(r"\S+\.(?:xlsx|xlsm|json)\b", "", text)                 # file names and paths
    text = re.sub(r"\bgoalsheet(?: (?:check|plan|init|run|template(?: export)?))?\b", "", text)   # the command
    text = re.sub(r"--[a-z][a-z-]*(?:[ =](?:zh|en|auto)\b)?", "", text)     # its options
    text = re.sub(r"\b[0-9a-f]{16,}\b", "", text)                          # hashes
    text = re.sub(r"\([a-z][a-z0-9_]*\)", "", text)          # a key beside its Chinese name: 计划年度 (plan_year)
    allowed = ALLOWED | _schema_words() | (_seller_words(book) if book is not None else frozenset())
    return set(re.findall(r"[A-Za-z]{2,}", text)) - allowed


def sheet_texts(path: Path) -> list[str]:
    """The text of every cell of the visible sheets, every comment, and every cell shown as a boolean."""
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        hidden = {letter for letter, dim in ws.column_dimensions.items() if dim.hidden}
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None:
                    out.append(cell.comment.text)
                if get_column_letter(cell.column) in hidden:
                    continue
                if isinstance(cell.value, bool):
                    out.append(f"{ws.title}!{cell.coordinate} {cell.value}")    # TRUE / FALSE shown to the seller
                elif isinstance(cell.value, str) and not cell.value.startswith("="):
                    out.append(cell.value)
    return out


def _typed_text(path: Path) -> Path:
    wb = openpyxl.load_workbook(ZH_SAMPLE)
    wb["产品"]["F3"] = "三十九"          # a price typed as text
    wb["设置"]["B5"] = "很多"            # target_mode not one of its values
    wb.save(path)
    return path


def _missing_sheet(path: Path) -> Path:
    wb = openpyxl.load_workbook(ZH_SAMPLE)
    del wb["产品"]
    wb.save(path)
    return path


# ---------------------------------------------------------------- end to end


def test_plan_init_and_template_export_of_the_chinese_sample_show_no_english(tmp_path):
    code, out, err = invoke("plan", ZH_SAMPLE, "-o", tmp_path / "计划.xlsx")
    assert code == 0, err
    assert "已写入" in out and "资金：可行" in out
    assert english_in(out + err, ZH_SAMPLE, tmp_path) == set(), out + err
    leaks = {t: english_in(t, ZH_SAMPLE) for t in sheet_texts(tmp_path / "计划.xlsx")}
    assert {t: w for t, w in leaks.items() if w} == {}

    code, out, err = invoke("init", tmp_path / "空白.xlsx")
    assert code == 0 and english_in(out + err, folder=tmp_path) == set(), out + err
    leaks = {t: english_in(t) for t in sheet_texts(tmp_path / "空白.xlsx")}
    assert {t: w for t, w in leaks.items() if w} == {}

    code, out, err = invoke("template", "export", tmp_path / "模板.xlsx")
    assert code == 0 and out.startswith("已写入") and english_in(out + err, folder=tmp_path) == set(), out + err


@pytest.mark.parametrize("make", [_typed_text, _missing_sheet], ids=["typed text", "missing sheet"])
def test_check_and_plan_of_a_broken_chinese_workbook_show_no_english(tmp_path, make):
    book = make(tmp_path / "店铺.xlsx")
    code, out, err = invoke("check", book, "--annotate", tmp_path / "标注.xlsx")
    assert code == 1 and "个错误" in out
    assert english_in(out + err, book, tmp_path) == set(), out + err
    leaks = {t: english_in(t, book) for t in sheet_texts(tmp_path / "标注.xlsx")}
    assert {t: w for t, w in leaks.items() if w} == {}

    code, out, err = invoke("plan", book, "-o", tmp_path / "计划.xlsx")
    assert code == 1 and "未写入任何文件" in err
    assert english_in(out + err, book, tmp_path) == set(), out + err


def test_the_english_allowlist_is_not_a_blanket():
    """The check finds what it should: a sentence of click's, a boolean shown as TRUE, a word of the plan."""
    assert english_in("Error: Missing argument 'INPUT'.") == {"Error", "Missing", "argument", "INPUT"}
    assert english_in("总览!B18 True") == {"True"}
    assert english_in("已写入 /tmp/x/计划.xlsx；goalsheet plan --lang zh；SKU LM-DL01") == {"LM", "DL"}


# ---------------------------------------------------------------- 1. click's usage errors


def test_usage_errors_in_chinese_with_lang_zh_anywhere():
    code, out, err = invoke("check", "--lang", "zh")          # (the test runner names the program "cli")
    assert code == 2
    assert lines(err) == ["用法：cli check [选项] 输入工作簿", "运行 cli check --help 查看帮助。", "错误：缺少参数：输入工作簿。"]
    code, out, err = invoke("plan", ZH_SAMPLE, "--lang=zh", "--as-of", "sometime")
    assert code == 2 and lines(err)[-1] == "错误：--as-of 的值无效：“sometime” 不是月份（请写成 2025-03 这样）"
    code, out, err = invoke("plna", "--lang", "zh")
    assert code == 2 and lines(err)[-1].startswith("错误：没有 plna 这个命令（可用的命令：check、import、init、plan")
    code, out, err = invoke("check", ZH_SAMPLE, "--bogus", "--lang", "zh")
    assert code == 2 and lines(err)[-1] == "错误：没有 --bogus 这个选项。"
    code, out, err = invoke("check", ZH_SAMPLE, "extra", "--lang", "zh")
    assert code == 2 and lines(err)[-1] == "错误：多余的参数：extra"
    code, out, err = invoke("run", "--inbox", "in", "--outbox", "out", "--jobs", "0", "--lang", "zh")
    assert code == 2 and lines(err)[-1].startswith("错误：--jobs 的值") and "不在 1 至 64 之间" in lines(err)[-1]


def test_a_missing_input_stays_exit_2_in_chinese(tmp_path):
    code, out, err = invoke("plan", tmp_path / "没有.xlsx", "--lang", "zh")
    assert code == 2 and lines(err)[-1] == f"错误：{tmp_path / '没有.xlsx'} 不存在"
    assert listing(tmp_path) == {}


def test_usage_errors_follow_a_chinese_locale(monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    code, out, err = invoke("plan", ZH_SAMPLE, "--lang", "fr")
    assert code == 2 and lines(err)[-1] == "错误：--lang 的值无效：“fr” 不是可选值（auto、zh、en）之一"
    code, out, err = invoke("plan", ZH_SAMPLE, "--as-of", "x", "--lang", "en")      # --lang en wins
    assert code == 2 and lines(err)[-1].startswith("Error: Invalid value for --as-of: ")


def test_english_usage_errors_stay_click_own(monkeypatch):
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    code, out, err = invoke("check")
    # click's own words (its 8.2.0 names the first help option, -h; later versions --help)
    assert code == 2 and lines(err)[0] == "Usage: cli check [OPTIONS] INPUT"
    assert lines(err)[1] in ("Try 'cli check --help' for help.", "Try 'cli check -h' for help.")
    assert lines(err)[2:] == ["Error: Missing argument 'INPUT'."]


def test_default_lang_reads_the_locale_as_posix_does():
    assert default_lang({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert default_lang({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"      # LC_ALL first
    assert default_lang({"LC_ALL": "", "LC_MESSAGES": "zh_TW", "LANG": "en_GB"}) == "zh"
    assert default_lang({}) == "en"


# ---------------------------------------------------------------- 2. where a command may write


def test_a_refused_output_is_said_in_the_workbooks_language(tmp_path):
    book = tmp_path / "店铺.xlsx"
    book.write_bytes(ZH_SAMPLE.read_bytes())
    code, out, err = invoke("plan", book, "-o", book)
    assert code == 2 and lines(err)[-1] == f"错误：-o {book} 是输入工作簿：输入文件从不会被覆盖，请换一个文件名"
    (tmp_path / "别人的.json").write_text("{}", encoding="utf-8")
    code, out, err = invoke("plan", book, "--json", tmp_path / "别人的.json")
    assert code == 2 and lines(err)[-1] == \
        f"错误：{tmp_path / '别人的.json'} 已存在，且不是 goalsheet 写入的：如需覆盖，请加 --force"
    (tmp_path / "别人的.xlsx").write_bytes(b"not goalsheet's")
    code, out, err = invoke("check", book, "--annotate", tmp_path / "别人的.xlsx")
    assert code == 2 and "别人的.xlsx 已存在，且不是 goalsheet 写入的" in err


def test_an_unwritable_output_is_one_chinese_line(tmp_path):
    code, out, err = invoke("plan", ZH_SAMPLE, "-o", tmp_path / "没有的文件夹" / "计划.xlsx")
    assert code == 1
    assert lines(err) == [f"无法写入 {tmp_path / '没有的文件夹' / '计划.xlsx'}：文件夹 {tmp_path / '没有的文件夹'} 不存在"]
    code, out, err = invoke("init", tmp_path, "--lang", "zh")      # the path is a folder: click's own check
    assert code == 2 and lines(err)[-1] == f"错误：{tmp_path} 是文件夹，不是工作簿"


def test_output_errors_carry_their_phrase():
    from goalsheet.paths import error_writing

    read_only = error_writing(Path("/mnt/计划.xlsx"), OSError(errno.EROFS, "Read-only file system"))
    assert str(read_only) == "cannot write /mnt/计划.xlsx: the disk or folder is read-only"
    assert read_only.text("zh") == "无法写入 /mnt/计划.xlsx：磁盘或文件夹是只读的" and read_only.errno == errno.EROFS
    locked = error_writing(Path("计划.xlsx"), PermissionError(errno.EACCES, "Permission denied"))
    assert locked.text("zh").startswith("无法写入 计划.xlsx：没有权限（文件是否正在 Excel 或其他程序中打开")


# ---------------------------------------------------------------- 3. the stage line


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_stage_line_speaks_the_runs_language_and_clears_its_width():
    from goalsheet.cli import StageLine

    tty = _Terminal()
    asked = []
    with StageLine("店铺.xlsx", after=3600, stream=tty, lang=lambda: asked.append(1) or "zh") as stages:
        stages.show("reading")
        assert tty.getvalue() == "" and asked == []          # the language is looked up only once the line is due
        stages._due()
        stages.show("writing")
    shown = tty.getvalue()
    assert shown.startswith("\r正在读取 店铺.xlsx ……\r正在写入 店铺.xlsx ……")
    # 正在写入 8 columns, " " 1, 店铺 4, ".xlsx" 5, " " 1, …… 4 (ambiguous width: 2 on a CJK terminal): 23 to blank
    assert shown.endswith("\r" + " " * 23 + "\r") and asked == [1]


# ---------------------------------------------------------------- 4. templates


def test_a_broken_template_is_said_in_chinese(tmp_path):
    template = tmp_path / "模板.xlsx"
    wb = openpyxl.load_workbook(ROOT / "templates" / "plan_zh.xlsx")
    wb.worksheets[0]["A1"] = "{{ headline.no_such_figure }}"
    wb.save(template)
    code, out, err = invoke("plan", ZH_SAMPLE, "-o", tmp_path / "计划.xlsx", "--template", template)
    assert code == 2 and lines(err)[-1] == "错误：模板 模板.xlsx 的 总览!A1：headline 中没有“no_such_figure”"
    code, out, err = invoke("plan", ZH_SAMPLE, "-o", tmp_path / "计划.xlsx", "--template", template, "--lang", "en")
    assert code == 2 and lines(err)[-1] == "Error: template 模板.xlsx: 总览!A1: headline has no attribute " \
                                           "'no_such_figure'"
    (tmp_path / "坏.xlsx").write_text("not a zip", encoding="utf-8")
    code, out, err = invoke("plan", ZH_SAMPLE, "-o", tmp_path / "计划.xlsx", "--template", tmp_path / "坏.xlsx")
    assert code == 1 and lines(err)[-1] == f"{tmp_path / '坏.xlsx'}：不是可读取的 .xlsx 模板（不是 Excel 工作簿，或已损坏）"


# ---------------------------------------------------------------- 5. the Assumptions' reasons


def test_a_defaults_reason_is_a_phrase_said_in_each_language():
    from goalsheet.inputs import load
    from goalsheet.report.assumptions import note_words

    book, _ = load(ZH_SAMPLE)
    reasons = {(d.sheet, d.row, d.column): d.reason for d in book.defaults}
    assert reasons[("SKUs", "Lumos DE / LM-DL01", "vat_rate")] == Phrase("reason_marketplace", {"marketplace": "DE"})
    assert note_words("default", {"reason": Phrase("reason_currency", {"currency": "EUR"})}) == \
        ("currency EUR", "按币种 EUR 的默认值")
    assert note_words("method", {"method": "flat (under 12 months of history)"})[1] == "平均（历史不足 12 个月）"
    source = (ROOT / "goalsheet" / "report" / "assumptions.py").read_text(encoding="utf-8")
    assert not re.search(r"^import re$|\bre\.(sub|fullmatch|match|search|compile)\(", source, re.M)   # no matching of English


# ---------------------------------------------------------------- 6. yes / no


@pytest.mark.parametrize("book, word, sheet", [(ZH_SAMPLE, "是", "总览"),
                                               (ROOT / "sample_workbooks" / "demo_seller.xlsx", "Yes", "Summary")])
def test_a_yes_no_figure_shows_as_a_word_and_its_name_keeps_the_boolean(tmp_path, book, word, sheet):
    code, out, err = invoke("plan", book, "-o", tmp_path / "p.xlsx")
    assert code == 0, err
    wb = openpyxl.load_workbook(tmp_path / "p.xlsx")
    ws = wb[sheet]
    label = "资金可行" if word == "是" else "Funding feasible"
    row = next(r for r in range(1, 40) if ws.cell(r, 1).value == label)
    assert ws.cell(row, 2).value == word
    named_sheet, ref = next(iter(wb.defined_names["gs_funding_feasible"].destinations))
    assert named_sheet == sheet and wb[named_sheet][ref.replace("$", "")].value is True
    assert ws.column_dimensions[ref.replace("$", "").rstrip("0123456789")].hidden
    formulas = [r.formula[0] for cf in ws.conditional_formatting for r in cf.rules]
    _, verdict_ref = next(iter(wb.defined_names["gs_verdict"].destinations))
    # the feasible cell's colours read the boolean; the banner's read the verdict's code (red / amber / green)
    assert any(f.startswith(ref) for f in formulas)
    assert all(f.startswith(ref) or f.startswith(verdict_ref) for f in formulas)
    assert wb[named_sheet][verdict_ref.replace("$", "")].value in ("red", "amber", "green")


# ---------------------------------------------------------------- 7. the console summary


def test_the_plan_object_says_nothing_in_english_of_its_own():
    from goalsheet.plan.result import Plan

    assert not hasattr(Plan, "summary_lines")          # the console's lines are report.words.console_summary
    assert Term("funding", False).text("zh") == "不可行"
