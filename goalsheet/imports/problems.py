"""Why a report cannot be imported: one line for the seller, in the book's language (goalsheet.words CONSOLE)."""
from __future__ import annotations

from goalsheet.words import console


class ReportError(Exception):
    """A report (or the book) that cannot be imported: `code` is a CONSOLE line of goalsheet.words, `details` its
    named args.  Raised before anything is written, so an import either writes everything or nothing."""

    def __init__(self, code: str, **args: object):
        super().__init__(code)
        self.code, self.details = code, args

    def line(self, lang: str = "en") -> str:
        return console(self.code, lang, **self.details)

    def __str__(self) -> str:
        return self.line("en")
