"""Hostile case text comes out as literal text: nothing fetched, evaluated, reordered or overflowing."""

from __future__ import annotations

from typing import Any

import pytest
import weasyprint
import yaml
from weasyprint.formatting_structure import boxes

from sipdocs import load_case
from sipdocs.render import Output, document_contexts, render_case
from sipdocs.renderers import pdf as pdf_renderer
from sipdocs.renderers.pdf import PdfRenderer
from sipdocs.templates import TEMPLATES, Registry
from sipdocs.textsafety import REPLACEMENT, clean
from tests.pdfs import failed_rules, text_of

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src="file:///etc/passwd">'
LINK = '<link rel=stylesheet href="http://evil.example/x.css">'
STYLE = "</p><style>body{display:none}</style>"
EXPR = "{{ 7*7 }}"
INCLUDE = '{% include "base.html" %}'
DUNDER = "{{ ''.__class__ }}"
URLS = "file:///etc/passwd http://evil.example/a.png"
XML = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
BIDI = "abc\u202edef\u202c \u2066ghi\u2069 \u2067jkl"
CONTROL = "a\x01b\x1b[31mc\x7fd\u0085e"
LONG = "Hästskosöm" * 40
LONG_URL = "https://evil.example/" + "x" * 379


def hostile_case(data: dict[str, Any]) -> dict[str, Any]:
    """The child reference case with hostile text in names, addresses and free text."""
    person = data["individual"]
    person["name"] = f"Selam {SCRIPT}"
    person["address"] = {"street": LONG[:200], "postal_code": LONG, "city": f"{IMG} {EXPR}"}
    person["guardians"][0]["name"] = f"Hiwet {LINK}"
    data["consent"]["guardians_consented"][0] = person["guardians"][0]["name"]
    data["consent"]["child_heard"] = CONTROL
    data["consent"]["excluded_information"] = [XML]
    school = data["parties"][0]
    school["name"] = f"Skolan {STYLE}"
    school["address"] = {"street": INCLUDE, "postal_code": LONG, "city": DUNDER}
    data["parties"][1]["name"] = f"Soc {BIDI}"
    data["parties"][3]["name"] = URLS
    meeting = data["meeting"]
    meeting["digital_link"] = LONG_URL
    meeting["question"] = f"{EXPR} {INCLUDE} {DUNDER}"
    meeting["agenda"] = [SCRIPT, IMG, LINK, STYLE, XML, BIDI, CONTROL, LONG, URLS]
    plan = data["plan"]
    plan["what_matters"] = {"sv": f"{SCRIPT} {BIDI}", "lattlast": CONTROL}
    plan["strengths"] = LONG
    plan["goals"][0]["own_words"] = LONG
    plan["interventions"][0]["what"] = LONG_URL
    data["follow_ups"][0]["changed_circumstances"] = f"{XML} {CONTROL}"
    data["closure"]["note"] = f"{LONG} {SCRIPT}"
    return data


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Output], list[str]]:
    """Every document of the hostile case as HTML and PDF, and every URL WeasyPrint fetched."""
    import copy

    from tests.conftest import _DATA, CHILD

    folder = tmp_path_factory.mktemp("hostile")
    case = folder / "hostile.yaml"
    case.write_text(
        yaml.safe_dump(hostile_case(copy.deepcopy(_DATA[CHILD])), allow_unicode=True),
        encoding="utf-8",
    )
    fetched: list[str] = []
    original = pdf_renderer.RootedFileFetcher.fetch
    with pytest.MonkeyPatch.context() as patch:

        def recording_fetch(self: Any, url: str, headers: Any = None) -> Any:
            fetched.append(url)
            return original(self, url, headers)

        patch.setattr(pdf_renderer.RootedFileFetcher, "fetch", recording_fetch)
        outputs = render_case(case, folder / "out", formats=["html"])
        registry = Registry()
        renderer = PdfRenderer(registry)
        for context in document_contexts(load_case(case), registry):
            if f"{context.stem}.pdf" in PDFS:
                path = folder / "out" / f"{context.stem}.pdf"
                path.write_bytes(renderer.render(context))
                outputs.append(Output(path, "pdf", context))
    return outputs, fetched


