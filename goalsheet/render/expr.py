"""Cell expressions: Jinja2 syntax, compiled once per cell to plain Python closures.

Jinja's own `compile_expression` builds a fresh template context on every call (several microseconds);
a 20 000-row table has half a million cells, so the common expression forms (names, `.attr`, `[key]`,
arithmetic, comparisons, `and/or/not`, `x if c else y`, `~`, literals, filters, tests, calls) are translated
here from Jinja's parsed AST into one Python lambda per cell.  Every attribute/item access and every call
still goes through the `SandboxedEnvironment` (its `getattr`/`getitem`/`call`), so the sandbox holds; a
plain dict's key is read directly (the same result as Jinja when the key is not a dict method name).
Anything else falls back to Jinja's own compiled expression or template, which is slower but exact.

Strictness: an unknown name or a missing attribute/key raises `ExprError`; the engine turns it into a
`TemplateError` naming the template cell.

Budget: the environment is a `BudgetedEnvironment`, the sandbox with the render budget of
goalsheet/render/budget.py wired into its public hooks (intercepted operators, `call`, `concat`, the filters,
`finalize`); the translated lambdas call the same checks for `+ * %` and `~`, and the `{% for %}` loops and `~`
of Jinja's own compiled code are routed through it by rewriting the parsed template (`_budgeted`).
"""
from __future__ import annotations

import math
from typing import Any, Callable

from jinja2 import Environment, StrictUndefined, Undefined, nodes
from jinja2.exceptions import TemplateError as JinjaTemplateError, UndefinedError
from jinja2.nodes import EvalContext
from jinja2.sandbox import SandboxedEnvironment

from goalsheet.render.budget import Budget
from goalsheet.render.errors import ExprError

Scope = dict[str, Any]
Evaluator = Callable[[Scope], Any]

# names of dict methods: `row.items` is the method, not the key "items" (as in Jinja)
DICT_ATTRS = frozenset(dir(dict))


def _finalize(value: Any) -> Any:
    # None and NaN print as nothing in a text cell, not "None"/"nan".
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value


class BudgetedEnvironment(SandboxedEnvironment):
    """Jinja's sandbox, spending from `self.budget` (goalsheet/render/budget.py): every call and the operators
    that can make large values (+ * % **) are checked, each rendered text is joined under the text limit, the
    filters that pad or repeat are refused arguments past it, and `lipsum` (which makes text by the megabyte)
    is not offered.  `range` stays the sandbox's own (at most 100 000 items)."""

    intercepted_binops = frozenset({"+", "*", "%", "**"})

    def __init__(self, *args: Any, budget: Budget | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.budget = budget or Budget()
        self.globals.pop("lipsum", None)
        for name, guard in _FILTER_GUARDS.items():
            if name in self.filters:
                self.filters[name] = _guarded_filter(self.filters[name], guard, self.budget)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        return self.budget.binop(operator, left, right)

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        budget = self.budget
        budget.tick()
        receiver = _receiver(obj)
        if receiver is not None:
            _check_method(budget, receiver, obj, args)
        value = budget.checked(super().call(context, obj, *args, **kwargs))
        if receiver is not None and isinstance(receiver, (list, dict, set)):
            budget.length(len(receiver))        # list.extend(itself) in a loop doubles it each step
        return value

    def concat(self, parts: Any) -> str:
        """A rendered text (a cell, a macro, a `{% set %}` block), joined under the text limit."""
        return self.budget.concat(parts)

    # `{% for %}` and `~` inside Jinja's compiled code reach these through `_budgeted`
    def budget_iterate(self, iterable: Any) -> Any:
        return self.budget.iterate(iterable)

    def budget_concat(self, *parts: Any) -> str:
        texts = [str(p) for p in parts]
        self.budget.length(sum(map(len, texts)))
        return "".join(texts)


def _receiver(obj: Any) -> Any:
    """The object a bound method (or the sandbox's wrapper of str.format) belongs to, else None."""
    inner = getattr(obj, "__wrapped__", obj)
    receiver = getattr(inner, "__self__", None)
    return receiver if isinstance(receiver, (str, list, dict, set)) else None


_PADDING = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


def _check_method(budget: Budget, receiver: Any, method: Any, args: tuple) -> None:
    """Refuse before it runs a method of a text or list that would make one past the text limit."""
    name = getattr(getattr(method, "__wrapped__", method), "__name__", "")
    if isinstance(receiver, str):
        if name in _PADDING:
            for a in args:
                if isinstance(a, int):
                    budget.length(a * (receiver.count("\t") + 1) if name == "expandtabs" else a)
        elif name in ("format", "format_map"):
            budget.format_string(receiver)
        elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
            times = receiver.count(args[0]) if args[0] else len(receiver) + 1
            budget.length(len(receiver) + times * len(args[1]))
    elif isinstance(receiver, list) and name in ("extend", "__iadd__") and args and hasattr(args[0], "__len__"):
        budget.length(len(receiver) + len(args[0]))


def _count_items(budget: Budget, value: Any) -> None:
    """Refuse a nested list/dict/tuple whose items (counted through every level) pass the text limit: what its
    text would at least be.  (A list of itself, doubled at each `{% set %}`, is small but prints for ever.)"""
    stack, seen = [value], 0
    limit = budget.text_limit
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            seen += len(item)
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set)):
            seen += len(item)
            stack.extend(item)
        if seen > limit:
            raise budget.too_long()


