"""Template version 2: sentences that are true for the case at hand (R-W1 to R-W10), read as
plain text for each recipient, on variations of the reference cases."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from sipdocs import TemplateError, load_case
from sipdocs.render import document_contexts
from sipdocs.renderers.text import TextRenderer
from sipdocs.templates import TEMPLATES, Registry
from tests.conftest import ADULT, CHILD, write_case

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

REGISTRY = Registry()


def text(
    case: Path, document: str, recipient: str, variant: str = "standard", lang: str = "sv"
) -> str:
    """One copy as plain text, with whitespace folded."""
    contexts = document_contexts(
        load_case(case), REGISTRY, [document], languages=[lang], variants=[variant]
    )
    context = next(
        c
        for c in contexts
        if c.recipient.id == recipient and c.language == lang and c.variant == variant
    )
    return " ".join(TextRenderer(REGISTRY).render(context).decode().split())


def every_copy(case: Path, role: str, variants: tuple[str, ...] = ("standard",)) -> dict[str, str]:
    """Every Swedish copy of every document to recipients of `role`, by file stem."""
    renderer = TextRenderer(REGISTRY)
    return {
        c.stem: " ".join(renderer.render(c).decode().split())
        for c in document_contexts(
            load_case(case), REGISTRY, languages=["sv"], variants=list(variants)
        )
        if c.recipient.role == role
    }


def test_current_documents_get_version_2_without_template_warnings() -> None:
    """Both reference cases get version 2, with no warning about templates, laws or the
    region's guideline (R-G1, R-W9, R-W10)."""
    for case in (ADULT, CHILD):
        contexts = document_contexts(load_case(case), REGISTRY)
        assert {c.selection.version.version for c in contexts} == {"2"}
        assert [c.selection.warnings for c in contexts if c.selection.warnings] == []
        assert [c.warnings for c in contexts if c.warnings] == []  # no warning of any kind


# --- R-W1: who consented ----------------------------------------------------------------------


@pytest.mark.req("R-W1")
def test_parties_are_told_who_consented_by_name_and_role(tmp_path: Path) -> None:
    assert "Samtycke till att ni deltar har lämnats av Amal Haddad." in text(
        ADULT, "kallelse", "psyk"
    )
    child = text(CHILD, "kallelse", "bup")
    assert "har lämnats av vårdnadshavarna Hiwet Tesfay och Daniel Tesfay." in child
    assert "Den enskilde har samtyckt" not in child
    assert (
        "Samtycket gavs skriftligt av vårdnadshavarna Hiwet Tesfay och Daniel Tesfay den "
        "11 januari 2027" in text(CHILD, "plan", "soc")
    )


@pytest.mark.req("R-W1")
def test_only_someone_who_consented_is_told_they_can_change_their_mind(
    adult: dict[str, Any], tmp_path: Path
) -> None:
    adult["individual"]["representative"] = {
        "role": "god_man",
        "name": "Per Lindqvist",
        "address": {"street": "Kyrkvägen 3", "postal_code": "123 41", "city": "Lillån"},
    }
    adult["consent"]["given_by"] = "representative"
    case = write_case(tmp_path, adult)
    party = text(case, "kallelse", "psyk")
    assert "har lämnats av Per Lindqvist, god man för Amal Haddad." in party
    individual = text(case, "kallelse", "individ")
    assert "ändra dig om ditt samtycke" not in individual
    assert "Du bestämmer själv" not in individual
    assert "Du kan när som helst ändra dig om ditt samtycke." in text(
        case, "kallelse", "foretradare"
    )
    plan = text(case, "plan", "individ")
    assert "av Per Lindqvist, god man för Amal Haddad den 28 oktober 2026" in plan
    assert "Du kan när som helst återkalla det." not in plan


# --- R-W2: only written consent is signed -----------------------------------------------------


@pytest.mark.req("R-W2")
def test_written_consent_has_a_declaration_printed_name_place_and_receiver() -> None:
    signed = text(ADULT, "samtycke", "individ")
    assert "Jag samtycker till det som står ovan" in signed
    assert "Ort och datum Underskrift Namnförtydligande: Amal Haddad" in signed
    assert "Mottaget av, datum Socialtjänsten, Lillåns kommun" in signed
    guardians = text(CHILD, "samtycke", "vardnadshavare")
    assert guardians.count("Namnförtydligande:") == 2
    assert "Vi samtycker till det som står ovan" in guardians


