"""Helpers to read PDFs in tests: text, metadata, conformance."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

import page
from pypdf import PdfReader

from sipdocs.renderers.pdf import SIPDOCS_NS

PROFILES = ("ua1", "2u")


def text_of(pdf: Path) -> str:
    """The PDF's text in reading order, with whitespace folded and the words that were
    hyphenated at a line's end (with U+2010, which case text does not use) whole again
    (poppler's pdftotext)."""
    raw = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True)
    return " ".join(re.sub(r"\u2010\s+", "", raw.stdout).split())


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


def tagged_texts(pdf: bytes) -> list[tuple[str, str]]:
    """The text a screen reader meets in the tag tree, in reading order: each piece of marked
    content with the structure element it belongs to (the nearest that is not a Span or
    NonStruct). Artifacts, such as a table's header row repeated on a later page, are not in it.
    """
    from pypdf.generic import ContentStream

    reader = PdfReader(BytesIO(pdf))
    marked: dict[tuple[int, int], str] = {}  # (page object number, MCID) -> its text
    for page_object in reader.pages:
        resources = page_object["/Resources"].get("/Font", {})
        fonts = {name: ref.get_object() for name, ref in resources.items()}
        maps = {
            name: _to_unicode(font["/ToUnicode"].get_object().get_data())
            for name, font in fonts.items()
            if "/ToUnicode" in font
        }
        font, open_marks = None, []
        for operands, operator in ContentStream(page_object.get_contents(), reader).operations:
            if operator in (b"BDC", b"BMC"):
                properties = operands[1] if operator == b"BDC" else None
                open_marks.append(properties.get("/MCID") if isinstance(properties, dict) else None)
            elif operator == b"EMC":
                open_marks.pop()
            elif operator == b"Tf":
                font = operands[0]
            elif operator in (b"Tj", b"TJ") and open_marks and open_marks[-1] is not None:
                items = operands[0] if operator == b"TJ" else [operands[0]]
                data = b"".join(
                    bytes(i.original_bytes) for i in items if hasattr(i, "original_bytes")
                )
                width = 2 if fonts[font].get("/Subtype") == "/Type0" else 1
                text = "".join(
                    maps.get(font, {}).get(int.from_bytes(data[at : at + width], "big"), "")
                    for at in range(0, len(data), width)
                )
                key = (page_object.indirect_reference.idnum, open_marks[-1])
                marked[key] = marked.get(key, "") + text
    found: list[tuple[str, str]] = []

    def walk(node: Any, owner: str) -> None:
        element = node.get_object()
        kind = str(element["/S"])[1:]
        owner = owner if kind in ("Span", "NonStruct") else kind
        kids = element.get("/K", [])
        kids = kids.get_object() if hasattr(kids, "get_object") else kids
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, int):
                found.append((owner, marked.get((element.raw_get("/Pg").idnum, kid), "")))
            elif isinstance(kid, dict) and kid.get("/Type", "/StructElem") == "/StructElem":
                walk(kid, owner)

    for document in reader.trailer["/Root"]["/StructTreeRoot"]["/K"]:
        walk(document, "")
    return found


def structure_languages(pdf: bytes) -> list[tuple[str, str]]:
    """(structure type, /Lang) of every structure element that has a language of its own."""
    found: list[tuple[str, str]] = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict) and "/S" in node:
            if "/Lang" in node:
                found.append((str(node["/S"]), str(node["/Lang"])))
            walk(node.get("/K", []))

    walk(PdfReader(BytesIO(pdf)).trailer["/Root"]["/StructTreeRoot"].get("/K", []))
    return found


