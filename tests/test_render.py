"""The plan end to end: context, HTML, and a tagged PDF/UA-1 + PDF/A-2u file."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from sipdocs import load_case
from sipdocs.render import document_contexts, render_case
from sipdocs.renderers.html import HtmlRenderer
from sipdocs.templates import Registry
from tests.conftest import ADULT, CHILD, SAMPLES, write_case
from tests.pdfs import failed_rules, fonts_of, sipdocs_metadata, text_of


@pytest.fixture(scope="module")
def adult_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    outputs = render_case(ADULT, out, documents=["plan"], formats=["pdf"])
    return next(o.path for o in outputs if o.context.recipient.id == "individ")


def html_of(case: Path, recipient: str = "individ") -> str:
    registry = Registry()
    context = next(
        c
        for c in document_contexts(load_case(case), registry, ["plan"])
        if c.recipient.id == recipient
    )
    return HtmlRenderer(registry).html(context)


def test_plan_recipients_have_readable_file_names(tmp_path: Path) -> None:
    outputs = render_case(ADULT, tmp_path, documents=["plan"], formats=["html"])
    names = [o.path.relative_to(tmp_path).as_posix() for o in outputs]
    assert names == [
        "SIP-2026-0142/plan-individ-sv.html",
        "SIP-2026-0142/plan-individ-sv-lattlast.html",
        "SIP-2026-0142/plan-individ-ar.html",
        "SIP-2026-0142/plan-individ-ar-lattlast.html",
        "SIP-2026-0142/plan-soc-sv.html",
        "SIP-2026-0142/plan-psyk-sv.html",
        "SIP-2026-0142/plan-vc-sv.html",
        "SIP-2026-0142/plan-fk-sv.html",
    ]


@pytest.mark.req("R-P1")
@pytest.mark.req("R-P8")
@pytest.mark.req("R-P10")
def test_plan_pdf_shows_every_goal_intervention_and_responsibility(adult_plan: Path) -> None:
    text = text_of(adult_plan)
    case = load_case(ADULT).case
    assert case is not None
    assert case.plan is not None
    for goal in case.plan.goals:
        assert goal.own_words is not None
        assert goal.professional is not None
        assert goal.own_words.sv in text
        assert goal.professional.sv in text
    for intervention in case.plan.interventions:
        assert intervention.what.sv in text
        party = case.party(intervention.responsible)
        assert party is not None
        assert party.name in text
    assert "Huvudansvarig för planen Socialtjänsten, Lillåns kommun" in text
    assert "Uppföljning Datum 18 februari 2027 Ansvarig Socialtjänsten, Lillåns kommun" in text


@pytest.mark.req("R-P2")
@pytest.mark.req("R-P3")
@pytest.mark.req("R-P4")
def test_interventions_grouped_by_principal() -> None:
    text = html_of(ADULT)
    municipality = text.index("Kommunen ansvarar för")
    region = text.index("Regionen ansvarar för")
    others = text.index("Andra aktörer ansvarar för")
    assert municipality < text.index("Boendestöd två gånger i veckan.") < region
    assert region < text.index("Läkemedelsgenomgång.") < others
    assert others < text.index("Utredning av rätt till sjukpenning.")


@pytest.mark.req("R-P5")
@pytest.mark.req("R-P12")
@pytest.mark.req("R-P14")
def test_plan_names_lead_chair_secretary_and_participation() -> None:
    html = html_of(ADULT)
    assert "<dt>Mötesledare</dt><dd>Eva Lind, Socialtjänsten, Lillåns kommun</dd>" in html
    assert (
        "<dt>Sekreterare</dt><dd>Johan Berg, Psykiatriska öppenvårdsmottagningen Lillån</dd>"
        in html
    )
    assert "<dt>Du var med på mötet</dt><dd>Ja</dd>" in html


@pytest.mark.req("R-P6")
@pytest.mark.req("R-P7")
@pytest.mark.req("R-P16")
def test_plan_gives_own_words_goals_and_own_actions(adult_plan: Path) -> None:
    text = text_of(adult_plan)
    assert "Det här är viktigt för mig Att jag kan bo kvar i min lägenhet" in text
    assert "Skattning med GAD-7 vid start och vid uppföljning." in text
    assert "Det här gör jag själv • Jag går på mina samtal på mottagningen." in text


@pytest.mark.req("R-P9")
@pytest.mark.req("R-P11")
def test_status_and_awaiting_decision_are_shown(adult_plan: Path) -> None:
    text = text_of(adult_plan)
    for status in ("Beslutad", "Väntar på beslut", "Planerad", "Pågår"):
        assert status in text
    assert "I väntan på beslut: Stödsamtal med sjuksköterska en gång i veckan." in text
    assert "Beslut väntas 10 december 2026." in text
    assert "Återkoppling senast 12 december 2026." in text


@pytest.mark.req("R-P13")
def test_individual_copy_is_addressed_to_the_individual() -> None:
    html = html_of(ADULT)
    assert "Här är din samordnade individuella plan." in html
    assert "Du får ett eget exemplar av planen." in html
    formal = html_of(ADULT, "psyk")
    assert "Ni får den som deltagare i planen." in formal
    assert "Att: Johan Berg" in formal


@pytest.mark.req("R-P18")
def test_discharge_plan_says_so() -> None:
    html = html_of(SAMPLES / "aldre-utskrivning.yaml")
    assert "inför utskrivning från slutenvård" in html
    assert "inför utskrivning" not in html_of(ADULT)


def test_plan_pdf_conforms_to_pdf_ua_1_and_pdf_a_2u(adult_plan: Path) -> None:
    assert failed_rules(adult_plan.read_bytes()) == {"ua1": [], "2u": []}


def test_plan_pdf_names_its_fonts(adult_plan: Path) -> None:
    fonts = fonts_of(adult_plan)
    assert "Noto-Sans" in fonts
    assert "DejaVu" not in fonts


@pytest.mark.req("R-G2")
def test_plan_pdf_records_how_it_was_made(adult_plan: Path) -> None:
    assert sipdocs_metadata(adult_plan.read_bytes()) == {
        "inputSha256": hashlib.sha256(ADULT.read_bytes()).hexdigest(),
        "sipdocsVersion": "0.1.0",
        "templateLayers": "default > mellanland > lillan",
        "templateVersion": "plan/2",
    }


def test_second_render_is_byte_identical(adult_plan: Path, tmp_path: Path) -> None:
    again = render_case(ADULT, tmp_path, documents=["plan"], formats=["pdf"])
    assert again[0].path.read_bytes() == adult_plan.read_bytes()


def test_child_plan_goes_to_both_guardians(tmp_path: Path) -> None:
    outputs = render_case(
        CHILD, tmp_path, documents=["plan"], formats=["html"], variants=["standard"]
    )
    copies = [(o.context.recipient.id, o.context.language) for o in outputs]
    assert copies[:5] == [
        ("individ", "sv"),
        ("vardnadshavare1", "sv"),
        ("vardnadshavare1", "ti"),
        ("vardnadshavare2", "sv"),
        ("vardnadshavare2", "ti"),
    ]
    guardian = outputs[1].path.read_text(encoding="utf-8")
    assert "Här är ert barns samordnade individuella plan." in guardian


@pytest.mark.req("R-G1")
def test_template_used_outside_validity_warns(adult: dict[str, Any], tmp_path: Path) -> None:
    current = render_case(ADULT, tmp_path, documents=["plan"], formats=["html"])
    assert current[0].context.warnings == ()
    adult["case"]["templates"] = {"plan": "1"}
    case = write_case(tmp_path, adult)
    outputs = render_case(case, tmp_path, documents=["plan"], formats=["html"])
    assert outputs[0].context.warnings == (
        "[R-G1] template plan version 1 is used outside its validity (2023-09-22 to 2025-06-30)",
        "[R-W9] template plan version 1 rests on socialtjänstlagen (2001:453), which is not "
        "in force on 2026-11-20 (in force 2002-01-01 to 2025-06-30)",
    )
