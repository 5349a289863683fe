"""The one catalogue of words (goalsheet/words.py): every problem code and console line has its English and
its Chinese, every code the code raises is in it with the args its sentences name, and a Chinese run shows
the seller no English."""
from __future__ import annotations

import ast
import re
import string
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from goalsheet.inputs.model import Problem
from goalsheet.words import CONSOLE, PROBLEMS, TERMS, Join, Phrase, Term, say

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "goalsheet"
ZH_SAMPLE = ROOT / "sample_workbooks" / "demo_seller_zh.xlsx"

# Latin words a Chinese sentence may hold: file formats and programs, the values a seller types
# (seasonality history/off, target_mode total), command-line options and variables, Excel's own names.
LATIN_IN_ZH = {"SKU", "FBA", "CSV", "HTML", "XML", "DTD", "Excel", "WPS", "Ctrl", "End", "XFD", "MB", "MM", "goalsheet",
               "xlsx", "xlsm", "xls", "ods", "history", "off", "total", "target_total", "as-of", "baseline",
               "force", "help", "template", "GOALSHEET_DEBUG", "for", "endfor",
               # goalsheet run: its options, the key to stop it, a unit, a signal and a user's name
               "outbox", "archive", "time-budget", "memory-budget", "Ctrl-C", "GiB", "SIGKILL", "root",
               # goalsheet import: the report files and encodings it reads, its options and the init command
               "csv", "tsv", "txt", "zip", "UTF", "GBK", "Shift-JIS", "Windows", "YYYY-MM", "into", "store", "month",
               "force", "init", "refresh", "ERP"}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _sample_args(*templates: str) -> dict[str, object]:
    """A value for each field the templates name, of the kind its format spec asks for."""
    args: dict[str, object] = {}
    for template in templates:
        for _, name, spec, _ in string.Formatter().parse(template):
            if name:
                args[name] = 1234.5 if spec and spec[-1] in "fgde%" else "x"
    return args


@pytest.mark.parametrize("table", [PROBLEMS, CONSOLE], ids=["problems", "console"])
def test_every_sentence_has_english_and_chinese(table):
    for code, pair in table.items():
        assert isinstance(pair, tuple) and len(pair) == 2, code
        en, zh = pair
        assert en.strip() or code.endswith("_prefix"), code
        assert zh.strip(), code
        latin = set(re.findall(r"[A-Za-z][A-Za-z_\-]*[A-Za-z]|[A-Za-z]", re.sub(r"\{[^}]*\}", "", zh)))
        assert latin <= LATIN_IN_ZH, (code, latin - LATIN_IN_ZH)
        assert re.search(r"[\u4e00-\u9fff]", zh) or not re.search(r"[A-Za-z]", re.sub(r"\{[^}]*\}", "", en)), \
            (code, zh)


@pytest.mark.parametrize("table", [PROBLEMS, CONSOLE], ids=["problems", "console"])
def test_every_sentence_formats_in_both_languages(table):
    for code, (en, zh) in table.items():
        args = _sample_args(en, zh)
        for template in (en, zh):
            text = template.format(**args)
            assert "{" not in text and "}" not in text, (code, text)


def test_every_term_has_english_and_chinese():
    for kind, words in TERMS.items():
        for value, (en, zh) in words.items():
            assert en and zh and re.search(r"[\u4e00-\u9fff]", zh), (kind, value)
            assert Term(kind, value).text("zh") == zh and Term(kind, value).text("en") == en


def test_pieces_render_in_the_sentence_language():
    phrase = Phrase("cell_value", {"header": Phrase("setting_name", {"key": "growth_rate", "name_zh": "月增长率"}),
                                   "reason": Phrase("not_number", {"text": "5x"})})
    assert phrase.text("en") == 'growth_rate "5x" is not a number'
    assert phrase.text("zh") == "月增长率：“5x” 不是数字"
    names = Join(("A", "B"))
    assert say("no_team_sheet", {"names": names}, "zh").startswith("没有团队表：运营 A、B ")
    assert say("no_team_sheet", {"names": names}, "en").startswith("there is no Team sheet: the operators A, B ")


# ---------------------------------------------------------------- the code's uses of the catalogue

