"""Builds the default DOCX templates from readable Python: `python -m tools.docxbuild`.

The `.docx` files in `templates/default/<document>/<version>/` are what sipdocs renders with
docxtpl and what municipalities open and edit in Word. This package is their source: one
module per document, written with the small `Letter` API below so that a change shows up as
a reviewable diff. `tests/test_docx.py` checks that the committed files are what this builds.

Fixed text is written as `_('...')` calls, the same msgids as the HTML templates, so one
catalog translates both. Paragraph-level control (`{%p if %}`, `{%tr for %}`) is docxtpl's.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from sipdocs.renderers.docx import (
    complex_script_twins,
    insert_in_order,
    stable_zip,
    successors,
)
from sipdocs.templates import Colours

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"

FONT = "Noto Sans"
# The default layer's colours, which the renderer swaps for a layer profile's own.
ACCENT = Colours().accent[1:].upper()
TEXT = Colours().text[1:].upper()
MUTED = Colours().muted[1:].upper()
TEXT_WIDTH = Mm(160)
BUILT = dt.date(2023, 9, 22)  # version 1's first day: the date in every template's metadata
LABEL_WIDTH = Mm(52)  # the PDF's 48 mm label column and 4 mm gap
META_LABEL_WIDTH = Mm(19)
TABLE_STYLE = "SIP-tabell"
# The envelope's window as the PDF has it (common/1/style.css): the address's first line 25 mm
# from the paper's left edge and 53 mm from its top, 75 mm wide, what is left of 40 mm high.
# In a right-to-left copy LibreOffice mirrors a frame's x, so the frame is set against the
# left margin (25 mm) instead.
ADDRESS_FRAME = (
    f'w:xAlign="left" w:y="{Mm(53).twips}" w:w="{Mm(75).twips}" w:h="{Mm(34).twips}" '
    'w:hRule="atLeast" w:wrap="notBeside" w:vAnchor="page" w:hAnchor="margin"'
)


def gettext_call(msgid: str, **params: str) -> str:
    """The gettext call for a msgid, as an expression: `_('Tid')`."""
    assert "'" not in msgid, msgid
    arguments = "".join(f", {name}={value}" for name, value in params.items())
    return f"_('{msgid}'{arguments})"


def _(msgid: str, **params: str) -> str:
    """A translatable string printed by the template: `{{ _('Tid') }}`."""
    return f"{{{{ {gettext_call(msgid, **params)} }}}}"


def either(condition: str, msgid: str, otherwise: str) -> str:
    """One of two translatable strings: `{{ _('a') if condition else _('b') }}`."""
    return f"{{{{ {gettext_call(msgid)} if {condition} else {gettext_call(otherwise)} }}}}"


@dataclass(frozen=True)
class Bold:
    """A run of bold text inside a paragraph."""

    text: str


Run = str | Bold


class Letter:
    """A letter on A4 with the sipdocs styles, written top to bottom like a template."""

    def __init__(self) -> None:
        self.document: DocxDocument = Document()
        self._clear()
        _page_setup(self.document)
        _styles(self.document)
        self._header_and_footer()
        self._letterhead()

    def _clear(self) -> None:
        body = self.document.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)

    # --- Paragraphs -----------------------------------------------------------------------

    def para(self, *runs: Run, style: str | None = None, cell: _Cell | None = None) -> Paragraph:
        """A paragraph of plain and bold runs, in the body or in a table cell."""
        container = cell if cell is not None else self.document
        if cell is not None and style is None:
            style = "Tabelltext"
        paragraph = container.add_paragraph(style=style)
        for run in runs:
            if isinstance(run, Bold):
                paragraph.add_run(run.text).bold = True
            else:
                paragraph.add_run(run)
        return paragraph

    def tag(self, tag: str, cell: _Cell | None = None) -> None:
        """A paragraph holding one docxtpl paragraph tag, such as `{%p if x %}`."""
        self.para(tag, cell=cell)

    def heading(self, level: int, text: str) -> None:
        self.para(text, style=f"Heading {level}")

    def fact(self, label: str, value: str) -> None:
        """A label and its value on one line, the value column aligned like the PDF's."""
        paragraph = self.document.add_paragraph(style="Fakta")
        paragraph.add_run(label, style="Etikett")
        paragraph.add_run("\t" + value)

    @contextmanager
    def when(self, condition: str, cell: _Cell | None = None) -> Iterator[None]:
        """Paragraphs that appear only if `condition` holds."""
        self.tag(f"{{%p if {condition} %}}", cell)
        yield
        self.tag("{%p endif %}", cell)

    def otherwise(self, condition: str | None = None, cell: _Cell | None = None) -> None:
        """`{%p elif condition %}`, or `{%p else %}`, inside a `when` block."""
        self.tag(f"{{%p elif {condition} %}}" if condition else "{%p else %}", cell)

    @contextmanager
    def each(self, loop: str, cell: _Cell | None = None) -> Iterator[None]:
        """Paragraphs repeated `{%p for loop %}`."""
        self.tag(f"{{%p for {loop} %}}", cell)
        yield
        self.tag("{%p endfor %}", cell)

    @contextmanager
    def scope(self, assignment: str) -> Iterator[None]:
        """Paragraphs that see a name bound by `{%p with name = value %}`."""
        self.tag(f"{{%p with {assignment} %}}")
        yield
        self.tag("{%p endwith %}")

    def bullets(self, loop: str, *runs: Run, numbered: bool = False) -> None:
        """A bulleted (or numbered) list with one item per turn of `loop`."""
        with self.each(loop):
            self.para(*runs, style="List Number" if numbered else "List Bullet")

    # --- Tables ---------------------------------------------------------------------------

    def table(self, headings: Sequence[str], widths: Sequence[float], loop: str) -> list[_Cell]:
        """A table with a repeated header row and one row per turn of `loop`.

        Returns the body row's cells, to be filled with `para`, `when` and `each`.
        """
        table = self.document.add_table(rows=4, cols=len(headings))
        table.style = self.document.styles[TABLE_STYLE]
        table.autofit = False
        properties = table._tbl.tblPr  # python-docx's has each property once, in order
        _set(properties.find(qn("w:tblW")), w="5000", type="pct")
        _set(
            properties.find(qn("w:tblLook")),
            val="04A0", firstRow="1", lastRow="0", firstColumn="0", lastColumn="0",
            noHBand="1", noVBand="1",
        )  # fmt: skip
        total = sum(widths)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = int(TEXT_WIDTH * width / total)
            for cell in column.cells:
                cell.width = column.width
        header, start, body, end = table.rows
        header._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
        for cell, heading in zip(header.cells, headings, strict=True):
            cell.paragraphs[0].style = self.document.styles["Tabellrubrik"]
            cell.paragraphs[0].add_run(heading)
        start.cells[0].paragraphs[0].add_run(f"{{%tr for {loop} %}}")
        end.cells[0].paragraphs[0].add_run("{%tr endfor %}")
        body._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
        cells = list(body.cells)
        for cell in cells:  # start empty: `para` adds the content
            cell._tc.remove(cell.paragraphs[0]._p)
        return cells

    # --- The parts every letter shares ------------------------------------------------------

    def _letterhead(self) -> None:
        """Logo and sender, date and case, then the recipient's address (base.html)."""
        with self.when("logo_image"):
            self.para("{{ logo_image }}", style="Logotyp")
        self.para("{{ profile.name or (sender.name if sender else '') }}", style="Avsändare")
        with self.when("sender"):
            self.para(
                "{{ sender.name if profile.name else '' }}{% if sender.unit %}"
                "{% if profile.name %}, {% endif %}{{ sender.unit }}{% endif %}",
                style="Avsändaruppgifter",
            )
            with self.when("sender.address"):
                self.para(
                    "{{ sender.address.one_line }}",
                    style="Avsändaruppgifter",
                )
        self._meta_paragraphs: list[Paragraph] = []
        self._meta(_("Datum"), "{{ date_short(doc.date) }}", first=True)
        self._meta(_("Ärende"), "{{ case.case.id }}")
        with self.when("sender and sender.contact and sender.contact.name"):
            self._meta(_("Kontakt"), "{{ sender.contact.name }}")
        with self.when("sender and sender.contact and sender.contact.phone"):
            self._meta(_("Telefon"), "{{ sender.contact.phone }}")
        first = self.para("{{ recipient.name }}", style="Mottagare")
        first.paragraph_format.space_before = Pt(18)
        address = [first]
        with self.each("name in recipient.also"):
            address.append(self.para("{{ name }}", style="Mottagare"))
        with self.when("recipient.attention"):
            address.append(self.para(_("Att:") + " {{ recipient.attention }}", style="Mottagare"))
        with self.when("disclosure.archive"):
            address.append(self.para(Bold(_("Arkivexemplar")), style="Mottagare"))
        with self.when("recipient.address"):
            address.append(self.para("{{ recipient.address.street }}", style="Mottagare"))
            address.append(self.para("{{ recipient.address.postal_line }}", style="Mottagare"))
            self.otherwise("disclosure.address_missing")
            address.append(self.para(Bold(_("Adressen saknas")), style="Mottagare"))
        self._address = address
        self._after_address = self.para("", style="Mottagare")
        self._after_address.paragraph_format.space_after = Pt(24)
        with self.when("translation_notice"):
            self.para("{{ _(translation_notice) }}", style="Översättning")
            self.para("{{ translation_notice }}", style="Översättning")
            with self.when("swedish_parts"):
                self.para(
                    _("Vissa delar av dokumentet är på svenska, eftersom de inte har översatts."),
                    style="Översättning",
                )
        with self.when("secrecy_notice"):  # R-S6: decided before the template (disclosure)
            self.para("{{ _(secrecy_notice) }}", style="Översättning")

    def address_window(self) -> None:
        """Set the address in a frame fixed to the page where the envelope's window is, left to
        right and left-aligned in a right-to-left copy too (version 2 on); the date and the
        case follow it, below the window, so that the letterhead above it stays short.
        """
        for paragraph in self._address:
            paragraph.paragraph_format.space_before = Pt(0)
            properties = paragraph._p.get_or_add_pPr()
            for tag, attributes in (
                ("framePr", ADDRESS_FRAME),
                ("bidi", 'w:val="0"'),  # the renderer leaves a paragraph's own direction
                ("jc", 'w:val="left"'),
            ):
                element = parse_xml(f"<w:{tag} {nsdecls('w')} {attributes}/>")
                insert_in_order(properties, element, successors("pPr", tag))
        end = self._after_address._p
        children = list(end.getparent())
        first, window = self._meta_paragraphs[0]._p, self._address[0]._p
        for element in children[children.index(first) : children.index(window)]:
            end.addprevious(element)
        end.getparent().remove(end)

    def _meta(self, label: str, value: str, first: bool = False) -> None:
        paragraph = self.document.add_paragraph(style="Dokumentuppgifter")
        paragraph.add_run(label, style="Etikett")
        paragraph.add_run("\t" + value)
        if first:
            paragraph.paragraph_format.space_before = Pt(8)
        self._meta_paragraphs.append(paragraph)

    def _header_and_footer(self) -> None:
        """Page 2 on: organisation and case id above; on every page the footer and page count."""
        section = self.document.sections[0]
        section.different_first_page_header_footer = True
        header = section.header.paragraphs[0]
        header.style = self.document.styles["Header"]
        header.add_run("{{ profile.name or (sender.name if sender else '') }}").bold = True
        header.add_run("\t" + _("Ärende") + " {{ case.case.id }}")
        section.first_page_header.paragraphs[0].style = self.document.styles["Header"]
        for footer in (section.footer, section.first_page_footer):
            organisation = footer.paragraphs[0]
            organisation.style = self.document.styles["Footer"]
            organisation.add_run(
                "{% if profile.footer %}{{ profile.footer }}{% elif sender %}{{ sender.name }}"
                "{% if sender.unit %} · {{ sender.unit }}{% endif %}{% if sender.address %}, "
                "{{ sender.address.one_line }}{% endif %}{% endif %}"
            )
            pages = footer.add_paragraph(style="Sidnummer")
            pages.add_run(_("Sida") + " ")
            pages._p.append(_field("PAGE"))
            pages.add_run(" " + _("av") + " ")
            pages._p.append(_field("NUMPAGES"))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        _trim(self.document)
        properties = self.document.core_properties
        properties.author = properties.last_modified_by = "sipdocs"
        properties.title = properties.subject = properties.comments = properties.keywords = ""
        properties.created = properties.modified = dt.datetime.combine(BUILT, dt.time(), dt.UTC)
        properties.revision = 1
        buffer = io.BytesIO()
        self.document.save(buffer)
        path.write_bytes(stable_zip(buffer.getvalue(), BUILT))  # a rebuild changes no byte


