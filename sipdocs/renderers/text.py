"""Plain text in reading order, for screen readers and braille displays.

Made from the HTML, so it says exactly what the other formats say: the letterhead and case
details, the address, the translation notice, then the letter. Headings stand on lines of
their own with a blank line before them (the first two levels underlined), list items start
with "- " or their number, a label and its value share a line ("Datum: 2026-11-20"), and each
table row becomes one "column heading: cell" line per cell. The running footer with the
sender's details comes last, once. Pictures are left out: the text beside them says the same.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from sipdocs.context import DocumentContext
from sipdocs.renderers import register
from sipdocs.renderers.html import HtmlRenderer

_BLOCKS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "footer"),
        *("header", "li", "main", "nav", "ol", "p", "section", "table", "tbody", "thead"),
        *("tr", "ul"),
    }
)
_CELL_BREAK = "; "  # where a table cell's paragraphs and lines meet
_HEADINGS = {"h1": "=", "h2": "-", "h3": "", "h4": "", "h5": "", "h6": ""}
_SKIPPED = frozenset({"head", "style", "script", "template"})
_SPACE = re.compile(r"[ \t\r\n\f]+")
_MARKER = re.compile(r"- |\d+\. ")  # a list item's start


@register
class TextRenderer(HtmlRenderer):
    name = "txt"
    suffix = ".txt"

    def render(self, context: DocumentContext) -> bytes:
        return html_to_text(self.html(context)).encode("utf-8")


def main_text(html: str) -> str:
    """The text of the letter itself (`<main>`), without letterhead, address and footer."""
    start, end = html.find("<main"), html.rfind("</main>")
    return html_to_text(html[start : end + len("</main>")] if 0 <= start < end else html)


def html_to_text(html: str) -> str:
    """The text of a sipdocs HTML document, in reading order (see the module docstring)."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return parser.text()


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.body: list[str] = []  # finished lines
        self.footer: list[str] = []
        self.line = ""
        self.skipping = 0
        self.in_footer = 0
        self.lists: list[int | None] = []  # None for <ul>, the next number for <ol>
        self.headers: list[str] = []
        self.cells: list[str] = []
        self.in_head_row = False
        self.cell: str | None = None
        self.heading: str | None = None

    # -- lines -----------------------------------------------------------------------
    @property
    def lines(self) -> list[str]:
        return self.footer if self.in_footer else self.body

    def end_line(self) -> None:
        text = self.line.strip()
        if text:
            self.lines.append(text)
        self.line = ""

    def blank(self) -> None:
        self.end_line()
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def text(self) -> str:
        self.end_line()
        lines = [*self.body, "", *self.footer] if self.footer else self.body
        return "\n".join(lines).strip() + "\n"

    # -- parsing -----------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping or tag in _SKIPPED:
            self.skipping += tag in _SKIPPED
            return
        classes = (dict(attrs).get("class") or "").split()
        if (tag == "footer" and "orgfooter" in classes) or self.in_footer:
            self.in_footer += tag == "footer"
        if self.cell is not None:
            if tag in _BLOCKS or tag == "br":
                self.cell_break()
            return
        if tag in _HEADINGS:
            self.blank()
            self.heading = tag
        elif tag == "dd" and self.line.endswith(": "):
            pass  # the value goes on its label's line
        elif tag == "br":
            self.end_line()
        elif tag in ("ul", "ol"):
            self.end_line()
            self.lists.append(1 if tag == "ol" else None)
        elif tag == "li":
            self.end_line()
            number = self.lists[-1] if self.lists else None
            self.line = "- " if number is None else f"{number}. "
            if number is not None:
                self.lists[-1] = number + 1
        elif tag == "thead":
            self.in_head_row = True
        elif tag in ("td", "th"):
            self.cell = ""
        elif tag == "table":
            self.blank()
            self.headers = []
        elif tag in _BLOCKS and not _MARKER.fullmatch(self.line):
            self.end_line()  # a list item's first paragraph stays on its marker's line

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= tag in _SKIPPED
            return
        if self.cell is not None and tag not in ("td", "th"):
            if tag in _BLOCKS:
                self.cell_break()
            return
        if tag in _HEADINGS and self.heading == tag:
            title = self.line.strip()
            self.end_line()
            if _HEADINGS[tag]:
                self.lines.append(_HEADINGS[tag] * len(title))
            self.heading = None
        elif tag == "dt":
            self.line = self.line.rstrip() + ": "
        elif tag in ("td", "th") and self.cell is not None:
            self.cells.append(_SPACE.sub(" ", self.cell).strip().removesuffix(_CELL_BREAK.strip()))
            self.cell = None
        elif tag == "tr":
            self.end_row()
        elif tag == "thead":
            self.in_head_row = False
        elif tag in ("ul", "ol"):
            self.end_line()
            if self.lists:
                self.lists.pop()
        elif tag == "table":
            self.blank()
        elif tag in _BLOCKS and tag != "dt":
            self.end_line()
        if tag == "footer" and self.in_footer:
            self.end_line()
            self.in_footer -= 1

    def cell_break(self) -> None:
        """Between a cell's paragraphs: "; ", or a space after a sentence that has ended."""
        text = (self.cell or "").rstrip()
        if text and not text.endswith(_CELL_BREAK.strip()):
            self.cell = text + (" " if text.endswith((".", "!", "?", ":")) else _CELL_BREAK)

    def end_row(self) -> None:
        cells, self.cells = self.cells, []
        if self.in_head_row or not self.headers:
            self.headers = cells
            return
        for heading, cell in zip(self.headers, cells, strict=False):
            if cell:
                self.lines.append(f"{heading}: {cell}" if heading else cell)
        self.lines.append("")

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.cell is not None:
            self.cell += data
            return
        text = _SPACE.sub(" ", data)
        if not self.line.strip():
            text = text.lstrip()
        self.line += text