# One PDF of each document (a layout with 400-character words takes WeasyPrint about 1 s a page).
PDFS = {
    "kallelse-skola-sv.pdf",
    "samtycke-skola-sv.pdf",
    "plan-individ-sv.pdf",
    "uppfoljning-individ-sv.pdf",
    "avslutning-individ-sv.pdf",
}


def pages(outputs: list[Output], suffix: str) -> list[Output]:
    return [o for o in outputs if o.path.suffix == suffix]


def test_every_document_renders(rendered: tuple[list[Output], list[str]]) -> None:
    outputs, _ = rendered
    assert len(pages(outputs, ".html")) == 31
    assert {o.path.name for o in pages(outputs, ".pdf")} == PDFS


def test_markup_and_template_syntax_stay_literal(rendered: tuple[list[Output], list[str]]) -> None:
    outputs, _ = rendered
    html = next(o for o in outputs if o.path.name == "kallelse-skola-sv.html").path.read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    assert "&lt;/p&gt;&lt;style&gt;body{display:none}&lt;/style&gt;" in html
    assert "{{ 7*7 }} {% include &#34;base.html&#34; %} {{ &#39;&#39;.__class__ }}" in html
    assert "&lt;!DOCTYPE x [&lt;!ENTITY e SYSTEM &#34;file:///etc/passwd&#34;&gt;]&gt;" in html
    assert "<script" not in html
    assert "<style>body" not in html
    text = text_of(next(o.path for o in outputs if o.path.name == "kallelse-skola-sv.pdf"))
    assert "{{ 7*7 }} {% include \"base.html\" %} {{ ''.__class__ }}" in text
    assert " 49 " not in text
    assert SCRIPT in text


def test_nothing_is_fetched_but_the_layer_logos(rendered: tuple[list[Output], list[str]]) -> None:
    _, fetched = rendered
    allowed = {
        (TEMPLATES / "lillan" / "logo.svg").as_uri(),
    }
    assert set(fetched) <= allowed


def test_control_and_bidi_characters_are_contained() -> None:
    assert clean(CONTROL) == f"a{REPLACEMENT}b{REPLACEMENT}[31mc{REPLACEMENT}d{REPLACEMENT}e"
    assert clean(BIDI) == "abcdef \u2066ghi\u2069 jkl"
    assert clean("\u200fمرحبا\u200e") == "\u200fمرحبا\u200e"
    assert clean("tab\tand\nline") == "tab\tand\nline"


def test_pdfs_stay_conformant_and_readable(rendered: tuple[list[Output], list[str]]) -> None:
    outputs, _ = rendered
    for output in pages(outputs, ".pdf"):
        assert failed_rules(output.path.read_bytes()) == {"ua1": [], "2u": []}, output.path.name
    text = text_of(next(o.path for o in outputs if o.path.name == "plan-individ-sv.pdf"))
    assert "\u202e" not in text
    assert "abcdef" in text
    consent = text_of(next(o.path for o in outputs if o.path.name == "samtycke-skola-sv.pdf"))
    assert f"a{REPLACEMENT}b{REPLACEMENT}[31mc" in consent


def overflowing_text(html: str) -> list[str]:
    """Text boxes that reach past the right edge of the page's content area."""
    document = weasyprint.HTML(
        string=html, base_url=(TEMPLATES / "default" / "plan" / "1" / "").as_uri()
    ).render()
    found = []
    for page in document.pages:
        box = page._page_box
        right = box.content_box_x() + box.width
        for child in box.descendants():
            if (
                isinstance(child, boxes.TextBox)
                and child.position_x + child.margin_width() > right + 0.01
            ):
                found.append(child.text[:20])
    return found


@pytest.mark.parametrize(
    "name", ["kallelse-skola-sv.html", "plan-individ-sv.html", "avslutning-individ-sv.html"]
)
def test_long_words_and_urls_do_not_overflow(
    rendered: tuple[list[Output], list[str]], name: str
) -> None:
    outputs, _ = rendered
    html = next(o for o in outputs if o.path.name == name).path.read_text(encoding="utf-8")
    assert overflowing_text(html) == []