@pytest.mark.req("R-W2")
def test_oral_consent_is_confirmed_not_signed(adult: dict[str, Any], tmp_path: Path) -> None:
    adult["consent"]["form"] = "oral"
    case = write_case(tmp_path, adult)
    copy = text(case, "samtycke", "individ")
    assert "Här är en bekräftelse av samtycket" in copy
    assert "så det behöver inte skrivas under" in copy
    assert (
        "Samtycket lämnades muntligt av Amal Haddad den 28 oktober 2026 och dokumenterades av "
        "Socialtjänsten, Lillåns kommun. Stämmer något inte, hör av dig till Eva Lind." in copy
    )
    assert "skriv under" not in copy
    assert "Underskrift" not in copy
    easy = text(case, "samtycke", "individ", "lattlast")
    assert "Du behöver inte skriva under." in easy
    assert "Skriv under" not in easy


# --- R-W3: the reason for closing -------------------------------------------------------------


def withdrawn(child: dict[str, Any], tmp_path: Path) -> Path:
    child["consent"]["withdrawn"] = "2027-06-07"
    child["closure"]["reason"] = "consent_withdrawn"
    child["closure"]["note"] = "Vårdnadshavarna vill inte längre att skolan och BUP samverkar."
    return write_case(tmp_path, child)


@pytest.mark.req("R-W3")
def test_a_withdrawal_is_never_called_no_need_and_parties_get_the_fact_not_the_note(
    child: dict[str, Any], tmp_path: Path
) -> None:
    case = withdrawn(child, tmp_path)
    party = text(case, "avslutning", "skola")
    assert "Planen avslutas eftersom samtycket återkallades 7 juni 2027." in party
    assert "vill inte längre" not in party
    assert "behov" not in party.split("Därför avslutas planen")[1].split("Vad händer nu")[0]
    assert "vill inte längre att skolan och BUP samverkar" in text(
        case, "avslutning", "vardnadshavare1"
    )
    follow_up = text(case, "uppfoljning", "soc")
    assert "Planen avslutas eftersom samtycket återkallades 7 juni 2027." in follow_up
    assert "inte längre behov" not in follow_up
    easy = text(case, "uppfoljning", "vardnadshavare1", "lattlast")
    assert "Samtycket gäller inte längre." in easy
    assert "Alla tycker" not in easy


@pytest.mark.req("R-W3")
def test_the_reason_is_said_once() -> None:
    closure = text(CHILD, "avslutning", "vardnadshavare1")
    reason = closure.split("Därför avslutas planen")[1].split("Vad händer nu")[0]
    assert reason.count("uppfyllda") == 1
    assert "Skolan fortsätter med sina anpassningar" in reason


# --- R-W4: a follow-up meeting ----------------------------------------------------------------


@pytest.mark.req("R-W4")
def test_a_follow_up_meeting_is_invited_as_a_follow_up(
    adult: dict[str, Any], tmp_path: Path
) -> None:
    adult["meeting"]["kind"] = "follow_up"
    case = write_case(tmp_path, adult)
    assert "Kallelse till uppföljande SIP-möte" in text(case, "kallelse", "psyk")
    assert "Inbjudan till uppföljande SIP-möte" in text(case, "kallelse", "fk")
    individual = text(case, "kallelse", "individ")
    assert (
        "Välkommen till ett möte där vi följer upp din samordnade individuella plan" in individual
    )
    assert "gör vi tillsammans en plan" not in individual


# --- R-W5: on site, digital, both; a venue's facts ------------------------------------------


@pytest.mark.req("R-W5")
def test_on_site_digital_and_hybrid_meetings_are_worded_as_they_are(
    adult: dict[str, Any], tmp_path: Path
) -> None:
    assert "Mötesform: På plats" in text(ADULT, "kallelse", "psyk")
    assert "Mötesform: Digitalt" in text(CHILD, "kallelse", "bup")
    adult["meeting"]["digital_link"] = "https://mote.lillan.example/sip-0142"
    hybrid = text(write_case(tmp_path, adult), "kallelse", "individ")
    assert "Mötesform: På plats och digitalt" in hybrid
    assert "Du kan vara med på plats eller digitalt." in hybrid
    assert "Mötet hålls digitalt" not in hybrid


