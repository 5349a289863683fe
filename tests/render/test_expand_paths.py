"""Axis.expand lists a loop of plain rows without recursing (layout.py's table path); against the recursive walk
it replaced (kept here as the reference): the same output positions, paths and scopes - keys, their order and
values, the loop variable's index/first/last/length/depth/neighbours - for plain loops, a filtered loop, a loop
variable named like the loop variable, empty loops, tuple targets, nested loops and column axes."""
from __future__ import annotations

from goalsheet.render.layout import Axis, Loop, LoopInfo, _bind, _loop_items


def _reference(axis: Axis, scope: dict, bind_scope: bool) -> tuple[list, list, list, dict]:
    out_pos, out_scope, out_path, placeholder, counter = [], [], [], {}, [0]

    def walk(nodes, scope, bound, path, info):
        for node in nodes:
            if not isinstance(node, Loop):
                out_pos.append(node)
                out_scope.append(scope if bind_scope else bound)
                out_path.append(path)
                continue
            items = _loop_items(node, scope)
            if not items:
                counter[0] += 1
                placeholder[len(out_pos)] = node
                out_pos.append(None)
                out_scope.append(scope if bind_scope else bound)
                out_path.append(path + (counter[0],))
                continue
            for i, item in enumerate(items):
                counter[0] += 1
                child_info = LoopInfo(items, i, info)
                values = _bind(node, item)
                values[node.loop_name] = child_info
                child = dict(scope)
                child.update(values)
                child_bound = dict(bound)
                child_bound.update(values)
                walk(node.body, child, child_bound, path + (counter[0],), child_info)

    walk(axis.top, scope, {}, (), None)
    return out_pos, out_scope, out_path, placeholder


def _plain(scope: dict) -> list:
    out = []
    for k, v in scope.items():
        if isinstance(v, LoopInfo):
            v = ("loop", v.index0, v.index, v.length, v.first, v.last, v.depth, v.previtem, v.nextitem,
                 v.parent.index0 if v.parent else None)
        out.append((k, v))
    return out


def _loop(open_pos, close_pos, targets, source, test=None, name="loop"):
    return Loop(open_pos, close_pos, "T!A1", targets, lambda s: s[source] if isinstance(source, str) else source(s),
                test, name)


def _same(axis_factory, scope, bind_scope=True):
    got = axis_factory().expand(scope, bind_scope)
    ref_pos, ref_scope, ref_path, ref_placeholder = _reference(axis_factory(), scope, bind_scope)
    assert got.out_pos == ref_pos and got.out_path == ref_path
    assert [_plain(s) for s in got.out_scope] == [_plain(s) for s in ref_scope]
    assert sorted(got.placeholder) == sorted(ref_placeholder)
    return got


def test_expand_as_recursive_walk():
    scope = {"title": "x", "rows": [{"a": 1}, {"a": 2}, {"a": 3}], "none": [], "pairs": [(1, "a"), (2, "b")],
             "loop": "shadowed", "groups": [{"items": [1, 2]}, {"items": []}, {"items": [3]}]}
    cases = [
        lambda: Axis(8, [_loop(3, 6, ("row",), "rows")]),                          # two rows in the body
        lambda: Axis(6, [_loop(2, 4, ("row",), "rows", test=lambda s: s["row"]["a"] != 2)]),
        lambda: Axis(5, [_loop(2, 4, ("loop",), "rows")]),                         # target named like the loop
        lambda: Axis(5, [_loop(2, 4, ("row",), "none")]),                          # empty: a placeholder
        lambda: Axis(5, [_loop(2, 4, ("n", "t"), "pairs")]),                       # tuple targets: recursive path
        lambda: Axis(9, [_loop(2, 8, ("g",), "groups"), _loop(3, 5, ("i",), lambda s: s["g"]["items"])]),
        lambda: Axis(9, [_loop(2, 4, ("row",), "rows"), _loop(5, 7, ("r2",), "rows")]),
    ]
    for factory in cases:
        for bind in (True, False):
            _same(factory, scope, bind)
    got = _same(cases[0], scope)
    assert got.out_pos == [1, 2, 4, 5, 4, 5, 4, 5, 7, 8]
    assert got.out_path[2:8] == [(1,), (1,), (2,), (2,), (3,), (3,)]
    assert got.out_scope[4]["row"] == {"a": 2} and got.out_scope[4]["loop"].index == 2
