"""HTML: the first stage of every document, and cheap to test."""

from __future__ import annotations

import re
from collections.abc import Callable

import jinja2

from sipdocs.context import DocumentContext
from sipdocs.errors import TemplateError
from sipdocs.guard import fetched_urls
from sipdocs.languages import LANGUAGES, SOURCE_LANGUAGE
from sipdocs.renderers import Renderer, register, render_noting_swedish, template_failure


@register
class HtmlRenderer(Renderer):
    name = "html"
    suffix = ".html"

    def html(self, context: DocumentContext, standalone: bool = False) -> str:
        """The document as an HTML string, from the layered, sandboxed templates.

        A `standalone` document is the file a reader opens in a browser: its pictures are
        embedded and it has the parts a screen needs (a skip link, the footer at the end).
        """
        environment = self.registry.environment(
            context.chain, context.selection.version, context.language
        )
        try:
            template = environment.get_template(f"{context.template}.html")
            html, _ = render_noting_swedish(
                context, False, lambda variables: template.render(variables), standalone
            )
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"{exc.filename}:{exc.lineno}: {exc.message}") from None
        except (jinja2.TemplateError, RecursionError) as exc:
            raise template_failure(context.template, context, exc) from None
        return html

    def render(self, context: DocumentContext) -> bytes:
        """A self-contained HTML file: inline CSS, embedded pictures, no requests.

        A URL that a layer's template computes and a browser would fetch is refused: opening
        the individual's copy must tell no one that it was opened.
        """
        html = revised_text(self.html(context, standalone=True), context)
        if not LANGUAGES[context.language].latin:
            html = latin_marked_swedish(html)
        if urls := fetched_urls(html):
            where = " > ".join(context.layer_names)
            raise TemplateError(
                f"template {context.template} ({where}): refused {urls[0]}: "
                "a copy to read on screen fetches nothing"
            )
        return html.encode("utf-8")


# Latin letters, and what may come between two of them in a Swedish name, address or title.
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_LATIN_RUN = re.compile(
    rf"(?<![&#\w])[{_LATIN}](?:(?:&#?\w+;|[{_LATIN}0-9 .,:/@'\u2019\u2013-])*[{_LATIN}0-9])?"
)
_TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][\w-]*)([^>]*)>", re.DOTALL)
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)
_NOT_TEXT = frozenset({"script", "style", "title", "textarea", "svg", "math"})
_ALT = re.compile(r'\balt="([^"]*)"')
_SV = f' lang="{SOURCE_LANGUAGE}"'


def latin_marked_swedish(html: str) -> str:
    """A copy in a language written in another script, with its Latin-script words marked
    Swedish: the case's names, titles and addresses, a Swedish term in a translation
    ("الرقم الشخصي (personnummer)"), a logo's alt text. A screen reader then reads them with a
    Swedish voice instead of spelling them out in the copy's. (Only for the file read in a
    browser: WeasyPrint does not reorder right-to-left text across inline elements, so the
    PDF renderer marks them in its tag tree instead.) Text inside an element that
    states its own language, and what is not text (scripts, styles, SVG), is left as it is.
    """
    return _rewritten_text(html, lambda text: _LATIN_RUN.sub(_swedish_span, text), True)


# Where a line must not break (template version 2 on): between the groups of a number
# ("0123-456 78", "123 45"), after the en dash of a range of times, after "kl." and between
# a day and its month ("20 november 2026"; a Swedish month also without the year, "den 8
# oktober", as free text has it).
_SWEDISH_MONTHS = (
    "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
)
_NUMBER_SPACE = re.compile(
    r"(?<=\d) (?=\d)|(?<=\bkl\.) (?=\d)|(?<=\d) (?=[^\W\d_]+\.? \d{4}\b)"
    rf"|(?<=\b\d) (?=(?:{_SWEDISH_MONTHS})\b)|(?<=\b\d\d) (?=(?:{_SWEDISH_MONTHS})\b)"
)
_RANGE_DASH = re.compile(r"(?<=\d)\u2013(?=\d)")
NO_BREAK_SPACE, WORD_JOINER = "\u00a0", "\u2060"


