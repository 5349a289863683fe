"""Loops along one axis (rows or columns) and the coordinate map they produce.

Pass 1 of a render: every loop's items are evaluated and the axis is expanded once into the list of
output positions, each remembering its template position, its scope (loop variables) and its *path*
(one instance id per enclosing loop iteration).  Everything that moves — cells, merges, formats, names,
formulas, charts — is then mapped through the same `AxisMap` queries, so shifting is done once, in bulk.

`AxisMap.first(p, prefix)` / `last(p, prefix)` give the first / last output position generated from
template position `p` within the loop iterations named by `prefix` (`()` = anywhere).  A template position
beyond the template's extent keeps its distance from the end (it shifts by the total growth).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from goalsheet.render.errors import TemplateError
from goalsheet.render.expr import ExprError

Scope = dict[str, Any]


@dataclass(eq=False)
class Loop:
    """`{% for targets in iterable if test %}` spanning template positions open_pos..close_pos."""
    open_pos: int
    close_pos: int
    where: str
    targets: tuple[str, ...]
    iterable: Callable[[Scope], Any]
    test: Callable[[Scope], Any] | None
    loop_name: str                       # "loop" for rows, "colloop" for columns
    tags_removed: bool = True            # rows: the tag rows go; columns: the tag columns go
    parent: "Loop | None" = None
    body: list["int | Loop"] = field(default_factory=list)

    def positions(self) -> Iterator[int]:
        for node in self.body:
            if isinstance(node, Loop):
                yield from node.positions()
            else:
                yield node


class LoopInfo:
    """Jinja's `loop` variable: index, index0, revindex, revindex0, first, last, length, depth,
    previtem, nextitem, parent, cycle(...)."""
    __slots__ = ("index0", "index", "revindex", "revindex0", "first", "last", "length", "depth",
                 "previtem", "nextitem", "parent")

    def __init__(self, items: list, i: int, parent: "LoopInfo | None"):
        n = len(items)
        self.index0, self.index, self.length = i, i + 1, n
        self.revindex, self.revindex0 = n - i, n - i - 1
        self.first, self.last = i == 0, i == n - 1
        self.previtem = items[i - 1] if i > 0 else None
        self.nextitem = items[i + 1] if i + 1 < n else None
        self.parent = parent
        self.depth = 1 if parent is None else parent.depth + 1

    def cycle(self, *values: Any) -> Any:
        return values[self.index0 % len(values)] if values else None


class Axis:
    """The template's positions 1..size along one axis: plain positions, tag positions and loops."""

    def __init__(self, size: int, loops: list[Loop]):
        self.size = size
        self.tags: set[int] = set()
        self.chain: dict[int, tuple[Loop, ...]] = {}
        self.top: list[int | Loop] = []
        self.loops = loops
        self._build(loops)

    def _build(self, loops: list[Loop]) -> None:
        ordered = sorted(loops, key=lambda lp: lp.open_pos)
        stack: list[Loop] = []
        pos_owner: dict[int, Loop | None] = {}
        for lp in ordered:
            while stack and stack[-1].close_pos < lp.open_pos:
                stack.pop()
            if stack and lp.close_pos > stack[-1].close_pos:
                raise TemplateError(lp.where, "this loop overlaps another loop without being inside it")
            lp.parent = stack[-1] if stack else None
            lp.body = []
            stack.append(lp)
            self.tags.update((lp.open_pos, lp.close_pos))
        # walk positions in order, attaching each to its innermost loop
        by_open = {lp.open_pos: lp for lp in ordered}
        by_close = {lp.close_pos: lp for lp in ordered}
        current: Loop | None = None
        chain: tuple[Loop, ...] = ()
        size = max([self.size] + [lp.close_pos for lp in ordered])
        self.size = size
        for p in range(1, size + 1):
            if p in by_open:
                lp = by_open[p]
                (current.body if current else self.top).append(lp)
                current = lp
                chain = chain + (lp,)
                self.chain[p] = chain[:-1]
                if p in by_close and by_close[p] is not lp:
                    raise TemplateError(lp.where, "a loop closes where another opens")
                continue
            if p in by_close:
                lp = by_close[p]
                if current is not lp:
                    raise TemplateError(lp.where, "loops are not nested properly")
                current = lp.parent
                chain = chain[:-1]
                self.chain[p] = chain
                continue
            (current.body if current else self.top).append(p)
            self.chain[p] = chain

    def chain_of(self, p: int) -> tuple[Loop, ...]:
        return self.chain.get(p, ())

    def expand(self, scope: Scope, bind_scope: bool, limit: int | None = None,
               tick: Callable[[], None] | None = None, where: str = "") -> "AxisMap":
        """Evaluate every loop and list the output positions.

        `bind_scope`: rows carry the full scope (base + loop variables); columns carry only the loop
        variables they bind (their iterables still see the full scope).  With `limit` (Excel's rows or
        columns), the expansion stops with a `TemplateError` naming the loop as soon as it passes it (nested
        loops never make the whole list first); `tick()` is called once per loop item (the render's time
        budget: it raises ExprError when spent)."""
        out_pos: list[int | None] = []
        out_scope: list[Scope] = []
        out_path: list[tuple[int, ...]] = []
        placeholder: dict[int, Loop] = {}
        counter = [0]

        most = limit if limit is not None else float("inf")
        tick_ = tick or (lambda: None)

        def too_many(node: Loop) -> None:
            """Raise once the positions listed pass the limit, naming the loop that made them."""
            if len(out_pos) > most:
                kind = "rows" if bind_scope else "columns"
                sheet = f"sheet {where}" if where else "sheet"
                raise TemplateError(node.where, f"the filled {sheet} would have more than {most:,} {kind} "
                                                f"(Excel's limit)")

        def step(node: Loop) -> None:
            try:
                tick_()
            except ExprError as exc:
                raise TemplateError(node.where, exc.message, exc.code, exc.params) from None
            too_many(node)

        def walk(nodes: list[int | Loop], scope: Scope, bound: Scope, path: tuple[int, ...],
                 info: LoopInfo | None) -> None:
            for node in nodes:
                if not isinstance(node, Loop):
                    out_pos.append(node)
                    out_scope.append(scope if bind_scope else bound)
                    out_path.append(path)
                    continue
                items = _loop_items(node, scope)
                if not items:             # an empty loop leaves one empty row/column: sums over it show 0
                    counter[0] += 1
                    placeholder[len(out_pos)] = node
                    out_pos.append(None)
                    out_scope.append(scope if bind_scope else bound)
                    out_path.append(path + (counter[0],))
                    continue
                body = node.body
                if bind_scope and len(node.targets) == 1 and not any(isinstance(n, Loop) for n in body):
                    # a loop of plain rows (a table): each item's scope made and its rows listed here, as the
                    # recursive walk below would (the bound-only scope is not needed: no column, no inner loop)
                    target, loop_name = node.targets[0], node.loop_name
                    for i, item in enumerate(items):
                        step(node)
                        counter[0] += 1
                        child = dict(scope)
                        child[target] = item
                        child[loop_name] = LoopInfo(items, i, info)
                        child_path = path + (counter[0],)
                        for p in body:
                            out_pos.append(p)
                            out_scope.append(child)
                            out_path.append(child_path)
                    continue
                for i, item in enumerate(items):
                    step(node)
                    counter[0] += 1
                    child_info = LoopInfo(items, i, info)
                    values = _bind(node, item)
                    values[node.loop_name] = child_info
                    child = dict(scope)
                    child.update(values)
                    child_bound = dict(bound)
                    child_bound.update(values)
                    walk(node.body, child, child_bound, path + (counter[0],), child_info)

        walk(self.top, scope, {}, (), None)
        return AxisMap(self, out_pos, out_scope, out_path, placeholder)


