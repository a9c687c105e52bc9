"""Who may see what (R-S1 to R-S10): each copy holds only what its recipient may see.

The copies are read as text, the way their recipients read them: HTML (which the PDF, the
plain text and the audio are made from) and DOCX.
"""

from __future__ import annotations

import html as html_lib
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from sipdocs.cases import load_case
from sipdocs.context import DocumentContext
from sipdocs.disclosure import SECRECY_NOTICE, copies, letterhead_chain
from sipdocs.documents import document
from sipdocs.render import document_contexts, render_case
from sipdocs.renderers.docx import DocxRenderer
from sipdocs.renderers.html import HtmlRenderer
from sipdocs.templates import TEMPLATES, Registry
from tests.conftest import ADULT, report, write_case

REGISTRY = Registry()
EXCLUSION = "skuldsanering"  # in the adult reference's excluded_information
SECRECY = "offentlighets- och sekretesslagen (2009:400)"


def text(markup: str) -> str:
    """What a reader sees of an HTML copy: its text, whitespace folded."""
    markup = re.sub(r"(?s)<(style|head)\b.*?</\1>", " ", markup)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def contexts(
    case: Path,
    documents: list[str] | None = None,
    registry: Registry = REGISTRY,
    follow_up: int | None = None,
) -> list[DocumentContext]:
    """Every standard Swedish copy the case makes."""
    return document_contexts(
        load_case(case), registry, documents, follow_up, languages=["sv"], variants=["standard"]
    )


def copies_text(
    case: Path,
    documents: list[str] | None = None,
    registry: Registry = REGISTRY,
    follow_up: int | None = None,
) -> dict[str, str]:
    """Each Swedish standard copy's text by file stem: `plan-fk-sv`."""
    renderer = HtmlRenderer(registry)
    return {c.stem: text(renderer.html(c)) for c in contexts(case, documents, registry, follow_up)}


def stems(case: Path, documents: list[str]) -> list[str]:
    return [c.stem for c in contexts(case, documents)]


# --- R-S1: one place decides ----------------------------------------------------------


@pytest.mark.req("R-S1")
def test_templates_see_the_case_only_as_the_disclosure_gives_it() -> None:
    for context in contexts(ADULT):
        variables = context.template_vars(context.free_text())
        assert variables["case"] is context.disclosure.case
        assert variables["follow_up"] is context.disclosure.follow_up
        assert variables["disclosure"] is context.disclosure
        assert variables["everyone"] == list(context.disclosure.everyone)


@pytest.mark.req("R-S1")
def test_an_other_actors_plan_holds_only_its_part() -> None:
    case = load_case(ADULT).case
    assert case is not None
    made = {
        c.recipient.id: c.disclosure
        for c in copies(case, document("plan"), None, REGISTRY.chain("lillan"))
    }
    fk = made["fk"].case.plan
    assert fk is not None
    assert [i.responsible for i in fk.interventions] == ["fk"]
    assert [g.id for g in fk.goals] == ["m3"]
    assert (fk.what_matters, fk.strengths, fk.needs, fk.own_actions) == (None, None, (), ())
    assert made["fk"].extract
    assert not made["psyk"].extract
    assert made["psyk"].case.plan == case.plan


# --- R-S2: exclusions -------------------------------------------------------------------


@pytest.mark.req("R-S2")
def test_exclusions_reach_only_whoever_gave_and_documented_the_consent() -> None:
    texts = copies_text(ADULT, ["samtycke"])
    showing = sorted(stem for stem, words in texts.items() if EXCLUSION in words)
    assert showing == ["samtycke-individ-sv", "samtycke-soc-sv"]
    for stem in ("samtycke-psyk-sv", "samtycke-vc-sv", "samtycke-fk-sv"):
        assert "Arbetsförmedlingen" not in texts[stem]
        assert (
            "Samtycket har undantag som inte står i det här exemplaret. Fråga Socialtjänsten, "
            "Lillåns kommun innan ni lämnar ut uppgifter inom planen."
        ) in texts[stem]


@pytest.mark.req("R-S2")
def test_exclusions_are_withheld_from_the_docx_too(tmp_path: Path) -> None:
    from tests.docxs import text_of

    outputs = render_case(ADULT, tmp_path, documents=["samtycke"], formats=["docx"])
    by_name = {o.path.name: text_of(o.path) for o in outputs}
    assert EXCLUSION in by_name["samtycke-individ-sv.docx"]
    assert EXCLUSION in by_name["samtycke-soc-sv.docx"]
    assert EXCLUSION not in by_name["samtycke-fk-sv.docx"]
    assert (
        "Samtycket har undantag som inte står i det här exemplaret."
        in (by_name["samtycke-fk-sv.docx"])
    )


