"""Readability (LIX, long sentences) and the plain-text copy it is measured on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sipdocs import load_case
from sipdocs.cli import app
from sipdocs.readability import readability
from sipdocs.render import document_contexts
from sipdocs.renderers.text import TextRenderer, html_to_text, main_text
from sipdocs.templates import Registry
from tests.conftest import ADULT, report

runner = CliRunner()


def test_lix_is_words_per_sentence_plus_percent_long_words() -> None:
    measured = readability("Jag vill vara helt drogfri till jul. Eva hjälper mig!")
    assert (measured.words, measured.sentences, measured.long_words) == (10, 2, 2)
    assert measured.lix == pytest.approx(10 / 2 + 100 * 2 / 10)  # drogfri, hjälper
    assert measured.longest_sentence == 7


def test_a_line_break_ends_a_sentence_and_numbers_are_not_words() -> None:
    measured = readability("Mötet börjar 13.00\nDu får kaffe")
    assert (measured.words, measured.sentences, measured.longest_sentence) == (5, 2, 3)
    assert readability("").lix == 0.0


@pytest.mark.req("R-P13")
def test_easy_read_case_is_warned_about_hard_free_text(adult: dict[str, Any]) -> None:
    adult["plan"]["strengths"] = (
        "Amal har en stabil och välfungerande relation med sin bror, och hon har tidigare "
        "erfarenheter av sysselsättning inom restaurangbranschen."
    )
    assert report(adult) == [
        "warning: [R-P13] plan.strengths.sv: hard to read in the easy-read copy: LIX 51 (over "
        "40); give it a lattlast wording",
    ]


@pytest.mark.req("R-P13")
def test_a_long_plain_sentence_is_not_hard_to_read(adult: dict[str, Any]) -> None:
    """The adult reference's 18-word meeting question: LIX 29, very easy."""
    question = adult["meeting"]["question"]
    assert readability(question).longest_sentence == 18
    assert round(readability(question).lix) == 29
    assert report(adult) == []


@pytest.mark.req("R-P13")
def test_lattlast_wording_is_what_is_judged(adult: dict[str, Any]) -> None:
    hard = (
        "Amal har en stabil och välfungerande relation med sin bror, och hon har tidigare "
        "erfarenheter av sysselsättning inom restaurangbranschen."
    )
    adult["plan"]["strengths"] = {"sv": hard, "lattlast": "Amal och hennes bror är vänner."}
    assert report(adult) == []
    adult["plan"]["strengths"]["lattlast"] = hard
    assert report(adult) == [
        "warning: [R-P13] plan.strengths.lattlast: hard to read in the easy-read copy: LIX 51 "
        "(over 40)",
    ]


@pytest.mark.req("R-P13")
def test_abbreviations_and_long_words_the_copy_does_not_explain(adult: dict[str, Any]) -> None:
    interventions = adult["plan"]["interventions"]
    assert interventions[1]["what"] == "Samtalsbehandling (KBT) varannan vecka."  # explained
    interventions[0]["what"] = "Boendestöd enligt SoL och LSS, BUP (barnpsykiatrin) ger råd."
    interventions[2]["what"] = "Läkemedelsgenomgång och arbetsmarknadsutbildningsinsatser."
    interventions[3]["what"] = "SIP-möte med Försäkringskassan."  # the copy explains SIP
    adult["plan"]["goals"][0]["evaluation"] = "Skattning med PHQ-9."  # not in the easy-read copy
    assert report(adult) == [
        "warning: [R-P13] plan.interventions[0].what.sv: the easy-read copy shows 2 "
        "abbreviation(s) and 0 word(s) of more than 20 letters that it does not explain (at "
        "character 19, 27); write them out or give a lattlast wording",
        "warning: [R-P13] plan.interventions[2].what.sv: the easy-read copy shows 0 "
        "abbreviation(s) and 1 word(s) of more than 20 letters that it does not explain (at "
        "character 25); write them out or give a lattlast wording",
    ]
    interventions[0]["what"] = {"sv": interventions[0]["what"], "lattlast": "Hjälp hemma."}
    assert len(report(adult)) == 1  # the easy-read wording is what the copy shows