def _guarded_filter(func: Callable, guard: Callable, budget: Budget) -> Callable:
    """The filter, its arguments checked by `guard(budget, *args)` first and its result after."""
    from functools import wraps

    @wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        budget.tick()
        guard(budget, *args, **kwargs)
        return budget.checked(func(*args, **kwargs))
    return guarded


def _value_of(args: tuple) -> tuple:
    """The filter's arguments less the environment or eval context Jinja passes first to some filters."""
    return args[1:] if args and isinstance(args[0], (Environment, EvalContext)) else args


def _guard_width(budget: Budget, *args: Any, **kwargs: Any) -> None:
    """center(value, width) / batch(value, linecount) / slice(value, slices): the count within the limit."""
    args = _value_of(args)
    for a in list(args[1:2]) + [v for k, v in kwargs.items() if k in ("width", "linecount", "slices")]:
        if isinstance(a, int):
            budget.length(a)


def _guard_indent(budget: Budget, *args: Any, **kwargs: Any) -> None:
    args = _value_of(args)
    text = str(args[0]) if args else ""
    width = args[1] if len(args) > 1 else kwargs.get("width", 4)
    per_line = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
    budget.length(len(text) + (text.count("\n") + 1) * per_line)


def _guard_format(budget: Budget, *args: Any, **kwargs: Any) -> None:
    args = _value_of(args)
    if args:
        budget.format_string(args[0])


def _guard_replace(budget: Budget, *args: Any, **kwargs: Any) -> None:
    args = _value_of(args)
    if len(args) >= 3:
        text, old, new = str(args[0]), str(args[1]), str(args[2])
        times = text.count(old) if old else len(text) + 1
        budget.length(len(text) + times * len(new))


def _guard_items(budget: Budget, *args: Any, **kwargs: Any) -> None:
    args = _value_of(args)
    if args:
        _count_items(budget, args[0])


_FILTER_GUARDS: dict[str, Callable] = {
    "center": _guard_width, "batch": _guard_width, "slice": _guard_width, "indent": _guard_indent,
    "format": _guard_format, "replace": _guard_replace, "join": _guard_items, "string": _guard_items,
    "tojson": _guard_items, "pprint": _guard_items, "list": _guard_items, "urlencode": _guard_items,
    "xmlattr": _guard_items, "wordwrap": _guard_items, "truncate": _guard_items,
}


def make_environment(filters: dict[str, Callable] | None = None,
                     globals: dict[str, Any] | None = None, budget: Budget | None = None) -> BudgetedEnvironment:
    budget = budget or Budget()

    def finalize(value: Any) -> Any:
        if isinstance(value, (list, tuple, dict, set)):
            _count_items(budget, value)             # printed as text: not past the text limit
        return _finalize(value)
    env = BudgetedEnvironment(undefined=StrictUndefined, finalize=finalize, autoescape=False,
                              keep_trailing_newline=True, budget=budget)
    if filters:
        env.filters.update(filters)
    if globals:
        env.globals.update(globals)
    return env