# --- R-S3: relatives --------------------------------------------------------------------


@pytest.mark.req("R-S3")
def test_a_relative_gets_records_only_when_the_consent_names_them(
    adult: dict[str, Any], tmp_path: Path
) -> None:
    adult["closure"] = {"date": "2027-02-18", "reason": "goals_met", "informed_by": "soc"}
    without = write_case(tmp_path, adult, "without.yaml")
    made = stems(without, ["kallelse", "plan", "avslutning"])
    assert "kallelse-narstaende1-sv" in made  # invited (R-K9)
    assert "plan-narstaende1-sv" not in made
    assert "avslutning-narstaende1-sv" not in made
    adult["consent"]["relatives"] = ["Samir Haddad"]
    named = write_case(tmp_path, adult, "named.yaml")
    made = stems(named, ["plan", "avslutning"])
    assert {"plan-narstaende1-sv", "avslutning-narstaende1-sv"} <= set(made)


@pytest.mark.req("R-S3")
def test_consent_relatives_must_be_relatives_of_the_case(adult: dict[str, Any]) -> None:
    adult["consent"]["relatives"] = ["Samir Haddad", "Okänd Person"]
    assert report(adult) == [
        "error: [R-S3] consent.relatives[1]: not the name of anyone in relatives"
    ]


# --- R-S4: a parent without custody ------------------------------------------------------


def _non_custodial(child: dict[str, Any]) -> dict[str, Any]:
    """The child reference with Daniel, the father, without custody; he took part in the
    plan meeting as a guardian.
    """
    child["individual"]["guardians"][1]["custody"] = False
    child["consent"]["guardians_consented"] = ["Hiwet Tesfay"]
    child["plan"]["participants"].append({"guardian": "Daniel Tesfay"})
    return child


@pytest.mark.req("R-S4")
def test_a_parent_without_custody_gets_nothing_and_is_named_nowhere(
    child: dict[str, Any], tmp_path: Path
) -> None:
    path = write_case(tmp_path, _non_custodial(child))
    assert report(_non_custodial(child)) == []
    texts = copies_text(path)
    assert not [stem for stem in texts if "vardnadshavare2" in stem]
    assert [stem for stem, words in texts.items() if "Daniel" in words] == []
    samtycke = texts["samtycke-vardnadshavare-sv"]
    assert "Hiwet Tesfay" in samtycke


@pytest.mark.req("R-S4")
def test_a_parent_without_custody_listed_as_a_relative_is_a_relative(
    child: dict[str, Any], tmp_path: Path
) -> None:
    data = _non_custodial(child)
    data["relatives"] = [{"name": "Daniel Tesfay", "relation": "pappa"}]
    data["consent"]["relatives"] = ["Daniel Tesfay"]
    path = write_case(tmp_path, data)
    texts = copies_text(path, ["plan"])
    assert "plan-narstaende1-sv" in texts
    assert "plan-vardnadshavare2-sv" not in texts
    for words in texts.values():
        assert "Daniel Tesfay (vårdnadshavare)" not in words
        assert "Daniel Tesfay, Hiwet" not in words
    assert "Daniel Tesfay (närstående)" in texts["plan-individ-sv"]
    assert "20140614-2388" not in texts["plan-narstaende1-sv"]


# --- R-S5: an other actor's extract ------------------------------------------------------


@pytest.mark.req("R-S5")
def test_an_other_actor_gets_an_extract_of_the_plan() -> None:
    texts = copies_text(ADULT, ["plan"])
    fk = texts["plan-fk-sv"]
    assert "Det här är ett utdrag ur planen med det som gäller er verksamhet" in fk
    assert "Utredning av rätt till sjukpenning." in fk
    # nor who took part: the secretary names the psychiatric clinic
    for elsewhere in (
        "Boendestöd",
        "KBT",
        "Läkemedelsgenomgång",
        "ångest",
        "lägenhet",
        "Johan Berg",
    ):
        assert elsewhere not in fk, elsewhere
    assert "Socialtjänsten, Lillåns kommun" in fk  # the overall responsible party
    assert "18 februari 2027" in fk  # the follow-up
    psyk = texts["plan-psyk-sv"]
    assert "utdrag" not in psyk
    assert "Boendestöd" in psyk


