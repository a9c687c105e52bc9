"""DOCX: the same context through a docxtpl template, for staff who edit letters in Word.

The template is the highest layer's `overrides/<document>.docx`, else the default version's.
It renders in the same sandboxed, autoescaping Jinja setup as the HTML, with gettext for its
fixed text. Afterwards the document gets what a template cannot say for itself: sizes, bold
and italic for complex scripts too, the output language (and for Arabic and Persian
right-to-left paragraphs, tables, lists and runs, the Latin text in runs of its own), the
core properties, the R-G2 record of how it was made, the layer's colours, and a zip that is
the same bytes for the same input.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import unicodedata
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from babel.core import LOCALE_ALIASES
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from lxml import etree

from sipdocs.context import TEMPLATE_VARIABLES, TRANSLATION_NOTICE, DocumentContext, TemplateVars
from sipdocs.errors import TemplateError
from sipdocs.guard import read_docx_template
from sipdocs.languages import LANGUAGES, SOURCE_LANGUAGE
from sipdocs.renderers import Renderer, register, render_noting_swedish, template_failure
from sipdocs.templates import Colours, docx_template

# The logo keeps its proportions within this box: 16 mm high, or less if it is wider than
# 40 mm at that height.
LOGO_WIDTH, LOGO_HEIGHT = Mm(40), Mm(16)
LARGE_PRINT_SIZE = 36  # half-points: 18 pt
# What a DOCX template sees: the HTML templates' names, with `t` giving plain text, and the
# logo as a picture (`{{ logo_image }}` in a paragraph of its own).
DOCX_VARIABLES = TEMPLATE_VARIABLES | {"logo_image"}
CUSTOM_PROPERTIES = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


# The children of paragraph, run and table properties in the order the schema (ECMA-376,
# wml.xsd) requires.
SCHEMA_ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
    "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs "
    "highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish "
    "oMath",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize "
    "tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
    "tblDescription tblPrChange",
}


def successors(properties: str, name: str) -> tuple[str, ...]:
    """The tags that come after `w:name` in `w:properties`, in schema order."""
    order = SCHEMA_ORDER[properties].split()
    return tuple(qn(f"w:{tag}") for tag in order[order.index(name) + 1 :])


_AFTER_BIDI = successors("pPr", "bidi")
_AFTER_RTL = successors("rPr", "rtl")
_AFTER_LANG = successors("rPr", "lang")
_AFTER_BIDI_VISUAL = successors("tblPr", "bidiVisual")


@register
class DocxRenderer(Renderer):
    name = "docx"
    suffix = ".docx"

    def unavailable(self, context: DocumentContext) -> str | None:
        if context.easy_read:
            return "easy-read copies are made as PDF, HTML, plain text and audio, not DOCX"
        return None

    def render(self, context: DocumentContext) -> bytes:
        path = docx_template(context.chain, context.selection.version)
        data = _template_bytes(path, path.stat().st_mtime_ns)
        environment = self.registry.docx_environment(context.chain, context.language)

        def render_once(variables: TemplateVars) -> DocxTemplate:
            template = DocxTemplate(io.BytesIO(data))
            logo = {"logo_image": _logo(template, context)}
            template.render({**variables, **logo}, environment, autoescape=True)
            return template

        try:
            template, free_text = render_noting_swedish(context, True, render_once)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                f"{path}: {exc.message} (sipdocs templates check finds the paragraph)"
            ) from None
        except jinja2.TemplateError as exc:
            raise template_failure(path.name, context, exc) from None
        document = template.docx
        _complete_complex_script(document)
        _set_language(document, context.language, context.rtl)
        if context.large_print:
            _enlarge(document)
        if context.language != SOURCE_LANGUAGE:
            _mark_swedish(document, [TRANSLATION_NOTICE, *free_text.swedish])
        _set_properties(document, context)
        _set_colours(document, context.profile.colours)  # the sender's letterhead (R-S7)
        buffer = io.BytesIO()
        document.save(buffer)
        return stable_zip(buffer.getvalue(), context.date)


@cache
def _template_bytes(path: Path, mtime_ns: int) -> bytes:
    """The template file, read once per version of it."""
    return read_docx_template(path)


class DescribedImage(InlineImage):  # type: ignore[misc]
    """An inline picture with alt text, for screen readers (docxtpl's has none)."""

    def __init__(self, template: DocxTemplate, image: bytes, alt: str) -> None:
        super().__init__(template, io.BytesIO(image), **_logo_size(image))
        self.alt = alt

    def _insert_image(self) -> str:
        xml: str = super()._insert_image()
        start = xml.index("<wp:inline")
        end = xml.index("</wp:inline>") + len("</wp:inline>")
        inline = parse_xml(xml[start:end])
        for element in inline.iter(qn("wp:docPr"), qn("pic:cNvPr")):
            element.set("descr", self.alt)
        return xml[:start] + str(etree.tostring(inline, encoding="unicode")) + xml[end:]


def _logo(template: DocxTemplate, context: DocumentContext) -> DescribedImage | None:
    logo = context.logo
    if logo is None:
        return None
    return DescribedImage(
        template, _logo_picture(logo, logo.stat().st_mtime_ns), context.logo_alt or ""
    )


def _logo_size(picture: bytes) -> dict[str, int]:
    """The one side that fits the logo in the box; Word scales the other in proportion."""
    from PIL import Image

    with Image.open(io.BytesIO(picture)) as image:
        width, height = image.size
    fits_width = width * LOGO_HEIGHT > height * LOGO_WIDTH
    return {"width": LOGO_WIDTH} if fits_width else {"height": LOGO_HEIGHT}


@cache
def _logo_picture(path: Path, mtime_ns: int) -> bytes:
    """The logo as PNG or JPEG, which Word and LibreOffice both show; an SVG is drawn as a
    PNG 600 px high.

    CairoSVG reads nothing beyond the file: external references and entities are refused.
    """
    if path.suffix.lower() != ".svg":
        return path.read_bytes()
    import cairosvg  # only layers with an SVG logo need cairo

    try:
        png: bytes = cairosvg.svg2png(bytestring=path.read_bytes(), output_height=600)
    except Exception as exc:  # CairoSVG raises whatever its parser meets
        raise TemplateError(f"{path}: the logo cannot be drawn ({type(exc).__name__})") from None
    return png


def language_tag(language: str) -> str:
    """The tag Word expects in w:lang: 'sv' -> 'sv-SE'."""
    return LOCALE_ALIASES.get(language, language).replace("_", "-")


def _set_language(document: Any, language: str, rtl: bool) -> None:
    """The document language for spelling and screen readers; right to left where it reads so."""
    tag = language_tag(language)
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    run_defaults = defaults.find(qn("w:rPr"))
    lang = run_defaults.find(qn("w:lang"))
    if lang is None:
        lang = run_defaults.makeelement(qn("w:lang"), {})
        run_defaults.append(lang)
    lang.set(qn("w:val"), tag)
    if rtl:
        lang.set(qn("w:bidi"), tag)
        _set_complex_script_font(document, run_defaults, LANGUAGES[language].font)
    for root in _text_roots(document):
        for run_properties in root.iter(qn("w:rPr")):
            for own in run_properties.findall(qn("w:lang")):
                own.set(qn("w:val"), tag)
        if not rtl:
            continue
        for paragraph in root.iter(qn("w:p")):
            _insert(_child(paragraph, "w:pPr", first=True), "w:bidi", _AFTER_BIDI)
        for run in list(root.iter(qn("w:r"))):
            _split_by_direction(run)
        for table in root.iter(qn("w:tbl")):
            _insert(_child(table, "w:tblPr", first=True), "w:bidiVisual", _AFTER_BIDI_VISUAL)
    if rtl:
        _right_to_left_lists(document)


def _split_by_direction(run: Any) -> None:
    """Mark `run` right to left (`w:rtl`), or split it into runs that are and runs of Latin
    text that are not: Word sets a right-to-left run's Latin letters in the complex-script
    font and size and orders its neutral characters right to left, so "اجتماع SIP" loses the
    space before "SIP" and "Eva Lind, Vuxenenheten" comes out as "Vuxenenheten ,Eva Lind".
    """
    texts = run.findall(qn("w:t"))
    pieces = [(t, piece) for t in texts for piece in direction_pieces(t.text or "")]
    if len(pieces) == len(texts) and not any(ltr for _, (_, ltr) in pieces):
        _insert(_child(run, "w:rPr", first=True), "w:rtl", _AFTER_RTL)
        return
    properties = run.find(qn("w:rPr"))
    for child in list(run):
        if child.tag == qn("w:rPr"):
            continue
        own: list[tuple[str | None, bool]] = [
            (text, ltr) for element, (text, ltr) in pieces if element is child
        ]
        for text, ltr in own or [(None, False)]:
            new = run.makeelement(qn("w:r"), {})
            if properties is not None:
                new.append(copy.deepcopy(properties))
            if not ltr:
                _insert(_child(new, "w:rPr", first=True), "w:rtl", _AFTER_RTL)
            new.append(child if text is None else _text(child, _one_unit(text) if ltr else text))
            run.addprevious(new)
    run.getparent().remove(run)


def _one_unit(text: str) -> str:
    """Left-to-right `text` made of several isolated values, "⁨Lillåns kommun⁩ (⁨Eva Lind⁩)",
    isolated as a whole, so it reads left to right and not value by value from the right."""
    openers = sum(char in _OPENERS for char in text)
    whole = text[0] in _OPENERS and text[-1] == _PDI
    return f"\u2066{text}{_PDI}" if openers > 1 or (openers and not whole) else text


_OPENERS = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI
_PDI = "\u2069"


def direction_pieces(text: str) -> list[tuple[str, bool]]:
    """`text` cut into (piece, left to right) pieces: each stretch from a Latin (strong
    left-to-right) letter to the last one before a right-to-left letter is left to right,
    and so is an isolate of Latin text from its start to its end; what lies between, spaces,
    digits and punctuation, goes with the right-to-left text around it."""
    directions = map(unicodedata.bidirectional, text)
    kinds = ["L" if d == "L" else "R" if d in ("R", "AL") else "" for d in directions]
    opened: list[int] = []
    for index, char in enumerate(text):  # an isolate of left-to-right text is one
        if char in _OPENERS:
            opened.append(index)
        elif char == _PDI and opened:
            start = opened.pop()
            inside = set(kinds[start + 1 : index])
            if "L" in inside and "R" not in inside:
                kinds[start : index + 1] = ["L"] * (index + 1 - start)
    stretches: list[list[int]] = []
    for index, kind in enumerate(kinds):
        if kind == "L":
            if stretches and "R" not in kinds[stretches[-1][1] : index]:
                stretches[-1][1] = index + 1
            else:
                stretches.append([index, index + 1])
    pieces, last = [], 0
    for start, end in stretches:
        while end < len(text) and _opens_more(text[start:end], text[end]):
            end += 1  # "(Maria Holm" takes its ")"
        pieces += [(text[last:start], False), (text[start:end], True)]
        last = end
    pieces.append((text[last:], False))
    return [(piece, ltr) for piece, ltr in pieces if piece] or [(text, False)]


_BRACKETS = {")": "(", "]": "[", "}": "{"}


def _opens_more(text: str, closing: str) -> bool:
    """Whether `text` opens the bracket `closing` closes more often than it closes it."""
    opening = _BRACKETS.get(closing)
    return opening is not None and text.count(opening) > text.count(closing)


def _right_to_left_lists(document: Any) -> None:
    """Bullets and numbers on the right, before right-to-left text: each list level's
    paragraph is right to left and its number a right-to-left run."""
    for numbering in _numbering(document):
        for level in numbering.iter(qn("w:lvl")):
            if level.find(qn("w:pPr")) is None:
                insert_in_order(level, level.makeelement(qn("w:pPr"), {}), (qn("w:rPr"),))
            _insert(level.find(qn("w:pPr")), "w:bidi", _AFTER_BIDI)
            _insert(_child(level, "w:rPr"), "w:rtl", _AFTER_RTL)


def _numbering(document: Any) -> list[Any]:
    """The XML of the document's list definitions (none, or one part)."""
    return [
        rel.target_part.element
        for rel in document.part.rels.values()
        if rel.reltype == RELATIONSHIP_TYPE.NUMBERING
    ]


# Each property of Latin text and its twin for complex scripts (Arabic, digits among it):
# Word sets right-to-left text by the twin alone.
_TWINS = {qn("w:b"): "w:bCs", qn("w:i"): "w:iCs", qn("w:sz"): "w:szCs"}


def _complete_complex_script(document: Any) -> None:
    """Give every bold, italic and size its complex-script twin, where a template has none:
    without `w:szCs` Arabic text and the digits among it print at Word's default 10 pt."""
    for root in [document.styles.element, *_numbering(document), *_text_roots(document)]:
        complex_script_twins(root)


def complex_script_twins(root: Any, replace: bool = False) -> None:
    """Give each `w:b`, `w:i` and `w:sz` under `root` its twin for complex scripts, the same;
    a twin already there is kept, or made the same if `replace`."""
    for properties in root.iter(qn("w:rPr")):
        for element in list(properties):
            twin = _TWINS.get(element.tag)
            if twin is None:
                continue
            existing = properties.find(qn(twin))
            if existing is not None and not replace:
                continue
            if existing is not None:
                properties.remove(existing)
            element.addnext(copy.deepcopy(element))
            element.getnext().tag = qn(twin)


def _enlarge(document: Any) -> None:
    """Large print: sizes grow as 11 pt body text grows to 18 pt, and none stays under 18 pt."""
    for root in [document.styles.element, *_text_roots(document)]:
        for size in root.iter(qn("w:sz"), qn("w:szCs")):
            half_points = int(size.get(qn("w:val")))
            size.set(qn("w:val"), str(max(LARGE_PRINT_SIZE, round(half_points * 18 / 11))))


def _mark_swedish(document: Any, wordings: list[str]) -> None:
    """Swedish text in a translated copy gets runs of its own marked `sv-SE`, not right to left.

    docxtpl prints text into the template's runs; here each line of a Swedish wording that
    stood in for a missing translation (and the notice's Swedish line) is split out of its run,
    so spelling checkers and screen readers treat it as Swedish.
    """
    lines = {
        line for w in wordings for line in w.splitlines() if _PLACEHOLDER.sub("", line).strip()
    }
    if not lines:
        return
    longest_first = sorted(lines, key=len, reverse=True)
    swedish = re.compile("|".join(_wording_pattern(line) for line in longest_first))
    marked = f"{qn('w:rPr')}/{qn('w:lang')}[@{qn('w:val')}='{language_tag(SOURCE_LANGUAGE)}']"
    for root in _text_roots(document):
        for run in list(root.iter(qn("w:r"))):
            if any(swedish.search(t.text or "") for t in run.iter(qn("w:t"))):
                _split_run(run, swedish)
        for paragraph in root.iter(qn("w:p")):  # all Swedish: left to right
            runs = [r for r in paragraph.iter(qn("w:r")) if _visible_text(r)]
            if runs and all(r.find(marked) is not None for r in runs):
                for bidi in paragraph.findall(f"{qn('w:pPr')}/{qn('w:bidi')}"):
                    bidi.set(qn("w:val"), "0")  # over a right-to-left list's


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _wording_pattern(line: str) -> str:
    """A regular expression for a line of Swedish; a fixed text's `%(name)s` matches the
    value printed in its place."""
    literal = [re.escape(piece.replace("%%", "%")) for piece in _PLACEHOLDER.split(line)[::2]]
    return ".+?".join(literal)


def _split_run(run: Any, swedish: re.Pattern[str]) -> None:
    """Replace `run` by one run per piece of its content, the Swedish pieces marked so."""
    properties = run.find(qn("w:rPr"))
    pieces: list[tuple[Any, bool]] = []
    for child in run:
        if child.tag == qn("w:rPr"):
            continue
        if child.tag != qn("w:t"):
            pieces.append((child, False))
            continue
        text, last = child.text or "", 0
        for match in swedish.finditer(text):
            pieces += [
                (_text(child, text[last : match.start()]), False),
                (_text(child, match.group()), True),
            ]
            last = match.end()
        pieces.append((_text(child, text[last:]), False))
    for element, is_swedish in pieces:
        if element.tag == qn("w:t") and not element.text:
            continue
        new = run.makeelement(qn("w:r"), {})
        if properties is not None:
            new.append(copy.deepcopy(properties))
        if is_swedish:
            own = _child(new, "w:rPr", first=True)
            for rtl in own.findall(qn("w:rtl")):
                own.remove(rtl)
            _insert(own, "w:lang", _AFTER_LANG)
            own.find(qn("w:lang")).set(qn("w:val"), language_tag(SOURCE_LANGUAGE))
        new.append(element)
        run.addprevious(new)
    run.getparent().remove(run)


def _visible_text(run: Any) -> str:
    """A run's text without spaces and the invisible isolates around data."""
    return "".join(t.text or "" for t in run.iter(qn("w:t"))).strip(" \u2066\u2067\u2068\u2069")


def _text(template: Any, text: str) -> Any:
    """A `w:t` like `template` with `text`, spaces kept."""
    element = template.makeelement(qn("w:t"), {})
    element.text = text
    element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return element


def _set_complex_script_font(document: Any, run_defaults: Any, font: str | None) -> None:
    """Word sets right-to-left text in the complex-script font: the script's own, in every
    style instead of the theme's (whose Times New Roman has no joined Persian forms)."""
    if font is None:
        return
    _child(run_defaults, "w:rFonts", first=True)
    for fonts in document.styles.element.iter(qn("w:rFonts")):
        fonts.attrib.pop(qn("w:cstheme"), None)
        fonts.set(qn("w:cs"), font)


def _text_roots(document: Any) -> list[Any]:
    """The XML of the parts that hold the document's text: the body, headers and footers."""
    kinds = (RELATIONSHIP_TYPE.HEADER, RELATIONSHIP_TYPE.FOOTER)
    headers_footers = [
        rel.target_part for rel in document.part.rels.values() if rel.reltype in kinds
    ]
    return [document.part.element, *(part.element for part in headers_footers)]


def _child(parent: Any, tag: str, first: bool = False) -> Any:
    """`parent`'s child `tag`, added (as the first child if `first`) when missing."""
    child = parent.find(qn(tag))
    if child is None:
        child = parent.makeelement(qn(tag), {})
        parent.insert(0, child) if first else parent.append(child)
    return child


def _insert(parent: Any, tag: str, following: tuple[str, ...]) -> None:
    """Add the empty element `tag` to `parent` in schema order, unless it is there."""
    if parent.find(qn(tag)) is None:
        insert_in_order(parent, parent.makeelement(qn(tag), {}), following)


def insert_in_order(parent: Any, element: Any, following: tuple[str, ...]) -> None:
    """Add `element` to `parent` before the first child of the tags `following` it."""
    follower = next((child for child in parent if child.tag in following), None)
    if follower is None:
        parent.append(element)
    else:
        follower.addprevious(element)


def _set_properties(document: Any, context: DocumentContext) -> None:
    """Title, subject, author and language; the R-G2 record as custom properties."""
    properties = document.core_properties
    properties.title = context.full_title
    properties.subject = context.title
    properties.author = context.author
    properties.keywords = context.keywords
    properties.language = language_tag(context.language)
    properties.last_modified_by = "sipdocs"
    properties.comments = ""
    properties.revision = 1
    moment = dt.datetime.combine(context.date, dt.time(), tzinfo=dt.UTC)
    properties.created = properties.modified = moment
    if properties.last_printed is not None:  # a template saved after printing
        properties.last_printed = moment
    _set_custom_properties(document.part.package, context.metadata)


def _set_custom_properties(package: Any, values: dict[str, str]) -> None:
    """docProps/custom.xml with `values`, keeping any other properties a template has."""
    existing = next(
        (
            rel.target_part
            for rel in package.rels.values()
            if rel.reltype == RELATIONSHIP_TYPE.CUSTOM_PROPERTIES
        ),
        None,
    )
    root = (
        etree.fromstring(existing.blob)
        if existing is not None
        else etree.Element(f"{{{_CUSTOM}}}Properties", nsmap={None: _CUSTOM, "vt": _VT})
    )
    for element in root.findall(f"{{{_CUSTOM}}}property"):
        if element.get("name") in values:
            root.remove(element)
    pid = max((int(p.get("pid", "1")) for p in root), default=1)
    for name, value in values.items():
        pid += 1
        element = etree.SubElement(
            root, f"{{{_CUSTOM}}}property", fmtid=_FMTID, pid=str(pid), name=name
        )
        etree.SubElement(element, f"{{{_VT}}}lpwstr").text = value
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if existing is not None:
        existing._blob = blob
    else:
        part = Part(PackURI("/docProps/custom.xml"), CUSTOM_PROPERTIES, blob, package)
        package.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)


def _set_colours(document: Any, colours: Colours) -> None:
    """The layer's colours in place of the default ones the built-in templates are drawn in."""
    default = Colours()
    swaps = {
        getattr(default, name)[1:].upper(): getattr(colours, name)[1:].upper()
        for name in ("accent", "text", "muted")
        if getattr(colours, name) != getattr(default, name)
    }
    if not swaps:
        return
    attributes = (qn("w:val"), qn("w:fill"), qn("w:color"))
    for element in document.styles.element.iter():
        for attribute in attributes:
            value = element.get(attribute)
            if value is not None and value.upper() in swaps:
                element.set(attribute, _long_hex(swaps[value.upper()]))


def _long_hex(colour: str) -> str:
    """'1F5' -> '11FF55': Word only reads six digits."""
    return "".join(c * 2 for c in colour) if len(colour) == 3 else colour


def stable_zip(data: bytes, day: dt.date) -> bytes:
    """The same package with every entry dated `day`, so equal input gives equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(
                info.filename, date_time=(day.year, day.month, day.day, 0, 0, 0)
            )
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