# call name -> (position of the code among the positional args, prefix the catalogue key has)
_CODE_CALLS = {"Phrase": (0, ""), "BadValue": (0, ""), "file_problem": (0, ""), "_say": (0, "limit_"),
               "say": (0, ""), "console": (0, "")}


def _calls():
    """(file, line, code, arg names or None when not literal, catalogue) of every literal code use in goalsheet."""
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "words.py" and path.parent == PACKAGE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else (
                node.func.attr if isinstance(node.func, ast.Attribute) else "")
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            keywords = {k.arg: k.value for k in node.keywords}
            if name == "Problem":
                code = keywords.get("code")
                if code is None:
                    yield where, None, None, PROBLEMS         # a Problem with no code: reported below
                    continue
                if not isinstance(code, ast.Constant):
                    continue                                  # a code passed on (phrase.code, flag)
                args = keywords.get("args")
                names = None if args is not None and not isinstance(args, ast.Dict) else (
                    {k.value for k in args.keys} if args is not None else set())
                yield where, code.value, names, PROBLEMS
            elif name in _CODE_CALLS and node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str):
                if name == "_say" and path.name == "cli.py":
                    prefix, table = "", CONSOLE               # cli._say(code, lang, **args): a console line
                elif name == "console":
                    prefix, table = "", CONSOLE
                else:
                    prefix, table = _CODE_CALLS[name][1], PROBLEMS
                names = None
                if name in ("BadValue", "file_problem", "_say") and path.name != "cli.py":
                    names = {k for k in keywords if k is not None}
                elif name == "Phrase":
                    if len(node.args) == 1:
                        names = set()
                    elif isinstance(node.args[1], ast.Dict):
                        names = {k.value for k in node.args[1].keys}
                elif name in ("console", "_say"):
                    names = {k for k in keywords if k is not None}
                yield where, prefix + node.args[0].value, names, table


def test_every_problem_the_code_raises_is_in_the_catalogue_with_its_args():
    seen = 0
    for where, code, names, table in _calls():
        assert code is not None, f"{where}: a Problem without a catalogue code"
        assert code in table, f"{where}: {code!r} is not in the catalogue"
        seen += 1
        if names is not None:
            en, zh = table[code]
            wanted = _fields(en) | _fields(zh)
            assert names == wanted, f"{where}: {code} is given {sorted(names)}, its sentences name {sorted(wanted)}"
    assert seen > 100


def test_codes_made_at_run_time_are_in_the_catalogue():
    from goalsheet.inputs.columns import ABOVE_PLAUSIBLE

    for code in ("loss_making", "low_margin", "ads_heavy", *ABOVE_PLAUSIBLE.values(),
                 "annotate_error", "annotate_warning", "severity_error", "severity_warning"):
        assert code in PROBLEMS, code


def test_a_problem_says_its_english_as_message_and_its_chinese_as_text():
    p = Problem("Settings", "", severity="warning", code="plan_year_default", args={"plan_year": 2026})
    assert p.message.startswith("plan_year is not set: planning 2026 ")
    assert p.text("zh").startswith("设置：未设置计划年度：按 2026 年计划")
    assert p.line("zh").startswith("警告：设置：")
    assert p.line("en") == "warning: " + str(p)
    with pytest.raises(KeyError):
        Problem("Settings", "", code="no_such_code")


# ---------------------------------------------------------------- a Chinese run shows no English

def _seller_words(path: Path) -> list[str]:
    """Every text the seller typed in the workbook (store and SKU names, sheet names), longest first."""
    wb = openpyxl.load_workbook(path, read_only=True)
    words = set(wb.sheetnames)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            words.update(str(v).strip() for v in row if isinstance(v, str) and v.strip())
    wb.close()
    return sorted(words, key=len, reverse=True)


def _english_left(text: str, workbook: Path, folder: Path) -> set[str]:
    text = re.sub(r"\S*\.(xlsx|xlsm)", "", text.replace(str(folder), ""))
    for word in _seller_words(workbook):
        text = text.replace(word, "")
    return set(re.findall(r"[A-Za-z][A-Za-z_\-]{3,}", text)) - LATIN_IN_ZH


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "goalsheet", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=120, cwd=ROOT)


