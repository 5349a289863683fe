"""The planner is pure (SPEC section 3 as numbers): goalsheet/plan imports nothing of goalsheet outside plan/ but the
input model and schema, and no module for processes, threads, the garbage collector or the environment."""
from __future__ import annotations

import ast
from pathlib import Path

import goalsheet.plan

PLAN = Path(goalsheet.plan.__file__).parent
ALLOWED = ("goalsheet.plan", "goalsheet.inputs.model", "goalsheet.inputs.schema")
FORBIDDEN = ("os", "sys", "gc", "threading", "multiprocessing", "subprocess", "concurrent", "signal", "pickle")


def imports(path: Path) -> list[str]:
    """Every name `path` imports, dotted: `import x.y` as x.y, `from x import y` as x.y."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            out += [f"{node.module}.{a.name}" for a in node.names]
    return out


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_plan_imports_only_plan_and_the_input_model_and_schema():
    bad = []
    for path in sorted(PLAN.rglob("*.py")):
        for name in imports(path):
            if within(name, "goalsheet"):
                if not any(within(name, p) for p in ALLOWED):
                    bad.append(f"{path.relative_to(PLAN)}: {name}")
            elif name.split(".")[0] in FORBIDDEN:
                bad.append(f"{path.relative_to(PLAN)}: {name}")
    assert bad == []


def test_the_check_sees_a_forbidden_import(tmp_path):
    """The parse finds both forms of import, so a module of the report or the inputs would be caught."""
    f = tmp_path / "m.py"
    f.write_text("import os\nfrom goalsheet.output import LAYOUT\nfrom goalsheet.plan import cash\n")
    assert imports(f) == ["os", "goalsheet.output.LAYOUT", "goalsheet.plan.cash"]
    assert not within("goalsheet.output.LAYOUT", "goalsheet.plan") and within("goalsheet.plan.cash", "goalsheet.plan")
