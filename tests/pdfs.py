"""Helpers to read PDFs in tests: text, metadata, conformance."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from io import BytesIO
from pathlib import Path

import page
from pypdf import PdfReader

from sipdocs.renderers.pdf import SIPDOCS_NS

PROFILES = ("ua1", "2u")


def text_of(pdf: Path) -> str:
    """The PDF's text in reading order, with whitespace folded (poppler's pdftotext)."""
    raw = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True)
    return " ".join(raw.stdout.split())


def failed_rules(pdf: bytes) -> dict[str, list[str]]:
    """Failed rule ids per profile (PDF/UA-1 and PDF/A-2u); empty lists when conformant."""
    return {
        profile: [f.rule_id for f in page.validate_pdf_bytes(pdf, profile=profile).failures]
        for profile in PROFILES
    }


def sipdocs_metadata(pdf: bytes) -> dict[str, str]:
    """The sipdocs:* XMP properties."""
    xmp = PdfReader(BytesIO(pdf)).xmp_metadata
    assert xmp is not None
    prefix = f"{{{SIPDOCS_NS}}}"
    root = ET.fromstring(xmp.stream.get_data())
    return {
        child.tag.removeprefix(prefix): child.text or ""
        for child in root.iter()
        if child.tag.startswith(prefix)
    }


def fonts_of(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True, text=True).stdout


def structure(pdf: bytes) -> list[tuple[str, str | None]]:
    """The tag tree in reading order: (structure type, alternate text) per element."""
    reader = PdfReader(BytesIO(pdf))
    found: list[tuple[str, str | None]] = []

    def walk(node: object) -> None:
        element = node.get_object() if hasattr(node, "get_object") else node
        if not isinstance(element, dict):
            return
        if "/S" in element:
            alt = element.get("/Alt")
            found.append((str(element["/S"]).lstrip("/"), None if alt is None else str(alt)))
        kids = element.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found
