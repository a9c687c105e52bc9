"""The individual's easy-read (lättläst) copies (R-P13)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from sipdocs import load_case
from sipdocs.catalogs import fixed_text
from sipdocs.check import check_pdf
from sipdocs.context import sentences
from sipdocs.documents import DOCUMENTS
from sipdocs.readability import readability
from sipdocs.render import EASY_READ_PARTS, document_contexts, render_case
from sipdocs.renderers.html import HtmlRenderer
from sipdocs.renderers.text import main_text
from sipdocs.templates import TEMPLATES, Registry
from tests.conftest import ADULT, CHILD
from tests.pdfs import font_sizes_pt, structure

DEFAULT = TEMPLATES / "default"
PICTOGRAM = re.compile(r'<img class="pictogram" src="([^"]+)" alt="([^"]*)">')


def easy_read_html(case: Path, document: str, recipient: str = "individ") -> str:
    """The Swedish easy-read copy of `document` for `recipient`, as HTML."""
    registry = Registry()
    context = next(
        c
        for c in document_contexts(
            load_case(case), registry, [document], languages=["sv"], variants=["lattlast"]
        )
        if c.recipient.id == recipient
    )
    return HtmlRenderer(registry).html(context)


@pytest.fixture(scope="module")
def adult_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    outputs = render_case(
        ADULT, out, documents=["plan"], formats=["pdf"], languages=["sv"], variants=["lattlast"]
    )
    return next(o.path for o in outputs if o.context.recipient.id == "individ")


@pytest.mark.req("R-P13")
@pytest.mark.parametrize("document", list(DOCUMENTS))
def test_the_fixed_text_of_each_easy_read_template_scores_lix_under_30(document: str) -> None:
    names = (f"{document}-lattlast.html", *EASY_READ_PARTS)
    paths = [
        DEFAULT / document / "1" / names[0],
        *(DEFAULT / "common" / "1" / n for n in names[1:]),
    ]
    measured = readability(fixed_text(paths))
    assert measured.words > 20
    assert measured.lix < 30, (document, measured)
    assert measured.longest_sentence <= 15


@pytest.mark.req("R-P13")
def test_adult_easy_read_plan_is_easy_to_read_and_conforms(adult_plan: Path) -> None:
    assert adult_plan.name == "plan-individ-sv-lattlast.pdf"
    pdf = adult_plan.read_bytes()
    assert check_pdf(pdf).problems() == []
    assert min(font_sizes_pt(pdf)) >= 14.0
    letter = readability(main_text(easy_read_html(ADULT, "plan")))
    assert letter.lix < 30


@pytest.mark.req("R-P13")
def test_easy_read_lines_hold_about_55_characters_at_most(adult_plan: Path) -> None:
    text = subprocess.run(
        ["pdftotext", "-layout", str(adult_plan), "-"], capture_output=True, check=True, text=True
    ).stdout
    letter = text[text.index("Din plan") : text.index("E-post:")]
    lines = [line.strip() for line in letter.splitlines() if "Ärende" not in line]
    assert max(len(line) for line in lines) <= 56  # the running header aside


@pytest.mark.req("R-P13")
def test_every_part_has_a_pictogram_with_alt_text_tagged_as_a_figure(adult_plan: Path) -> None:
    html = easy_read_html(ADULT, "plan")
    pictograms = PICTOGRAM.findall(html)
    assert len(pictograms) == html.count('<section class="part">') == 8
    assert all(src.startswith("file://") and src.endswith(".svg") for src, _ in pictograms)
    assert all(alt.startswith("Bild: ") for _, alt in pictograms)
    figures = [alt for tag, alt in structure(adult_plan.read_bytes()) if tag == "Figure"]
    assert {alt for _, alt in pictograms} <= set(figures)


@pytest.mark.req("R-P13")
def test_easy_read_speaks_to_du_and_explains_hard_words() -> None:
    for document in ("kallelse", "samtycke", "plan"):
        text = main_text(easy_read_html(ADULT, document))
        assert not re.search(r"\b(Ni|ni|er|Man|man|den enskilde)\b", text), document
    plan = main_text(easy_read_html(ADULT, "plan"))
    for explained in (
        "SIP betyder samordnad individuell plan.",
        "En insats är stöd eller hjälp som du får.",
        "Det kallas uppföljning.",
        "Samtycke betyder att någon säger ja till något.",
        "Det betyder att de ser till att planen följs.",  # huvudansvaret
    ):
        assert explained in plan


@pytest.mark.req("R-P13")
def test_easy_read_uses_the_lattlast_wording_one_sentence_to_a_line() -> None:
    html = easy_read_html(ADULT, "plan")
    assert "<p>Jag vill bo kvar i min lägenhet.<br>Jag vill känna mig lugn.</p>" in html
    assert "Att jag kan bo kvar" not in html  # the standard wording


def test_free_text_splits_into_sentences_but_not_at_abbreviations() -> None:
    assert sentences("Tolk är bokad. Mötet börjar kl. 13 i rum 2! Välkommen?") == [
        "Tolk är bokad.",
        "Mötet börjar kl. 13 i rum 2!",
        "Välkommen?",
    ]
    assert sentences("Vi ses bl.a. på skolan. ما هو؟ نعم") == [
        "Vi ses bl.a. på skolan.",
        "ما هو؟",
        "نعم",
    ]


@pytest.mark.req("R-P13")
def test_a_childs_guardians_read_about_their_child() -> None:
    guardian = main_text(easy_read_html(CHILD, "plan", "vardnadshavare1"))
    assert "Här är planen för ert barn Selam Tesfay." in guardian
    assert "En insats är stöd eller hjälp som ert barn får." in guardian
    child = main_text(easy_read_html(CHILD, "plan"))
    assert "Dina vårdnadshavare har sagt ja till att de som hjälper dig" in child
    assert "Vårdnadshavare är de vuxna som har ansvar för dig." in child


def test_the_guardians_easy_read_consent_asks_them_to_sign_once() -> None:
    html = easy_read_html(CHILD, "samtycke", "vardnadshavare")
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", html[html.index("<main") :])
    assert headings == [
        "Vad säger ni ja till?",
        "Hur länge gäller det?",
        "Ni kan ändra er",
        "Skriv under",
        "Vem kan ni fråga?",
    ]


@pytest.mark.req("R-P13")
def test_easy_read_large_print_sets_no_text_under_18_pt(tmp_path: Path) -> None:
    outputs = render_case(
        ADULT,
        tmp_path,
        documents=["plan"],
        formats=["pdf"],
        languages=["sv"],
        variants=["lattlast-storstil"],
    )
    (own,) = [o for o in outputs if o.context.recipient.id == "individ"]
    assert own.path.name == "plan-individ-sv-lattlast-storstil.pdf"
    pdf = own.path.read_bytes()
    assert min(font_sizes_pt(pdf)) == 18.0
    assert check_pdf(pdf).problems() == []


def test_easy_read_copies_have_no_docx_and_say_so(tmp_path: Path) -> None:
    outputs = render_case(
        ADULT, tmp_path, documents=["plan"], formats=["docx"], variants=["lattlast"]
    )
    assert [o.context.recipient.id for o in outputs if o.context.easy_read] == []
    assert outputs.notes == [
        f"plan-individ-{lang}-lattlast: no docx: easy-read copies are made as PDF, HTML, "
        "plain text and audio, not DOCX"
        for lang in ("sv", "ar")
    ]


def test_a_case_that_asks_for_easy_read_gets_it_for_its_own_copies_only() -> None:
    stems = [c.stem for c in document_contexts(load_case(CHILD), Registry(), ["plan"])]
    assert [s for s in stems if s.endswith("lattlast")] == [
        "plan-individ-sv-lattlast",
        "plan-vardnadshavare1-sv-lattlast",
        "plan-vardnadshavare1-ti-lattlast",
        "plan-vardnadshavare2-sv-lattlast",
        "plan-vardnadshavare2-ti-lattlast",
    ]
