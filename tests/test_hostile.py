"""Hostile case text comes out as literal text: nothing fetched, evaluated, reordered or overflowing.

The child reference case (follow-ups and a closure, so all five documents render) gets HTML,
CSS, Jinja syntax, URLs, an XML external entity, bidi controls, control characters and
400-character words in its names, addresses and free text. Every document renders as HTML; one copy of each
document, plus a plan in the default layer (where the sender's details fill the running header
and footer), renders as PDF. The PDF layouts are the ones WeasyPrint made the files from.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import weasyprint
import yaml
from markupsafe import escape
from pypdf import PdfReader
from weasyprint.formatting_structure import boxes

from sipdocs import load_case
from sipdocs.context import DocumentContext
from sipdocs.render import document_contexts, render_case
from sipdocs.renderers import pdf as pdf_renderer
from sipdocs.renderers.pdf import PdfRenderer
from sipdocs.source import parse
from sipdocs.templates import TEMPLATES, Registry
from sipdocs.textsafety import clean, printable, removed
from tests.conftest import CHILD
from tests.pdfs import failed_rules, text_of

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src="file:///etc/passwd">'
LINK = '<link rel=stylesheet href="http://evil.example/x.css">'
STYLE = "</p><style>body{display:none}</style>"
EXPR = "{{ 7*7 }}"
INCLUDE = '{% include "base.html" %}'
DUNDER = "{{ ''.__class__ }}"
FILE_URL = "file:///etc/passwd"
HTTP_URL = "http://evil.example/a.png"
XML = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
# RLO ... PDF, a paired LRI ... PDI, RLI ... PDI with embeddings inside, a stray PDI, an open FSI.
BIDI = "abc\u202edef\u202c \u2066ghi\u2069 \u2067jkl \u202a\u202b\u202dmno\u2069\u2069 \u2068pqr"
BIDI_CLEAN = "abcdef \u2066ghi\u2069 \u2067jkl mno\u2069 pqr"
# NUL, SOH, ESC, DEL, NEL, APC, form feed and a noncharacter; tab and line feed stay.
CONTROL = "a\x00b\x01c\x1b[31md\x7fe\x85f\x9fg\x0ch\ufffei\tj"
CONTROL_CLEAN = "abc[31mdefghi\tj"
LONG = "Hästskosöm" * 40  # 400 characters, no break opportunity
LONG_NAME = LONG[:200]  # the longest name a case may hold
LONG_URL = "https://evil.example/" + "abcdefghij" * 38 + "abcdefghi"  # 400 characters
PHONE = "0" * 40  # the longest phone number

HOSTILE = [SCRIPT, IMG, LINK, STYLE, EXPR, INCLUDE, DUNDER, FILE_URL, HTTP_URL, XML, BIDI]
HOSTILE += [CONTROL, LONG, LONG_NAME, LONG_URL]

PDFS = {  # one copy of each document: a party, the guardians who sign, the individual
    "kallelse-skola-sv",
    "samtycke-vardnadshavare-sv",
    "plan-individ-sv",
    "uppfoljning-soc-sv",
    "avslutning-individ-sv",
}
LOGO = (TEMPLATES / "lillan" / "logo.svg").as_uri()


def hostile_case() -> dict[str, Any]:
    """The child reference case with hostile text in every kind of name and free text."""
    # sipdocs' own reader: plain PyYAML cuts "Föräldrastödsprogram, tio träffar." at the comma.
    data = copy.deepcopy(parse(CHILD.read_text(encoding="utf-8")).data)
    person = data["individual"]
    person["name"] = f"Selam {SCRIPT}"
    person["address"] = {"street": LONG_NAME, "postal_code": LONG, "city": f"{IMG} {EXPR}"}
    guardians = person["guardians"]
    guardians[0]["name"] = f"Hiwet {LINK}"
    guardians[1]["name"] = LONG_NAME
    consent = data["consent"]
    consent["guardians_consented"] = [guardians[0]["name"], guardians[1]["name"]]
    consent["child_heard"] = CONTROL
    consent["excluded_information"] = [XML]
    parties = {party["id"]: party for party in data["parties"]}
    school = parties["skola"]
    school.update(kind="school", name=f"Skolan {STYLE}", unit=LONG_NAME)
    school["address"] = {"street": INCLUDE, "postal_code": LONG, "city": DUNDER}
    school["contact"] = {
        "name": LONG_NAME,
        "title": f"{FILE_URL} {DUNDER}",
        "phone": PHONE,
        "email": f"{SCRIPT}@evil.example",
    }
    parties["soc"].update(name=f"Soc {BIDI}", unit=CONTROL)
    parties["soc"]["contact"].update(name=LONG_NAME, phone=PHONE)
    parties["bup"]["name"] = LONG_NAME
    parties["hab"]["name"] = f"{FILE_URL} {HTTP_URL}"
    meeting = data["meeting"]
    meeting["location"] = f"{HTTP_URL} {IMG}"
    meeting["digital_link"] = LONG_URL
    meeting["question"] = f"{EXPR} {INCLUDE} {DUNDER}"
    meeting["agenda"] = [SCRIPT, IMG, LINK, STYLE, XML, BIDI, CONTROL, LONG, LONG_URL, FILE_URL]
    meeting["other_information"] = {"sv": LONG, "ti": XML}
    meeting["convener"]["name"] = LONG_NAME
    plan = data["plan"]
    plan["chair"]["name"] = LONG_NAME
    plan["what_matters"] = {"sv": f"{SCRIPT} {BIDI}", "lattlast": CONTROL}
    plan["strengths"] = LONG
    plan["own_actions"] = [STYLE, LONG_URL]
    for need, text in zip(plan["needs"], (LINK, LONG, XML), strict=True):
        need["description"] = text
    for goal, texts in zip(
        plan["goals"],
        ((LONG, CONTROL, XML), (EXPR, LONG, DUNDER), (BIDI, INCLUDE, LONG)),
        strict=True,
    ):
        goal["own_words"], goal["professional"], goal["evaluation"] = texts
    for item, text in zip(plan["interventions"], (LONG, SCRIPT, LONG_URL, CONTROL), strict=True):
        item["what"] = text
    plan["follow_up"]["form"] = LONG
    for follow_up in data["follow_ups"]:
        for result in follow_up["goals"]:
            result["comment"] = LONG
        follow_up["changed_circumstances"] = f"{XML} {CONTROL}"
        for item in follow_up["interventions"]:
            item["what"] = LONG_URL
        if follow_up["next_follow_up"]:
            follow_up["next_follow_up"]["form"] = BIDI
    data["closure"]["note"] = f"{LONG} {SCRIPT}"
    return data


def default_layer_case() -> dict[str, Any]:
    """The hostile case without a municipality: the plan's sender (soc) heads every page."""
    data = hostile_case()
    del data["case"]["municipality"]
    soc = next(party for party in data["parties"] if party["id"] == "soc")
    soc.update(name=f"Soc {CONTROL} {BIDI} {LONG}"[:200], unit=LONG_NAME)
    soc["address"] = {"street": LONG_NAME, "postal_code": LONG, "city": LONG_NAME}
    return data