KEEP_STYLES = {
    "Normal", "Default Paragraph Font", "Normal Table", "No List", "Header", "Header Char",
    "Footer", "Footer Char", "Heading 1", "Heading 2", "Heading 3", "Heading 1 Char",
    "Heading 2 Char", "Heading 3 Char", "List Paragraph", "List Bullet", "List Number",
}  # fmt: skip
UNUSED_PARTS = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml",
)


def _trim(document: DocxDocument) -> None:
    """Leave out python-docx's sample thumbnail and the styles the letters never use; sizes,
    bold and italic the same for complex scripts (python-docx sets the Latin ones only)."""
    root = document.styles.element
    complex_script_twins(root, replace=True)
    for style in root.findall(qn("w:style")):
        name = style.find(qn("w:name")).get(qn("w:val"))
        if style.get(qn("w:customStyle")) != "1" and name.title() not in KEEP_STYLES:
            root.remove(style)
    for rels in (document.part.package.rels, document.part.rels):
        for key, rel in list(rels.items()):
            if rel.reltype in UNUSED_PARTS:
                del rels[key]


def _set(element: Any, **attributes: str) -> None:
    """Set `w:` attributes of `element`."""
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)


def _field(instruction: str) -> object:
    return parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" {instruction} "><w:r><w:t>1</w:t></w:r>'
        "</w:fldSimple>"
    )