def _loop_items(lp: Loop, scope: Scope) -> list:
    try:
        value = lp.iterable(scope)
    except ExprError as exc:
        raise TemplateError(lp.where, exc.message, exc.code, exc.params) from None
    except Exception as exc:  # noqa: BLE001 - any failure is the template author's to see
        raise TemplateError(lp.where, f"cannot evaluate the loop: {exc}") from None
    if value is None:
        raise TemplateError(lp.where, "the loop's list is empty (None)")
    if hasattr(value, "to_dict") and hasattr(value, "columns"):      # a DataFrame: its rows
        value = value.to_dict(orient="records")
    try:
        items = list(value)
    except TypeError:
        raise TemplateError(lp.where, f"cannot loop over a {type(value).__name__}") from None
    if lp.test is not None:
        kept = []
        for item in items:
            trial = dict(scope)
            trial.update(_bind(lp, item))
            try:
                if lp.test(trial):
                    kept.append(item)
            except ExprError as exc:
                raise TemplateError(lp.where, exc.message, exc.code, exc.params) from None
        items = kept
    return items


def _bind(lp: Loop, item: Any) -> Scope:
    if len(lp.targets) == 1:
        return {lp.targets[0]: item}
    try:
        values = tuple(item)
    except TypeError:
        raise TemplateError(lp.where, f"cannot unpack {type(item).__name__} into {', '.join(lp.targets)}") from None
    if len(values) != len(lp.targets):
        raise TemplateError(lp.where, f"cannot unpack {len(values)} values into {', '.join(lp.targets)}")
    return dict(zip(lp.targets, values))


