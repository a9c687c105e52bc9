"""PDF: tagged, PDF/A-2u and PDF/UA-1 at once, reproducible and offline (WeasyPrint 70).

* Output validates against page-validation profiles ``"2u"`` and ``"ua1"``.
* Byte-reproducible: the PDF/A variant derives the trailer /ID from an MD5 of
  the object data, font subsets are deterministic, and every date comes from the
  HTML (``<meta name=dcterms.created|modified>``), never from the clock.
* Offline: resources are served only from ``file:`` URLs inside allowed roots.
"""

from __future__ import annotations

import functools
import importlib
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname
from xml.etree import ElementTree as ET

import weasyprint
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from sipdocs.check import MissingGlyph, font_program, missing_in_font
from sipdocs.context import DocumentContext
from sipdocs.errors import RenderError, TemplateError
from sipdocs.findings import format_key_path
from sipdocs.guard import check_pixels, check_resource
from sipdocs.languages import LANGUAGES, SOURCE_LANGUAGE
from sipdocs.model import text_values
from sipdocs.renderers import register
from sipdocs.renderers.html import HtmlRenderer, latin_only, revised_text
from sipdocs.templates import TEMPLATES

PDF_VARIANT = "pdf/a-2u"
# Namespace of sipdocs' own XMP properties (template version, layers, input hash). Permanent.
SIPDOCS_NS = "https://sipdocs.example/ns/meta/1.0/"

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_PDFUAID = "http://www.aiim.org/pdfua/ns/id/"
_EXT = "http://www.aiim.org/pdfa/ns/extension/"
_SCHEMA = "http://www.aiim.org/pdfa/ns/schema#"
_PROP = "http://www.aiim.org/pdfa/ns/property#"
_XPACKET_BEGIN = b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
_XPACKET_END = b'<?xpacket end="r"?>'
_KEY_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*\Z")
_MIME = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff2": "font/woff2",
}

for _prefix, _uri in {
    "x": "adobe:ns:meta/",
    "pdfuaid": _PDFUAID,
    "pdfaExtension": _EXT,
    "pdfaSchema": _SCHEMA,
    "pdfaProperty": _PROP,
    "sipdocs": SIPDOCS_NS,
}.items():
    ET.register_namespace(_prefix, _uri)


_ONLY_FILES = "a document reads only files in the template and layer folders"


class ResourceRefusedError(PermissionError):
    """A resource URL used a forbidden scheme or lay outside the allowed roots."""


class RootedFileFetcher(URLFetcher):  # type: ignore[misc]  # weasyprint is untyped
    """Serve ``file:`` URLs whose resolved path is below ``roots``; refuse the rest.

    ``fail_on_errors=True`` makes WeasyPrint abort the render instead of logging
    a warning and silently dropping the image or stylesheet.
    """

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(allowed_protocols=("file",), fail_on_errors=True)
        self._roots = tuple(root.resolve(strict=True) for root in roots)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ResourceRefusedError(f"refused {url}: {_ONLY_FILES}")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not any(path.is_relative_to(root) for root in self._roots):
            raise ResourceRefusedError(f"refused {path}: {_ONLY_FILES}")
        try:
            check_resource(path)
            data = path.read_bytes()
            check_pixels(path, data)
        except TemplateError as exc:
            raise ResourceRefusedError(f"refused {exc}") from None
        mime = _MIME.get(path.suffix.lower(), "application/octet-stream")
        return URLFetcherResponse(path.as_uri(), data, headers={"Content-Type": mime})


# --- XMP: pdfuaid + custom properties, declared for PDF/A -------------------------


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element


def _resource_li(parent: ET.Element) -> ET.Element:
    li = _sub(parent, f"{{{_RDF}}}li")
    li.set(f"{{{_RDF}}}parseType", "Resource")
    return li


