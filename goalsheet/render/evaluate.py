"""A small Excel formula evaluator, so formula cells carry their computed value in the saved file.

openpyxl (and most writers) save formulas without a value: viewers that do not calculate (pandas,
phone previews, `openpyxl` with data_only=True) then see nothing.  This evaluates what templates use for
totals and ratios:

    operators      + - * / ^ & % (postfix), unary -/+, = <> < > <= >=
    functions      SUM SUMPRODUCT AVERAGE MIN MAX COUNT COUNTA ROUND ROUNDUP ROUNDDOWN ABS
                   IF IFERROR AND OR NOT SUMIF COUNTIF AVERAGEIF
    operands       numbers, text, TRUE/FALSE, error literals, references and ranges (other sheets too),
                   defined names that hold a reference or a formula

Anything else (another function, array constants, intersections) raises `Unsupported`; that cell is
written without a cached value (Excel and LibreOffice still compute it: the workbook is flagged
fullCalcOnLoad) and listed in the render report.  Excel semantics kept where a total can notice:
text and blanks in ranges are skipped by SUM/AVERAGE/MIN/MAX, errors propagate, x/0 is #DIV/0!,
ROUND rounds half away from zero on the decimal value.
"""
from __future__ import annotations

import math
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from typing import Any, Callable

from openpyxl.formula.tokenizer import Token, Tokenizer


class Unsupported(Exception):
    """The evaluator cannot compute this formula."""


class XLError(Exception):
    """An Excel error value (#DIV/0!, #VALUE!, ...), raised so it propagates; IFERROR catches it."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)


ERROR_CODES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA")


class ErrorValue:
    """An error stored in a cell (as opposed to raised)."""
    __slots__ = ("code",)

    def __init__(self, code: str):
        self.code = code

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ErrorValue) and other.code == self.code

    def __repr__(self) -> str:
        return f"ErrorValue({self.code})"


# ---------------------------------------------------------------------------------------------------
# Parsing: tokens -> tuples.  ("num", x) ("str", s) ("bool", b) ("err", code) ("ref", slot) ("name", n)
# ("fn", NAME, [args]) ("bin", op, a, b) ("neg", a) ("pct", a)

def parse(tokens: list[Token], slot_of: dict[int, int]) -> tuple:
    """Build the expression tree; `slot_of` maps a token's index to its reference slot."""
    items = [(i, t) for i, t in enumerate(tokens) if t.type != Token.WSPACE]
    pos = 0

    def peek() -> Token | None:
        return items[pos][1] if pos < len(items) else None

    def take() -> tuple[int, Token]:
        nonlocal pos
        if pos >= len(items):
            raise Unsupported("unexpected end of formula")
        item = items[pos]
        pos += 1
        return item

    def infix(ops: tuple[str, ...]) -> str | None:
        t = peek()
        if t is not None and t.type == Token.OP_IN and t.value in ops:
            return t.value
        return None

    def comparison() -> tuple:
        node = concat()
        while (op := infix(("=", "<>", "<", ">", "<=", ">="))) is not None:
            take()
            node = ("bin", op, node, concat())
        return node

    def concat() -> tuple:
        node = additive()
        while infix(("&",)) is not None:
            take()
            node = ("bin", "&", node, additive())
        return node

    def additive() -> tuple:
        node = multiplicative()
        while (op := infix(("+", "-"))) is not None:
            take()
            node = ("bin", op, node, multiplicative())
        return node

    def multiplicative() -> tuple:
        node = power()
        while (op := infix(("*", "/"))) is not None:
            take()
            node = ("bin", op, node, power())
        return node

    def power() -> tuple:
        node = postfix()
        while infix(("^",)) is not None:
            take()
            node = ("bin", "^", node, postfix())
        return node

    def postfix() -> tuple:
        node = prefix()
        while (t := peek()) is not None and t.type == Token.OP_POST:
            take()
            node = ("pct", node)
        return node

    def prefix() -> tuple:
        t = peek()
        if t is not None and t.type == Token.OP_PRE:
            take()
            inner = prefix()
            return ("neg", inner) if t.value == "-" else inner
        return primary()

    def primary() -> tuple:
        i, t = take()
        if t.type == Token.OPERAND:
            if t.subtype == Token.NUMBER:
                return ("num", float(t.value))
            if t.subtype == Token.TEXT:
                return ("str", t.value[1:-1].replace('""', '"'))
            if t.subtype == Token.LOGICAL:
                return ("bool", t.value.upper() == "TRUE")
            if t.subtype == Token.ERROR:
                return ("err", t.value.upper())
            if t.subtype == Token.RANGE:
                if i in slot_of:
                    return ("ref", slot_of[i])
                return ("name", t.value)
            raise Unsupported(t.value)
        if t.type == Token.FUNC and t.subtype == Token.OPEN:
            name = t.value[:-1].upper()
            args: list[tuple] = []
            nt = peek()
            if nt is not None and nt.type == Token.FUNC and nt.subtype == Token.CLOSE:
                take()
                return ("fn", name, args)
            while True:
                nt = peek()
                if nt is not None and (nt.type == Token.SEP or (nt.type == Token.FUNC and nt.subtype == Token.CLOSE)):
                    args.append(("blank",))
                else:
                    args.append(comparison())
                _, sep = take()
                if sep.type == Token.SEP and sep.subtype == Token.ARG:
                    continue
                if sep.type == Token.FUNC and sep.subtype == Token.CLOSE:
                    return ("fn", name, args)
                raise Unsupported(sep.value)
        if t.type == Token.PAREN and t.subtype == Token.OPEN:
            node = comparison()
            _, close = take()
            if close.type != Token.PAREN:
                raise Unsupported("( without )")
            return node
        raise Unsupported(t.value)

    tree = comparison()
    if pos != len(items):
        raise Unsupported("unexpected " + items[pos][1].value)
    return tree


