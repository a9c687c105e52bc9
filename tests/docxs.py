"""Helpers to read DOCX files in tests: text in reading order, styles, properties, XML."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree


def libreoffice_pdfs(
    files: Sequence[Path], out: Path, scratch: Path
) -> subprocess.CompletedProcess[str]:
    """Convert DOCX `files` to PDFs in `out` with LibreOffice, its profile in `scratch`."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is missing: make test installs libreoffice-writer-nogui"
    return subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(scratch / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "HOME": str(scratch)},
        check=False,
    )


def open_docx(path: Path) -> Document:
    return docx.Document(str(path))


def blocks(document: Document) -> Iterator[Paragraph | Table]:
    """The body's paragraphs and tables in document order."""
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document)
        elif child.tag == qn("w:tbl"):
            yield Table(child, document)


def paragraphs(document: Document) -> Iterator[Paragraph]:
    """Every paragraph in reading order, table cells row by row."""
    for block in blocks(document):
        if isinstance(block, Paragraph):
            yield block
        else:
            for row in block.rows:
                for cell in row.cells:
                    yield from cell.paragraphs


def text_of(path: Path) -> str:
    """The body text in reading order, with whitespace (tabs, breaks) folded."""
    return " ".join(" ".join(p.text for p in paragraphs(open_docx(path))).split())


def headings(path: Path) -> list[tuple[int, str]]:
    """(level, text) of every paragraph in a Heading style, in order."""
    return [
        (int(p.style.name.removeprefix("Heading ")), p.text)
        for p in paragraphs(open_docx(path))
        if p.style is not None and p.style.name.startswith("Heading ")
    ]


def part_xml(path: Path, name: str) -> etree._Element:
    """One part of the package, parsed: 'word/document.xml', 'docProps/custom.xml'..."""
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


def custom_properties(path: Path) -> dict[str, str]:
    namespace = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
    root = part_xml(path, "docProps/custom.xml")
    return {p.get("name"): "".join(p.itertext()) for p in root.iter(f"{namespace}property")}
