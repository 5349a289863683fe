"""plan_json_text escapes non-ASCII through the ASCII encoder's error handler (runs of non-ASCII characters, json's
own escaping): the same text as escaping character by character (`_NON_ASCII` / `_json_escape`, the reference) and
as json.dumps(ensure_ascii=True) parses back to, on texts with Latin-1, CJK, astral characters (surrogate pairs),
line separators and runs of each between ASCII; and on a plan whose tables hold Chinese."""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import orjson

from goalsheet.output import _JSON_ESCAPE, _NON_ASCII, _json_escape, plan_json_text

sys.path.insert(0, str(Path(__file__).parent))
from sample_plan import sample_plan  # noqa: E402


def test_escape_runs_as_character_by_character():
    rng = random.Random(11)
    alphabet = ["a", " ", '\\"', "é", "·", "—", "中", "文", "\U0001F600", "\u2028", "ÿ", "\u0100", "\uffff", "1"]
    texts = ["", "plain", "é", "\U0001F600\U0001F600", "a中b文c", "·" * 50]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60))) for _ in range(2000)]
    for text in texts:
        doc = orjson.dumps({"k": text, "l": [text, 1.5]}).decode("utf-8")
        fast = doc.encode("ascii", _JSON_ESCAPE).decode("ascii")
        assert fast == _NON_ASCII.sub(_json_escape, doc)
        assert json.loads(fast) == json.loads(doc) and fast.isascii()
    assert "é中\U0001F600".encode("ascii", _JSON_ESCAPE) == b"\\u00e9\\u4e2d\\ud83d\\ude00"


def test_plan_with_chinese_as_json_dumps():
    plan = sample_plan()
    plan.tables["stores"] = plan.tables["stores"].assign(store=[f"店铺{i}·é" for i in range(len(plan.tables["stores"]))])
    text = plan_json_text(plan)
    assert text.isascii() and "\\u5e97\\u94fa" in text
    assert json.loads(text) == json.loads(json.dumps(plan.to_json(by_column=True), ensure_ascii=True, default=str))
