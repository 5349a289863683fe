"""The render engine's dependency rules, read from its source with ast: it imports nothing of goalsheet outside
goalsheet/render (not the planner, the reader or the report: it knows nothing about sellers), and no private
name of openpyxl or Jinja2."""
from __future__ import annotations

import ast
from pathlib import Path

import goalsheet.render

RENDER = Path(goalsheet.render.__file__).parent


def imports(source: str) -> set[str]:
    """Every module (and `module.name` for `from module import name`) the source imports, at any depth;
    a relative import as its dots and name (`.x`)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = ("." * node.level) + (node.module or "")
            sep = "" if base.endswith(".") else "."
            found |= {base} | {base + sep + alias.name for alias in node.names}
    return found


def _render_imports() -> list[tuple[str, str]]:
    files = sorted(RENDER.glob("*.py"))
    assert len(files) > 5
    return [(f.name, name) for f in files for name in sorted(imports(f.read_text(encoding="utf-8")))]


def test_the_rules_read_imports_at_any_depth():
    """A top-level import, one inside a function and a relative one."""
    source = "import os\ndef f():\n    from goalsheet.plan import make_plan\nfrom . import x\n"
    assert imports(source) == {"os", "goalsheet.plan", "goalsheet.plan.make_plan", ".", ".x"}


def test_render_imports_only_render_of_goalsheet():
    outside = [(f, name) for f, name in _render_imports()
               if (name.split(".")[0] == "goalsheet" and not name.startswith("goalsheet.render"))
               or name.startswith(".")]
    assert outside == []


def test_render_imports_no_private_name_of_openpyxl_or_jinja2():
    private = [(f, name) for f, name in _render_imports()
               if name.split(".")[0] in ("openpyxl", "jinja2") and any(p.startswith("_") for p in name.split("."))]
    assert private == []