def tokenize(text: str) -> list[Token]:
    return Tokenizer(text).items


# ---------------------------------------------------------------------------------------------------
# Evaluation

class RangeValue:
    """A reference operand: sheet and inclusive output coordinates, read through `cell`."""
    __slots__ = ("sheet", "r1", "c1", "r2", "c2")

    def __init__(self, sheet: str | None, r1: int, c1: int, r2: int, c2: int):
        self.sheet, self.r1, self.c1, self.r2, self.c2 = sheet, r1, c1, r2, c2


CellReader = Callable[[str | None, int, int], Any]        # (sheet, row, col) -> value (formulas evaluated)
RowsReader = Callable[[str | None, int, int, int, int], list]  # area -> flat list of values, row-major
NameReader = Callable[[str, str | None], Any]           # (name, home sheet) -> RangeValue or value


class Evaluator:
    def __init__(self, cell: CellReader, area: RowsReader, name: NameReader,
                 extent: Callable[[str | None], tuple[int, int]] = lambda sheet: (1048576, 16384)):
        self.cell = cell
        self.area = area
        self.name = name
        self.extent = extent

    def run(self, tree: tuple, slots: list, home: str | None) -> Any:
        """Value of the formula: a number, str, bool, ErrorValue (never None: a blank reads as 0)."""
        try:
            value = self._scalar(self._ev(tree, slots, home))
        except XLError as err:
            return ErrorValue(err.code)
        except RecursionError:
            raise Unsupported("formulas nested too deeply") from None
        return 0 if value is None else value

    # -- core ------------------------------------------------------------------------------------------
    def _ev(self, node: tuple, slots: list, home: str | None) -> Any:
        kind = node[0]
        if kind == "num" or kind == "str" or kind == "bool":
            return node[1]
        if kind == "ref":
            area = slots[node[1]]
            if area is None:
                raise XLError("#REF!")
            return RangeValue(area.sheet, area.r1, area.c1, area.r2, area.c2)
        if kind == "bin":
            op = node[1]
            a = self._scalar(self._ev(node[2], slots, home))
            b = self._scalar(self._ev(node[3], slots, home))
            return _binary(op, a, b)
        if kind == "neg":
            return -_number(self._scalar(self._ev(node[1], slots, home)))
        if kind == "pct":
            return _number(self._scalar(self._ev(node[1], slots, home))) / 100.0
        if kind == "fn":
            return self._call(node[1], node[2], slots, home)
        if kind == "err":
            raise XLError(node[1])
        if kind == "name":
            return self.name(node[1], home)
        if kind == "blank":
            return None
        raise Unsupported(kind)

    def _scalar(self, value: Any) -> Any:
        if isinstance(value, RangeValue):
            if value.r1 != value.r2 or value.c1 != value.c2:
                raise Unsupported("a range used as a single value")
            value = self.cell(value.sheet, value.r1, value.c1)
        if isinstance(value, ErrorValue):
            raise XLError(value.code)
        return value

    def _values(self, args: list[tuple], slots: list, home: str | None):
        """Yield (value, from_range) for every argument, ranges flattened."""
        for arg in args:
            v = self._ev(arg, slots, home)
            if isinstance(v, RangeValue):
                for x in self.area(v.sheet, v.r1, v.c1, v.r2, v.c2):
                    if isinstance(x, ErrorValue):
                        raise XLError(x.code)
                    yield x, True
            else:
                if isinstance(v, ErrorValue):
                    raise XLError(v.code)
                yield v, False

    def _numbers(self, args: list[tuple], slots: list, home: str | None) -> list[float]:
        out: list = []
        for arg in args:
            v = self._ev(arg, slots, home)
            if isinstance(v, RangeValue):
                vals = self.area(v.sheet, v.r1, v.c1, v.r2, v.c2)
                nums = [x for x in vals if type(x) is float or type(x) is int]
                if len(nums) != len(vals):
                    for x in vals:
                        if isinstance(x, ErrorValue):
                            raise XLError(x.code)
                out += nums
            elif isinstance(v, ErrorValue):
                raise XLError(v.code)
            elif v is not None:
                out.append(_number(v))
        return out

    def _call(self, name: str, args: list[tuple], slots: list, home: str | None) -> Any:
        ev = lambda a: self._scalar(self._ev(a, slots, home))  # noqa: E731
        if name == "SUM":
            return math.fsum(self._numbers(args, slots, home))
        if name == "AVERAGE":
            nums = self._numbers(args, slots, home)
            if not nums:
                raise XLError("#DIV/0!")
            return math.fsum(nums) / len(nums)
        if name == "MIN":
            nums = self._numbers(args, slots, home)
            return min(nums) if nums else 0
        if name == "MAX":
            nums = self._numbers(args, slots, home)
            return max(nums) if nums else 0
        if name == "COUNT":
            return sum(1 for v, _ in self._values(args, slots, home) if type(v) in (int, float))
        if name == "COUNTA":
            return sum(1 for v, _ in self._values(args, slots, home) if v is not None and v != "")
        if name == "SUMPRODUCT":
            columns = []
            for arg in args:
                v = self._ev(arg, slots, home)
                if isinstance(v, RangeValue):
                    vals = self.area(v.sheet, v.r1, v.c1, v.r2, v.c2)
                else:
                    vals = [self._scalar(v)]
                columns.append([x if type(x) in (int, float) else (_raise(x) if isinstance(x, ErrorValue) else 0)
                                for x in vals])
            if not columns or len({len(c) for c in columns}) != 1:
                raise XLError("#VALUE!")
            return math.fsum(math.prod(xs) for xs in zip(*columns))
        if name in ("ROUND", "ROUNDUP", "ROUNDDOWN"):
            if len(args) != 2:
                raise Unsupported(name)
            x, digits = _number(ev(args[0])), int(_number(ev(args[1])))
            return _round(x, digits, name)
        if name == "ABS":
            return abs(_number(ev(args[0])))
        if name == "IF":
            if not 1 <= len(args) <= 3:
                raise Unsupported(name)
            test = _boolean(ev(args[0]))
            if test:
                return ev(args[1]) if len(args) > 1 and args[1] != ("blank",) else (0 if len(args) > 1 else True)
            if len(args) < 3:
                return False
            return ev(args[2]) if args[2] != ("blank",) else 0
        if name == "IFERROR":
            if len(args) != 2:
                raise Unsupported(name)
            try:
                return ev(args[0])
            except XLError:
                return ev(args[1])
        if name == "AND" or name == "OR":
            flags = [_boolean(v) for v, ranged in self._values(args, slots, home)
                     if not (ranged and (v is None or isinstance(v, str)))]
            if not flags:
                raise XLError("#VALUE!")
            return all(flags) if name == "AND" else any(flags)
        if name in ("SUMIF", "COUNTIF", "AVERAGEIF"):
            return self._if_family(name, args, slots, home)
        if name == "NOT":
            return not _boolean(ev(args[0]))
        raise Unsupported(name)


    def _if_family(self, name: str, args: list[tuple], slots: list, home: str | None) -> Any:
        if not (2 <= len(args) <= (2 if name == "COUNTIF" else 3)):
            raise Unsupported(name)
        where = self._ev(args[0], slots, home)
        if not isinstance(where, RangeValue):
            raise Unsupported(name + " over a value")
        test = _criterion(self._scalar(self._ev(args[1], slots, home)))
        picked = self._cells(where)
        if name == "COUNTIF":
            return sum(1 for v in picked if test(v))
        source = self._ev(args[2], slots, home) if len(args) == 3 else where
        if not isinstance(source, RangeValue):
            raise Unsupported(name + " over a value")
        if (source.r2 - source.r1, source.c2 - source.c1) != (where.r2 - where.r1, where.c2 - where.c1):
            raise Unsupported(name + " with ranges of different shapes")
        values = self._cells(source)
        nums = [v for k, v in zip(picked, values) if test(k) and type(v) in (int, float)]
        if name == "SUMIF":
            return math.fsum(nums)
        if not nums:
            raise XLError("#DIV/0!")
        return math.fsum(nums) / len(nums)

    def _cells(self, area: RangeValue) -> list:
        """Every cell of an area, blanks included, row-major."""
        last_row, last_col = self.extent(area.sheet)
        r2, c2 = min(area.r2, max(last_row, area.r1)), min(area.c2, max(last_col, area.c1))
        if (r2 - area.r1 + 1) * (c2 - area.c1 + 1) > 5_000_000:
            raise Unsupported("area too large")
        return [self.cell(area.sheet, r, c) for r in range(area.r1, r2 + 1) for c in range(area.c1, c2 + 1)]