@pytest.mark.req("R-W5")
def test_facts_about_a_venue_appear_only_for_that_venue(
    adult: dict[str, Any], tmp_path: Path
) -> None:
    for recipient in ("individ", "psyk", "narstaende1"):
        assert "hörslinga" not in text(ADULT, "kallelse", recipient).casefold()
    adult["meeting"]["venue"] = "kommunhuset"
    adult["meeting"]["location"] = "rum Ängen"
    case = write_case(tmp_path, adult)
    copy = text(case, "kallelse", "individ")
    assert "Plats: Lillåns kommunhus, rum Ängen" in copy
    assert "Hörslinga i mötesrummen." in copy
    assert "Hörslinga i mötesrummen." in text(case, "kallelse", "individ", "lattlast")
    adult["meeting"]["venue"] = "sjukhuset"
    with pytest.raises(
        TemplateError,
        match=r"^meeting.venue: unknown venue 'sjukhuset' \(venues of the case's layers: "
        r"kommunhuset\)$",
    ):
        text(write_case(tmp_path, adult), "kallelse", "individ")


# --- R-W6: free of charge, interventions keep their fees -----------------------------------


@pytest.mark.req("R-W6")
def test_the_meeting_and_plan_are_free_and_interventions_keep_their_fees() -> None:
    copy = text(ADULT, "kallelse", "individ")
    assert (
        "Det kostar ingenting att ha ett SIP-möte och en samordnad individuell plan. För "
        "insatserna i planen gäller de vanliga avgifterna." in copy
    )
    easy = text(ADULT, "kallelse", "individ", "lattlast")
    assert "Mötet och planen kostar ingenting. Stöd och hjälp kan kosta som vanligt." in easy


# --- R-W7: substitutes ------------------------------------------------------------------------


@pytest.mark.req("R-W7")
def test_principals_name_a_substitute_others_tell_if_prevented() -> None:
    assert "Om den som skulle delta får förhinder ska ni utse en ersättare." in text(
        ADULT, "kallelse", "psyk"
    )
    other = text(ADULT, "kallelse", "fk")
    assert (
        "Meddela den som kallar om ni får förhinder. Ni är välkomna att skicka någon annan" in other
    )
    assert "ersättare" not in other
    relative = text(ADULT, "kallelse", "narstaende1")
    assert "Hör av dig senast 16 november 2026 om du inte kan komma." in relative
    assert "ha med dig någon" not in relative


# --- R-W8: each copy speaks to its reader -----------------------------------------------------


@pytest.mark.req("R-W8")
def test_the_individuals_copies_say_du_and_never_den_enskilde() -> None:
    copies = every_copy(ADULT, "individual") | {
        f"child-{stem}": copy for stem, copy in every_copy(CHILD, "individual").items()
    }
    assert len(copies) == 7
    assert {
        stem: "den enskilde" in copy.casefold() for stem, copy in copies.items()
    } == dict.fromkeys(copies, False)
    assert "Du var med på mötet: Ja" in copies["plan-individ-sv"]


@pytest.mark.req("R-W8")
def test_the_guardians_copies_say_ni_throughout() -> None:
    du = re.compile(r"\b(du|dig|din|ditt|dina)\b", re.IGNORECASE)
    copies = every_copy(CHILD, "guardian", ("standard", "lattlast"))
    copies |= every_copy(CHILD, "guardians", ("standard", "lattlast"))
    assert len(copies) == 18
    assert {stem: du.findall(copy) for stem, copy in copies.items()} == {s: [] for s in copies}


