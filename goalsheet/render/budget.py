"""What one render may spend (SPEC 5; the values are in docs/limits.md, "Templates").

A template is code its author runs on the plan; a hostile or careless one must end with one line naming the
template cell, not take the machine's memory or run for ever.  Each limit is checked where the work is done,
inside the sandbox (goalsheet/render/expr.py wires these checks into its `SandboxedEnvironment`):

    time      a render's wall-clock budget, looked at on every loop step (row and column loops, and `{% for %}`
              inside a cell), every call, every intercepted operator and every output row
    cells     the number of cells one render may fill, counted as rows are made
    text      the length of any text an operator, call, filter or `~` makes, and of a cell's rendered text,
              checked before the text is made where its length can be known first (`"x" * n`, padding)
    integers  the size of an integer `*` or `**` makes, checked before a power is computed

Everything here knows nothing about sellers.
"""
from __future__ import annotations

import re
import time
from typing import Any, Iterable, Iterator

from goalsheet.render.errors import ExprError, TemplateError

TIME_LIMIT = 25.0               # seconds for one render
CELL_LIMIT = 10_000_000         # cells one render may fill, all sheets together
TEXT_LIMIT = 1_000_000          # characters of any text a template makes (an Excel cell holds 32 767)
INT_BITS = 4_096                # bits of any integer a template makes (about 1 233 decimal digits)

# Every message, in one place (a later words catalogue takes them over).
MESSAGES = {
    "time": "the template took longer than {seconds:g} s to fill (the limit); a loop or an expression here "
            "does too much work",
    "cells": "the filled workbook would have more than {cells:,} cells (the limit)",
    "text": "this would make a text of more than {chars:,} characters (the limit)",
    "integer": "this would make a number of more than {bits:,} bits (about {digits:,} digits; the limit)",
    "format": "a width or precision in this format is too large (at most 6 digits)",
}


class BudgetExceeded(ExprError):
    """A render went over one of its limits; `.message` is the sentence (the engine adds the template cell)."""


# A printf width or precision given by `*`, or written with 7 digits or more; a str.format spec with 7 digits
# or more, or with a nested {field} (a width taken from an argument).
_WIDE_FORMAT = re.compile(r"%[-+ #0]*(?:\*|\d{7,})|%[-+ #0]*\d*\.(?:\*|\d{7,})|\{[^{}]*:[^{}]*(?:\d{7,}|\{)")


class Budget:
    """The limits of one render and what it has used; `start()` begins a render."""

    def __init__(self, seconds: float = TIME_LIMIT, cells: int = CELL_LIMIT, text: int = TEXT_LIMIT,
                 int_bits: int = INT_BITS):
        self.seconds, self.cell_limit, self.text_limit, self.int_bits = seconds, cells, text, int_bits
        self.deadline = float("inf")
        self.cells_used = 0

    def start(self) -> None:
        self.deadline = time.monotonic() + self.seconds
        self.cells_used = 0

    # -- time and cells ---------------------------------------------------------------------------------------
    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise BudgetExceeded(MESSAGES["time"].format(seconds=self.seconds), "template_budget_time",
                                 {"seconds": self.seconds})

    def add_cells(self, n: int, where: str) -> None:
        self.cells_used += n
        if self.cells_used > self.cell_limit:
            raise TemplateError(where, MESSAGES["cells"].format(cells=self.cell_limit), "template_budget_cells",
                                {"cells": self.cell_limit})

    def iterate(self, iterable: Iterable) -> Iterator:
        """`iterable`, its steps counted against the time budget (a `{% for %}` inside a cell)."""
        tick = self.tick
        for item in iterable:
            tick()
            yield item

    # -- sizes ------------------------------------------------------------------------------------------------
    def too_long(self) -> BudgetExceeded:
        return BudgetExceeded(MESSAGES["text"].format(chars=self.text_limit), "template_budget_text",
                              {"chars": self.text_limit})

    def too_big(self) -> BudgetExceeded:
        return BudgetExceeded(MESSAGES["integer"].format(bits=self.int_bits, digits=int(self.int_bits * 0.30103)))

    def checked(self, value: Any) -> Any:
        """`value`, if it is within the size limits (text, integer, list or tuple length)."""
        t = type(value)
        if t is str or t is list or t is tuple:
            if len(value) > self.text_limit:
                raise self.too_long()
        elif t is int and value.bit_length() > self.int_bits:
            raise self.too_big()
        return value

    def length(self, n: int) -> None:
        if n > self.text_limit:
            raise self.too_long()

    def format_string(self, text: Any) -> None:
        if isinstance(text, str) and _WIDE_FORMAT.search(text):
            raise BudgetExceeded(MESSAGES["format"])

    # -- operators --------------------------------------------------------------------------------------------
    def binop(self, operator: str, left: Any, right: Any) -> Any:
        """`left operator right` for + - * / // % **, within the limits."""
        self.tick()
        if operator == "**":
            return self.power(left, right)
        if operator == "*":
            self._repeat(left, right)
            self._repeat(right, left)
            return self.checked(left * right)
        if operator == "%":
            self.format_string(left)
            return self.checked(left % right)
        if operator == "+":
            return self.checked(left + right)
        return self.checked(_PLAIN[operator](left, right))

    def _repeat(self, seq: Any, n: Any) -> None:
        """`seq * n` for a text, list or tuple: refused before it is made when too long."""
        if isinstance(seq, (str, list, tuple)) and isinstance(n, int):
            self.length(len(seq) * max(n, 0))

    def power(self, base: Any, exp: Any) -> Any:
        if isinstance(base, int) and isinstance(exp, int) and exp > 0 and abs(base) > 1:
            if (abs(base).bit_length() - 1) * exp > self.int_bits:
                raise self.too_big()
        return self.checked(base ** exp)

    def concat(self, parts: Iterable[Any]) -> str:
        """`"".join(parts)` that stops once the text would pass the limit (a cell's rendered text: its parts
        are produced one by one, so a loop printing for ever is stopped here, not when memory runs out)."""
        out: list[str] = []
        size, limit = 0, self.text_limit
        for part in parts:
            size += len(part)
            if size > limit:
                raise self.too_long()
            out.append(part)
        return "".join(out)


_PLAIN = {"-": lambda a, b: a - b, "/": lambda a, b: a / b, "//": lambda a, b: a // b}