@dataclass(frozen=True)
class Pdf:
    path: Path
    layout: Any  # the weasyprint.Document the file was written from
    html: str


@dataclass(frozen=True)
class Rendered:
    case: Path
    html: dict[str, str]  # stem -> HTML, every copy of every document
    pdfs: dict[str, Pdf]  # stem -> PDF, the copies in PDFS, and "default-plan-individ-sv"
    fetched: list[str]


def write_case(path: Path, data: dict[str, Any]) -> Path:
    # safe_dump writes the control characters as double-quoted escapes ("\x01", "\e", "\N").
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    folder = tmp_path_factory.mktemp("hostile")
    case = write_case(folder / "hostile.yaml", hostile_case())
    default = write_case(folder / "default.yaml", default_layer_case())
    fetched: list[str] = []
    layouts: list[Any] = []
    fetch = pdf_renderer.RootedFileFetcher.fetch
    render = weasyprint.HTML.render

    def recording_fetch(self: Any, url: str, headers: Any = None) -> Any:
        fetched.append(url)
        return fetch(self, url, headers)

    def recording_render(self: Any, *args: Any, **kwargs: Any) -> Any:
        layouts.append(render(self, *args, **kwargs))
        return layouts[-1]

    def pdf(context: DocumentContext, name: str) -> Pdf:
        path = folder / f"{name}.pdf"
        path.write_bytes(renderer.render(context))
        return Pdf(path, layouts[-1], renderer.html(context))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf_renderer.RootedFileFetcher, "fetch", recording_fetch)
        patch.setattr(weasyprint.HTML, "render", recording_render)
        outputs = render_case(case, folder / "out", formats=["html"])
        registry = Registry()
        renderer = PdfRenderer(registry)
        pdfs = {
            context.stem: pdf(context, context.stem)
            for context in document_contexts(load_case(case), registry)
            if context.stem in PDFS
        }
        plan = document_contexts(load_case(default), registry, ["plan"])[0]
        pdfs["default-plan-individ-sv"] = pdf(plan, "default-plan-individ-sv")
    html = {o.context.stem: o.path.read_text(encoding="utf-8") for o in outputs}
    return Rendered(case, html, pdfs, fetched)


