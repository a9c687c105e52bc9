"""The PDF check: conformance, and no character drawn without a glyph (an empty box)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from fontTools.fontBuilder import FontBuilder  # type: ignore[import-untyped]
from fontTools.pens.ttGlyphPen import TTGlyphPen  # type: ignore[import-untyped]
from typer.testing import CliRunner

from sipdocs.check import CheckResult, MissingGlyph, check_pdf, failed_rules, missing_glyphs
from sipdocs.cli import app
from sipdocs.errors import Category, PdfUnreadable, RenderError
from sipdocs.render import render_case
from sipdocs.renderers.pdf import render_pdf
from tests.conftest import ADULT
from tests.pdfs import fonts_of

runner = CliRunner()


def snippet_pdf(
    folder: Path, body: str, family: str = "Noto Sans", lang: str = "sv", css: str = ""
) -> bytes:
    """`body` rendered through the PDF renderer in `family`, with `folder` as the only root."""
    html = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Test</title>'
        f'<style>{css} body {{ font-family: "{family}" }}</style></head><body>{body}</body></html>'
    )
    return render_pdf(html, folder.as_uri() + "/", [folder], lang, "Test", {})[0]


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("out")
    return [output.path for output in render_case(ADULT, out, documents=["plan"], formats=["pdf"])]


def test_plans_are_conformant_and_lose_no_glyph(plans: list[Path]) -> None:
    assert (
        len(plans) == 8
    )  # five recipients (no plan for the brother, R-S3); the individual's Arabic and easy-read copies
    for plan in plans:
        result = check_pdf(plan.read_bytes())
        assert result == CheckResult({"ua1": [], "2u": []}, [])
        assert result.ok
        assert result.problems() == []


@pytest.mark.parametrize(
    ("family", "lang", "text"),
    [
        ("Noto Sans Arabic", "ar", "خطة الرعاية المنسقة: أهداف الفرد بكلماته الخاصة، ١٢٣ لا"),
        ("Noto Naskh Arabic", "ar", "بِسْمِ ٱللَّٰهِ ٱلرَّحْمَٰنِ ٱلرَّحِيمِ، مرحبا بالعالم"),
        ("Noto Sans Ethiopic", "ti", "ሰላም ዓለም፡ እዚ ውጥን ናይ ሓባር እዩ። ፩፪፫"),
    ],
    ids=["arabic-sans", "arabic-naskh-vocalised", "tigrinya"],
)
def test_arabic_and_tigrinya_lose_no_glyph(
    tmp_path: Path, family: str, lang: str, text: str
) -> None:
    pdf = tmp_path / "snippet.pdf"
    pdf.write_bytes(snippet_pdf(tmp_path, f'<p dir="auto">{text}</p>', family, lang))
    assert f"+{family.replace(' ', '-')} " in fonts_of(pdf)  # the text is set in that font
    assert missing_glyphs(pdf.read_bytes()) == []


def test_a_character_no_font_has_is_reported(tmp_path: Path) -> None:
    result = check_pdf(snippet_pdf(tmp_path, "<p>Före \U000f0000 efter</p>"))
    assert [(glyph.char, glyph.page) for glyph in result.missing] == [("\U000f0000", 1)]
    assert result.missing[0].font.endswith("+Noto-Sans")
    assert str(result.missing[0]) == "U+F0000"
    assert not result.ok
    assert result.problems() == [
        "PDF/UA-1: rule PDFUA1-NOTDEF-GLYPH-001 failed",
        "PDF/A-2u: rule PDFA2U-NOTDEF-GLYPH-001 failed",
        "missing glyph U+F0000 (font Noto-Sans, page 1)",
    ]


@pytest.mark.parametrize(
    ("family", "lang", "text", "message"),
    [
        (
            "Noto Sans Arabic",
            "ar",
            "مرحبا \u0886 بالعالم",
            "missing glyph U+0886 ARABIC LETTER THIN YEH (font Noto-Sans-Arabic, page 1)",
        ),
        (
            "Noto Sans Ethiopic",
            "ti",
            "ሰላም \U0001e7e0 ዓለም",
            "missing glyph U+1E7E0 ETHIOPIC SYLLABLE HHYA (font Noto-Sans-Ethiopic, page 1)",
        ),
    ],
    ids=["arabic", "ethiopic"],
)
def test_a_letter_newer_than_the_fonts_is_reported_by_name(
    tmp_path: Path, family: str, lang: str, text: str, message: str
) -> None:
    result = CheckResult({}, missing_glyphs(snippet_pdf(tmp_path, f"<p>{text}</p>", family, lang)))
    assert result.problems() == [message]


def test_each_character_and_font_once_on_the_first_page_it_occurs(tmp_path: Path) -> None:
    page = '<p style="break-before: page">{}</p>'
    body = (
        "<p>Sida ett</p>"
        + page.format("\U000f0001 \U000f0001 \U000f0002")
        + page.format("\U000f0001 <b>\U000f0001</b>")
    )
    missing = missing_glyphs(snippet_pdf(tmp_path, body))
    assert [(str(glyph), glyph.font.split("+")[1], glyph.page) for glyph in missing] == [
        ("U+F0001", "Noto-Sans", 2),
        ("U+F0002", "Noto-Sans", 2),
        ("U+F0001", "Noto-Sans-Bold", 3),
    ]


def test_a_glyph_without_outline_for_visible_text_is_reported(tmp_path: Path) -> None:
    """A font that maps "C" to an empty glyph: page-validation finds nothing wrong."""
    write_font(tmp_path / "blank.ttf", blank=("space", "C"))
    css = "@font-face { font-family: Blank; src: url(blank.ttf) }"
    pdf = snippet_pdf(tmp_path, "<p>AC A</p>", family="Blank", css=css)
    assert failed_rules(pdf) == {"ua1": [], "2u": []}
    assert CheckResult({}, missing_glyphs(pdf)).problems() == [
        "missing glyph U+0043 LATIN CAPITAL LETTER C (font Blank, page 1)"
    ]


@pytest.mark.parametrize(
    "data",
    [b"", b"Anna Andersson, 19800101-1234", b"%PDF-1.7\nAnna Andersson\n%%EOF"],
    ids=["empty", "text", "header-only"],
)
def test_not_a_pdf(data: bytes) -> None:
    for check in (check_pdf, missing_glyphs, failed_rules):
        with pytest.raises(PdfUnreadable) as caught:
            check(data)
        assert str(caught.value) == "not a readable PDF file"
        assert caught.value.category is Category.INPUT


def test_a_truncated_pdf(tmp_path: Path) -> None:
    pdf = snippet_pdf(tmp_path, "<p>Anna Andersson</p>")
    with pytest.raises(PdfUnreadable, match=r"^not a readable PDF file$"):
        check_pdf(pdf[: len(pdf) // 2])


def test_missing_glyph_text() -> None:
    assert str(MissingGlyph("é", "ABCDEF+Noto-Sans", 1)) == "U+00E9 LATIN SMALL LETTER E WITH ACUTE"
    assert str(MissingGlyph("\U0010fffd", "Noto-Sans", 2)) == "U+10FFFD"
    result = CheckResult({"ua1": ["R-1", "R-2"], "2u": []}, [MissingGlyph("ሀ", "F", 3)])
    assert result.problems() == [
        "PDF/UA-1: rule R-1 failed",
        "PDF/UA-1: rule R-2 failed",
        "missing glyph U+1200 ETHIOPIC SYLLABLE HA (font F, page 3)",
    ]


def write_font(path: Path, blank: tuple[str, ...]) -> None:
    """A TrueType font "Blank" with A and C (and space), every glyph in `blank` without outline."""
    order = [".notdef", "space", "A", "C"]
    glyphs: dict[str, object] = {}
    for name in order:
        pen = TTGlyphPen(None)
        if name not in blank:
            pen.moveTo((50, 0))
            pen.lineTo((50, 700))
            pen.lineTo((450, 700))
            pen.lineTo((450, 0))
            pen.closePath()
        glyphs[name] = pen.glyph()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({0x20: "space", 0x41: "A", 0x43: "C"})
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics(dict.fromkeys(order, (500, 50)))
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Blank", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    builder.save(str(path))


# --- At render time, and on the command line ---------------------------------------------


def test_rendering_fails_on_a_missing_glyph_naming_document_character_and_field(
    adult: dict[str, Any], tmp_path: Path
) -> None:
    adult["plan"]["strengths"] = "Amal tycker om att laga mat \U000f0000."
    case = tmp_path / "case.yaml"
    case.write_text(yaml.safe_dump(adult, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RenderError) as caught:
        render_case(case, tmp_path / "out", documents=["plan"], formats=["pdf"])
    assert str(caught.value) == (
        "plan-individ-sv: no glyph for U+F0000 in the embedded fonts (field plan.strengths.sv)"
    )
    assert not (tmp_path / "out" / "SIP-2026-0142" / "plan-individ-sv.pdf").exists()
    result = runner.invoke(
        app, ["render", str(case), "--doc", "plan", "-f", "pdf", "--out", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert (
        f"{case}: error: plan-individ-sv: no glyph for U+F0000 in the embedded fonts "
        "(field plan.strengths.sv)\n"
    ) in result.stderr


def test_check_command_passes_good_pdfs_and_fails_a_missing_glyph(
    plans: list[Path], tmp_path: Path
) -> None:
    good = runner.invoke(app, ["check", *map(str, plans)])
    assert good.exit_code == 0
    assert good.stdout == ""
    assert good.stderr == "8 file(s) checked: 0 failed\n"  # no plan for the brother (R-S3)
    boxed = tmp_path / "boxed.pdf"
    boxed.write_bytes(snippet_pdf(tmp_path, "<p>Före \U000f0000 efter</p>"))
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"hello")
    bad = runner.invoke(app, ["check", str(plans[0]), str(boxed), str(junk)])
    assert bad.exit_code == 1
    assert bad.stdout.splitlines() == [
        f"{boxed}: PDF/UA-1: rule PDFUA1-NOTDEF-GLYPH-001 failed",
        f"{boxed}: PDF/A-2u: rule PDFA2U-NOTDEF-GLYPH-001 failed",
        f"{boxed}: missing glyph U+F0000 (font Noto-Sans, page 1)",
        f"{junk}: not a readable PDF file",
    ]
    assert bad.stderr == "3 file(s) checked: 2 failed\n"
