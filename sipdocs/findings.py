"""Findings: what validation says about a case file, each with a place and often a rule."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

KeyPath = tuple[str | int, ...]


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


def format_key_path(path: KeyPath) -> str:
    """`('plan', 'interventions', 1, 'awaiting')` -> `plan.interventions[1].awaiting`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


@dataclass(frozen=True)
class Finding:
    """One error or warning, located at `line`:`column` (1-based) of `file`."""

    severity: Severity
    message: str
    path: KeyPath = ()
    rule: str | None = None
    file: str = ""
    line: int = 1
    column: int = 1

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        rule = f"[{self.rule}] " if self.rule else ""
        where = f"{format_key_path(self.path)}: " if self.path else ""
        return (
            f"{self.file}:{self.line}:{self.column}: {self.severity.value}: "
            f"{rule}{where}{self.message}"
        )


@dataclass(frozen=True)
class Issue:
    """A finding before it has a place in a file: what rules and the schema report."""

    severity: Severity
    path: KeyPath
    message: str
    rule: str | None = None


def error(path: KeyPath, message: str, rule: str | None = None) -> Issue:
    return Issue(Severity.ERROR, path, message, rule)


def warning(path: KeyPath, message: str, rule: str | None = None) -> Issue:
    return Issue(Severity.WARNING, path, message, rule)