def _schema(
    bag: ET.Element, name: str, uri: str, prefix: str, props: list[tuple[str, str, str]]
) -> None:
    """Append a PDF/A extension schema description (ISO 19005-2, 6.6.2.3.3)."""
    li = _resource_li(bag)
    _sub(li, f"{{{_SCHEMA}}}schema", name)
    _sub(li, f"{{{_SCHEMA}}}namespaceURI", uri)
    _sub(li, f"{{{_SCHEMA}}}prefix", prefix)
    seq = _sub(_sub(li, f"{{{_SCHEMA}}}property"), f"{{{_RDF}}}Seq")
    for prop_name, value_type, description in props:
        item = _resource_li(seq)
        _sub(item, f"{{{_PROP}}}name", prop_name)
        _sub(item, f"{{{_PROP}}}valueType", value_type)
        _sub(item, f"{{{_PROP}}}category", "internal")
        _sub(item, f"{{{_PROP}}}description", description)


def _complete_xmp(pdf: Any, extra: dict[str, str]) -> None:
    """Add pdfuaid:part=1 and sipdocs:* to WeasyPrint's XMP packet.

    Must go into the *same* rdf:RDF (readers ignore a second one), and the stream
    must be unfiltered for PDF/A-2 (WeasyPrint only ensures that for PDF/A-1).
    """
    stream = pdf.objects[int(pdf.catalog["Metadata"].split()[0])]
    xmpmeta = ET.fromstring(b"".join(stream.stream))
    rdf = xmpmeta.find(f"{{{_RDF}}}RDF")
    assert rdf is not None
    desc = _sub(rdf, f"{{{_RDF}}}Description")
    desc.set(f"{{{_RDF}}}about", "")
    _sub(desc, f"{{{_PDFUAID}}}part", "1")
    for key, value in sorted(extra.items()):
        _sub(desc, f"{{{SIPDOCS_NS}}}{key}", value)
    bag = _sub(_sub(desc, f"{{{_EXT}}}schemas"), f"{{{_RDF}}}Bag")
    _schema(
        bag,
        "PDF/UA Universal Accessibility Schema",
        _PDFUAID,
        "pdfuaid",
        [("part", "Integer", "Part of ISO 14289 the document conforms to")],
    )
    if extra:
        _schema(
            bag,
            "sipdocs document properties",
            SIPDOCS_NS,
            "sipdocs",
            [(key, "Text", f"sipdocs {key}") for key in sorted(extra)],
        )
    body = ET.tostring(xmpmeta, encoding="utf-8", xml_declaration=False)
    stream.stream = [_XPACKET_BEGIN + body + _XPACKET_END]
    stream.compress = False


# --- Tags: page-margin content becomes pagination artifacts -----------------------


def _artifact_margin_content(pdf: Any) -> None:
    """Re-mark page-margin content as ``/Artifact <</Type /Pagination>>``.

    WeasyPrint 70 marks margin-box text with MCIDs whose StructElems are never
    linked into the tree (Kozea/WeasyPrint#1836). Any MCID that is unreachable
    from the StructTreeRoot is turned into an artifact and dropped from the
    ParentTree, as PDF/UA (and WCAG PDF14) expect for running headers/footers.
    """

    def deref(reference: Any) -> Any:
        return pdf.objects[int(reference.split()[0])]

    root = deref(pdf.catalog["StructTreeRoot"])
    reachable: set[tuple[Any, int]] = set()
    stack = [deref(reference) for reference in root["K"]]
    while stack:
        element = stack.pop()
        for kid in element["K"]:
            if isinstance(kid, int):
                reachable.add((element["Pg"], kid))
            elif deref(kid).get("Type") == "/StructElem":
                stack.append(deref(kid))

    nums = deref(root["ParentTree"])["Nums"]
    for page_reference in pdf.page_references:
        page = deref(page_reference)
        tokens = deref(page["Contents"]).stream
        parents = nums[nums.index(page["StructParents"]) + 1]
        for index, token in enumerate(tokens):
            if isinstance(token, dict) and "MCID" in token:  # a pydyf.Dictionary
                mcid = token["MCID"]
                if (page_reference, mcid) not in reachable:
                    tokens[index - 1] = "/Artifact"
                    tokens[index] = b"<</Type /Pagination>>"  # bytes are written verbatim
                    parents[mcid] = "null"