def arabic_contextual_share(pdf: bytes) -> float:
    """The share of Arabic letters drawn with a contextual (joined) glyph, 0.0 to 1.0.

    WeasyPrint embeds fonts with their own glyph ids (Identity-H) and maps each glyph back to
    its letter in /ToUnicode; a letter drawn with the glyph the font's cmap gives for it is in
    its isolated form, any other glyph is an initial, medial or final form. Joined Arabic text
    draws most letters in those forms; unjoined text draws none.
    """
    from fontTools.ttLib import TTFont
    from pypdf.generic import ContentStream

    reader = PdfReader(BytesIO(pdf))
    letters = joined = 0
    for page_object in reader.pages:
        fonts = {name: ref.get_object() for name, ref in page_object["/Resources"]["/Font"].items()}
        current = None
        for operands, operator in ContentStream(page_object.get_contents(), reader).operations:
            if operator == b"Tf":
                current = fonts[operands[0]]
            elif operator in (b"TJ", b"Tj") and current is not None and "/ToUnicode" in current:
                if current.get("/Subtype") != "/Type0":
                    continue
                to_unicode = _to_unicode(current["/ToUnicode"].get_object().get_data())
                descriptor = current["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                program = descriptor.get_object().get("/FontFile2")
                if program is None:
                    continue
                font = TTFont(BytesIO(program.get_object().get_data()))
                nominal = {c: font.getGlyphID(n) for c, n in font.getBestCmap().items()}
                items = operands[0] if operator == b"TJ" else [operands[0]]
                data = b"".join(
                    bytes(i.original_bytes) for i in items if hasattr(i, "original_bytes")
                )
                for at in range(0, len(data), 2):
                    glyph = int.from_bytes(data[at : at + 2], "big")
                    char = to_unicode.get(glyph, "")
                    if len(char) == 1 and "\u0620" <= char <= "\u064a":
                        letters += 1
                        joined += nominal.get(ord(char)) != glyph
    return joined / letters if letters else 0.0


def _to_unicode(cmap: bytes) -> dict[int, str]:
    import re

    text = cmap.decode("latin-1")
    found: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for source, target in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            found[int(source, 16)] = bytes.fromhex(target).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, target in re.findall(
            r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
        ):
            base = bytes.fromhex(target).decode("utf-16-be")
            for offset, glyph in enumerate(range(int(low, 16), int(high, 16) + 1)):
                found[glyph] = base[:-1] + chr(ord(base[-1]) + offset)
    return found


def font_sizes_pt(pdf: bytes) -> set[float]:
    """Every font size the pages' text is set in, in points.

    WeasyPrint draws in CSS pixels (0.75 pt each) and sets the size with Tf alone.
    """
    from pypdf.generic import ContentStream

    reader = PdfReader(BytesIO(pdf))
    return {
        round(float(operands[1]) * 0.75, 2)
        for page_object in reader.pages
        for operands, operator in ContentStream(page_object.get_contents(), reader).operations
        if operator == b"Tf"
    }


@dataclass
class Tag:
    """A structure element: its type, /Lang, /ID, /Alt, the /Headers of a cell, its kids."""

    kind: str
    lang: str | None = None
    id: str | None = None
    alt: str | None = None
    headers: list[str] = field(default_factory=list)
    kids: list[Tag] = field(default_factory=list)

    def walk(self) -> Iterator[Tag]:
        """This element and every one below it, in reading order."""
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def all(self, kind: str) -> list[Tag]:
        return [tag for tag in self.walk() if tag.kind == kind]


def tag_tree(pdf: bytes) -> tuple[Tag, dict[str, Tag]]:
    """The structure tree from its root, and the /IDTree: each ID's element."""
    reader = PdfReader(BytesIO(pdf))
    root = reader.trailer["/Root"]["/StructTreeRoot"]
    seen: dict[int, Tag] = {}

    def read(node: Any) -> Tag:
        element = node.get_object()
        if id(element) in seen:
            return seen[id(element)]
        a = element.get("/A")
        a = a.get_object() if a is not None else {}
        kids = element.get("/K", [])
        kids = kids.get_object() if hasattr(kids, "get_object") else kids
        kids = kids if isinstance(kids, list) else [kids]
        tag = seen[id(element)] = Tag(
            str(element.get("/S", "/StructTreeRoot"))[1:],
            str(element["/Lang"]) if "/Lang" in element else None,
            str(element["/ID"]) if "/ID" in element else None,
            str(element["/Alt"]) if "/Alt" in element else None,
            [str(h) for h in a.get("/Headers", [])],
        )
        for kid in kids:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and kid.get("/Type", "/StructElem") == "/StructElem":
                tag.kids.append(read(kid))
        return tag

    ids: dict[str, Tag] = {}
    if "/IDTree" in root:
        names = root["/IDTree"].get_object()["/Names"]
        ids = {str(names[i]): read(names[i + 1]) for i in range(0, len(names), 2)}
    return read(root), ids


MM_PER_PT = 25.4 / 72


def line_positions(pdf: Path, text: str, page_number: int = 1) -> list[tuple[float, float]]:
    """Where each line of the page that `text` starts with (a whole line, or the first line of
    `text` wrapped) starts: (left, top) in mm from the paper's top left corner, top to bottom
    (poppler's `pdftotext -bbox-layout`). Brackets and bidi controls are left out of the
    comparison: poppler reads a bracket that a right-to-left page mirrored as its twin, and a
    DOCX keeps the isolates around a value.
    """
    page_range = ["-f", str(page_number), "-l", str(page_number)]
    raw = subprocess.run(
        ["pdftotext", "-bbox-layout", *page_range, str(pdf), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    xhtml = "{http://www.w3.org/1999/xhtml}"
    brackets = str.maketrans(
        "", "", "()\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    )
    wanted = text.translate(brackets).split()
    found = []
    for line in ET.fromstring(raw).iter(f"{xhtml}line"):
        words = [(word.text or "").translate(brackets) for word in line.iter(f"{xhtml}word")]
        if words and words == wanted[: len(words)]:
            found.append((float(line.get("xMin", 0)), float(line.get("yMin", 0))))
    return sorted(((x * MM_PER_PT, y * MM_PER_PT) for x, y in found), key=lambda at: at[1])


class _MarkedText:
    """One page's text, split by the marked-content sequence it is drawn in."""

    def __init__(self) -> None:
        self.open: list[str] = []  # the open sequences, innermost last: "read" or a tag
        self.read: list[str] = []
        self.skipped: list[str] = []

    def operator(self, op: bytes, operands: list[Any], *_: Any) -> None:
        if op in (b"BDC", b"BMC"):
            properties = operands[1] if op == b"BDC" and len(operands) > 1 else {}
            is_mcid = isinstance(properties, dict) and "/MCID" in properties
            self.open.append("read" if is_mcid else str(operands[0]))
        elif op == b"EMC" and self.open:
            self.open.pop()

    def text(self, piece: str, *_: Any) -> None:
        if "/Artifact" in self.open:
            self.skipped.append(piece)
        elif "read" in self.open:
            self.read.append(piece)


def marked_text(pdf: bytes) -> tuple[list[str], list[str]]:
    """Each page's text in marked content a screen reader reads (with an MCID), and each
    page's text in pagination artifacts, which it skips."""
    pages = []
    for sheet in PdfReader(BytesIO(pdf)).pages:
        marked = _MarkedText()
        sheet.extract_text(visitor_operand_before=marked.operator, visitor_text=marked.text)
        pages.append(marked)
    return ["".join(page.read) for page in pages], ["".join(page.skipped) for page in pages]