def _criterion(crit: Any) -> Callable[[Any], bool]:
    """SUMIF/COUNTIF criteria: 5, "Subtotal", ">0", "<>x", "=", "A*" (wildcards * and ?)."""
    if isinstance(crit, bool) or isinstance(crit, (int, float)):
        return lambda v: v == crit and type(v) is type(crit) if isinstance(crit, bool) else (
            type(v) in (int, float) and v == crit)
    text = "" if crit is None else str(crit)
    op = ""
    for candidate in ("<=", ">=", "<>", "<", ">", "="):
        if text.startswith(candidate):
            op, text = candidate, text[len(candidate):]
            break
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is not None and op in ("<", ">", "<=", ">=", "=", "<>", ""):
        def numeric(v: Any) -> bool:
            if type(v) not in (int, float):
                return op == "<>"
            return _binary(op or "=", v, number)
        return numeric
    if op in ("<", ">", "<=", ">="):
        return lambda v: isinstance(v, str) and _binary(op, v, text)
    import fnmatch
    pattern = text.lower()
    wild = any(ch in pattern for ch in "*?")

    def textual(v: Any) -> bool:
        s = "" if v is None else (text_of(v) if not isinstance(v, str) else v)
        hit = fnmatch.fnmatchcase(s.lower(), pattern) if wild else s.lower() == pattern
        return (not hit) if op == "<>" else hit
    return textual