def _tag_last_footer(pdf: Any, origins: Origins) -> None:
    """The sender's footer (`<footer class="orgfooter">`, a running element at the foot of
    every page) read once: its copy on the last page joins the structure tree, after the
    letter, and the copies on the other pages stay pagination artifacts.

    WeasyPrint tags margin-box content in elements it never links into the tree, so the
    sender's phone, e-mail and organisation number, which the standard copies give only there,
    were never read aloud.
    """
    tree = _Tree(pdf, origins)
    document = tree(tree(pdf.catalog["StructTreeRoot"])["K"][0])
    last_page = pdf.page_references[-1]
    for number, origin in origins.items():
        element = pdf.objects[number]
        if (
            origin.tag == "footer"
            and "orgfooter" in origin.get("class", "").split()
            and element["Pg"] == last_page
            and element["P"] == document.reference
            and element.reference not in document["K"]  # not already in the flow
        ):
            element["S"] = "/Div"
            document["K"].append(element.reference)
            return


def _finisher(
    extra: dict[str, str], origins: Origins, tagged_v2: bool
) -> Callable[[Any, Any], None]:
    def finish(_document: Any, pdf: Any) -> None:
        _join_continued(pdf, origins)
        _lift_table_headings(pdf, origins)
        if tagged_v2:
            _pair_labels(pdf, origins)
            _tag_last_footer(pdf, origins)
        _artifact_margin_content(pdf)
        _add_id_tree(pdf)
        _complete_xmp(pdf, extra)

    return finish


# --- Streams: unambiguous EOL before "endstream" --------------------------------

_PATCH_LOCK = threading.Lock()  # the patches below change WeasyPrint and pydyf for everyone


@contextmanager
def _unambiguous_stream_ends() -> Iterator[None]:
    """Write CRLF before ``endstream`` when a stream's payload ends with CR.

    pydyf always writes ``payload + b"\nendstream"``. When the payload's last byte
    is 0x0D (for Flate data: the low byte of the Adler-32 of the uncompressed data,
    so ~1/256 per stream), validators read ``\r\n`` as the EOL marker and report
    /Length off by one (PDFA2U-STREAM-LENGTH-001, ISO 19005-2 6.1.7.1). This also
    covers the object and xref streams that pydyf creates inside ``PDF.write``.
    """
    stream_class = importlib.import_module("pydyf").Stream
    original = stream_class.data

    def data(self: Any) -> bytes:
        raw: bytes = original.fget(self)
        if raw.endswith(b"\r\nendstream"):  # pydyf never writes CR itself
            raw = raw[: -len(b"\nendstream")] + b"\r\nendstream"
        return raw

    stream_class.data = property(data)
    try:
        yield
    finally:
        stream_class.data = original


# --- Tags: the language and the HTML element of each structure element ------------

Origins = dict[int, Any]  # a structure element's object number -> the HTML element it tags


@contextmanager
def _tags_from_html(origins: Origins, lang: str) -> Iterator[None]:
    """Give a structure element `/Lang` when its HTML element has `lang`, and note in
    `origins` which HTML element each structure element comes from.

    WeasyPrint 70 sets the language of the whole document only, so Swedish text in a
    translated copy (`<span lang="sv">`, `<p lang="sv">`) would be read in the copy's
    language; with `/Lang` a screen reader switches voice. `<html>` and `<body>` are left
    alone: their elements are the document's, which the catalog's `/Lang` covers.
    In a copy in a language written in another script than Latin (`lang`), text in Latin
    letters alone (the case's names, titles and addresses, "(personnummer)" in a translation,
    the logo's alt text) is Swedish too, and tagged so.
    WeasyPrint also tags each page on its own; `origins` lets `_join_continued` make one
    element again of what a page break cut in two.
    """
    tags: Any = importlib.import_module("weasyprint.pdf.tags")
    boxes: Any = importlib.import_module("weasyprint.formatting_structure.boxes")
    placeholder = importlib.import_module("weasyprint.layout.absolute").AbsolutePlaceholder
    pydyf = importlib.import_module("pydyf")
    original = tags._build_box_tree
    swedish = pydyf.String(SOURCE_LANGUAGE)
    mark_latin = not LANGUAGES[lang].latin if lang in LANGUAGES else False

    def latin(text: str | None, style: Any) -> bool:
        return mark_latin and style["lang"] != SOURCE_LANGUAGE and latin_only(text or "")

    def build(box: Any, *args: Any) -> Iterator[Any]:
        real = box._box if isinstance(box, placeholder) else box
        own = real.element.get("lang") if real.element is not None else None
        marked = args[-1]  # the boxes' marked content: {"tag": ..., "mcid": ...}
        in_latin = {
            marked[text]["mcid"]
            for line in getattr(real, "children", ())
            for text in (line.children if isinstance(line, boxes.LineBox) else [line])
            if isinstance(text, boxes.TextBox) and text in marked and latin(text.text, text.style)
        }
        for element in original(box, *args):
            if own and real.element_tag not in ("html", "body") and "Lang" not in element:
                element["Lang"] = pydyf.String(own)
            elif real.element_tag == "img" and latin(real.element.get("alt"), real.style):
                element["Lang"] = swedish
            if real.element is not None:  # the innermost call made it: <html> only passes it on
                origins.setdefault(element.number, real.element)
            for kid in element["K"] if in_latin else ():
                if not isinstance(kid, int):
                    text = pdf_object(args[1], kid)
                    if list(text.get("K", ())) and text["K"][0] in in_latin:
                        text["Lang"] = swedish
            yield element

    tags._build_box_tree = build  # the recursion looks the name up in the module
    try:
        yield
    finally:
        tags._build_box_tree = original