def _budgeted(tree: nodes.Template) -> nodes.Template:
    """The parsed template with every `{% for %}` iterating through `environment.budget_iterate` (each step
    counted against the time budget) and every `~` joined by `environment.budget_concat` (under the text limit):
    Jinja compiles these to plain Python loops and joins, out of reach of the sandbox's hooks."""
    for loop in tree.find_all(nodes.For):
        loop.iter = nodes.Call(nodes.EnvironmentAttribute("budget_iterate"), [loop.iter], [], None, None,
                               lineno=loop.lineno)
    for concat in tree.find_all(nodes.Concat):
        concat.nodes = [nodes.Call(nodes.EnvironmentAttribute("budget_concat"), list(concat.nodes), [], None, None,
                                   lineno=concat.lineno)]
    return tree


def _label(node: nodes.Node) -> str:
    """How an error names the object being read: `row`, `row.stores`, else `the value`."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        inner = _label(node.node)
        return f"{inner}.{node.attr}" if inner != "the value" else inner
    return "the value"


class Compiler:
    """Compiles expression source / AST nodes for one environment."""

    def __init__(self, env: SandboxedEnvironment):
        self.env = env
        self._dummy_context = env.from_string("").new_context({})
        self._eval_context = EvalContext(env)
        env_getattr, env_getitem, env_call = env.getattr, env.getitem, env.call
        dummy = self._dummy_context
        env_globals = env.globals

        def lookup(scope: Scope, name: str) -> Any:
            try:
                return scope[name]
            except KeyError:
                pass
            try:
                return env_globals[name]
            except KeyError:
                raise ExprError(f"unknown name '{name}'", "template_unknown_name", {"name": name}) from None

        def getattr_any(obj: Any, attr: str, label: str) -> Any:
            value = env_getattr(obj, attr)
            if isinstance(value, Undefined):
                raise ExprError(f"{label} has no attribute '{attr}'", "template_no_attribute",
                                {"label": label, "attr": attr})
            return value

        def getattr_fast(obj: Any, attr: str, label: str) -> Any:
            if type(obj) is dict:
                try:
                    return obj[attr]
                except KeyError:
                    raise ExprError(f"{label} has no attribute '{attr}'", "template_no_attribute",
                                    {"label": label, "attr": attr}) from None
            return getattr_any(obj, attr, label)

        def getitem(obj: Any, key: Any, label: str) -> Any:
            if type(obj) is dict:
                try:
                    return obj[key]
                except (KeyError, TypeError):
                    raise ExprError(f"{label} has no key {key!r}") from None
            value = env_getitem(obj, key)
            if isinstance(value, Undefined):
                raise ExprError(f"{label} has no item {key!r}")
            return value

        def call(func: Any, *args: Any, **kwargs: Any) -> Any:
            return env_call(dummy, func, *args, **kwargs)

        budget = env.budget

        def concat(*values: Any) -> str:
            texts = [str(_finalize(v)) for v in values]
            budget.length(sum(map(len, texts)))
            return "".join(texts)

        def binop(operator: str) -> Callable[[Any, Any], Any]:
            check = budget.binop
            return lambda left, right: check(operator, left, right)

        self.helpers = {"_lookup": lookup, "_ga": getattr_any, "_gaf": getattr_fast, "_gi": getitem,
                        "_call": call, "_concat": concat, "_ENV": env, "_EVC": self._eval_context,
                        "_add": binop("+"), "_mul": binop("*"), "_mod": binop("%"), "slice": slice}

    # -- public ---------------------------------------------------------------------------------------
    def expression(self, source: str) -> Evaluator:
        """Compile the source of one expression (no braces)."""
        try:
            template = self.env.parse("{{ " + source + " }}")
            node = template.body[0].nodes[0]          # type: ignore[attr-defined]
        except JinjaTemplateError as exc:
            raise ExprError(f"cannot read {{{{ {source} }}}}: {exc.message}") from None
        return self.node(node)

    def node(self, node: nodes.Expr) -> Evaluator:
        """Compile a parsed expression node."""
        consts: list[Any] = []
        try:
            code = self._gen(node, consts)
        except _Unsupported:
            return self._slow_expression(node)
        namespace = dict(self.helpers)
        namespace["_K"] = consts
        return eval(compile(f"lambda S: {code}", "<cell>", "eval"), namespace)  # noqa: S307 - our own code

    def text(self, source: str, literal: Callable[[Any], str] | None = None) -> Callable[[Scope], str]:
        """Compile a mixed-text cell.  `literal` (if given) converts each `{{ }}` value to text
        (used for formulas, where values become Excel literals)."""
        try:
            template = self.env.parse(source)
        except JinjaTemplateError as exc:
            raise ExprError(f"cannot read the template text: {exc.message}") from None
        parts: list[Evaluator | str] = []
        simple = True
        for stmt in template.body:
            if not isinstance(stmt, nodes.Output):
                simple = False
                break
            for item in stmt.nodes:
                if isinstance(item, nodes.TemplateData):
                    parts.append(item.data)
                else:
                    try:
                        consts: list[Any] = []
                        code = self._gen(item, consts)
                    except _Unsupported:
                        simple = False
                        break
                    namespace = dict(self.helpers)
                    namespace["_K"] = consts
                    parts.append(eval(compile(f"lambda S: {code}", "<cell>", "eval"), namespace))  # noqa: S307
            if not simple:
                break
        to_text = literal or (lambda v: str(_finalize(v)))
        if simple:
            fixed = tuple(parts)

            def render_text(scope: Scope) -> str:
                return "".join(p if isinstance(p, str) else to_text(p(scope)) for p in fixed)
            return render_text
        if literal is not None:
            env2 = self.env.overlay(finalize=literal)
            compiled = env2.from_string(_budgeted(env2.parse(source)))
        else:
            compiled = self.env.from_string(_budgeted(self.env.parse(source)))

        def render_slow(scope: Scope) -> str:
            try:
                return compiled.render(scope)
            except UndefinedError as exc:
                raise ExprError(_undefined_message(exc)) from None
        return render_slow

    # -- slow path ------------------------------------------------------------------------------------
    def _slow_expression(self, node: nodes.Expr) -> Evaluator:
        # `{% set result = expr %}`: the template's module exports `result`
        body = [nodes.Assign(nodes.Name("result", "store", lineno=1), node, lineno=1)]
        compiled = self.env.from_string(_budgeted(nodes.Template(body, lineno=1)))

        def evaluate(scope: Scope) -> Any:
            try:
                value = compiled.make_module(scope).result
                if isinstance(value, Undefined):
                    str(value)              # a strict undefined raises its own message
                    raise ExprError("undefined value")
            except UndefinedError as exc:
                raise ExprError(_undefined_message(exc)) from None
            return value
        return evaluate

    # -- code generation ------------------------------------------------------------------------------
    def _gen(self, node: nodes.Node, consts: list[Any]) -> str:
        g = lambda n: self._gen(n, consts)  # noqa: E731

        def const(value: Any) -> str:
            consts.append(value)
            return f"_K[{len(consts) - 1}]"

        if isinstance(node, nodes.Name):
            if node.name in ("true", "True"):
                return "True"
            if node.name in ("false", "False"):
                return "False"
            if node.name in ("none", "None"):
                return "None"
            return f"_lookup(S, {node.name!r})"
        if isinstance(node, nodes.Const):
            return const(node.value)
        if isinstance(node, nodes.Getattr):
            helper = "_ga" if (node.attr in DICT_ATTRS or node.attr.startswith("_")) else "_gaf"
            return f"{helper}({g(node.node)}, {node.attr!r}, {_label(node.node)!r})"
        if isinstance(node, nodes.Getitem):
            return f"_gi({g(node.node)}, {g(node.arg)}, {_label(node.node)!r})"
        if isinstance(node, nodes.Slice):
            parts = [g(p) if p is not None else "None" for p in (node.start, node.stop, node.step)]
            return f"slice({', '.join(parts)})"
        if isinstance(node, (nodes.Add, nodes.Mul, nodes.Mod)):     # can make large values: checked (budget)
            helper = {"Add": "_add", "Mul": "_mul", "Mod": "_mod"}[type(node).__name__]
            return f"{helper}({g(node.left)}, {g(node.right)})"
        if isinstance(node, (nodes.Sub, nodes.Div, nodes.FloorDiv)):
            op = {"Sub": "-", "Div": "/", "FloorDiv": "//"}[type(node).__name__]
            return f"({g(node.left)} {op} {g(node.right)})"
        if isinstance(node, nodes.Pow):
            raise _Unsupported          # the sandbox may guard huge powers: let Jinja do it
        if isinstance(node, nodes.Concat):
            return f"_concat({', '.join(g(n) for n in node.nodes)})"
        if isinstance(node, nodes.Not):
            return f"(not {g(node.node)})"
        if isinstance(node, nodes.Neg):
            return f"(-{g(node.node)})"
        if isinstance(node, nodes.Pos):
            return f"(+{g(node.node)})"
        if isinstance(node, nodes.And):
            return f"({g(node.left)} and {g(node.right)})"
        if isinstance(node, nodes.Or):
            return f"({g(node.left)} or {g(node.right)})"
        if isinstance(node, nodes.CondExpr):
            if node.expr2 is None:
                raise _Unsupported
            return f"({g(node.expr1)} if {g(node.test)} else {g(node.expr2)})"
        if isinstance(node, nodes.Compare):
            ops = {"eq": "==", "ne": "!=", "gt": ">", "gteq": ">=", "lt": "<", "lteq": "<=",
                   "in": "in", "notin": "not in"}
            text = g(node.expr)
            for operand in node.ops:
                text += f" {ops[operand.op]} {g(operand.expr)}"
            return f"({text})"
        if isinstance(node, nodes.Tuple):
            items = [g(i) for i in node.items]
            return f"({', '.join(items)}{',' if len(items) == 1 else ''})"
        if isinstance(node, nodes.List):
            return f"[{', '.join(g(i) for i in node.items)}]"
        if isinstance(node, nodes.Dict):
            return "{" + ", ".join(f"{g(p.key)}: {g(p.value)}" for p in node.items) + "}"
        if isinstance(node, (nodes.Filter, nodes.Test)):
            if node.dyn_args is not None or node.dyn_kwargs is not None:
                raise _Unsupported
            table = self.env.filters if isinstance(node, nodes.Filter) else self.env.tests
            kind = "filter" if isinstance(node, nodes.Filter) else "test"
            if node.name not in table:
                raise ExprError(f"unknown {kind} '{node.name}'")
            if isinstance(node, nodes.Test) and node.name in ("defined", "undefined"):
                raise _Unsupported
            func = table[node.name]
            # what the filter asks to be passed first (jinja2.pass_environment / pass_eval_context); one that
            # wants the template context is left to Jinja
            pass_arg = getattr(getattr(func, "jinja_pass_arg", None), "name", None)
            lead = ""
            if pass_arg == "environment":
                lead = "_ENV, "
            elif pass_arg == "eval_context":
                lead = "_EVC, "
            elif pass_arg is not None:
                raise _Unsupported
            if node.node is None:
                raise _Unsupported
            args = [g(node.node)] + [g(a) for a in node.args] + [f"{k.key}={g(k.value)}" for k in node.kwargs]
            return f"{const(func)}({lead}{', '.join(args)})"
        if isinstance(node, nodes.Call):
            if node.dyn_args is not None or node.dyn_kwargs is not None:
                raise _Unsupported
            args = [g(node.node)] + [g(a) for a in node.args] + [f"{k.key}={g(k.value)}" for k in node.kwargs]
            return f"_call({', '.join(args)})"
        raise _Unsupported


class _Unsupported(Exception):
    pass


def _undefined_message(exc: UndefinedError) -> str:
    text = exc.message or str(exc)
    if text.startswith("'") and text.endswith("' is undefined"):
        return f"unknown name {text[:-len(' is undefined')]}"
    return text
