"""sipdocs: the documents of a Swedish samordnad individuell plan (SIP) from YAML case files.

The public API:

    loaded = sipdocs.validate_file("case.yaml")   # never raises for bad input
    loaded = sipdocs.load_case("case.yaml")       # raises CaseInvalid with every finding
    outputs = sipdocs.render_case(loaded, "out", registry=sipdocs.Registry(["my-layers"]))
    result = sipdocs.run_batch(["cases"], "out", options=sipdocs.Options(formats=("pdf",)))

`render_case`, `run_batch`, `Options` and `Registry` are imported when first used, so that
`import sipdocs` (and `sipdocs --help`) does not load WeasyPrint.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from sipdocs.batch import Options, run_batch
    from sipdocs.render import render_case
    from sipdocs.templates import Registry

# Exported, but imported only when first asked for: name -> module.
_LAZY = {
    "Options": "sipdocs.batch",
    "run_batch": "sipdocs.batch",
    "render_case": "sipdocs.render",
    "Registry": "sipdocs.templates",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sipdocs' has no attribute {name!r}")


__all__ = [
    "Case",
    "CaseInvalid",
    "Category",
    "Finding",
    "LoadedCase",
    "Options",
    "Registry",
    "RenderError",
    "Severity",
    "SipdocsError",
    "TemplateError",
    "UsageError",
    "__version__",
    "load_case",
    "render_case",
    "run_batch",
    "validate_bytes",
    "validate_file",
]