@pytest.mark.req("R-S5")
def test_full_plan_gives_an_other_actor_the_whole_plan(
    adult: dict[str, Any], tmp_path: Path
) -> None:
    adult["consent"]["full_plan"] = ["fk"]
    texts = copies_text(write_case(tmp_path, adult), ["plan"])
    assert "Boendestöd" in texts["plan-fk-sv"]
    assert "utdrag" not in texts["plan-fk-sv"]


@pytest.mark.req("R-S5")
def test_full_plan_names_other_actors_covered_by_the_consent(adult: dict[str, Any]) -> None:
    adult["consent"]["full_plan"] = ["psyk", "af", "fk"]
    assert report(adult) == [
        "error: [R-S5] consent.full_plan[0]: 'psyk' is not another actor (a party with "
        "principal: other); municipality and region parties get the whole plan anyway",
        "error: [R-S5] consent.full_plan[1]: 'af' is not covered by the consent (consent.actors)",
    ]


@pytest.mark.req("R-S5")
def test_an_other_actor_gets_an_extract_of_the_follow_up(
    adult: dict[str, Any], tmp_path: Path
) -> None:
    adult["follow_ups"] = [
        {
            "date": "2027-02-18",
            "participants": [
                {"party": "soc", "name": "Eva Lind"},
                {"party": "fk", "name": "Leila Ek"},
            ],
            "goals": [
                {"goal": "m2", "outcome": "partly", "comment": "Sover bättre men har ångest."},
                {"goal": "m3", "outcome": "achieved", "comment": "Beslut om sjukpenning."},
            ],
            "changed_circumstances": "Amal har flyttat till sin bror.",
            "interventions": [
                {
                    "goal": "m2",
                    "what": "Samtalsbehandling fortsätter.",
                    "responsible": "psyk",
                    "status": "ongoing",
                },
                {
                    "goal": "m3",
                    "what": "Sjukpenning betalas ut.",
                    "responsible": "fk",
                    "status": "ongoing",
                },
            ],
            "continued_need": True,
            "next_follow_up": {"date": "2027-05-20", "responsible": "soc"},
        }
    ]
    texts = copies_text(write_case(tmp_path, adult), ["uppfoljning"])
    fk = texts["uppfoljning-fk-sv"]
    assert "Det här är ett utdrag ur uppföljningen" in fk
    assert "Sjukpenning betalas ut." in fk
    assert "Beslut om sjukpenning." in fk
    for elsewhere in ("Samtalsbehandling", "ångest", "flyttat", "Eva Lind, Socialtjänsten"):
        assert elsewhere not in fk, elsewhere
    assert "flyttat" in texts["uppfoljning-psyk-sv"]
    # psyk carries on an intervention: it gets the follow-up though it missed the meeting
    assert "uppfoljning-psyk-sv" in texts


# --- R-S6: the secrecy notice ------------------------------------------------------------


@pytest.mark.req("R-S6")
def test_copies_to_parties_and_relatives_carry_the_secrecy_notice() -> None:
    for stem, words in copies_text(ADULT).items():
        own = "-individ-" in stem
        assert (SECRECY in words) is not own, stem


@pytest.mark.req("R-S6")
def test_a_layer_rewords_the_secrecy_notice(tmp_path: Path) -> None:
    layers = tmp_path / "layers"
    shutil.copytree(TEMPLATES / "lillan", layers / "lillan")
    profile = layers / "lillan" / "layer.yaml"
    profile.write_text(
        profile.read_text(encoding="utf-8")
        + "secrecy_notice: Sekretess gäller enligt OSL 25 kap. 1 § och 26 kap. 1 §.\n",
        encoding="utf-8",
    )
    texts = copies_text(ADULT, ["kallelse"], Registry([layers]))
    assert "Sekretess gäller enligt OSL 25 kap. 1 § och 26 kap. 1 §." in texts["kallelse-fk-sv"]
    assert SECRECY not in texts["kallelse-fk-sv"]
    assert "Sekretess gäller" not in texts["kallelse-individ-sv"]
    assert "2009:400" in SECRECY_NOTICE


# --- R-S7: the sender's letterhead -------------------------------------------------------