# --- The case really is hostile --------------------------------------------------------


def test_the_hostile_case_is_valid_and_keeps_its_characters(rendered: Rendered) -> None:
    text = rendered.case.read_text(encoding="utf-8")
    assert r'"a\0b\x01c\e[31md\x7Fe\Nf\x9Fg\fh\uFFFEi\tj"' in text
    loaded = load_case(rendered.case)
    assert not loaded.errors
    assert loaded.case is not None
    assert loaded.case.consent is not None
    assert loaded.case.consent.child_heard is not None
    assert loaded.case.consent.child_heard.sv == CONTROL
    assert loaded.case.parties[1].name == f"Soc {BIDI}"


def test_validation_warns_where_characters_are_left_out(rendered: Rendered) -> None:
    findings = load_case(rendered.case).findings
    lines = [str(f) for f in findings if f.rule != "R-P13"]  # not the easy-read warnings
    controls = "U+0000, U+0001, U+000C, U+001B, U+007F, U+0085, U+009F, U+FFFE"
    bidi = "U+202A, U+202B, U+202C, U+202D, U+202E, U+2068, U+2069"
    left_out = "control or bidi override character(s) are left out of the documents"
    assert f"{rendered.case}:46:3: warning: parties[1].name: 7 {left_out} ({bidi})" in lines
    assert (
        f"{rendered.case}:72:3: warning: consent.child_heard.sv: 8 {left_out} ({controls})" in lines
    )
    assert len(lines) == 13
    assert all(": warning: " in line for line in lines)


def test_every_document_renders_for_every_recipient(rendered: Rendered) -> None:
    swedish = (
        [f"kallelse-{r}-sv" for r in ("skola", "soc", "bup", "hab", "individ")]
        + ["kallelse-vardnadshavare1-sv", "kallelse-vardnadshavare2-sv"]
        + [f"samtycke-{r}-sv" for r in ("vardnadshavare", "skola", "soc", "bup", "hab")]
        + [f"plan-{r}-sv" for r in ("individ", "vardnadshavare1", "vardnadshavare2")]
        + [f"plan-{r}-sv" for r in ("skola", "soc", "bup", "hab")]
        + [f"uppfoljning-{r}-sv" for r in ("individ", "vardnadshavare1", "vardnadshavare2")]
        + ["uppfoljning-skola-sv", "uppfoljning-soc-sv"]
        + [f"avslutning-{r}-sv" for r in ("individ", "vardnadshavare1", "vardnadshavare2")]
        + [f"avslutning-{r}-sv" for r in ("skola", "soc", "bup", "hab")]
    )
    guardians_read = [  # both guardians read Tigrinya: each gets a translation too
        f"{document}-{guardian}-ti"
        for document in ("kallelse", "plan", "uppfoljning", "avslutning")
        for guardian in ("vardnadshavare1", "vardnadshavare2")
    ] + ["samtycke-vardnadshavare-ti"]
    easy_read = [  # the case asks for easy-read: the child's and the guardians' own copies
        f"{stem}-lattlast"
        for stem in swedish + guardians_read
        if "-individ-" in stem or "-vardnadshavare" in stem
    ]
    assert sorted(rendered.html) == sorted(swedish + guardians_read + easy_read)
    assert set(rendered.pdfs) == {*PDFS, "default-plan-individ-sv"}