def pdf_object(pdf: Any, reference: Any) -> Any:
    """The object `reference` ("12 0 R") names in a PDF being written."""
    return pdf.objects[int(reference.split()[0])]


# --- Tags: one element for what a page break cut in two ----------------------------


class _Tree:
    """The structure elements of a PDF being written, by reference."""

    def __init__(self, pdf: Any, origins: Origins) -> None:
        self.pdf = pdf
        self.origins = origins

    def __call__(self, reference: Any) -> Any:
        return pdf_object(self.pdf, reference)

    def continues(self, first: Any, second: Any) -> bool:
        """Whether `second`, on a later page, goes on with what `first` began: the same HTML
        element, tagged alike, and both holding only structure elements (no marked content or
        annotations, which belong to one page)."""
        origin = self.origins.get(first.number)
        return (
            origin is not None
            and origin is self.origins.get(second.number)
            and first["S"] == second["S"]
            and first["Pg"] != second["Pg"]
            and self.only_elements(first)
            and self.only_elements(second)
        )

    def elements(self) -> Iterator[Any]:
        """Every structure element of the tree, in reading order."""
        for document in self(self.pdf.catalog["StructTreeRoot"])["K"]:
            yield from _elements(self, document)

    def only_elements(self, element: Any) -> bool:
        return all(
            not isinstance(kid, int) and self(kid).get("Type") == "/StructElem"
            for kid in element["K"]
        )


def _join_continued(pdf: Any, origins: Origins) -> None:
    """One structure element for each HTML element that runs on over a page break.

    WeasyPrint 70 tags every page on its own, so a table, a list or a section that goes on
    to the next page is two elements there: "table, 3 rows" and "table, 2 rows" to a screen
    reader. The two become one, level by level down to where the page broke. A table's
    header row repeated on the next page is left out of the tree (its content becomes a
    pagination artifact), and the cells under it point at the first page's headers.
    """
    tree = _Tree(pdf, origins)
    root = tree(pdf.catalog["StructTreeRoot"])
    for document in root["K"]:
        _join_kids(tree, tree(document)["K"])


def _join_kids(tree: _Tree, kids: list[Any]) -> None:
    """Join each kid that continues the one before it into it, in place."""
    index = 1
    while index < len(kids):
        first, second = tree(kids[index - 1]), tree(kids[index])
        if not tree.continues(first, second):
            index += 1
            continue
        more = list(second["K"])
        if first["S"] == "/Table":
            more = _without_repeated_head(tree, first, more)
        for kid in more:
            tree(kid)["P"] = kids[index - 1]
        first["K"].extend(more)
        del kids[index]
        _join_kids(tree, first["K"])


_HEADINGS = frozenset({"/H1", "/H2", "/H3", "/H4", "/H5", "/H6"})


