"""Every document's builder, found by name, and the folders the templates are written to."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path

from sipdocs.documents import DOCUMENTS
from tools.docxbuild import Letter
from tools.docxbuild.layers import LAYER_TEMPLATES

VERSION = "1"


def build(document: str) -> Letter:
    """The default template of `document`, from `tools/docxbuild/<document>.py`."""
    letter = Letter()
    importlib.import_module(f"tools.docxbuild.{document}").build(letter)
    return letter


def build_all(templates: Path, documents: Sequence[str] = ()) -> list[Path]:
    """Write `<templates>/default/<document>/<VERSION>/<document>.docx` for each document,
    and the example layers' `<templates>/<layer>/overrides/<document>.docx`."""
    written = []
    for document in documents or DOCUMENTS:
        path = templates / "default" / document / VERSION / f"{document}.docx"
        build(document).save(path)
        written.append(path)
    for (layer, document), builder in LAYER_TEMPLATES.items():
        if document in (documents or DOCUMENTS):
            letter = Letter()
            builder(letter)
            path = templates / layer / "overrides" / f"{document}.docx"
            letter.save(path)
            written.append(path)
    return written