# --- HTML: escaped, never evaluated --------------------------------------------------------


def test_markup_template_syntax_and_urls_stay_literal_text(rendered: Rendered) -> None:
    html = rendered.html["kallelse-skola-sv"]
    assert (
        '<address class="recipient">\n'
        "  <p>Skolan &lt;/p&gt;&lt;style&gt;body{display:none}&lt;/style&gt;</p>\n"
        f"<p>Att: {LONG_NAME}, {LONG_NAME}</p>"
        '<p class="archive">Arkivexemplar</p>'  # the school convenes: its own copy (R-S8)
        "  <p>{% include &#34;base.html&#34; %}</p>\n"
        f"  <p>{LONG} {{{{ &#39;&#39;.__class__ }}}}</p>\n"
        "</address>"
    ) in html
    assert (
        '<dt>Plats</dt><dd><span class="link">http://evil.example/a.png</span> '
        "&lt;img src=&#34;file:///etc/passwd&#34;&gt;</dd>"
    ) in html
    link = f'<span class="link">{LONG_URL}</span>'  # plain text that never hyphenates
    assert f'<dt>Länk till mötet</dt><dd class="link">{link}</dd>' in html
    assert (
        "<h2>Frågeställning</h2>\n"
        "<p>{{ 7*7 }} {% include &#34;base.html&#34; %} {{ &#39;&#39;.__class__ }}</p>"
    ) in html
    assert (
        '<ol class="agenda">\n'
        "<li>&lt;script&gt;alert(1)&lt;/script&gt;</li>"
        "<li>&lt;img src=&#34;file:///etc/passwd&#34;&gt;</li>"
        "<li>&lt;link rel=stylesheet href=&#34;"
        '<span class="link">http://evil.example/x.css</span>&#34;&gt;</li>'
        "<li>&lt;/p&gt;&lt;style&gt;body{display:none}&lt;/style&gt;</li>"
        "<li>&lt;?xml version=&#34;1.0&#34;?&gt;&lt;!DOCTYPE x [&lt;!ENTITY e SYSTEM "
        "&#34;file:///etc/passwd&#34;&gt;]&gt;&lt;x&gt;&amp;e;&lt;/x&gt;</li>"
        f"<li>{BIDI_CLEAN}</li><li>{CONTROL_CLEAN}</li><li>{LONG}</li><li>{link}</li>"
        "<li>file:///etc/passwd</li></ol>"
    ) in html
    assert "<dt>E-post</dt><dd>&lt;script&gt;alert(1)&lt;/script&gt;@evil.example</dd>" in html


def test_no_copy_has_live_markup_or_evaluated_syntax(rendered: Rendered) -> None:
    for stem, html in rendered.html.items():
        for markup in (SCRIPT, IMG, LINK, STYLE, XML, "<script", "<style>body", "<!DOCTYPE x"):
            assert markup not in html, (stem, markup)
        if not stem.endswith("-lattlast"):  # an easy-read copy may not name the individual
            # A copy in another script marks runs of Latin letters as Swedish (issue 19).
            text = re.sub(r'</?span(?: lang="sv")?>', "", html)
            assert "Selam &lt;script&gt;alert(1)&lt;/script&gt;" in text, stem
        assert "&lt;class" not in html, stem  # {{ ''.__class__ }} was never evaluated


def test_control_and_bidi_characters_never_reach_a_copy(rendered: Rendered) -> None:
    unshowable = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\u202a-\u202e]")
    for stem, html in rendered.html.items():
        assert not unshowable.search(html), stem
        assert clean(html) == html, stem  # so every isolate in it is paired
    plan = rendered.html["plan-individ-sv"]
    assert (
        '<blockquote class="own-words"><p>&lt;script&gt;alert(1)&lt;/script&gt; '
        f"{BIDI_CLEAN}</p></blockquote>"
    ) in plan
    consent = rendered.html["samtycke-vardnadshavare-sv"]
    assert f"<h2>Barnets inställning</h2>\n<p>{CONTROL_CLEAN}</p>" in consent
    default = rendered.pdfs["default-plan-individ-sv"].html  # the author is the sender
    author = clean(f"Soc {CONTROL} {BIDI} {LONG}"[:200])
    assert f'<meta name="author" content="{author}">' in default