def _lift_table_headings(pdf: Any, origins: Origins) -> None:
    """A table's heading that is the first row of its head, read once, before the table.

    On paper a table's heading is also the first row of its head (template version 2,
    common/2/parts.html), so that WeasyPrint repeats it with the column headings on every page
    the table runs on to. A screen reader should meet it as the heading it is, once, as in the
    HTML copy: the heading leaves the first page's row for a place before the table, and the
    row leaves the tree. The repeated rows left the tree with their head (`_join_continued`),
    and become pagination artifacts.
    """
    tree = _Tree(pdf, origins)
    tables = [e for e in tree.elements() if e["S"] == "/Table" and tree.only_elements(e)]
    for table in tables:
        heads = [tree(kid) for kid in table["K"] if tree(kid)["S"] == "/THead"]
        heading = _row_heading(tree, heads[0]["K"][0]) if heads and heads[0]["K"] else None
        if heading is None:
            continue
        del heads[0]["K"][0]
        tree(heading)["P"] = table["P"]
        siblings = tree(table["P"])["K"]
        siblings.insert(siblings.index(table.reference), heading)


def _row_heading(tree: _Tree, reference: Any) -> Any:
    """The heading a table row holds and nothing else, in its one cell; or None."""
    row = tree(reference)
    if row["S"] != "/TR" or len(row["K"]) != 1 or not tree.only_elements(row):
        return None
    cell = tree(row["K"][0])
    if not tree.only_elements(cell) or len(cell["K"]) != 1:
        return None
    return cell["K"][0] if tree(cell["K"][0])["S"] in _HEADINGS else None


def _pair_labels(pdf: Any, origins: Origins) -> None:
    """A description list's term and its description as one list item, `Lbl` and `LBody`.

    WeasyPrint tags a `<dl>` as a list with each `<dt>` and each `<dd>` an item of its own, so
    a screen reader reads "list, 8 items" and "Datum" apart from its date. Each term becomes
    its item's label, and the description after it that item's body.
    """
    tree = _Tree(pdf, origins)
    lists = [e for e in tree.elements() if e["S"] == "/L" and _origin_tag(tree, e) == "dl"]
    for element in lists:
        items: list[Any] = []
        term: Any = None
        for reference in element["K"]:
            item = tree(reference)
            kind = _origin_tag(tree, item) if item["S"] == "/LI" else None
            if kind == "dd" and term is not None and tree.only_elements(item):
                for kid in item["K"]:
                    tree(kid)["P"] = term
                tree(term)["K"].extend(item["K"])
                term = None
                continue
            term = None
            if kind == "dt" and tree.only_elements(item):
                for kid in item["K"]:
                    if tree(kid)["S"] == "/LBody":
                        tree(kid)["S"] = "/Lbl"
                term = reference
            items.append(reference)
        element["K"][:] = items


def _origin_tag(tree: _Tree, element: Any) -> str | None:
    """The name of the HTML element a structure element was made of."""
    origin = tree.origins.get(element.number)
    return None if origin is None else str(origin.tag)


def _without_repeated_head(tree: _Tree, table: Any, more: list[Any]) -> list[Any]:
    """`more` (a table's elements on a later page) without the header row group the table
    already has, with the cells' /Headers pointing at the first header row's cells."""
    heads = [kid for kid in table["K"] if tree(kid)["S"] == "/THead"]
    if not heads or not more:
        return more
    if tree(more[0])["S"] != "/THead":
        _name_missing_headers(tree, _header_ids(tree, heads[0]), more)
        return more
    first, repeated = _header_ids(tree, heads[0]), _header_ids(tree, more[0])
    if len(first) != len(repeated):
        return more
    same = {old.string: new for old, new in zip(repeated, first, strict=True)}
    for kid in more[1:]:
        for cell in _elements(tree, kid):
            headers = cell.get("A", {}).get("Headers")
            if headers is not None:
                cell["A"]["Headers"] = type(headers)(
                    [same.get(header.string, header) for header in headers]
                )
    return more[1:]


def _name_missing_headers(tree: _Tree, header_ids: list[Any], more: list[Any]) -> None:
    """Cells on a page where the header row was not repeated get no /Headers from WeasyPrint
    (an empty array, which PDF/UA-1 refuses); each names its column's header instead."""
    for kid in more:
        for row in _elements(tree, kid):
            if row["S"] != "/TR":
                continue
            cells = [tree(cell) for cell in row["K"] if not isinstance(cell, int)]
            if len(cells) != len(header_ids):
                continue
            for cell, header in zip(cells, header_ids, strict=True):
                headers = cell.get("A", {}).get("Headers")
                if headers is not None and len(headers) == 0:
                    cell["A"]["Headers"] = type(headers)([header])