@pytest.mark.req("R-S7")
def test_a_region_unit_writes_on_the_regions_letterhead(
    adult: dict[str, Any], tmp_path: Path
) -> None:
    adult["meeting"]["convener"] = {"party": "psyk", "name": "Johan Berg"}
    path = write_case(tmp_path, adult)
    kallelse = contexts(path, ["kallelse"])[0]
    assert [layer.name for layer in kallelse.disclosure.letterhead] == ["default", "mellanland"]
    assert kallelse.profile.name == "Region Mellanland"
    assert kallelse.logo == TEMPLATES / "mellanland" / "logo.svg"
    words = copies_text(path, ["kallelse"])["kallelse-vc-sv"]
    assert "Region Mellanland Psykiatriska öppenvårdsmottagningen Lillån Datum" in words
    assert "212000-9994" not in words  # the municipality's organisation number
    assert "Lillåns kommun ·" not in words  # nor its footer
    assert "Stöd inför mötet" in words  # the municipality's wording still applies
    plan = contexts(path, ["plan"])[0]  # sent by soc, the overall responsible
    assert plan.profile.name == "Lillåns kommun"


@pytest.mark.req("R-S7")
def test_an_other_actor_writes_without_a_principals_letterhead() -> None:
    chain = REGISTRY.chain("lillan")
    case = load_case(ADULT).case
    assert case is not None
    fk = case.party("fk")
    assert letterhead_chain(chain, fk) == chain[:1]
    assert letterhead_chain(chain, case.party("soc")) == chain


# --- R-S8: post and the archive copy ------------------------------------------------------


def _god_man(adult: dict[str, Any], address: bool) -> dict[str, Any]:
    adult["individual"]["representative"] = {
        "role": "god_man",
        "name": "Kerstin Ödman",
        "phone": "070-555 12 34",
        **(
            {"address": {"street": "Ängsvägen 3", "postal_code": "123 41", "city": "Lillån"}}
            if address
            else {}
        ),
    }
    adult["consent"]["given_by"] = "representative"
    return adult


@pytest.mark.req("R-S8")
def test_a_god_mans_copies_go_to_the_god_mans_address(
    adult: dict[str, Any], tmp_path: Path
) -> None:
    path = write_case(tmp_path, _god_man(adult, address=True))
    texts = copies_text(path, ["samtycke", "plan"])
    for stem in ("samtycke-foretradare-sv", "plan-foretradare-sv"):
        assert "Kerstin Ödman Ängsvägen 3 123 41 Lillån" in texts[stem]
        assert "Kerstin Ödman Storgatan 12 B" not in texts[stem]


@pytest.mark.req("R-S8")
def test_a_missing_address_is_a_warning_and_the_window_says_so(
    adult: dict[str, Any], tmp_path: Path
) -> None:
    path = write_case(tmp_path, _god_man(adult, address=False))
    outputs = render_case(path, tmp_path / "out", documents=["plan"], formats=["html"])
    warnings = {w for o in outputs for w in o.context.warnings if "R-S8" in w}
    assert warnings == {
        "[R-S8] foretradare: individual.representative.address: the copy goes by post but "
        "there is no whole address (street, postal_code, city); its window says the address "
        "is missing"
    }
    words = copies_text(path, ["plan"])["plan-foretradare-sv"]
    assert "Kerstin Ödman Adressen saknas" in words


@pytest.mark.req("R-S8")
@pytest.mark.parametrize("version", ["1", "2"])
def test_a_relative_without_an_address_is_handed_the_copy_from_version_2(
    adult: dict[str, Any], tmp_path: Path, version: str
) -> None:
    assert "address" not in adult["relatives"][0]
    adult["case"]["templates"] = {"kallelse": version}
    path = write_case(tmp_path, adult)
    outputs = render_case(path, tmp_path / "out", documents=["kallelse"], formats=["html"])
    warnings = [w for o in outputs for w in o.context.warnings if "R-S8" in w]
    words = copies_text(path, ["kallelse"])["kallelse-narstaende1-sv"]
    if version == "1":  # frozen as it was: posted, and the address missing
        assert warnings == [
            "[R-S8] narstaende1: relatives[0].address: the copy goes by post but there is no "
            "whole address (street, postal_code, city); its window says the address is missing"
        ]
        assert "Samir Haddad Adressen saknas" in words
    else:
        assert warnings == []
        assert "Adressen saknas" not in words
        assert "Telefon 0123-456 78 Samir Haddad Handlingen innehåller" in words