def test_clean_removes_controls_and_contains_bidi() -> None:
    assert clean(CONTROL) == CONTROL_CLEAN
    assert clean(BIDI) == BIDI_CLEAN
    assert clean("\u2069\u2069x\u2066") == "x"
    assert clean("\u2067a\u2066b\u2069c\u2069") == "\u2067a\u2066b\u2069c\u2069"
    assert clean("\u200fمرحبا\u200e \u061c") == "\u200fمرحبا\u200e \u061c"  # RLM, LRM, ALM
    assert clean("tab\tline\nreturn\r") == "tab\tline\nreturn\r"
    assert clean("\ud800 \U0001fffe \ufdd0") == "  "
    assert clean(CONTROL_CLEAN) == CONTROL_CLEAN


def test_removed_names_each_character_clean_leaves_out() -> None:
    assert removed(CONTROL) == ["\x00", "\x01", "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\ufffe"]
    assert removed(BIDI) == ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2068", "\u2069"]
    assert removed("plain text\t") == []


def test_printable_keeps_markup_and_never_unescapes() -> None:
    markup = escape(f"{SCRIPT}\x01\u202e")
    assert printable(markup) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert type(printable(markup)) is type(markup)
    assert type(printable(SCRIPT)) is str
    assert printable(7) == 7
    assert printable(None) is None


# --- PDF: conformant, readable, offline ----------------------------------------------------


def test_pdfs_conform_to_pdf_ua_1_and_pdf_a_2u(rendered: Rendered) -> None:
    for stem, pdf in rendered.pdfs.items():
        assert failed_rules(pdf.path.read_bytes()) == {"ua1": [], "2u": []}, stem


def _folded(text: str) -> str:
    """Text as pdftotext gives it back, for comparing: no whitespace, no invisible isolates."""
    return re.sub(r"[\s\u2066-\u2069]", "", text)


def test_pdf_text_is_the_literal_case_text(rendered: Rendered) -> None:
    """Whatever the body of a copy shows, its PDF's text gives back literally."""
    shown = set()
    for stem, pdf in rendered.pdfs.items():
        text = _folded(text_of(pdf.path))
        body = pdf.html[pdf.html.index("<main>") :]  # the letterhead and address may end in "…"
        for hostile in HOSTILE:
            if str(escape(clean(hostile))) in body:
                assert _folded(clean(hostile)) in text, (stem, hostile)
                shown.add(hostile)
    assert shown == set(HOSTILE)
    kallelse = text_of(rendered.pdfs["kallelse-skola-sv"].path)
    question = kallelse.split("Frågeställning ", 1)[1].split(" Dagordning", 1)[0]
    # (a page may break after it: the running footer follows)
    assert question.startswith("{{ 7*7 }} {% include \"base.html\" %} {{ ''.__class__ }}")
    assert "\u202e" not in text_of(rendered.pdfs["plan-individ-sv"].path)


def test_pdf_metadata_carries_clean_text(rendered: Rendered) -> None:
    """Without a layer name the author is the sender, whose C0 controls XMP could not hold."""
    metadata = PdfReader(rendered.pdfs["default-plan-individ-sv"].path).metadata
    assert metadata is not None
    assert metadata.author == clean(f"Soc {CONTROL} {BIDI} {LONG}"[:200])


def test_nothing_is_fetched_but_the_layer_logo(rendered: Rendered) -> None:
    # Each copy in the lillan layer fetches its logo once; the default layer has none.
    assert rendered.fetched == [LOGO] * len(PDFS)


# --- Layout: nothing sticks out -----------------------------------------------------------

Rect = tuple[float, float, float, float]  # left, top, right, bottom, in CSS px


def _intersect(a: Rect, b: Rect) -> Rect:
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def _padding_rect(box: Any) -> Rect:
    x, y = box.padding_box_x(), box.padding_box_y()
    return (x, y, x + box.padding_width(), y + box.padding_height())