def _header_ids(tree: _Tree, head: Any) -> list[Any]:
    return [cell["ID"] for cell in _elements(tree, head) if "ID" in cell]


def _elements(tree: _Tree, reference: Any) -> Iterator[Any]:
    """The structure element at `reference` and every one below it, in order."""
    element = tree(reference)
    yield element
    for kid in element["K"]:
        if not isinstance(kid, int) and tree(kid).get("Type") == "/StructElem":
            yield from _elements(tree, kid)


def _add_id_tree(pdf: Any) -> None:
    """The structure tree's /IDTree: every element ID (a table header cell's, which its
    cells' /Headers name) mapped to its element, so a reader can find the headers."""
    tree = _Tree(pdf, {})
    named = sorted(
        (element["ID"].string, element) for element in tree.elements() if "ID" in element
    )
    if not named:
        return
    pydyf = importlib.import_module("pydyf")
    names = pydyf.Array()
    for key, element in named:
        names += [pydyf.String(key), element.reference]
    id_tree = pydyf.Dictionary({"Names": names})
    pdf.add_object(id_tree)
    tree(pdf.catalog["StructTreeRoot"])["IDTree"] = id_tree.reference


# --- Fonts: every glyph mapped to its text ---------------------------------------


@contextmanager
def _finished_fonts(missing: list[MissingGlyph]) -> Iterator[None]:
    """Map each glyph of a cluster to its own text, and collect the characters drawn
    without a glyph into `missing`, as WeasyPrint builds the fonts of a PDF.

    When shaping turns one cluster into several glyphs, WeasyPrint 70 gives the cluster's
    whole text to one glyph and none to the others: Arabic "شيئًا" becomes a fathatan glyph
    mapped to "ئً" and a yeh glyph mapped to nothing, which fails PDF/UA-1 and PDF/A-2u.
    A glyph the font's cmap gives a character for (compatibility forms normalised, so a
    medial yeh is "ئ") takes that character when it is part of the text it was given, or
    when it was given none; a glyph still without text gets a zero-width space.

    The glyph check reads the same fonts and texts here, before subsetting, rather than
    parsing the finished PDF (`check.missing_glyphs` does that, for any PDF).
    """
    pdf_module: Any = importlib.import_module("weasyprint.pdf")
    original = pdf_module.build_fonts_dictionary

    def build(pdf: Any, fonts: dict[str, Any], *args: Any) -> Any:
        for font in fonts.values():
            if font.bitmap:
                continue
            program = font_program(font.hash, font.file_content, font.index)
            if any(len(text) != 1 for text in font.to_unicode.values()):
                _split_cluster_texts(font.to_unicode, program.characters)
            missing.extend(missing_in_font(font.name.decode()[1:], program, font.to_unicode))
        return original(pdf, fonts, *args)

    pdf_module.build_fonts_dictionary = build
    try:
        yield
    finally:
        pdf_module.build_fonts_dictionary = original


def _split_cluster_texts(to_unicode: dict[int, str], characters: dict[int, str]) -> None:
    """Give each glyph whose text is empty or a whole cluster its own character, if the
    font's cmap has one (`characters`); a glyph still without text gets a zero-width space.
    """
    for glyph, text in to_unicode.items():
        if len(text) == 1:
            continue
        own = characters.get(glyph)
        if own and (not text or (own in text and own != text)):
            to_unicode[glyph] = own
        elif not text:
            to_unicode[glyph] = "\u200b"


# --- Stylesheets: parsed once per process ----------------------------------------

_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)
_SHEETS: dict[tuple[str, str], weasyprint.CSS] = {}
_SHEETS_KEPT = 64  # a sheet per layer chain, direction and variant in use


def _own_stylesheets(
    html: str, base_url: str, fetcher: URLFetcher
) -> tuple[str, list[weasyprint.CSS]]:
    """The document without the `<style>` elements of its head, and those as one parsed
    stylesheet: copies made with the same templates share it, so it is parsed once.
    """
    head, found, body = html.partition("</head>")
    css = "\n".join(_STYLE.findall(head))
    if not found or not css:
        return html, []
    sheet = _SHEETS.get((base_url, css))
    if sheet is None:
        if len(_SHEETS) >= _SHEETS_KEPT:
            _SHEETS.clear()
        sheet = _SHEETS[base_url, css] = weasyprint.CSS(
            string=css, base_url=base_url, url_fetcher=fetcher, font_config=_fonts()
        )
    return _STYLE.sub("", head) + found + body, [sheet]