def test_no_warning_when_the_case_does_not_ask_for_easy_read(adult: dict[str, Any]) -> None:
    adult["individual"]["easy_read"] = False
    assert report(adult) == []


def test_readability_command_reports_each_copy_and_the_hard_fields() -> None:
    result = runner.invoke(app, ["readability", str(ADULT)])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{ADULT}: kallelse-individ-sv: LIX 27 (300 words, 67 sentences, the longest 23 words)",
        f"{ADULT}: kallelse-individ-sv-lattlast: LIX 20 (208 words, 48 sentences, the longest "
        "18 words); fixed text LIX 10",
        f"{ADULT}: samtycke-individ-sv: LIX 40 (235 words, 59 sentences, the longest 21 words)",
        f"{ADULT}: samtycke-individ-sv-lattlast: LIX 24 (191 words, 37 sentences, the longest "
        "11 words); fixed text LIX 15",
        f"{ADULT}: plan-individ-sv: LIX 28 (474 words, 124 sentences, the longest 17 words)",
        f"{ADULT}: plan-individ-sv-lattlast: LIX 23 (300 words, 60 sentences, the longest "
        "15 words); fixed text LIX 15",
    ]


def test_readability_command_refuses_an_invalid_case(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: sipdocs/1\n", encoding="utf-8")
    result = runner.invoke(app, ["readability", str(bad)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "sipdocs: 1 case(s) not measured"


# --- Plain text ------------------------------------------------------------------------------


@pytest.mark.req("R-P13")
def test_plain_text_follows_reading_order(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["render", str(ADULT), "--doc", "plan", "--format", "txt", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0
    text = (tmp_path / "SIP-2026-0142" / "plan-individ-sv.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[:5] == [
        "Lillåns kommun",
        "Socialtjänsten, Lillåns kommun, Vuxenenheten",
        "Storgatan 1, 123 40 Lillån",
        "Datum: 20 november 2026",
        "Ärende: SIP-2026-0142",
    ]
    assert "Samordnad individuell plan (SIP)\n================================\n" in text
    assert "Namn: Amal Haddad\nPersonnummer: 19880412-3928\n" in text
    assert (
        "Insats: Boendestöd två gånger i veckan.\nMål: 1\n"
        "Ansvarig: Socialtjänsten, Lillåns kommun; Eva Lind, 0123-456 78\n"
        "Status: Beslutad\nStart: 1 december 2026\n"
    ) in text
    assert "- Jag går på mina samtal på mottagningen.\n" in text
    assert lines[-1].startswith("Lillåns kommun · Storgatan 1")  # the footer, once, last
    assert text.count("Org.nr 212000-9994") == 1
    assert "<" not in text


def test_plain_text_of_a_translation_keeps_its_language() -> None:
    registry = Registry()
    context = next(
        c for c in document_contexts(load_case(ADULT), registry, ["kallelse"]) if c.language == "ar"
    )
    text = html_to_text(TextRenderer(registry).html(context))
    assert "الاسم: \u2068Amal Haddad\u2069" in text
    assert "Det här är en översättning" in text


def test_main_text_leaves_out_letterhead_and_footer() -> None:
    html = (
        "<html><body><footer class='orgfooter'><p>Org</p></footer><header><p>Brev</p></header>"
        "<main><h2>Rubrik</h2><dl><dt>Tid</dt><dd>13.00</dd></dl><ol><li>Ett</li><li>Två</li>"
        "</ol></main></body></html>"
    )
    assert main_text(html) == "Rubrik\n------\nTid: 13.00\n1. Ett\n2. Två\n"
    assert html_to_text(html) == "Brev\n\nRubrik\n------\nTid: 13.00\n1. Ett\n2. Två\n\nOrg\n"
