"""All five documents: who gets a copy, what each copy says, and that every PDF conforms."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from sipdocs import load_case
from sipdocs.errors import RenderError, TemplateError
from sipdocs.render import Output, document_contexts, render_case
from sipdocs.renderers.html import HtmlRenderer
from sipdocs.templates import Registry
from tests.conftest import ADULT, CHILD, SAMPLES, write_case
from tests.pdfs import failed_rules, sipdocs_metadata, structure, text_of

Html = Callable[..., str]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Output]]:
    """Every document of both reference cases, as PDF."""
    out = tmp_path_factory.mktemp("out")
    return {case.stem: render_case(case, out, formats=["pdf"]) for case in (ADULT, CHILD)}


def names(outputs: list[Output]) -> list[str]:
    return [o.path.name for o in outputs]


def html(case: Path, document: str, recipient: str, registry: Registry | None = None) -> str:
    """One copy as HTML, with whitespace folded."""
    registry = registry or Registry()
    context = next(
        c
        for c in document_contexts(load_case(case), registry, [document])
        if c.recipient.id == recipient
    )
    return " ".join(HtmlRenderer(registry).html(context).split())


def pdf_text(outputs: list[Output], name: str) -> str:
    return text_of(next(o.path for o in outputs if o.path.name == name))


# --- Who gets a copy -------------------------------------------------------------------


@pytest.mark.req("R-C9")
@pytest.mark.req("R-K9")
def test_adult_reference_renders_each_document_per_recipient(
    rendered: dict[str, list[Output]],
) -> None:
    assert names(rendered["adult-reference"]) == [
        "kallelse-soc-sv.pdf",
        "kallelse-psyk-sv.pdf",
        "kallelse-vc-sv.pdf",
        "kallelse-fk-sv.pdf",
        "kallelse-individ-sv.pdf",
        "kallelse-individ-sv-lattlast.pdf",
        "kallelse-individ-ar.pdf",
        "kallelse-individ-ar-lattlast.pdf",
        "kallelse-narstaende1-sv.pdf",
        "samtycke-individ-sv.pdf",
        "samtycke-individ-sv-lattlast.pdf",
        "samtycke-individ-ar.pdf",
        "samtycke-individ-ar-lattlast.pdf",
        "samtycke-soc-sv.pdf",
        "samtycke-psyk-sv.pdf",
        "samtycke-vc-sv.pdf",
        "samtycke-fk-sv.pdf",
        "plan-individ-sv.pdf",
        "plan-individ-sv-lattlast.pdf",
        "plan-individ-ar.pdf",
        "plan-individ-ar-lattlast.pdf",
        "plan-soc-sv.pdf",
        "plan-psyk-sv.pdf",
        "plan-vc-sv.pdf",
        "plan-fk-sv.pdf",
    ]  # the brother took part, but the consent does not name him (R-S3)
    assert {o.path.parent.name for o in rendered["adult-reference"]} == {"SIP-2026-0142"}


@pytest.mark.req("R-A2")
def test_child_reference_renders_each_document_per_recipient(
    rendered: dict[str, list[Output]],
) -> None:
    assert names(rendered["child-reference"]) == [
        "kallelse-skola-sv.pdf",
        "kallelse-soc-sv.pdf",
        "kallelse-bup-sv.pdf",
        "kallelse-hab-sv.pdf",
        "kallelse-individ-sv.pdf",
        "kallelse-individ-sv-lattlast.pdf",
        "kallelse-vardnadshavare1-sv.pdf",
        "kallelse-vardnadshavare1-sv-lattlast.pdf",
        "kallelse-vardnadshavare1-ti.pdf",
        "kallelse-vardnadshavare1-ti-lattlast.pdf",
        "kallelse-vardnadshavare2-sv.pdf",
        "kallelse-vardnadshavare2-sv-lattlast.pdf",
        "kallelse-vardnadshavare2-ti.pdf",
        "kallelse-vardnadshavare2-ti-lattlast.pdf",
        "samtycke-vardnadshavare-sv.pdf",
        "samtycke-vardnadshavare-sv-lattlast.pdf",
        "samtycke-vardnadshavare-ti.pdf",
        "samtycke-vardnadshavare-ti-lattlast.pdf",
        "samtycke-skola-sv.pdf",
        "samtycke-soc-sv.pdf",
        "samtycke-bup-sv.pdf",
        "samtycke-hab-sv.pdf",
        "plan-individ-sv.pdf",
        "plan-individ-sv-lattlast.pdf",
        "plan-vardnadshavare1-sv.pdf",
        "plan-vardnadshavare1-sv-lattlast.pdf",
        "plan-vardnadshavare1-ti.pdf",
        "plan-vardnadshavare1-ti-lattlast.pdf",
        "plan-vardnadshavare2-sv.pdf",
        "plan-vardnadshavare2-sv-lattlast.pdf",
        "plan-vardnadshavare2-ti.pdf",
        "plan-vardnadshavare2-ti-lattlast.pdf",
        "plan-skola-sv.pdf",
        "plan-soc-sv.pdf",
        "plan-bup-sv.pdf",
        "plan-hab-sv.pdf",
        "uppfoljning-individ-sv.pdf",
        "uppfoljning-individ-sv-lattlast.pdf",
        "uppfoljning-vardnadshavare1-sv.pdf",
        "uppfoljning-vardnadshavare1-sv-lattlast.pdf",
        "uppfoljning-vardnadshavare1-ti.pdf",
        "uppfoljning-vardnadshavare1-ti-lattlast.pdf",
        "uppfoljning-vardnadshavare2-sv.pdf",
        "uppfoljning-vardnadshavare2-sv-lattlast.pdf",
        "uppfoljning-vardnadshavare2-ti.pdf",
        "uppfoljning-vardnadshavare2-ti-lattlast.pdf",
        "uppfoljning-skola-sv.pdf",
        "uppfoljning-soc-sv.pdf",
        "avslutning-individ-sv.pdf",
        "avslutning-individ-sv-lattlast.pdf",
        "avslutning-vardnadshavare1-sv.pdf",
        "avslutning-vardnadshavare1-sv-lattlast.pdf",
        "avslutning-vardnadshavare1-ti.pdf",
        "avslutning-vardnadshavare1-ti-lattlast.pdf",
        "avslutning-vardnadshavare2-sv.pdf",
        "avslutning-vardnadshavare2-sv-lattlast.pdf",
        "avslutning-vardnadshavare2-ti.pdf",
        "avslutning-vardnadshavare2-ti-lattlast.pdf",
        "avslutning-skola-sv.pdf",
        "avslutning-soc-sv.pdf",
        "avslutning-bup-sv.pdf",
        "avslutning-hab-sv.pdf",
    ]


def test_file_names_carry_no_personal_data(rendered: dict[str, list[Output]]) -> None:
    for outputs in rendered.values():
        for output in outputs:
            assert re.fullmatch(
                r"[a-z]+-[a-z0-9]+-[a-z]{2,3}(-lattlast)?(-storstil)?\.pdf", output.path.name
            )


@pytest.mark.req("R-K9")
def test_relative_gets_a_kallelse_only_when_invited(adult: dict[str, Any], tmp_path: Path) -> None:
    adult["relatives"][0]["invited"] = False
    contexts = document_contexts(load_case(write_case(tmp_path, adult)), Registry(), ["kallelse"])
    assert [c.recipient.id for c in contexts] == ["soc", "psyk", "vc", "fk", *["individ"] * 4]


def test_excluded_actor_gets_no_document(rendered: dict[str, list[Output]]) -> None:
    assert not [o for o in rendered["adult-reference"] if "-af-" in o.path.name]


# --- Kallelse (R-K) ---------------------------------------------------------------------


@pytest.mark.req("R-K11")
def test_principals_get_a_kallelse_others_an_inbjudan() -> None:
    assert "<h1>Kallelse till SIP-möte</h1>" in html(ADULT, "kallelse", "psyk")
    assert "<h1>Kallelse till SIP-möte</h1>" in html(ADULT, "kallelse", "soc")
    assert "<h1>Inbjudan till SIP-möte</h1>" in html(ADULT, "kallelse", "fk")
    assert "<h1>Inbjudan till SIP-möte</h1>" in html(ADULT, "kallelse", "individ")
    assert "<title>Inbjudan till SIP-möte – SIP-2026-0142</title>" in html(
        ADULT, "kallelse", "narstaende1"
    )


@pytest.mark.req("R-K1")
@pytest.mark.req("R-K2")
@pytest.mark.req("R-K3")
@pytest.mark.req("R-K5")
def test_kallelse_says_whom_when_where_and_what(rendered: dict[str, list[Output]]) -> None:
    text = pdf_text(rendered["adult-reference"], "kallelse-psyk-sv.pdf")
    assert "Mötet gäller Namn Amal Haddad Personnummer 19880412-3928" in text
    assert "Tid fredag 20 november 2026 kl. 13.00–14.30 Mötets längd 90 minuter" in text
    assert (
        "Plats Lillåns kommunhus, rum Ängen, Storgatan 1 Tolk arabiska, bokad till Amal Haddad"
        in text
    )
    assert "Frågeställning Hur kan Amal få en trygg vardag" in text
    assert "Dagordning 1. Presentation av alla som är med 2. Vad är viktigt för Amal?" in text
    assert "Övrig information Tolk på arabiska är bokad. Mötet är högst 90 minuter." in text
    child = pdf_text(rendered["child-reference"], "kallelse-bup-sv.pdf")
    assert "Länk till mötet https://mote.lillan.example/sip-0007" in child
    assert "Mötet hålls digitalt." in child


@pytest.mark.req("R-K4")
def test_kallelse_lists_everyone_invited(rendered: dict[str, list[Output]]) -> None:
    text = pdf_text(rendered["adult-reference"], "kallelse-individ-sv.pdf")
    assert (
        "Inbjudna till mötet • Socialtjänsten, Lillåns kommun (Eva Lind, Vuxenenheten) "
        "• Psykiatriska öppenvårdsmottagningen Lillån (Johan Berg) "
        "• Vårdcentralen Lillån (Sara Nilsson) • Försäkringskassan (Leila Ek) "
        "• Amal Haddad (du) • Samir Haddad (närstående)"
    ) in text
    assert "Arbetsförmedlingen" not in text


@pytest.mark.req("R-K6")
@pytest.mark.req("R-K7")
def test_kallelse_gives_reply_date_substitute_rule_and_convener(
    rendered: dict[str, list[Output]],
) -> None:
    text = pdf_text(rendered["adult-reference"], "kallelse-vc-sv.pdf")
    assert (
        "Meddela senast 16 november 2026 vem från er verksamhet som kommer till mötet. "
        "Om den som skulle delta får förhinder ska ni utse en ersättare."
    ) in text
    assert (
        "Den som kallar Kontaktperson Eva Lind, socialsekreterare "
        "Verksamhet Socialtjänsten, Lillåns kommun, Vuxenenheten Telefon 0123-456 78 "
        "E-post eva.lind@lillan.example"
    ) in text
    own = pdf_text(rendered["adult-reference"], "kallelse-individ-sv.pdf")
    assert "Hör av dig senast 16 november 2026 om du inte kan komma" in own


@pytest.mark.req("R-K10")
def test_kallelse_to_a_principal_says_how_to_find_the_right_unit() -> None:
    default = Registry()
    case = ADULT
    assert "Om Amal Haddad inte är känd hos er" in html(case, "kallelse", "psyk", default)
    assert "Om Amal Haddad inte är känd hos er" not in html(case, "kallelse", "fk", default)
    assert "Om Amal Haddad inte är känd hos er" not in html(case, "kallelse", "individ")


@pytest.mark.req("R-P15")
def test_kallelse_to_the_individual_says_sip_is_free() -> None:
    assert "Det kostar ingenting att ha ett SIP-möte och en samordnad individuell plan." in html(
        ADULT, "kallelse", "individ"
    )
    assert "Ni kan när som helst ändra er om ert samtycke." in html(
        CHILD, "kallelse", "vardnadshavare1"
    )
    assert "Det kostar ingenting" not in html(ADULT, "kallelse", "psyk")


@pytest.mark.req("R-P18")
def test_discharge_kallelse_says_so() -> None:
    sample = SAMPLES / "aldre-utskrivning.yaml"
    recipient = document_contexts(load_case(sample), Registry(), ["kallelse"])[0].recipient.id
    assert "Mötet hålls inför utskrivning från slutenvård" in html(sample, "kallelse", recipient)
    assert "inför utskrivning" not in html(ADULT, "kallelse", "psyk")


def test_copies_address_people_as_du_or_ni_and_professionals_formally() -> None:
    assert "Välkommen till ett möte om din samordnade individuella plan" in html(
        ADULT, "kallelse", "individ"
    )
    assert "Välkomna till ett möte om en samordnad individuell plan (SIP) för ert barn" in html(
        CHILD, "kallelse", "vardnadshavare2"
    )
    assert "Ni kallas till ett möte om en samordnad individuell plan" in html(
        ADULT, "kallelse", "vc"
    )
    assert "Amal Haddad vill att du är med på ett möte" in html(ADULT, "kallelse", "narstaende1")


def test_relative_copy_leaves_out_the_identity_number() -> None:
    assert "19880412-3928" not in html(ADULT, "kallelse", "narstaende1")
    assert "19880412-3928" in html(ADULT, "kallelse", "individ")


# --- Samtycke (R-C) -----------------------------------------------------------------------


@pytest.mark.req("R-C4")
@pytest.mark.req("R-C5")
@pytest.mark.req("R-C6")
def test_samtycke_shows_scope_exclusions_validity_and_withdrawal(
    rendered: dict[str, list[Output]],
) -> None:
    text = pdf_text(rendered["adult-reference"], "samtycke-individ-sv.pdf")
    assert "Lämnat av Amal Haddad Form Skriftligt Dokumenterat av Socialtjänsten" in text
    assert "Datum 28 oktober 2026 Gäller till och med 27 oktober 2027" in text
    assert (
        "• Socialtjänsten, Lillåns kommun • Psykiatriska öppenvårdsmottagningen Lillån "
        "• Vårdcentralen Lillån • Försäkringskassan"
    ) in text
    assert (
        "Samtycket omfattar inte de här verksamheterna. De bjuds inte in och får inga uppgifter: "
        "• Arbetsförmedlingen"
    ) in text
    assert "• Uppgifter om tidigare skuldsanering lämnas inte till Försäkringskassan." in text
    assert "Samtycket kan när som helst återkallas, helt eller delvis." in text
    assert "Samtycket gäller i högst ett år, till och med 27 oktober 2027." in text
    assert "Ort och datum Underskrift Namnförtydligande: Amal Haddad" in text


@pytest.mark.req("R-C7")
def test_samtycke_for_a_child_is_signed_by_each_guardian(
    rendered: dict[str, list[Output]],
) -> None:
    text = pdf_text(rendered["child-reference"], "samtycke-vardnadshavare-sv.pdf")
    assert text.count("Namnförtydligande:") == 2
    assert "Lämnat av Hiwet Tesfay, Daniel Tesfay (vårdnadshavare)" in text
    assert "Barnets inställning Selam vill att skolan är med" in text
    page = html(CHILD, "samtycke", "vardnadshavare")
    assert "<p>Hiwet Tesfay</p> <p>Daniel Tesfay</p> <p>Björkvägen 4</p>" in page


@pytest.mark.req("R-C9")
def test_samtycke_copy_to_an_actor_is_sent_without_signature_lines() -> None:
    page = html(ADULT, "samtycke", "fk")
    assert "Det skickas till er så snart det har lämnats" in page
    assert "Datum och underskrift" not in page


def test_withdrawn_consent_shows_the_date() -> None:
    page = html(SAMPLES / "samtycke-aterkallat.yaml", "samtycke", "individ")
    assert "<dt>Återkallat</dt><dd>7 maj 2026</dd>" in page


# --- Uppföljning and avslutning (R-F, R-A) -------------------------------------------------


@pytest.mark.req("R-F2")
def test_uppfoljning_reports_goals_circumstances_interventions_and_need(tmp_path: Path) -> None:
    outputs = render_case(CHILD, tmp_path, documents=["uppfoljning"], follow_up=1, formats=["pdf"])
    text = pdf_text(outputs, "uppfoljning-soc-sv.pdf")
    assert "Uppföljning nummer 1 Uppföljningen hölls 19 april 2027" in text
    assert (
        "1 Jag vill vara i skolan hela dagen. Delvis uppnått "
        "Selam är i skolan hela dagar tre dagar i veckan."
    ) in text
    assert "Förändrade förhållanden Selam har fått en diagnos" in text
    assert "Anpassad studiegång och vilorum. 1 Lillåns skola, elevhälsan" in text
    assert "Det finns fortsatt behov av samordnade insatser. Planen fortsätter att gälla." in text
    assert "Nästa uppföljning Datum 7 juni 2027 Ansvarig Socialtjänsten" in text


@pytest.mark.req("R-A3")
def test_final_uppfoljning_states_the_closure(rendered: dict[str, list[Output]]) -> None:
    text = pdf_text(rendered["child-reference"], "uppfoljning-individ-sv.pdf")
    assert "Uppföljning nummer 2" in text
    assert "Planen avslutas eftersom målen är uppfyllda. Planen avslutas 7 juni 2027" in text
    assert "Nästa uppföljning" not in text


def test_follow_up_number_must_exist() -> None:
    with pytest.raises(
        RenderError, match=r"^follow_ups: there is no follow-up 3 \(the case has 2\)$"
    ):
        document_contexts(load_case(CHILD), Registry(), ["uppfoljning"], follow_up=3)


@pytest.mark.req("R-A1")
@pytest.mark.req("R-A2")
def test_avslutning_says_when_why_and_who_is_informed(rendered: dict[str, list[Output]]) -> None:
    text = pdf_text(rendered["child-reference"], "avslutning-hab-sv.pdf")
    assert (
        "Den samordnade individuella planen för Selam Tesfay är avslutad från och med 7 juni 2027."
        in text
    )
    assert "Därför avslutas planen Planen avslutas eftersom målen är uppfyllda." in text
    page = html(CHILD, "avslutning", "hab")
    assert (
        '<h2>De här får besked om att planen är avslutad</h2> <ul class="recipients"> '
        "<li>Selam Tesfay</li> <li>Hiwet Tesfay (vårdnadshavare)</li> "
        "<li>Daniel Tesfay (vårdnadshavare)</li> <li>Lillåns skola, elevhälsan (Maria Holm)</li> "
        "<li>Socialtjänsten, Lillåns kommun, barn och unga (Anders Sjö)</li> "
        "<li>Barn- och ungdomspsykiatrin (BUP) Lillån (Nora Lund)</li> "
        "<li>Habiliteringen, Region Mellanland (Per Alm)</li> </ul>"
    ) in page


def test_avslutning_after_withdrawn_consent_says_so() -> None:
    page = html(SAMPLES / "samtycke-aterkallat.yaml", "avslutning", "individ")
    assert "Planen avslutas eftersom samtycket återkallades 7 maj 2026." in page


def test_documents_without_data_are_skipped_and_asking_for_one_is_an_error() -> None:
    kinds = {c.kind.name for c in document_contexts(load_case(ADULT), Registry())}
    assert kinds == {"kallelse", "samtycke", "plan"}
    with pytest.raises(RenderError, match=r"^the case has no data for document 'avslutning'$"):
        document_contexts(load_case(ADULT), Registry(), ["avslutning"])


# --- Every PDF -------------------------------------------------------------------------------


def test_every_pdf_conforms_to_pdf_ua_1_and_pdf_a_2u(rendered: dict[str, list[Output]]) -> None:
    failures = {
        o.path.name: rules
        for outputs in rendered.values()
        for o in outputs
        if any((rules := failed_rules(o.path.read_bytes())).values())
    }
    assert failures == {}


@pytest.mark.req("R-G2")
def test_every_pdf_records_template_layers_and_input(rendered: dict[str, list[Output]]) -> None:
    for outputs in rendered.values():
        for output in outputs:
            meta = sipdocs_metadata(output.path.read_bytes())
            assert meta["templateVersion"] == f"{output.context.kind.name}/2"
            assert meta["templateLayers"] == "default > mellanland > lillan"
            assert meta["inputSha256"] == output.context.input_sha256


def test_second_render_is_byte_identical(rendered: dict[str, list[Output]], tmp_path: Path) -> None:
    again = render_case(CHILD, tmp_path, formats=["pdf"])
    first = rendered["child-reference"]
    assert [o.path.name for o in again] == [o.path.name for o in first]
    changed = [
        a.path.name
        for a, b in zip(again, first, strict=True)
        if a.path.read_bytes() != b.path.read_bytes()
    ]
    assert changed == []


# --- Versions and layers -----------------------------------------------------------------------


@pytest.mark.req("R-G1")
def test_case_can_pin_a_template_version(adult: dict[str, Any], tmp_path: Path) -> None:
    adult["case"]["templates"] = {"plan": "1"}
    contexts = document_contexts(load_case(write_case(tmp_path, adult)), Registry(), ["plan"])
    assert contexts[0].selection.version.version == "1"
    adult["case"]["templates"] = {"plan": "7"}
    with pytest.raises(
        TemplateError, match=r"^case.templates.plan: no version '7' \(versions: 1, 2\)$"
    ):
        document_contexts(load_case(write_case(tmp_path, adult)), Registry(), ["plan"])
    adult["case"]["templates"] = {"brev": "1"}
    with pytest.raises(
        TemplateError,
        match=r"^case.templates.brev: unknown document \(documents: kallelse, samtycke, plan, "
        r"uppfoljning, avslutning\)$",
    ):
        document_contexts(load_case(write_case(tmp_path, adult)), Registry(), ["plan"])


def test_lillan_shows_logo_region_colour_extra_section_and_reworded_paragraph() -> None:
    page = html(ADULT, "kallelse", "psyk")
    assert '<img src="file://' in page
    assert 'lillan/logo.svg" alt="Lillåns kommuns logotyp' in page
    assert "--accent: #1f5f4a;" in page
    assert "<h2>Stöd inför mötet</h2>" in page
    assert "I Region Mellanland gäller: den huvudman som tar emot kallelsen" in page
    assert "Är den enskilde inte känd hos er verksamhet avgör huvudmannen" not in page
    assert "Lillåns kommun · Storgatan 1, 123 40 Lillån" in page


def test_case_without_municipality_renders_the_default_layer(
    adult: dict[str, Any], tmp_path: Path
) -> None:
    del adult["case"]["municipality"]
    case = write_case(tmp_path, adult)
    page = html(case, "kallelse", "psyk")
    assert "<img" not in page
    assert "--accent: #24527a;" in page
    assert "Stöd inför mötet" not in page
    assert "Är Amal Haddad inte känd hos er verksamhet avgör huvudmannen" in page
    outputs = render_case(case, tmp_path / "out", documents=["kallelse"], formats=["pdf"])
    meta = sipdocs_metadata(outputs[0].path.read_bytes())
    assert meta["templateLayers"] == "default"
    assert failed_rules(outputs[0].path.read_bytes()) == {"ua1": [], "2u": []}


def test_municipality_layer_from_its_own_folder(adult: dict[str, Any], tmp_path: Path) -> None:
    layer = tmp_path / "layers" / "storby"
    (layer / "overrides").mkdir(parents=True)
    (layer / "layer.yaml").write_text(
        "kind: municipality\nname: Storby kommun\nregion: mellanland\n"
        "colours: {accent: '#7a2445'}\n",
        encoding="utf-8",
    )
    (layer / "overrides" / "plan.html").write_text(
        "{% block closing %}<p>Storby sparar planen i tio år.</p>{% endblock %}",
        encoding="utf-8",
    )
    adult["case"]["municipality"] = "storby"
    case = write_case(tmp_path, adult)
    page = html(case, "plan", "individ", Registry([tmp_path / "layers"]))
    assert "<p>Storby sparar planen i tio år.</p>" in page
    assert "--accent: #7a2445;" in page
    assert "mellanland/logo.svg" in page
    with pytest.raises(
        TemplateError,
        match=r"^case.municipality: unknown municipality 'storby' \(known: lillan\); give the folder "
        r"that holds its layer with --layers or SIPDOCS_LAYERS$",
    ):
        html(case, "plan", "individ")


def test_logo_is_a_figure_with_alt_text_and_headings_start_at_h1(
    rendered: dict[str, list[Output]],
) -> None:
    for output in rendered["adult-reference"]:
        tags = structure(output.path.read_bytes())
        assert ("Figure", "Lillåns kommuns logotyp, en blå å under en grön kulle") in tags
        headings = [tag for tag, _ in tags if re.fullmatch(r"H\d", tag)]
        assert headings[0] == "H1"
        assert headings.count("H1") == 1
        levels = [int(tag[1]) for tag in headings]
        assert all(b - a <= 1 for a, b in pairwise(levels))