def _visible_text(box: Any, clip: Rect) -> Iterator[tuple[Rect, str]]:
    """Each text box's visible part: what is left after every `overflow: hidden` ancestor."""
    if isinstance(box, boxes.TextBox):
        x, y = box.position_x, box.position_y
        rect = _intersect((x, y, x + box.margin_width(), y + box.margin_height()), clip)
        if rect[0] < rect[2] and rect[1] < rect[3]:
            yield rect, box.text
        return
    if box.style["overflow"] != "visible":
        clip = _intersect(clip, _padding_rect(box))
    for child in getattr(box, "children", ()):
        yield from _visible_text(child, clip)


def sticking_out(layout: Any) -> list[str]:
    """Visible text past the right margin or the paper's edge, or outside its margin box."""
    found = []
    everywhere: Rect = (-1e9, -1e9, 1e9, 1e9)
    tolerance = 0.01
    for number, page in enumerate(layout.pages, start=1):
        page_box = page._page_box
        right = page_box.content_box_x() + page_box.width
        paper = (0.0, 0.0, page_box.margin_width(), page_box.margin_height())
        margin_boxes = [c for c in page_box.children if isinstance(c, boxes.MarginBox)]
        for child in page_box.children:
            limit = (paper[0], paper[1], right, paper[3])
            if isinstance(child, boxes.MarginBox):
                x = child.position_x
                limit = (x, paper[1], x + child.margin_width(), paper[3])
            for rect, text in _visible_text(child, everywhere):
                if any(
                    outside > tolerance
                    for outside in (
                        limit[0] - rect[0],
                        limit[1] - rect[1],
                        rect[2] - limit[2],
                        rect[3] - limit[3],
                    )
                ):
                    found.append(f"page {number}: {text[:30]!r}")
        for i, a in enumerate(margin_boxes):
            for b in margin_boxes[i + 1 :]:
                ax, bx = a.position_x, b.position_x
                ay, by = a.position_y, b.position_y
                overlap = _intersect(
                    (ax, ay, ax + a.margin_width(), ay + a.margin_height()),
                    (bx, by, bx + b.margin_width(), by + b.margin_height()),
                )
                if overlap[2] - overlap[0] > tolerance and overlap[3] - overlap[1] > tolerance:
                    found.append(f"page {number}: {a.at_keyword} overlaps {b.at_keyword}")
    return found


@pytest.mark.parametrize("stem", sorted({*PDFS, "default-plan-individ-sv"}))
def test_nothing_overflows_the_page(rendered: Rendered, stem: str) -> None:
    assert sticking_out(rendered.pdfs[stem].layout) == []


def _text_rects(box: Any) -> Iterator[Rect]:
    for child in box.descendants():
        if isinstance(child, boxes.TextBox):
            x, y = child.position_x, child.position_y
            yield (x, y, x + child.margin_width(), y + child.margin_height())


@pytest.mark.parametrize("stem", ["kallelse-skola-sv", "default-plan-individ-sv"])
def test_fixed_boxes_keep_their_size_and_their_text_inside(rendered: Rendered, stem: str) -> None:
    """The letterhead and the envelope window show as many lines as fit, ending in "…"."""
    mm = 96 / 25.4
    page = rendered.pdfs[stem].layout.pages[0]._page_box
    found = {}
    for box in page.descendants():
        name = box.element.get("class") if box.element_tag in ("header", "address") else None
        if name in ("letterhead", "recipient"):
            found[name] = round(box.border_height() / mm, 1)
            inside = (
                box.position_x,
                box.position_y,
                box.position_x + box.margin_width(),
                box.position_y + box.margin_height(),
            )
            for rect in _text_rects(box):
                assert _intersect(rect, inside) == rect, (name, rect)
    assert found == {"letterhead": 35.0, "recipient": 40.0}
    text = text_of(rendered.pdfs[stem].path)
    assert text.count("…") >= 2  # the sender's details and the recipient's address


def test_the_check_finds_a_word_that_sticks_out() -> None:
    html = f"<html><body style=\"font-family: 'Noto Sans'\"><p>{LONG}</p></body></html>"
    assert sticking_out(weasyprint.HTML(string=html).render()) == [f"page 1: {LONG[:30]!r}"]