def _broken_zh(path: Path) -> Path:
    """The Chinese sample with a mistake in each sheet, and settings given twice, unknown and without a key."""
    wb = openpyxl.load_workbook(ZH_SAMPLE)
    ws = wb["设置"]
    ws["B6"] = "5x"
    ws.append(["月增长率", 0.02, None])
    ws.append(["未知参数名", 1, None])
    ws.append([None, 7, None])
    wb["产品"]["F3"], wb["产品"]["A4"], wb["产品"]["G5"], wb["产品"]["H6"] = "abc", "Lumos XX", -3, 1e12
    wb["汇率"]["B2"] = -1
    wb["新品计划"]["A2"] = "sometime"
    wb["费用"]["D2"] = "13-14"
    wb["团队"]["B3"] = "很多"
    wb["销售"]["C4"] = "n/a"
    wb.save(path)
    return path


def test_check_of_a_broken_chinese_workbook_says_it_in_chinese(tmp_path):
    book = _broken_zh(tmp_path / "店铺.xlsx")
    result = _run("check", str(book), "--annotate", str(tmp_path / "checked.xlsx"))
    text = result.stdout + result.stderr
    assert result.returncode == 1, text
    assert "设置!B6：月增长率：“5x” 不是数字" in text
    assert "产品!F3：售价：“abc” 不是数字" in text
    assert "警告：设置!A27：未知参数“未知参数名”：已忽略" in text
    assert "个错误" in text
    assert _english_left(text, book, tmp_path) == set(), text
    comments = [c.comment.text for ws in openpyxl.load_workbook(tmp_path / "checked.xlsx").worksheets
                for row in ws.iter_rows() for c in row if c.comment is not None]
    assert any(c.startswith("错误：售价：“abc” 不是数字") for c in comments), comments
    assert all(_english_left(c, book, tmp_path) == set() for c in comments), comments


def test_check_lang_en_keeps_the_english(tmp_path):
    book = _broken_zh(tmp_path / "shop.xlsx")
    result = _run("check", str(book), "--lang", "en")
    assert '产品!F3: 售价 "abc" is not a number' in result.stdout
    assert "error(s) in shop.xlsx" in result.stdout


def test_plan_of_the_chinese_sample_says_it_in_chinese(tmp_path):
    result = _run("plan", str(ZH_SAMPLE), "-o", str(tmp_path / "plan.xlsx"))
    text = result.stdout + result.stderr
    assert result.returncode == 0, text
    assert "计划年度 2026" in text and "已写入" in text and "警告：" in text
    assert _english_left(text, ZH_SAMPLE, tmp_path) == set(), text


# ---------------------------------------------------------------- the plan's own words in its tables

@pytest.fixture(scope="module")
def sample_plans():
    from goalsheet.inputs import load
    from goalsheet.plan import make_plan

    plans = []
    for name in ("demo_seller.xlsx", "demo_seller_zh.xlsx"):
        book, problems = load(ROOT / "sample_workbooks" / name)
        assert book is not None, problems
        plans.append(make_plan(book)[0])
    return plans


def test_every_word_the_plan_puts_in_a_table_has_its_chinese(sample_plans):
    from goalsheet.report.words import VALUE_ZH, display_value

    assert "check" in VALUE_ZH["checks"] and "result" in VALUE_ZH["checks"]
    seen = 0
    for plan in sample_plans:
        for table, columns in VALUE_ZH.items():
            frame = plan.tables.get(table)
            if frame is None:
                continue
            for column, words in columns.items():
                if column not in frame:
                    continue
                for value in {v for v in frame[column] if isinstance(v, str) and v}:
                    parts = [x.strip() for x in value.split(",")] if (table, column) == ("products", "flags") \
                        else [value]
                    for part in parts:
                        if not re.search(r"[A-Za-z]{3,}", part):
                            continue              # a month or quarter ("2026-08", "2026-Q3"): no word
                        assert part in words, f"{table}.{column}: {part!r} has no Chinese"
                        seen += 1
                    shown = display_value(table, column, value, "zh")
                    assert not re.search(r"[A-Za-z]{3,}", shown.replace("SKU", "")), (table, column, shown)
    assert seen > 30
