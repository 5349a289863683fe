"""The one error a template can raise (it names the template cell), and the evaluation error it is made from.

Each carries its sentence in English (`message`) and, for the errors a template author meets most, a `code` with
its `params`: the caller that speaks to a seller says it in their language (`goalsheet.words`, codes `template_*`;
the engine itself knows nothing of languages)."""
from __future__ import annotations

from typing import Any, Mapping


class TemplateError(Exception):
    """A problem in a template (or in evaluating it), located at a template cell `Sheet!B7`."""

    def __init__(self, where: str, message: str, code: str | None = None, params: Mapping[str, Any] | None = None):
        self.where = where
        self.message = message
        self.code, self.params = code, dict(params or {})
        super().__init__(f"{where}: {message}" if where else message)


class ExprError(Exception):
    """Evaluating a template expression failed; `.message` is a sentence for the template author (the engine
    makes it a `TemplateError` naming the cell, with the same `code` and `params`)."""

    def __init__(self, message: str, code: str | None = None, params: Mapping[str, Any] | None = None):
        self.message = message
        self.code, self.params = code, dict(params or {})
        super().__init__(message)
