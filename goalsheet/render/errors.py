"""The one error a template can raise (it names the template cell), and the evaluation error it is made from."""
from __future__ import annotations


class TemplateError(Exception):
    """A problem in a template (or in evaluating it), located at a template cell `Sheet!B7`."""

    def __init__(self, where: str, message: str):
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}" if where else message)


class ExprError(Exception):
    """Evaluating a template expression failed; `.message` is a sentence for the template author (the engine
    makes it a `TemplateError` naming the cell)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)
