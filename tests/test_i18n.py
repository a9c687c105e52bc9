"""Translations: catalogs, which copies are made, locale dates, scripts and direction."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from docx.oxml.ns import qn
from markupsafe import Markup
from typer.testing import CliRunner

from sipdocs import load_case
from sipdocs.catalogs import CatalogSet, catalog_set, extract, status
from sipdocs.check import check_pdf
from sipdocs.cli import app
from sipdocs.context import TRANSLATION_NOTICE
from sipdocs.i18n import format_clock, format_date, format_meeting_time, read_catalog
from sipdocs.render import DocumentContext, document_contexts, render_case
from sipdocs.renderers.docx import DocxRenderer
from sipdocs.renderers.html import HtmlRenderer
from sipdocs.renderers.pdf import PdfRenderer
from sipdocs.templates import TEMPLATES, Registry
from sipdocs.textsafety import isolated, isolated_always
from tests.conftest import ADULT, CHILD, plan_files, write_case
from tests.docxs import open_docx, part_xml
from tests.pdfs import arabic_contextual_share, structure_languages, text_of

runner = CliRunner()
TRANSLATED = ("en", "fi", "se", "ar", "fa", "so", "ti", "uk")
LAYERS = (None, TEMPLATES / "mellanland", TEMPLATES / "lillan")
MEETING = dt.datetime(2026, 11, 20, 13, 0)


def context_for(
    case: Path, document: str, recipient: str, language: str, registry: Registry | None = None
) -> DocumentContext:
    return next(
        c
        for c in document_contexts(load_case(case), registry or Registry(), [document])
        if c.recipient.id == recipient and c.language == language
    )


# --- Catalogs ---------------------------------------------------------------------------


def test_status_shows_every_language_translated_and_unreviewed() -> None:
    result = runner.invoke(app, ["i18n", "status"])
    assert result.exit_code == 0
    unreviewed = "unreviewed (not checked by an authorised translator)"
    assert result.stdout.splitlines() == [
        "language  translated  fuzzy  missing  review",
        "sv              100%      0        0  source language: the original, which prevails",
        *(f"{code:<9}       100%      0        0  {unreviewed}" for code in TRANSLATED),
    ]
    assert result.stderr == (
        "not reviewed by an authorised translator: en, fi, se, ar, fa, so, ti, uk\n"
    )


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: layer.name if layer else "default")
def test_every_catalog_is_complete_and_says_how_it_was_made(layer: Path | None) -> None:
    catalogs = catalog_set(layer)
    rows = status(catalogs)
    assert [row.language for row in rows] == ["sv", *TRANSLATED]
    for row in rows[1:]:
        assert (row.percent, row.fuzzy, row.missing) == (100, 0, 0), row.language
        assert row.translated_by.startswith("machine translation"), row.language
        assert not row.reviewed
        catalog = read_catalog(catalogs.po(row.language))
        assert [errors for _, errors in catalog.check()] == [], row.language


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: layer.name if layer else "default")
def test_committed_templates_hold_what_extraction_finds(layer: Path | None, tmp_path: Path) -> None:
    committed = catalog_set(layer)
    fresh = extract(CatalogSet(tmp_path, committed.sources, committed.name))
    assert {m.id for m in fresh if m.id} == {m.id for m in read_catalog(committed.pot) if m.id}


def test_layer_catalogs_hold_only_what_the_layer_adds() -> None:
    assert [m.id for m in read_catalog(catalog_set(TEMPLATES / "lillan").pot) if m.id][1:] == [
        "Stöd inför mötet",
        "Behöver du hjälp att ta dig till mötet, eller stöd med att förbereda dig, kan du ringa "
        "Medborgarkontoret i Lillån på 0123-400 00, vardagar kl. 8–16.",
        "Behöver ni hjälp att ta er till mötet, eller stöd med att förbereda er, kan ni ringa "
        "Medborgarkontoret i Lillån på 0123-400 00, vardagar kl. 8–16.",
        "Frågor om kommunens lokaler och teknik besvaras av Medborgarkontoret i Lillån, "
        "0123-400 00.",
    ]


def test_i18n_commands_extract_start_update_and_compile_a_layer(tmp_path: Path) -> None:
    layer = tmp_path / "lillan"
    shutil.copytree(TEMPLATES / "lillan", layer)
    extracted = runner.invoke(app, ["i18n", "extract", "--layer", str(layer)])
    assert extracted.stdout == f"wrote {layer}/locales/sipdocs.pot (5 message(s))\n"
    started = runner.invoke(app, ["i18n", "update", "--layer", str(layer), "--lang", "pl"])
    assert started.exit_code == 0
    assert f"updated {layer}/locales/pl/LC_MESSAGES/sipdocs.po" in started.stdout.splitlines()
    polish = read_catalog(layer / "locales/pl/LC_MESSAGES/sipdocs.po")
    assert "# Review: unreviewed (not checked by an authorised translator)" in (
        polish.header_comment
    )
    compiled = runner.invoke(app, ["i18n", "compile", "--layer", str(layer)])
    assert compiled.exit_code == 0
    assert (layer / "locales/ar/LC_MESSAGES/sipdocs.mo").is_file()
    row = next(r for r in status(catalog_set(layer)) if r.language == "pl")
    assert (row.percent, row.missing) == (0, 5)


def test_compile_refuses_a_broken_placeholder(tmp_path: Path) -> None:
    layer = tmp_path / "lillan"
    shutil.copytree(TEMPLATES / "lillan", layer)
    po = layer / "locales/en/LC_MESSAGES/sipdocs.po"
    po.write_text(
        po.read_text(encoding="utf-8") + '\n#, python-format\nmsgid "Beslut %(date)s."\n'
        'msgstr "Decision %(datum)s."\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["i18n", "compile", "--layer", str(layer)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"sipdocs: error: {po}:110: msgid 'Beslut %(date)s.': the translation has the "
        "placeholders %(datum)s, the source %(date)s; keep exactly the source's\n"
    )


def test_a_layer_catalog_rewords_a_default_message(tmp_path: Path) -> None:
    layer = tmp_path / "lillan"
    shutil.copytree(TEMPLATES / "lillan", layer)
    po = layer / "locales/en/LC_MESSAGES/sipdocs.po"
    po.write_text(
        po.read_text(encoding="utf-8") + '\nmsgid "Tid och plats"\nmsgstr "When and where"\n',
        encoding="utf-8",
    )
    registry = Registry([tmp_path])
    html = HtmlRenderer(registry).html(context_for(ADULT, "kallelse", "individ", "sv", registry))
    assert "Tid och plats" in html
    english = next(
        c
        for c in document_contexts(load_case(ADULT), registry, ["kallelse"], languages=["en"])
        if c.recipient.id == "individ" and c.language == "en"
    )
    assert "<h2>When and where</h2>" in HtmlRenderer(registry).html(english)


# --- Which copies ------------------------------------------------------------------------


def test_adult_reference_makes_arabic_copies_of_the_individuals_documents() -> None:
    copies = [
        (c.kind.name, c.recipient.id, c.language)
        for c in document_contexts(load_case(ADULT), Registry(), variants=["standard"])
        if c.language != "sv"
    ]
    assert copies == [
        ("kallelse", "individ", "ar"),
        ("samtycke", "individ", "ar"),
        ("plan", "individ", "ar"),
    ]


def test_child_reference_makes_tigrinya_copies_for_the_guardians() -> None:
    copies = [
        (c.kind.name, c.recipient.id)
        for c in document_contexts(load_case(CHILD), Registry(), variants=["standard"])
        if c.language == "ti"
    ]
    assert copies == [
        ("kallelse", "vardnadshavare1"),
        ("kallelse", "vardnadshavare2"),
        ("samtycke", "vardnadshavare"),
        ("plan", "vardnadshavare1"),
        ("plan", "vardnadshavare2"),
        ("uppfoljning", "vardnadshavare1"),
        ("uppfoljning", "vardnadshavare2"),
        ("avslutning", "vardnadshavare1"),
        ("avslutning", "vardnadshavare2"),
    ]


def test_lang_option_names_the_translations_and_keeps_the_original(tmp_path: Path) -> None:
    names = plan_files(tmp_path, "--lang", "en,uk", "--variant", "standard")
    assert names[:3] == ["plan-individ-sv.html", "plan-individ-en.html", "plan-individ-uk.html"]
    assert len(names) == 15  # five recipients (the brother has no consent: R-S3), three languages
    swedish_only = plan_files(tmp_path / "sv", "--lang", "sv")
    assert all(name.endswith(("-sv.html", "-sv-lattlast.html")) for name in swedish_only)


def test_lang_option_refuses_a_language_without_catalog(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(ADULT), "--lang", "pl", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] + "\n" == (
        "sipdocs: error: --lang: no translation into 'pl' "
        "(languages: sv, en, fi, se, ar, fa, so, ti, uk)\n"
    )


def test_a_language_without_catalog_gets_the_original_and_a_warning(
    adult: dict[str, Any], tmp_path: Path
) -> None:
    adult["individual"]["language"] = "pl"
    case = write_case(tmp_path, adult)
    result = runner.invoke(
        app, ["render", str(case), "--doc", "plan", "--format", "html", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0
    assert not [line for line in result.stdout.splitlines() if "-pl." in line]
    assert (
        f"{case}: warning: individ: no catalog for 'pl', so only the Swedish original is made"
        in result.stderr.splitlines()
    )


# --- What a translation says -------------------------------------------------------------


def test_a_translation_says_so_in_its_language_and_in_swedish() -> None:
    context = context_for(CHILD, "kallelse", "vardnadshavare1", "ti")
    html = HtmlRenderer(Registry()).html(context)
    notice = context.translations.gettext(TRANSLATION_NOTICE)
    assert notice != TRANSLATION_NOTICE
    assert f"<p>{notice}</p>" in html
    assert f'<p lang="sv" dir="ltr">{TRANSLATION_NOTICE}</p>' in html
    assert html.index('class="translation"') < html.index("<main>")
    swedish = HtmlRenderer(Registry()).html(context_for(CHILD, "kallelse", "vardnadshavare1", "sv"))
    assert 'class="translation"' not in swedish


def test_untranslated_free_text_is_swedish_marked_and_announced() -> None:
    context = context_for(CHILD, "kallelse", "vardnadshavare1", "ti")
    html = HtmlRenderer(Registry()).html(context)
    parts = context.translations.gettext(
        "Vissa delar av dokumentet är på svenska, eftersom de inte har översatts."
    )
    assert f"<p>{parts}</p>" in html
    assert '<span lang="sv">' in html
    tigrinya_only = context_for(CHILD, "kallelse", "skola", "sv")
    assert "Vissa delar" not in HtmlRenderer(Registry()).html(tigrinya_only)


def test_free_text_with_a_translation_uses_it(child: dict[str, Any], tmp_path: Path) -> None:
    child["meeting"]["question"] = {
        "sv": "Hur mår Selam i skolan?",
        "ti": "ሰላም ኣብ ቤት ትምህርቲ ከመይ ኣላ?",
    }
    context = context_for(write_case(tmp_path, child), "kallelse", "vardnadshavare1", "ti")
    html = HtmlRenderer(Registry()).html(context)
    assert "ሰላም ኣብ ቤት ትምህርቲ ከመይ ኣላ?" in html
    assert "Hur mår Selam i skolan?" not in html


@pytest.mark.req("R-P13")
def test_swedish_parts_carry_their_language_in_the_pdf_tags() -> None:
    pdf = PdfRenderer(Registry()).render(context_for(ADULT, "plan", "individ", "ar"))
    languages = structure_languages(pdf)
    assert ("/P", "sv") in languages  # the notice's Swedish line
    assert ("/Span", "sv") in languages  # free text the case has not translated
    assert {lang for _, lang in languages} == {"sv"}


def test_swedish_parts_carry_their_language_in_the_docx(tmp_path: Path) -> None:
    path = tmp_path / "plan-ar.docx"
    path.write_bytes(DocxRenderer(Registry()).render(context_for(ADULT, "plan", "individ", "ar")))
    body = open_docx(path)
    swedish = [
        run
        for run in body.element.body.iter(qn("w:r"))
        if (lang := run.find(f"{qn('w:rPr')}/{qn('w:lang')}")) is not None
        and lang.get(qn("w:val")) == "sv-SE"
    ]
    texts = ["".join(t.text for t in run.iter(qn("w:t"))) for run in swedish]
    assert TRANSLATION_NOTICE in texts
    case = load_case(ADULT).case
    assert case is not None
    assert case.plan is not None
    assert case.plan.goals[0].own_words is not None
    assert case.plan.goals[0].own_words.sv in texts
    assert all(run.find(f"{qn('w:rPr')}/{qn('w:rtl')}") is None for run in swedish)
    fonts = list(part_xml(path, "word/styles.xml").iter(qn("w:rFonts")))
    assert {f.get(qn("w:cs")) for f in fonts} == {"Noto Sans Arabic"}  # not the theme's
    assert all(f.get(qn("w:cstheme")) is None for f in fonts)


# --- Dates, times and names of languages ---------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sv", "fredag 20 november 2026 kl. 13.00"),
        ("en", "Friday, 20 November 2026 at 13:00"),
        ("fi", "perjantai 20. marraskuuta 2026 klo 13.00"),
        ("ar", "الجمعة، 20 نوفمبر 2026، الساعة 1:00 م"),
        ("uk", "пʼятниця, 20 листопада 2026\u202fр. о 13:00"),
        ("ti", "ዓርቢ፣ 20 ሕዳር 2026 ሰዓት 1:00 ድ.ቀ."),
    ],
)
def test_meeting_times_come_from_babel_for_the_language(language: str, expected: str) -> None:
    assert format_meeting_time(MEETING, language) == expected


@pytest.mark.parametrize("language", ["smj", "sma", "fit", "rom"])
def test_languages_without_cldr_dates_use_swedish_formats(language: str) -> None:
    assert format_date(MEETING.date(), language) == "20 november 2026"
    assert format_clock(MEETING, language) == "13.00"
    assert format_meeting_time(MEETING, language) == "fredag 20 november 2026 kl. 13.00"


def test_dari_dates_are_persian_as_written_in_afghanistan() -> None:
    assert format_date(MEETING.date(), "prs") == "20 نومبر 2026"  # fa_AF; Iranian: نوامبر
    assert format_date(MEETING.date(), "fa") == "20 نوامبر 2026"


def test_language_names_are_in_the_reader_language() -> None:
    html = HtmlRenderer(Registry()).html(context_for(ADULT, "kallelse", "individ", "ar"))
    assert "<dd>العربية، محجوز لك</dd>" in html  # the interpreter's language, booked for you
    swedish = HtmlRenderer(Registry()).html(context_for(ADULT, "kallelse", "individ", "sv"))
    assert "<dd>arabiska, bokad till dig</dd>" in swedish


# --- Scripts and direction -----------------------------------------------------------------


def test_data_is_bidi_isolated_in_right_to_left_copies_only() -> None:
    assert isolated("070-123 45 67") == "\u2068070-123 45 67\u2069"
    assert isolated("SIP-2026-0142") == "SIP-2026-0142"
    assert isolated(Markup("<b>en mening</b>")) == Markup("<b>en mening</b>")
    assert isolated_always("19880412-3928") == "\u206819880412-3928\u2069"  # DOCX: every value
    assert isolated_always("Eva Lind") == "\u2068Eva Lind\u2069"
    assert isolated_always("دعوة إلى اجتماع SIP") == "دعوة إلى اجتماع SIP"  # ... but Arabic
    arabic = HtmlRenderer(Registry()).html(context_for(ADULT, "kallelse", "individ", "ar"))
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "<dd>\u2068070-123 45 67\u2069</dd>" in arabic or "\u20680123-456 78\u2069" in arabic
    assert "<p>\u2068123 45 Lillån\u2069</p>" in arabic
    swedish = HtmlRenderer(Registry()).html(context_for(ADULT, "kallelse", "individ", "sv"))
    assert "\u2068" not in swedish


def test_arabic_copy_is_right_to_left_with_joined_letters() -> None:
    pdf = PdfRenderer(Registry()).render(context_for(ADULT, "kallelse", "individ", "ar"))
    assert arabic_contextual_share(pdf) > 0.5
    swedish = PdfRenderer(Registry()).render(context_for(ADULT, "kallelse", "individ", "sv"))
    assert arabic_contextual_share(swedish) == 0.0


def test_guardians_kallelse_in_tigrinya_uses_an_ethiopic_font(tmp_path: Path) -> None:
    outputs = render_case(CHILD, tmp_path, documents=["kallelse"], languages=["ti"])
    tigrinya = next(o for o in outputs if o.path.name == "kallelse-vardnadshavare1-ti.pdf")
    pdf = tigrinya.path.read_bytes()
    assert check_pdf(pdf).problems() == []
    assert tigrinya.context.title in text_of(tigrinya.path)
    from io import BytesIO

    from pypdf import PdfReader

    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in PdfReader(BytesIO(pdf)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert "Noto-Sans-Ethiopic" in fonts


def test_every_document_in_every_language_is_conformant_with_every_glyph() -> None:
    """The first copy of each of the five documents, in Swedish and all eight translations."""
    registry = Registry()
    contexts = document_contexts(load_case(CHILD), registry, languages=TRANSLATED)
    firsts: dict[tuple[str, str], DocumentContext] = {}
    for context in contexts:
        firsts.setdefault((context.kind.name, context.language), context)
    assert len(firsts) == 5 * 9
    renderer = PdfRenderer(registry)
    failures = {
        key: problems
        for key, context in firsts.items()
        if (problems := check_pdf(renderer.render(context)).problems())
    }
    assert failures == {}