@pytest.mark.req("R-W8")
def test_relatives_and_parties_read_about_the_individual_by_name(
    adult: dict[str, Any], tmp_path: Path
) -> None:
    adult["consent"]["relatives"] = ["Samir Haddad"]  # written records to him (R-S3)
    relative = text(write_case(tmp_path, adult), "plan", "narstaende1")
    assert "Här är den samordnade individuella planen för Amal Haddad." in relative
    assert "Det här är viktigt för Amal Haddad" in relative
    assert "Målet så som Amal Haddad säger det" in relative
    assert "Målet med mina ord" not in relative
    assert "Om Amal Haddad inte är känd hos er" in text(ADULT, "kallelse", "psyk")


# --- R-W9: laws from the manifest -------------------------------------------------------------


@pytest.mark.req("R-W9")
def test_version_2_cites_the_laws_its_manifest_names() -> None:
    copy = text(ADULT, "kallelse", "psyk")
    assert (
        "enligt socialtjänstlagen (2025:400) och 16 kap. 4 § hälso- och sjukvårdslagen (2017:30)."
        in copy
    )
    assert "2 kap. 7 §" not in copy
    source = (TEMPLATES / "default" / "kallelse" / "2" / "kallelse.html").read_text("utf-8")
    assert "socialtjänstlagen" not in source


# --- Further faults (point 4 of issue 17) ----------------------------------------------------


def test_long_dates_in_tables_and_24_hour_times_in_every_language() -> None:
    assert "Start: 1 december 2026" in text(ADULT, "plan", "psyk")
    assert "Datum: 20 november 2026" in text(ADULT, "plan", "psyk")
    tigrinya = text(CHILD, "kallelse", "vardnadshavare1", lang="ti")
    assert "13:30" in tigrinya
    assert "14:30" in tigrinya
    assert "ድ.ቀ." not in tigrinya


def test_the_plan_says_whom_it_is_sent_to_and_the_responsible_lead_person() -> None:
    plan = text(ADULT, "plan", "psyk")
    assert (
        "Huvudansvarig för planen: Socialtjänsten, Lillåns kommun Kontaktperson: Eva Lind, 0123-456 78"
        in plan
    )
    assert "Planen skickas till ------------------- - Amal Haddad - Socialtjänsten" in plan
    assert "Planen skickas till" in text(CHILD, "uppfoljning", "soc")
    continued = text(SAMPLES / "ung-vuxen-beroende.yaml", "uppfoljning", "af")
    assert (
        "Planen fortsätter att gälla. Huvudansvarig för planen: Socialtjänsten, Lillåns kommun "
        "Kontaktperson: Fredrik Holm, 0123-456 84" in continued
    )


def test_a_child_case_says_whether_guardians_took_part_and_books_their_interpreter(
    child: dict[str, Any], tmp_path: Path
) -> None:
    assert "Ingen vårdnadshavare deltog." in text(CHILD, "plan", "soc")
    child["plan"]["participants"].append({"guardian": "Hiwet Tesfay"})
    child["individual"]["guardians"][0]["interpreter"] = "ti"
    case = write_case(tmp_path, child)
    assert "Vårdnadshavare som deltog: Hiwet Tesfay." in text(case, "plan", "soc")
    assert "Tolk: tigrinska, bokad till Hiwet Tesfay" in text(case, "kallelse", "bup")


def test_letters_to_private_persons_close_with_the_senders_name_and_title() -> None:
    assert "Med vänliga hälsningar Eva Lind, socialsekreterare Socialtjänsten, Lillåns kommun" in (
        text(ADULT, "kallelse", "individ")
    )
    assert "Med vänliga hälsningar" not in text(ADULT, "kallelse", "psyk")


def test_the_last_follow_up_shows_every_goal_with_its_outcome() -> None:
    last = text(CHILD, "uppfoljning", "soc")
    goals = last.split("Så har det gått med målen")[1].split("Förändrade förhållanden")[0]
    assert goals.count("Resultat: Uppnått") == 3
    assert "(vid uppföljningen 19 april 2027)" in goals


def test_the_individual_is_told_sip_is_voluntary_and_what_to_think_about() -> None:
    copy = text(ADULT, "kallelse", "individ")
    assert "Det är frivilligt att ha en SIP. Du bestämmer själv om du vill ha en plan." in copy
    for question in (
        "Vad är viktigt för dig?",
        "Vad fungerar bra i dag?",
        "Vad vill du ha hjälp med?",
    ):
        assert question in copy
