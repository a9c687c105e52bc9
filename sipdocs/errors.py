"""Library exceptions. Each carries a category that the CLI maps to an exit code.

Messages name paths and key paths only, never names, numbers or free text from a case.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sipdocs.findings import Finding


class Category(Enum):
    """What went wrong, in the terms the CLI needs to pick an exit code."""

    INPUT = "input"  # a case file or template is invalid: exit 1
    RENDER = "render"  # a document could not be produced: exit 1
    USAGE = "usage"  # the caller asked for something that does not exist: exit 2
    INTERRUPTED = "interrupted"  # the user pressed Ctrl-C: exit 130, as the shell would


class SipdocsError(Exception):
    """Base class of every error sipdocs raises on purpose."""

    category = Category.INPUT


class CaseInvalid(SipdocsError):
    """A case file has errors; `findings` holds every one of them."""

    def __init__(self, path: str, findings: list[Finding]) -> None:
        self.path = path
        self.findings = findings
        errors = sum(1 for f in findings if f.is_error)
        super().__init__(f"{path}: {errors} error(s); run 'sipdocs validate {path}' for details")


class InputError(SipdocsError):
    """What the caller gave cannot be read as input: a folder without case files, say."""


class TemplateError(SipdocsError):
    """A template, layer or manifest is missing or broken."""


class RenderError(SipdocsError):
    """A document could not be rendered."""

    category = Category.RENDER


class UsageError(SipdocsError):
    """The caller asked for a document, format, layer or option that does not exist."""

    category = Category.USAGE


class PdfUnreadable(SipdocsError):
    """A file handed to the PDF check is not a PDF that can be parsed."""

    category = Category.INPUT


class Interrupted(SipdocsError):
    """The user stopped a batch (Ctrl-C); what was done is kept."""

    category = Category.INTERRUPTED