def unbroken_numbers(html: str) -> str:
    """The text of `html` with numbers, dates, phone numbers and time ranges kept on one
    line: a no-break space between their parts, a word joiner after a range's dash. What
    is not text (scripts, styles, SVG) is left as it is.
    """

    def joined(text: str) -> str:
        return _RANGE_DASH.sub("\u2013" + WORD_JOINER, _NUMBER_SPACE.sub(NO_BREAK_SPACE, text))

    return _rewritten_text(html, joined, False)


# An e-mail address or a web address in the text (escaped HTML: no "<" inside, and an
# escaped quote or angle bracket ends it), without a sentence's closing punctuation.
_ADDRESS = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b(?:https?://|www\.)(?:(?!&(?:#34|#39|quot|lt|gt);)[^\s<])*(?<![.,;:!?)])"
)


def unhyphenated_addresses(html: str) -> str:
    """The text of `html` with each e-mail and web address in a `<span class="link">`, which
    never hyphenates: a hyphen added at a line's end would change the address
    ("in-|grid.sundberg@…"); where it must, it breaks without one."""
    return _rewritten_text(
        html, lambda text: _ADDRESS.sub(r'<span class="link">\g<0></span>', text), False
    )


# Between two values (a name and its organisation) in a right-to-left copy: the Arabic comma.
_LATIN_COMMA = re.compile("(?<=\u2069), (?=[\u2068A-Za-z\u00c0-\u024f])")


def arabic_commas(html: str) -> str:
    """The text of a right-to-left copy with the Arabic comma "،" between two values the
    template joins with ", " ("Eva Lind، Socialtjänsten"): a Latin comma there stands at
    the wrong side of the left-to-right value before it."""
    return _rewritten_text(html, lambda text: _LATIN_COMMA.sub("\u060c ", text), False)


def revised_text(html: str, context: DocumentContext) -> str:
    """What template version 2 on does to the text of every copy: numbers kept on one line;
    in a left-to-right copy, addresses never hyphenated; in a right-to-left one, the Arabic
    comma between values (and no `.link` spans: WeasyPrint does not reorder right-to-left
    text across inline elements, and a right-to-left copy hyphenates no Latin text)."""
    if context.selection.version.revision < 2:
        return html
    html = unbroken_numbers(html)
    if LANGUAGES[context.language].rtl:
        return arabic_commas(html)
    return unhyphenated_addresses(html)


def _rewritten_text(html: str, rewrite: Callable[[str], str], by_language: bool) -> str:
    """`html` with `rewrite` applied to the text of its body outside scripts, styles and SVG;
    `by_language`: also outside elements that state their own language, and an `<img>`
    whose alt text is in Latin letters only gets `lang="sv"`.
    """
    body_at = html.find("<body")
    if body_at < 0:
        return html
    start = html.find(">", body_at) + 1
    head, body = html[:start], html[start:]
    pieces, last = [head], 0
    open_elements: list[tuple[str, bool]] = []  # (name, states its language)
    for tag in _TAG.finditer(body):
        text = body[last : tag.start()]
        decided = any((own and by_language) or name in _NOT_TEXT for name, own in open_elements)
        pieces.append(text if decided else rewrite(text))
        pieces.append(_opened(tag, open_elements, decided or not by_language))
        last = tag.end()
    pieces.append(body[last:])
    return "".join(pieces)


def _swedish_span(run: re.Match[str]) -> str:
    return f"<span{_SV}>{run.group()}</span>"


def _opened(tag: re.Match[str], open_elements: list[tuple[str, bool]], decided: bool) -> str:
    """The tag as written, after noting what it opens or closes; unless `decided`, an
    `<img>` whose alt text is in Latin letters only gets `lang="sv"`."""
    closing, name, attributes = tag.group(1), (tag.group(2) or "").lower(), tag.group(3) or ""
    if not name:  # a comment
        return tag.group()
    if closing:
        names = [open_name for open_name, _ in open_elements]
        if name in names:
            del open_elements[len(names) - 1 - names[::-1].index(name) :]
        return tag.group()
    states_language = " lang=" in f" {attributes}"
    if name == "img" and not decided and not states_language:
        alt = _ALT.search(attributes)
        if alt and latin_only(alt.group(1)):
            return f"<img{_SV}{attributes}>"
    if name not in _VOID and not attributes.rstrip().endswith("/"):
        open_elements.append((name, states_language))
    return tag.group()


def latin_only(text: str) -> bool:
    """Whether `text` has letters, all of them Latin."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(re.match(f"[{_LATIN}]", c) for c in letters)
