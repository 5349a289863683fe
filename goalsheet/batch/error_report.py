"""The error report a failed workbook gets in the outbox: `<stem>-errors.txt` and `<stem>-errors.xlsx`.

The text file lists every problem, `Sheet!Cell: message`, one a line.  The workbook is the input annotated (every
bad cell highlighted and commented, `goalsheet.inputs.annotate`); when that cannot be made -- a file that is not a
spreadsheet, or a worker that stopped (a crash, a budget) so the input is not opened again -- it is a workbook
listing the problems, and the text file's last line says why.  Both are in one language: the workbook's own
where its sheets could be read, else the run's (`--lang`).
"""
from __future__ import annotations

from pathlib import Path

from goalsheet.batch.durable import fsync_file
from goalsheet.batch.names import error_names, shown
from goalsheet.words import console, say


def _separator(lang: str) -> str:
    """What follows the place in a problem's line: `Problem.line` writes `file: ...`, in Chinese `文件：...`."""
    return "：" if lang == "zh" else ": "


def file_line(text: str, lang: str) -> str:
    """A line about the file itself, said as a problem of the file is: `file: text`."""
    return say("the_file", {}, lang) + _separator(lang) + text


def write_error_report(work_dir: Path, stem: str, lines: list[str], lang: str, input_name: str, *,
                       snapshot: Path | None = None, problems: list | None = None,
                       note: str = "") -> list[tuple[str, str]]:
    """Both files written and fsynced in `work_dir`; returns their (path, final name) for the commit.

    With `snapshot`, the workbook is its annotated copy (falling back to a list of the problems); without, a
    list of the problems with `note` as its reason."""
    txt_name, xlsx_name = error_names(stem)
    txt, xlsx = work_dir / txt_name, work_dir / xlsx_name
    if snapshot is not None:
        note = _annotated_copy(snapshot, problems or [], lines, xlsx, shown(input_name), lang)
    else:
        problem_list_workbook(lines, xlsx, shown(input_name), note, lang)
    text = "\n".join(lines + ([console("run_note", lang, note=note)] if note else [])) + "\n"
    txt.write_text(text, encoding="utf-8")
    fsync_file(txt)
    fsync_file(xlsx)
    return [(str(txt), txt_name), (str(xlsx), xlsx_name)]


def _annotated_copy(snapshot: Path, problems: list, lines: list[str], out: Path, input_name: str,
                    lang: str) -> str:
    """The annotated copy of the input; when that cannot be made (a file that is not a workbook at all, or
    annotate is unavailable), a workbook that lists the problems instead.  Returns a note for errors.txt when
    the fallback was used."""
    try:
        from goalsheet.inputs import annotate
        annotate(snapshot, problems, out, lang)
        if out.exists() and out.stat().st_size > 0:
            return ""
        reason = console("run_annotated_empty", lang)
    except Exception as exc:
        reason = console("run_no_annotated_copy", lang, error=f"{type(exc).__name__}: {exc}")
    problem_list_workbook(lines, out, input_name, reason, lang)
    return reason


def problem_list_workbook(lines: list[str], out: Path, input_name: str, reason: str, lang: str = "en") -> None:
    """A workbook listing the problems (`where`, `problem`), for an input that could not be annotated."""
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = say("annotate_sheet", {}, lang)
    rows = [[console("run_problems_in", lang, name=input_name)],
            [say("annotate_where", {}, lang), say("annotate_problem", {}, lang)]]
    for line in lines:
        where, sep, message = line.partition(_separator(lang))
        rows.append([where, message] if sep else ["", line])
    rows += [[], [reason]]
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if cell.value is not None:
                cell.data_type = "s"      # data, never formulas: a name or message quoting '=...' stays text
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 100
    book.save(out)