class AxisMap:
    """Output positions of one axis after expansion, and the queries that map template positions."""

    def __init__(self, axis: Axis, out_pos: list[int | None], out_scope: list[Scope],
                 out_path: list[tuple[int, ...]], placeholder: dict[int, Loop]):
        self.axis = axis
        self.out_pos = out_pos
        self.out_scope = out_scope
        self.out_path = out_path
        self.placeholder = placeholder
        self.size_out = len(out_pos)
        self.delta = self.size_out - axis.size
        self.identity = not axis.loops
        self.by_pos: dict[int, list[int]] = {}
        for i, p in enumerate(out_pos):
            if p is not None:
                self.by_pos.setdefault(p, []).append(i)
        for i, lp in placeholder.items():
            for p in lp.positions():
                self.by_pos.setdefault(p, []).append(i)
        self._tables: dict[int, dict[tuple[int, ...], list[int]]] = {}

    # -- queries (positions are 1-based both sides) -----------------------------------------------------
    def table(self, p: int) -> dict[tuple[int, ...], list[int]]:
        """prefix -> [first, last] output position of template position p in that loop instance."""
        t = self._tables.get(p)
        if t is None:
            t = {}
            for i in self.by_pos.get(p, ()):
                path = self.out_path[i]
                for k in range(len(path) + 1):
                    key = path[:k]
                    span = t.get(key)
                    if span is None:
                        t[key] = [i + 1, i + 1]
                    else:
                        if i + 1 < span[0]:
                            span[0] = i + 1
                        if i + 1 > span[1]:
                            span[1] = i + 1
            self._tables[p] = t
        return t

    def first(self, p: int, prefix: tuple[int, ...] = ()) -> int | None:
        if p > self.axis.size:
            return p + self.delta
        span = self.table(p).get(prefix)
        return span[0] if span else None

    def last(self, p: int, prefix: tuple[int, ...] = ()) -> int | None:
        if p > self.axis.size:
            return p + self.delta
        span = self.table(p).get(prefix)
        return span[1] if span else None

    def span(self, p1: int, p2: int, start_prefix: Callable[[int], tuple[int, ...]] | None = None,
             end_prefix: Callable[[int], tuple[int, ...]] | None = None) -> tuple[int, int] | None:
        """The output span of template positions p1..p2: the first output position of any of them to the
        last one (tag positions contribute nothing).  None when nothing of it survives."""
        if self.identity:
            return p1, p2
        lo = hi = None
        top = min(p2, self.axis.size)
        for p in range(p1, top + 1):
            t = self.table(p)
            if not t:
                continue
            a = t.get(start_prefix(p) if start_prefix else ())
            b = t.get(end_prefix(p) if end_prefix else ())
            if a is not None and (lo is None or a[0] < lo):
                lo = a[0]
            if b is not None and (hi is None or b[1] > hi):
                hi = b[1]
        if p2 > self.axis.size:
            hi = p2 + self.delta
            if lo is None:
                lo = max(p1, self.axis.size + 1) + self.delta
        if lo is None or hi is None or lo > hi:
            return None
        return lo, hi

    def instances(self, p1: int, p2: int) -> list[tuple[int, int]]:
        """Where a block of template positions p1..p2 that sits inside one loop body lands in every
        iteration of the innermost loop holding all of it (merged cells are repeated this way).
        Outside any common loop: the single stretched span."""
        chains = [self.axis.chain_of(p) for p in range(p1, min(p2, self.axis.size) + 1)]
        k = len(chains[0]) if chains and p2 <= self.axis.size else 0
        for c in chains[1:]:
            k = min(k, _common(chains[0], c))
        if p1 in self.axis.tags or p2 in self.axis.tags:
            k = 0
        if k == 0 or self.identity:
            s = self.span(p1, p2)
            return [s] if s else []
        starts = {key: v[0] for key, v in self.table(p1).items() if len(key) == k}
        ends = {key: v[1] for key, v in self.table(p2).items() if len(key) == k}
        return sorted((starts[key], ends[key]) for key in starts if key in ends and starts[key] <= ends[key]
                      and self.out_pos[starts[key] - 1] is not None)

    def common_prefix(self, path: tuple[int, ...], chain: tuple[Loop, ...], p: int) -> tuple[int, ...]:
        """The part of an output position's `path` (whose template position has loop `chain`) that also
        encloses template position p: the loop instances a relative reference to p stays within."""
        return path[:_common(chain, self.axis.chain_of(p))]


def _common(a: tuple[Loop, ...], b: tuple[Loop, ...]) -> int:
    k = 0
    for x, y in zip(a, b):
        if x is not y:
            break
        k += 1
    return k
