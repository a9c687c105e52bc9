"""Every document's builder, found by name, and the folders the templates are written to."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path

from sipdocs.documents import DOCUMENTS
from tools.docxbuild import Letter
from tools.docxbuild.layers import LAYER_TEMPLATES

VERSIONS = (1, 2)


def build(document: str, version: int = VERSIONS[-1]) -> Letter:
    """The default template of `document` in `version`, from `tools/docxbuild/<document>.py`."""
    letter = Letter()
    importlib.import_module(f"tools.docxbuild.{document}").build(letter, version=version)
    return in_version(letter, version)


def in_version(letter: Letter, version: int) -> Letter:
    """What a version changes in every letter: from version 2 on, the address in a frame."""
    if version >= 2:
        letter.address_window()
    return letter


def build_all(templates: Path, documents: Sequence[str] = ()) -> list[Path]:
    """Write `<templates>/default/<document>/<version>/<document>.docx` for each document and
    version, and the example layers' `<templates>/<layer>/overrides/<document>.docx` (version
    1) and `overrides/<version>/<document>.docx` (later versions)."""
    written = []
    for version in VERSIONS:
        for document in documents or DOCUMENTS:
            path = templates / "default" / document / str(version) / f"{document}.docx"
            build(document, version).save(path)
            written.append(path)
        for (layer, document), builder in LAYER_TEMPLATES.items():
            if document in (documents or DOCUMENTS):
                letter = Letter()
                builder(letter, version)
                in_version(letter, version)
                folder = templates / layer / "overrides"
                path = (folder if version == 1 else folder / str(version)) / f"{document}.docx"
                letter.save(path)
                written.append(path)
    return written
