"""Formula values (SPEC 5, step 3): every rendered formula evaluated over the rendered cells of all sheets,
so the file carries cached values; a formula the evaluator cannot value is written without one and listed in
the render's report.  Also what a chart shows of an area (`shown_values`), for the charts' caches."""
from __future__ import annotations

from operator import itemgetter
from typing import TYPE_CHECKING, Any

from goalsheet.render.compile import FormulaProgram
from goalsheet.render.evaluate import ErrorValue, Evaluator, RangeValue, Unsupported
from goalsheet.render.refs import Area, Remapper

if TYPE_CHECKING:
    from goalsheet.render.cells import SheetOutput
    from goalsheet.render.engine import RenderReport

_CELL_COL, _CELL_VALUE = itemgetter(0), itemgetter(2)


class FormulaCell:
    """An output formula: text, areas of its slots, value once evaluated."""
    __slots__ = ("text", "tree", "areas", "value", "state", "where")

    def __init__(self, text: str, tree: tuple | None, areas: list, where: str):
        self.text, self.tree, self.areas, self.where = text, tree, areas, where
        self.value: Any = None
        self.state = 0          # 0 pending, 1 evaluating, 2 done, 3 unsupported



class FormulaValues:
    """The rendered cells of all sheets as the formula evaluator reads them; each formula valued once."""

    def __init__(self, outputs: dict[str, "SheetOutput"], names: dict[tuple[str | None, str], str],
                 remapper: Remapper):
        self.outputs = outputs
        self.names = names
        self.remapper = remapper
        self._name_programs: dict[tuple[str | None, str], Any] = {}
        self.evaluator = Evaluator(self.cell, self.area, self.name, self.extent)

    def extent(self, sheet: str | None) -> tuple[int, int]:
        out = self._sheet(sheet)
        return len(out.rows), max(out.n_cols, 1)

    def _sheet(self, sheet: str | None) -> "SheetOutput":
        out = self.outputs.get(sheet.lower()) if sheet else None
        if out is None:
            raise Unsupported(f"sheet {sheet}")
        return out

    def shown_values(self, sheet: str | None, r1: int, c1: int, r2: int, c2: int) -> list:
        """Every cell of an area, row by row, as a chart shows it: blanks, errors and formulas without a
        value as None.  One pass over the rows (a chart over a 20 000-row table reads 240 000 cells)."""
        size = (r2 - r1 + 1) * (c2 - c1 + 1)
        try:
            out = self._sheet(sheet)
        except Unsupported:
            return [None] * size
        values = _column_values(out.rows[r1 - 1:r2], c1) if c1 == c2 and out._grid is None else None
        if values is None:
            columns = range(c1, c2 + 1)
            values = [d.get(c) for d in out.grid()[r1 - 1:r2] for c in columns]
        values += [None] * (size - len(values))          # rows below the rendered ones
        types = set(map(type, values))
        if FormulaCell in types or any(issubclass(t, ErrorValue) for t in types):
            values = [self._shown(v) for v in values]
        return values

    def _shown(self, v: Any) -> Any:
        if type(v) is FormulaCell:
            try:
                v = self.formula_value(v)
            except Unsupported:
                return None
        return None if isinstance(v, ErrorValue) else v

    def cell(self, sheet: str | None, r: int, c: int) -> Any:
        v = self._sheet(sheet).row_dict(r).get(c)
        if isinstance(v, FormulaCell):
            return self.formula_value(v)
        return v

    def area(self, sheet: str | None, r1: int, c1: int, r2: int, c2: int) -> list:
        """Non-blank values of an area, row by row (formulas evaluated)."""
        grid = self._sheet(sheet).grid()
        dicts = grid[r1 - 1:r2]
        if c1 == c2:
            values = [d[c1] for d in dicts if c1 in d]
        elif c2 - c1 < 64:
            values = [d[c] for d in dicts for c in range(c1, c2 + 1) if c in d]
        else:
            values = [d[c] for d in dicts for c in sorted(d) if c1 <= c <= c2]
        if any(type(v) is FormulaCell for v in values):
            values = [self.formula_value(v) if type(v) is FormulaCell else v for v in values]
        return [v for v in values if v is not None]

    def name(self, name: str, home: str | None) -> Any:
        key = (home.lower() if home else None, name.lower())
        text = self.names.get(key) or self.names.get((None, name.lower()))
        if text is None:
            raise Unsupported(f"name {name}")
        prog = self._name_programs.get((None, text))
        if prog is None:
            prog = FormulaProgram("=" + text.lstrip("="))
            if prog.tree is None:
                raise Unsupported(f"name {name}")
            self._name_programs[(None, text)] = prog
        areas = [Area(ref.sheet, ref.r1 or 1, ref.c1 or 1, ref.r2 or 1048576, ref.c2 or 16384) for ref in prog.refs]
        if prog.tree[0] == "ref":
            a = areas[prog.tree[1]]
            return RangeValue(a.sheet, a.r1, a.c1, a.r2, a.c2)
        return self.evaluator._ev(prog.tree, areas, home)

    def formula_value(self, f: FormulaCell) -> Any:
        if f.state == 2:
            return f.value
        if f.state == 3:
            raise Unsupported("depends on a formula that cannot be evaluated")
        if f.state == 1:
            raise Unsupported("circular reference")
        f.state = 1
        try:
            f.value = self.evaluator.run(f.tree, f.areas, f.where.rsplit("!", 1)[0])
            f.state = 2
        except Unsupported:
            f.state = 3
            raise
        return f.value

    def evaluate_sheet(self, sheet: str, report: "RenderReport") -> None:
        for f in self._sheet(sheet).formulas:
            if f.state == 0:
                try:
                    self.formula_value(f)
                except Unsupported:
                    pass
            if f.state == 3:
                report.unevaluated.append(f"{f.where}: {f.text}")


def _column_values(rows: list, c: int) -> list | None:
    """The values of column `c` in `rows` (lists of (col, style, value)) when every row holds column c at the
    place the first row holds it (rows of one template row): a few C-level passes, no {col: value} per row.
    None when they do not (a row without the column, an empty row, another layout): read them by `grid`."""
    if not rows or not rows[0]:
        return None
    k = next((i for i, cell in enumerate(rows[0]) if cell[0] == c), None)
    if k is None:
        return None
    try:
        picked = list(map(itemgetter(k), rows))
    except (TypeError, IndexError):
        return None
    if list(map(_CELL_COL, picked)).count(c) != len(picked):
        return None
    return list(map(_CELL_VALUE, picked))