def _page_setup(document: DocxDocument) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin, section.bottom_margin = Mm(20), Mm(24)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)


def _styles(document: DocxDocument) -> None:
    """Noto Sans everywhere, named explicitly, and the styles the templates use."""
    styles = document.styles
    root = styles.element
    for fonts in root.iter(qn("w:rFonts")):  # theme fonts would win over the named font
        for attribute in list(fonts.attrib):
            if attribute.endswith("Theme"):
                del fonts.attrib[attribute]
    for colour in root.iter(qn("w:color")):
        for attribute in list(colour.attrib):
            if attribute.endswith(("themeColor", "themeShade", "themeTint")):
                del colour.attrib[attribute]
    defaults = root.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = defaults.find(qn("w:rFonts"))
    for attribute in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{attribute}"), FONT)

    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.font.color.rgb = RGBColor.from_string(TEXT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15

    for level, size, before, after in ((1, 17, 0, 10), (2, 13, 16, 4), (3, 11, 12, 3)):
        heading = styles[f"Heading {level}"]
        _font(heading, size, bold=True, colour=ACCENT)
        heading.font.italic = False
        heading.paragraph_format.space_before = Pt(before)
        heading.paragraph_format.space_after = Pt(after)
        heading.paragraph_format.keep_with_next = True

    _paragraph_style(document, "Ingress", size=12)
    _paragraph_style(document, "Logotyp", after=2)
    _font(_paragraph_style(document, "Avsändare", after=1), 13, bold=True, colour=ACCENT)
    _paragraph_style(document, "Avsändaruppgifter", size=9, after=0)
    meta = _paragraph_style(document, "Dokumentuppgifter", size=9, after=0)
    _hanging(meta, META_LABEL_WIDTH)
    _paragraph_style(document, "Mottagare", after=0)
    _hanging(_paragraph_style(document, "Fakta", after=2), LABEL_WIDTH)
    _paragraph_style(document, "Liten", size=9, after=2)
    translation = _paragraph_style(document, "Översättning", size=9.5, after=3)
    translation.font.italic = True
    # Table text in paragraph styles of its own: Normal's size and colour win over the table style's.
    cells = _paragraph_style(document, "Tabelltext", size=9.5, after=0)
    cells.paragraph_format.line_spacing = 1.05
    _font(_paragraph_style(document, "Tabellrubrik", base="Tabelltext"), 9.5, True, "FFFFFF")
    quote = _paragraph_style(document, "Egna ord", size=12)
    quote.paragraph_format.left_indent = Mm(5)
    _border(
        quote,
        f'<w:pBdr {nsdecls("w")}><w:left w:val="single" w:sz="24" w:space="8" '
        f'w:color="{ACCENT}"/></w:pBdr>',
    )
    signature = _paragraph_style(document, "Underskrift", size=9)
    signature.paragraph_format.space_before = Pt(34)
    _border(
        signature,
        f'<w:pBdr {nsdecls("w")}><w:top w:val="single" w:sz="6" w:space="2" '
        'w:color="333333"/></w:pBdr>',
    )
    for name in ("Header", "Footer"):
        _font(styles[name], 8.5, colour=MUTED)
        styles[name].paragraph_format.space_after = Pt(0)
    header = styles["Header"].paragraph_format
    header.tab_stops.clear_all()
    header.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    styles["Footer"].font.size = Pt(7.5)
    pages = _paragraph_style(document, "Sidnummer", size=8.5, after=0, base="Footer")
    pages.paragraph_format.alignment = 2  # right
    label = styles.add_style("Etikett", WD_STYLE_TYPE.CHARACTER)
    label.font.color.rgb = RGBColor.from_string(MUTED)
    root.append(_table_style())


def _border(style: ParagraphStyle, xml: str) -> None:
    """Give the style the border `xml` (a w:pBdr), in schema order."""
    following = successors("pPr", "pBdr")
    insert_in_order(style.element.get_or_add_pPr(), parse_xml(xml), following)


def _font(style: ParagraphStyle, size: float, bold: bool = False, colour: str = TEXT) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = RGBColor.from_string(colour)


def _paragraph_style(
    document: DocxDocument,
    name: str,
    size: float | None = None,
    after: float | None = None,
    base: str = "Normal",
) -> ParagraphStyle:
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles[base]
    style.quick_style = True
    if size is not None:
        style.font.size = Pt(size)
    if after is not None:
        style.paragraph_format.space_after = Pt(after)
    return style


def _hanging(style: ParagraphStyle, width: int) -> None:
    """Label, tab, value: the value starts at `width` and wrapped lines line up under it."""
    style.paragraph_format.left_indent = width
    style.paragraph_format.first_line_indent = -width
    style.paragraph_format.tab_stops.add_tab_stop(width)


def _table_style() -> object:
    """Accent header row in white bold, thin rules between rows, text a little smaller."""
    return parse_xml(
        f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="SIPtabell">'
        f'<w:name w:val="{TABLE_STYLE}"/><w:basedOn w:val="TableNormal"/>'
        '<w:uiPriority w:val="59"/><w:qFormat/>'
        '<w:pPr><w:spacing w:before="0" w:after="0" w:line="252" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr>'
        "<w:tblPr><w:tblBorders>"
        '<w:bottom w:val="single" w:sz="4" w:space="0" w:color="C9D3DE"/>'
        '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="C9D3DE"/>'
        "</w:tblBorders><w:tblCellMar>"
        '<w:top w:w="85" w:type="dxa"/><w:left w:w="113" w:type="dxa"/>'
        '<w:bottom w:w="85" w:type="dxa"/><w:right w:w="113" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr>"
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{ACCENT}"/></w:tcPr></w:tblStylePr>'
        "</w:style>"
    )
