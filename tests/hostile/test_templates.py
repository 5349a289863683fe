"""The render budget (goalsheet/render/budget.py; docs/limits.md, Templates): a template that would take the
machine's time or memory ends with one TemplateError naming its cell, inside the sandbox, before the work is
done; and through `goalsheet plan --template` that is one line."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from clirun import GOLDEN, lines, listing, run  # noqa: E402

from goalsheet.report import default_template  # noqa: E402
from goalsheet.render import Template, TemplateError  # noqa: E402
from goalsheet.render.budget import INT_BITS, TEXT_LIMIT, Budget  # noqa: E402


def _book(cells: dict[str, str]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "T"
    for ref, value in cells.items():
        ws[ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _render(cells: dict[str, str], context: dict | None = None, budget: Budget | None = None) -> None:
    Template(_book(cells), budget=budget).render(context or {}, io.BytesIO())


def _refused(cells: dict[str, str], where: str, words: str, context: dict | None = None,
             budget: Budget | None = None) -> None:
    with pytest.raises(TemplateError) as caught:
        _render(cells, context, budget)
    assert caught.value.where == where
    assert words in caught.value.message
    assert "\n" not in str(caught.value)


TOO_BIG = f"more than {INT_BITS:,} bits"
TOO_LONG = f"more than {TEXT_LIMIT:,} characters"


@pytest.mark.parametrize("expr", ["7**99999999", "(2**4000) * (2**4000)", "10 ** 5000"])
def test_a_huge_integer_is_refused_before_it_is_computed(expr):
    _refused({"B2": "{{ " + expr + " }}"}, "T!B2", TOO_BIG)


@pytest.mark.parametrize("expr", [
    '"x" * 10**9', '[0] * 10**9', '"ab" ~ ("x" * 999999) ~ ("y" * 999999)', '"x"|center(10**9)',
    '"%999999999d" % 1', '"{:>999999999}".format(1)', '"%*d"|format(10**9, 1)', '"x".ljust(10**9)',
    '[1]|batch(10**9, 0)|list', '("x" * 999999)|replace("x", "yy")', '"x"|indent(10**9, true)',
])
def test_a_huge_text_or_list_is_refused_before_it_is_made(expr):
    _refused({"C3": "{{ " + expr + " }}"}, "T!C3", "", )


@pytest.mark.parametrize("expr,words", [('"x" * 10**9', TOO_LONG), ('"%999999999d" % 1', "too large")])
def test_the_message_says_which_limit(expr, words):
    _refused({"C3": "{{ " + expr + " }}"}, "T!C3", words)


def test_lipsum_is_not_offered():
    _refused({"A1": "{{ lipsum(10**6) }}"}, "T!A1", "lipsum")


def test_range_is_the_sandboxs_bounded_one():
    _refused({"A1": "{{ range(10**9)|list|length }}"}, "T!A1", "Range too big")


def test_a_cell_that_prints_for_ever_stops_at_the_text_limit():
    body = "x" * 1000
    _refused({"D4": "a{% for i in range(100000) %}{% for j in range(100000) %}" + body + "{% endfor %}{% endfor %}"},
             "T!D4", TOO_LONG)


def test_a_list_doubled_in_a_loop_stops_at_the_limit():
    _refused({"A1": "{% set a = [1] %}{% for i in range(60) %}{{ a.extend(a) }}{% endfor %}"}, "T!A1", TOO_LONG)


def test_a_list_of_itself_doubled_is_not_printed():
    cell = "{% set ns = namespace(a=[1]) %}{% for i in range(60) %}{% set ns.a = [ns.a, ns.a] %}{% endfor %}{{ ns.a }}"
    _refused({"A1": cell}, "T!A1", TOO_LONG)


def test_a_loop_inside_a_cell_stops_at_the_time_limit():
    cell = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}done"
    _refused({"E5": cell}, "T!E5", "longer than 0.5 s", budget=Budget(seconds=0.5))


def test_nested_row_loops_stop_at_excels_row_limit_as_they_expand():
    """10^5 x 10^5 rows would be listed before any check once; now the expansion stops past 1 048 576.  (A time
    budget of an hour: the row limit, not the default time limit, must stop it, however loaded the machine.)"""
    cells = {"A2": "{% for a in xs %}", "A3": "{% for b in xs %}", "B4": "{{ b }}", "A5": "{% endfor %}",
             "A6": "{% endfor %}"}
    _refused(cells, "T!A3", "more than 1,048,576 rows", {"xs": list(range(100_000))}, Budget(seconds=3600.0))


def test_row_loops_stop_at_the_time_limit():
    cells = {"A2": "{% for a in xs %}", "A3": "{% for b in xs %}", "B4": "{{ b }}", "A5": "{% endfor %}",
             "A6": "{% endfor %}"}
    with pytest.raises(TemplateError) as caught:
        _render(cells, {"xs": list(range(1000))}, Budget(seconds=0.0))
    assert caught.value.where in ("T!A2", "T!A3") and "longer than 0 s" in caught.value.message


def test_the_cells_of_a_render_are_counted():
    cells = {"A1": "{% for r in rows %}", "B2": "{{ r }}", "C2": "{{ r }}", "A3": "{% endfor %}"}
    _render(cells, {"rows": list(range(500))}, Budget(cells=1000))              # 1 000 cells: within
    _refused(cells, "T!B2", "more than 1,000 cells", {"rows": list(range(501))}, Budget(cells=1000))


def test_ordinary_expressions_are_unchanged():
    book = _book({"A1": "{{ 2 ** 10 }}", "A2": "{{ 'ab' * 3 }}", "A3": "{{ '%05.1f' % 3.14159 }}",
                  "A4": "{{ 'x' ~ 1 ~ 'y' }}", "A5": "{{ 7 + 3 }}", "A6": "{{ 'n: {:,}'.format(1234567) }}",
                  "A7": "{{ 'ab'|center(6) }}", "A8": "{% for i in range(3) %}{{ i }}{% endfor %}",
                  "A9": "{{ 10 % 4 }}"})
    out = io.BytesIO()
    Template(book).render({}, out)
    ws = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["T"]
    assert [ws[f"A{i}"].value for i in range(1, 10)] == [1024, "ababab", "003.1", "x1y", 10, "n: 1,234,567",
                                                         "  ab  ", "012", 2]


def test_plan_with_a_hostile_template_is_one_line_naming_the_cell(tmp_path):
    wb = openpyxl.load_workbook(default_template("en"))
    ws = wb.worksheets[0]
    ws["Z1"] = "{{ 7**99999999 }}"
    template = tmp_path / "t.xlsx"
    wb.save(template)
    out = tmp_path / "out"
    out.mkdir()
    done = run("plan", GOLDEN, "-o", out / "p.xlsx", "--template", template)
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2, err
    assert "Traceback" not in err
    assert f"{ws.title}!Z1: {'this would make a number of more than'}" in err
    assert [line for line in lines(err) if "Z1" in line] == [lines(err)[-1]]
    assert listing(out) == {}
