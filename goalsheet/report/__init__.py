"""The plan workbook (SPEC section 4): a `Plan` turned into the template's context and rendered into an .xlsx
that is marked as goalsheet's, carries the plan for `--baseline`, and is published atomically.

    layout.py     which table and column goes on which sheet, under which header, in which number format
    words.py      the workbook's words in English and Chinese (sentences, month names, the plan's own words)
    context.py    Plan -> the template context (`plan_context`)
    workbook.py   write (`write_plan_workbook`), embed the plan, publish atomically, read back
                  (`is_goalsheet_output`, `read_embedded_plan`)
"""
from __future__ import annotations

from goalsheet.report.workbook import (TemplateFileError, default_template, is_goalsheet_output, load_template,
                                       made_beside, read_embedded_plan, write_plan_workbook)

__all__ = ["TemplateFileError", "default_template", "is_goalsheet_output", "load_template", "made_beside",
           "read_embedded_plan", "write_plan_workbook"]
