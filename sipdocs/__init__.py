"""sipdocs: the documents of a Swedish samordnad individuell plan (SIP) from YAML case files.

The public API:

    loaded = sipdocs.validate_file("case.yaml")   # never raises for bad input
    loaded = sipdocs.load_case("case.yaml")       # raises CaseInvalid with every finding
"""

from __future__ import annotations

__version__ = "0.1.0"

from sipdocs.cases import LoadedCase, load_case, validate_bytes, validate_file
from sipdocs.errors import (
    CaseInvalid,
    Category,
    RenderError,
    SipdocsError,
    TemplateError,
    UsageError,
)
from sipdocs.findings import Finding, Severity
from sipdocs.model import Case

__all__ = [
    "Case",
    "CaseInvalid",
    "Category",
    "Finding",
    "LoadedCase",
    "RenderError",
    "Severity",
    "SipdocsError",
    "TemplateError",
    "UsageError",
    "__version__",
    "load_case",
    "validate_bytes",
    "validate_file",
]