@functools.cache
def _fonts() -> Any:
    """One FontConfiguration for every document: @font-face rules of a parsed stylesheet
    are registered in it, and fontconfig's lookups are made once.
    """
    return importlib.import_module("weasyprint.text.fonts").FontConfiguration()


# --- Public API -------------------------------------------------------------------


def render_pdf(
    html: str,
    base_url: str,
    allowed_roots: list[Path],
    lang: str,
    title: str,
    extra_metadata: dict[str, str],
    tagged_v2: bool = True,
) -> tuple[bytes, list[MissingGlyph]]:
    """Render ``html`` to PDF/A-2u + PDF/UA-1 bytes, reproducibly and offline, and list the
    characters drawn without a glyph. ``tagged_v2`` (template version 2 on): a description
    list's terms and descriptions are tagged as list items of a label and a body, and the
    sender's running footer is read once, on the last page.

    ``extra_metadata`` keys must be ASCII identifiers (``templateVersion``); they
    become ``sipdocs:<key>`` XMP properties. Any failed fetch aborts the render:
    ``ResourceRefusedError`` for URLs outside ``allowed_roots``, otherwise the
    fetcher's own error (e.g. ``FileNotFoundError`` for a missing logo).
    """
    if bad := [key for key in extra_metadata if not _KEY_RE.match(key)]:
        raise ValueError(f"invalid metadata keys: {bad}")
    fetcher = RootedFileFetcher(allowed_roots)
    try:
        html, stylesheets = _own_stylesheets(html, base_url, fetcher)
        document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            stylesheets=stylesheets, font_config=_fonts()
        )
        document.metadata.title = title
        document.metadata.lang = lang
        missing: list[MissingGlyph] = []
        origins: Origins = {}
        with (
            _PATCH_LOCK,
            _unambiguous_stream_ends(),
            _tags_from_html(origins, lang),
            _finished_fonts(missing),
        ):
            pdf: bytes = document.write_pdf(
                pdf_variant=PDF_VARIANT,
                pdf_tags=True,
                finisher=_finisher(extra_metadata, origins, tagged_v2),
            )
    except FatalURLFetchingError as error:  # a BaseException: re-raise the real cause
        if isinstance(error.__cause__, Exception):
            raise error.__cause__ from None
        raise RuntimeError(str(error)) from error
    return pdf, missing


@register
class PdfRenderer(HtmlRenderer):
    """HTML through WeasyPrint; resources only from the template and layer folders."""

    name = "pdf"
    suffix = ".pdf"

    def render(self, context: DocumentContext) -> bytes:
        """The PDF, after checking that every character of its text has a glyph."""
        roots = [TEMPLATES, *(layer.folder for layer in context.chain)]
        html = revised_text(self.html(context), context)
        try:
            pdf, missing = render_pdf(
                html,
                base_url=(context.selection.version.folder / "").as_uri(),
                allowed_roots=roots,
                lang=context.language,
                title=context.full_title,
                extra_metadata=context.metadata,
                tagged_v2=context.selection.version.revision >= 2,
            )
        except ResourceRefusedError as exc:
            where = " > ".join(context.layer_names)
            raise TemplateError(f"template {context.template} ({where}): {exc}") from None
        except (OSError, ValueError) as exc:
            raise RenderError(f"{context.kind.name}: {exc}") from None
        if missing:
            raise RenderError(missing_glyph_message(context, missing))
        return pdf


def missing_glyph_message(context: DocumentContext, missing: list[MissingGlyph]) -> str:
    """Names the document, the first lost character and the case field it came from."""
    first = missing[0]
    fields = [
        format_key_path(path) for path, text in text_values(context.case) if first.char in text
    ]
    where = f"field {fields[0]}" if fields else "the template's own text"
    more = f"; {len(missing) - 1} more character(s) without a glyph" if len(missing) > 1 else ""
    return f"{context.stem}: no glyph for {first} in the embedded fonts ({where}){more}"