@pytest.mark.req("R-S8")
def test_the_senders_own_copy_is_an_archive_copy_without_a_reply_section() -> None:
    texts = copies_text(ADULT, ["kallelse"])
    own = texts["kallelse-soc-sv"]
    assert "Arkivexemplar" in own
    assert "Svara på kallelsen" not in own
    assert "Svara på kallelsen" in texts["kallelse-psyk-sv"]
    assert "Arkivexemplar" not in texts["kallelse-psyk-sv"]


# --- R-S9: a young person of 15 to 17 ----------------------------------------------------


def _young(child: dict[str, Any]) -> dict[str, Any]:
    """The child reference with Selam born in 2010: 16 on every document date."""
    child["individual"]["personal_id"] = "20100614-2382"
    return child


@pytest.mark.req("R-S9")
@pytest.mark.parametrize("version", ["1", "2"])
def test_a_young_person_signs_beside_the_guardians_and_their_view_is_shown(
    child: dict[str, Any], tmp_path: Path, version: str
) -> None:
    data = _young(child)
    assert report(data) == []
    data["case"]["templates"] = {"samtycke": version}
    words = copies_text(write_case(tmp_path, data), ["samtycke"])["samtycke-vardnadshavare-sv"]
    assert "Den unges egen inställning Selam vill att skolan är med" in words
    # one signature line each: version 1 says "Datum och underskrift NAME", version 2
    # "Namnförtydligande: NAME"
    signers = re.findall(r"(?:Datum och underskrift|Namnförtydligande:) (\w+ \w+)", words)
    assert signers == ["Hiwet Tesfay", "Daniel Tesfay", "Selam Tesfay"]


@pytest.mark.req("R-S9")
def test_validate_warns_when_the_young_persons_view_is_missing(child: dict[str, Any]) -> None:
    data = _young(child)
    del data["consent"]["child_heard"]
    assert report(data) == [
        "warning: [R-S9] consent: the individual is 15 to 17 years old: record the young "
        "person's own view (consent.child_heard)"
    ]


# --- R-S10: a young child ---------------------------------------------------------------


@pytest.mark.req("R-S10")
def test_a_young_child_gets_no_letter_of_their_own(child: dict[str, Any], tmp_path: Path) -> None:
    child["individual"]["personal_id"] = "20180614-2384"  # 8 years old
    path = write_case(tmp_path, child)
    made = [c.stem for c in document_contexts(load_case(path), REGISTRY)]
    assert not [stem for stem in made if "-individ-" in stem]
    assert "plan-vardnadshavare1-sv-lattlast" in made  # the easy-read copy goes to them
    assert "plan-vardnadshavare1-ti" in made


@pytest.mark.req("R-S10")
def test_the_layer_sets_the_age_of_a_letter_of_ones_own(
    child: dict[str, Any], tmp_path: Path
) -> None:
    path = write_case(tmp_path, child)  # Selam is 12
    assert "plan-individ-sv" in stems(path, ["plan"])
    layers = tmp_path / "layers"
    shutil.copytree(TEMPLATES / "lillan", layers / "lillan")
    profile = layers / "lillan" / "layer.yaml"
    profile.write_text(
        profile.read_text(encoding="utf-8") + "own_letter_from_age: 13\n", encoding="utf-8"
    )
    made = [c.stem for c in contexts(path, ["plan"], Registry([layers]))]
    assert "plan-individ-sv" not in made


# --- Who gets the follow-up ---------------------------------------------------------------


def test_the_follow_up_goes_to_whoever_carries_on_though_absent(tmp_path: Path) -> None:
    from tests.conftest import CHILD

    made = [c.stem for c in contexts(CHILD, ["uppfoljning"], follow_up=1)]
    assert "uppfoljning-hab-sv" in made  # not at the meeting; its intervention continues


def test_docx_copies_follow_the_same_disclosure(tmp_path: Path) -> None:
    from tests.docxs import text_of

    renderer = DocxRenderer(REGISTRY)
    for context in contexts(ADULT, ["plan"]):
        if context.recipient.id != "fk":
            continue
        path = tmp_path / "plan-fk.docx"
        path.write_bytes(renderer.render(context))
        words = text_of(path)
        assert "Det här är ett utdrag ur planen" in words
        assert "Boendestöd" not in words
        assert SECRECY in words
