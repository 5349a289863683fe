"""Jinja2-in-Excel template engine (SPEC section 5).  Knows nothing about sellers.

Public API
----------

    from goalsheet.render import Template, TemplateError, render

    Template(path_or_bytes, *, filters=None, globals=None, budget=None)
                                         compile once (parse the workbook, compile every cell); extra Jinja
                                         filters/globals for the template's expressions; `budget`: what one
                                         render may spend (render.budget.Budget: time, cells, text length,
                                         integer size; the defaults are in docs/limits.md)
    Template.render(context, out, *, before_save=None)
                                         -> RenderReport; write the filled workbook to `out` (path or a
                                         binary file object).  `before_save(openpyxl_workbook)` may add
                                         document properties or sheets last (sheets it adds are saved as is,
                                         or filled with the rows it returns: {worksheet: rows of values})
    render(template, context, out)       -> RenderReport; one-shot: Template(template).render(context, out)
    Cell(value, number_format=None, row_height=None)
                                         a context value with presentation of its own (see Values below)

    TemplateError(where, message)        .where = "Sheet!B7" (template cell, "" if none),
                                         .message = "unknown name 'montly'"; str() = "Sheet!B7: unknown ..."
    RenderReport                         .unevaluated: list of "Sheet!B9: =XLOOKUP(...)" formulas written
                                         without a cached value (function not supported by the evaluator)

`context` is a plain dict; values may be numbers, strings, dates, bools, None, lists, dicts, objects,
pandas/numpy scalars.  A `Template` may be rendered many times (each call is independent).

Template syntax (cells of an ordinary .xlsx authored in Excel / WPS)
---------------------------------------------------------------------

Values
    ``{{ expr }}``            a cell that is exactly one expression receives the native value: int/float ->
                              number, date/datetime -> Excel date, bool -> TRUE/FALSE, None/NaN/NaT -> blank,
                              str -> text.  The template cell's style and number format are kept (a date into
                              a General cell gets a date format).
    ``{{ row.value }}``       where the context's value is ``Cell(v, number_format="0.00%", row_height=31.5)``:
                              the cell gets ``v`` in that number format (the template cell's other styling kept)
                              and its row is made at least that tall (points); either may be None.  For a cell
                              that shows values of many kinds, one format per row (the plan's Assumptions).
    ``Total {{ x }} units``   mixed text renders as text (full Jinja allowed inside the cell, e.g. ``{% if %}``).
    Data is data: a value string such as ``=HYPERLINK(..)``, ``+1``, ``@SUM(A1)`` or ``{{ 7*7 }}`` is written
    verbatim as a text cell, never a formula and never evaluated again.

Row loops
    A row whose first cell (column A) is exactly ``{% for row in monthly %}`` opens a loop; the row whose
    column-A cell is exactly ``{% endfor %}`` closes it.  The rows between repeat once per item; the two tag
    rows are removed (anything else in a tag row is ignored: use it for notes).  ``for a, b in pairs``,
    ``for x in xs if x.active`` and nested loops work.  Inside, ``loop`` is Jinja's loop info
    (index, index0, first, last, length, revindex, revindex0, parent).
    A loop with no items leaves one empty row (nested loops too), so totals still have a range to sum
    (they show 0).  A pandas DataFrame loops over its rows (as dicts).

Column loops
    A cell (not in column A) that is exactly ``{% for m in months %}`` marks a *tag column*; the column of the
    matching cell ``{% endfor %}`` (same row, further right) closes it.  The columns strictly between repeat
    once per item in every row of the sheet; the tag columns are removed.  Put the tags in the header row.
    Column loops nest, are evaluated at sheet level (they cannot use row-loop variables), and expose
    ``colloop`` (same fields as ``loop``).  An empty column loop leaves one empty column.

Formulas
    A template cell starting with ``=`` stays a formula.  References are rewritten as if the repeated rows had
    been filled down in Excel: inside a repeated row a relative reference to the same block moves with the row
    (``=C6*D6`` -> ``=C9*D9``), an absolute one (``$6``) does not; references to rows outside the block follow
    those rows; a range covering a repeated row stretches over all generated rows (``=SUM(B6:B6)`` under a
    12-item loop -> ``=SUM(B6:B17)``), also from other sheets.  ``{{ expr }}`` inside a formula inserts the value
    as an Excel *literal* (number, TRUE/FALSE, or a quoted string) so data can never become formula code.
    Every formula is written with its computed value when the evaluator supports it (SUM, SUMPRODUCT, AVERAGE,
    MIN, MAX, COUNT, COUNTA, ROUND*, ABS, IF, IFERROR, AND, OR, NOT, SUMIF, COUNTIF, AVERAGEIF, + - * / ^ & %
    and comparisons, references incl. other sheets and defined names); others are written without a value
    and listed in RenderReport.unevaluated.  The workbook is also marked fullCalcOnLoad.
    Nested loops: a range over inner rows, from a row outside both loops, covers everything from the first
    to the last generated row (subtotal rows included) - use SUMIF on a label for grand totals.

Page headers and footers
    ``{{ expr }}`` in a sheet's page header or footer (``Cash plan · {{ year }}``) is filled like mixed text,
    with the sheet-level names; a value's ``&`` is doubled so it never reads as a header code (``&P``, ``&B``).
    A header longer than Excel's 255 characters is cut, with an ellipsis.

Kept and remapped (one coordinate remapper): merged cells (a merge inside a repeated block is repeated), conditional
formats, data validations, defined names (workbook and sheet scope), print areas and titles, autofilters, tables,
row heights, column widths, freeze panes, chart series references and anchors, images, comments, hyperlinks.

Errors: an unknown name, a bad tag or a failing expression raises ``TemplateError`` naming the template cell,
e.g. ``Profit!B7: unknown name 'montly'``; so does a render going over its budget (``Summary!B3: this would
make a number of more than 4,096 bits ...``).  Expressions run in Jinja's sandbox, without ``lipsum``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from goalsheet.render.engine import RenderReport, Template
from goalsheet.render.errors import TemplateError
from goalsheet.render.values import Cell

__all__ = ["Cell", "Template", "TemplateError", "RenderReport", "render"]


def render(template: Path | str | bytes, context: dict[str, Any], out: Path | str) -> "RenderReport":
    """Compile `template` (a path or the .xlsx bytes) and render it with `context` into `out`."""
    return Template(template).render(context, out)