def _raise(err: ErrorValue) -> Any:
    raise XLError(err.code)


def _number(v: Any) -> float:
    t = type(v)
    if t is float or t is int:
        return v
    if v is None:
        return 0
    if t is bool:
        return 1 if v else 0
    if isinstance(v, str):
        try:
            return float(v.strip().replace(",", ""))
        except ValueError:
            raise XLError("#VALUE!") from None
    if isinstance(v, (int, float)):
        return float(v)
    raise XLError("#VALUE!")


def _boolean(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    if v is None:
        return False
    if isinstance(v, str):
        if v.upper() in ("TRUE", "FALSE"):
            return v.upper() == "TRUE"
        raise XLError("#VALUE!")
    return _number(v) != 0


def text_of(v: Any) -> str:
    """A value as Excel's & shows it (General format)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, float)):
        if float(v).is_integer() and abs(v) < 1e15:
            return str(int(v))
        return format(v, ".15g")
    return str(v)


def _rank(v: Any) -> int:
    if isinstance(v, bool):
        return 2
    if isinstance(v, str):
        return 1
    return 0


def _binary(op: str, a: Any, b: Any) -> Any:
    if op in ("+", "-", "*", "/", "^"):
        x, y = _number(a), _number(b)
        if op == "+":
            return x + y
        if op == "-":
            return x - y
        if op == "*":
            return x * y
        if op == "/":
            if y == 0:
                raise XLError("#DIV/0!")
            return x / y
        try:
            r = x ** y
        except (OverflowError, ZeroDivisionError):
            raise XLError("#NUM!") from None
        if isinstance(r, complex):
            raise XLError("#NUM!")
        return r
    if op == "&":
        return text_of(a) + text_of(b)
    # comparisons; a blank takes the other side's type
    if a is None:
        a = "" if isinstance(b, str) else (False if isinstance(b, bool) else 0)
    if b is None:
        b = "" if isinstance(a, str) else (False if isinstance(a, bool) else 0)
    ra, rb = _rank(a), _rank(b)
    if ra != rb:
        key_a, key_b = ra, rb
    elif ra == 1:
        key_a, key_b = a.lower(), b.lower()
    else:
        key_a, key_b = a, b
    if op == "=":
        return key_a == key_b
    if op == "<>":
        return key_a != key_b
    if op == "<":
        return key_a < key_b
    if op == ">":
        return key_a > key_b
    if op == "<=":
        return key_a <= key_b
    if op == ">=":
        return key_a >= key_b
    raise Unsupported(op)


def _round(x: float, digits: int, how: str) -> float:
    mode = {"ROUND": ROUND_HALF_UP, "ROUNDUP": ROUND_UP, "ROUNDDOWN": ROUND_DOWN}[how]
    d = Decimal(repr(float(x)))
    q = Decimal(1).scaleb(-digits)
    return float(d.quantize(q, rounding=mode))

