"""The Assumptions sheet fitted as the package is written (render_workbook(assumptions=...), the render's
`fix_parts` hook) gives the same parts as fitting a written, unfitted package afterwards (refit_assumptions, the
reference: it reads the finished zip); and text_lines' widths looked up for ASCII tokens are the per-character
sums."""
from __future__ import annotations

import random
import sys
import unicodedata
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "plan"))
from golden_book import golden_book  # noqa: E402

from refit_reference import refit_assumptions  # noqa: E402

from goalsheet.output import (default_template, load_template, plan_context, plan_json_text,  # noqa: E402
                              render_workbook, text_lines)
from goalsheet.plan import make_plan  # noqa: E402


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_fitted_during_the_write_as_fitted_afterwards(tmp_path):
    """Golden plan, en and zh: the render with the fit hook and the unfitted render refitted have the same part
    names in the same order and the same bytes in every part but docProps/core.xml (its time stamps); the fit
    changed the Assumptions sheet and styles.xml (so the comparison is not of two unfitted files)."""
    plan, _ = make_plan(golden_book())
    plan_json = plan_json_text(plan)
    for lang in ("en", "zh"):
        template = default_template(lang)
        context = plan_context(plan, lang)
        rows = context["assumptions"]
        assert rows
        plain, refitted, fitted = (tmp_path / f"{k}_{lang}.xlsx" for k in ("plain", "refitted", "fitted"))
        render_workbook(template, context, out=plain, plan_json=plan_json, compiled=load_template(template))
        assert refit_assumptions(plain, refitted, rows)
        render_workbook(template, context, out=fitted, plan_json=plan_json, compiled=load_template(template),
                        assumptions=rows)
        before, after, unfitted = _parts(refitted), _parts(fitted), _parts(plain)
        assert list(before) == list(after)
        changed = [n for n in after if n != "docProps/core.xml" and after[n] != unfitted[n]]
        assert "xl/styles.xml" in changed and len(changed) == 2
        assert [n for n in after if n != "docProps/core.xml" and after[n] != before[n]] == []
        with zipfile.ZipFile(fitted) as z:
            assert z.testzip() is None


def _reference_lines(text, width: float) -> int:
    """text_lines as first written: every token's width summed character by character."""
    import re

    if text is None or text == "":
        return 1

    def size(token: str) -> float:
        return sum(2.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.85 for ch in token)
    lines, used = 1, 0.0
    for token in re.findall(r"[\u2e80-\u9fff\uff00-\uffef]|[^\s\u2e80-\u9fff\uff00-\uffef]+\s*|\s+", str(text)):
        w = size(token.rstrip())
        if used + w > width and used > 0:
            lines += 1
            used = 0.0
        while w > width:
            lines += 1
            w -= width
        used += size(token)
    return lines


def test_text_lines_as_the_character_by_character_sum():
    """Random texts of letters, spaces, tabs, CJK, fullwidth and Hangul letters (wide outside the CJK token
    ranges), words up to 400 characters (past the lookup table): the same line counts at widths where a sum's
    last bit decides (17.0 = 20 × 0.85, 3.4 = 4 × 0.85)."""
    rng = random.Random(7)
    alphabet = "ab cd  efghij\tkl.,;-企业资金，本位币ＡＢ한국어é" + "x" * 12
    texts = ["cash the business can put in", "企业可投入的资金，本位币", "", None, "a" * 300, 12345.5]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400))) for _ in range(3000)]
    for text in texts:
        for width in (3.4, 5, 8.43, 10, 17.0, 18, 20, 44, 55):
            assert text_lines(text, width) == _reference_lines(text, width), (text, width)
