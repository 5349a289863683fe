"""Template compilation and rendering (stub; being implemented)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class RenderReport:
    unevaluated: list[str] = field(default_factory=list)


class Template:
    def __init__(self, source: Path | str | bytes):
        self.source = source

    def render(self, context: dict[str, Any], out: Path | str) -> RenderReport:
        raise NotImplementedError("goalsheet.render is being implemented")
