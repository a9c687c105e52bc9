"""DOCX: every document as an editable Word file with the same content as the PDF."""

from __future__ import annotations

import io
import itertools
import re
import subprocess
import zipfile
from gettext import NullTranslations
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from sipdocs import load_case, templates
from sipdocs.errors import TemplateError
from sipdocs.render import Output, document_contexts, render_case
from sipdocs.renderers.docx import SCHEMA_ORDER, DocxRenderer, direction_pieces
from sipdocs.renderers.html import HtmlRenderer
from sipdocs.templates import TEMPLATES, Registry
from tests.conftest import ADULT, CHILD, SAMPLES, write_case
from tests.docxs import (
    custom_properties,
    headings,
    libreoffice_pdfs,
    open_docx,
    paragraphs,
    part_xml,
    text_of,
)
from tools.docxbuild.build import build_all


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Output]]:
    """Every document of both reference cases, as DOCX."""
    out = tmp_path_factory.mktemp("out")
    return {case.stem: render_case(case, out, formats=["docx"]) for case in (ADULT, CHILD)}


def docx_of(outputs: list[Output], name: str) -> Path:
    return next(o.path for o in outputs if o.path.name == name)


def render_one(
    case: Path, document: str, recipient: str, registry: Registry | None = None
) -> bytes:
    registry = registry or Registry()
    context = next(
        c
        for c in document_contexts(load_case(case), registry, [document])
        if c.recipient.id == recipient
    )
    return DocxRenderer(registry).render(context)


# --- Every document, every copy --------------------------------------------------------


def test_both_reference_cases_render_every_document_as_docx(
    rendered: dict[str, list[Output]], tmp_path: Path
) -> None:
    for case, outputs in rendered.items():
        html_names = [o.path.stem for o in render_case_names(case, tmp_path)]
        assert [o.path.stem for o in outputs] == [  # easy-read copies have no DOCX
            name for name in html_names if not name.endswith("-lattlast")
        ]
        assert all(o.path.suffix == ".docx" for o in outputs)
    assert len(rendered["adult-reference"]) == 19  # 16 in Swedish, 3 in Arabic
    assert len(rendered["child-reference"]) == 40  # 31 in Swedish, 9 in Tigrinya


def render_case_names(case: str, tmp_path: Path) -> list[Output]:
    return render_case(SAMPLES / f"{case}.yaml", tmp_path / case, formats=["html"])


def test_format_docx_and_pdf_together(tmp_path: Path) -> None:
    outputs = render_case(ADULT, tmp_path, documents=["plan"], formats=["pdf", "docx"])
    assert [o.path.name for o in outputs[:2]] == ["plan-individ-sv.pdf", "plan-individ-sv.docx"]


def test_second_render_is_byte_identical(rendered: dict[str, list[Output]], tmp_path: Path) -> None:
    again = render_case(CHILD, tmp_path, formats=["docx"])
    for first, second in zip(rendered["child-reference"], again, strict=True):
        assert first.path.read_bytes() == second.path.read_bytes(), first.path.name


def test_committed_templates_are_what_the_builder_makes(tmp_path: Path) -> None:
    """tools/docxbuild is the source of the built-in DOCX templates: they must not drift."""
    for built in build_all(tmp_path):
        committed = TEMPLATES / built.relative_to(tmp_path)
        with zipfile.ZipFile(built) as new, zipfile.ZipFile(committed) as old:
            assert new.namelist() == old.namelist(), committed
            for name in new.namelist():
                assert new.read(name) == old.read(name), f"{committed}: {name}; run make templates"


# --- Content: what requirements.md asks of each document -----------------------------------


@pytest.mark.req("R-K1")
@pytest.mark.req("R-K2")
@pytest.mark.req("R-K3")
@pytest.mark.req("R-K4")
@pytest.mark.req("R-K5")
def test_kallelse_says_whom_when_where_what_and_who_is_invited(
    rendered: dict[str, list[Output]],
) -> None:
    text = text_of(docx_of(rendered["adult-reference"], "kallelse-psyk-sv.docx"))
    assert "Mötet gäller Namn Amal Haddad Personnummer 19880412-3928" in text
    assert "Tid fredag 20 november 2026 kl. 13.00–14.30 Mötets längd 90 minuter" in text
    assert "Plats Lillåns kommunhus, rum Ängen, Storgatan 1 Tolk arabiska, bokad till Amal" in text
    assert "Frågeställning Hur kan Amal få en trygg vardag" in text
    assert "Dagordning Presentation av alla som är med Vad är viktigt för Amal?" in text
    assert (
        "Inbjudna till mötet Socialtjänsten, Lillåns kommun (Eva Lind, Vuxenenheten) "
        "Psykiatriska öppenvårdsmottagningen Lillån (Johan Berg) "
        "Vårdcentralen Lillån (Sara Nilsson) Försäkringskassan (Leila Ek) "
        "Amal Haddad Samir Haddad (närstående)"
    ) in text
    assert "Övrig information Tolk på arabiska är bokad. Mötet är högst 90 minuter." in text
    child = text_of(docx_of(rendered["child-reference"], "kallelse-bup-sv.docx"))
    assert "Länk till mötet https://mote.lillan.example/sip-0007" in child


@pytest.mark.req("R-K6")
@pytest.mark.req("R-K7")
@pytest.mark.req("R-K10")
@pytest.mark.req("R-K11")
def test_kallelse_to_a_principal(rendered: dict[str, list[Output]]) -> None:
    text = text_of(docx_of(rendered["adult-reference"], "kallelse-vc-sv.docx"))
    assert headings(docx_of(rendered["adult-reference"], "kallelse-vc-sv.docx"))[0] == (
        1,
        "Kallelse till SIP-möte",
    )
    assert (
        "Meddela senast 16 november 2026 vem från er verksamhet som kommer till mötet. "
        "Om den som skulle delta får förhinder ska ni utse en ersättare."
    ) in text
    assert "Om Amal Haddad inte är känd hos er I Region Mellanland gäller:" in text
    assert (
        "Den som kallar Kontaktperson Eva Lind, socialsekreterare "
        "Verksamhet Socialtjänsten, Lillåns kommun, Vuxenenheten Telefon 0123-456 78 "
        "E-post eva.lind@lillan.example"
    ) in text


@pytest.mark.req("R-K11")
@pytest.mark.req("R-P15")
def test_kallelse_to_the_individual(rendered: dict[str, list[Output]]) -> None:
    path = docx_of(rendered["adult-reference"], "kallelse-individ-sv.docx")
    text = text_of(path)
    assert headings(path)[0] == (1, "Inbjudan till SIP-möte")
    assert "Välkommen till ett möte om din samordnade individuella plan" in text
    assert "Det kostar ingenting att ha ett SIP-möte och en samordnad individuell plan." in text
    assert "Stöd inför mötet Behöver du hjälp att ta dig till mötet" in text  # Lillån's section
    assert "inte är känd hos er" not in text
    relative = text_of(docx_of(rendered["adult-reference"], "kallelse-narstaende1-sv.docx"))
    assert "19880412-3928" not in relative


@pytest.mark.req("R-C4")
@pytest.mark.req("R-C5")
@pytest.mark.req("R-C6")
@pytest.mark.req("R-C7")
def test_samtycke_gives_scope_exclusions_validity_and_signature_lines(
    rendered: dict[str, list[Output]],
) -> None:
    text = text_of(docx_of(rendered["adult-reference"], "samtycke-individ-sv.docx"))
    assert "Lämnat av Amal Haddad Form Skriftligt Dokumenterat av Socialtjänsten" in text
    assert "Datum 28 oktober 2026 Gäller till och med 27 oktober 2027" in text
    assert (
        "De bjuds inte in och får inga uppgifter: Arbetsförmedlingen De här uppgifterna lämnas "
        "inte ut: Uppgifter om tidigare skuldsanering lämnas inte till Försäkringskassan."
    ) in text
    assert "Samtycket gäller i högst ett år, till och med 27 oktober 2027." in text
    assert "Samtycket kan när som helst återkallas, helt eller delvis." in text
    assert "Ort och datum Underskrift Namnförtydligande: Amal Haddad" in text
    child = text_of(docx_of(rendered["child-reference"], "samtycke-vardnadshavare-sv.docx"))
    assert "Barnets inställning Selam vill att skolan är med" in child
    assert (
        "Namnförtydligande: Hiwet Tesfay Ort och datum Underskrift "
        "Namnförtydligande: Daniel Tesfay Mottaget av, datum Lillåns skola, elevhälsan"
    ) in child
    actor = text_of(docx_of(rendered["adult-reference"], "samtycke-fk-sv.docx"))
    assert "Underskrift" not in actor


@pytest.mark.req("R-P1")
@pytest.mark.req("R-P2")
@pytest.mark.req("R-P5")
@pytest.mark.req("R-P6")
@pytest.mark.req("R-P8")
@pytest.mark.req("R-P10")
@pytest.mark.req("R-P11")
@pytest.mark.req("R-P16")
def test_plan_gives_goals_interventions_by_principal_and_follow_up(
    rendered: dict[str, list[Output]],
) -> None:
    text = text_of(docx_of(rendered["adult-reference"], "plan-individ-sv.docx"))
    assert "Huvudansvarig för planen Socialtjänsten, Lillåns kommun" in text
    assert "Det här är viktigt för mig Att jag kan bo kvar i min lägenhet" in text
    assert (
        "1 Jag vill klara att handla och laga mat själv. Amal handlar och lagar mat med stöd "
        "två dagar i veckan senast den 1 mars 2027."
    ) in text
    municipality = text.index("Kommunen ansvarar för")
    region = text.index("Regionen ansvarar för")
    others = text.index("Andra aktörer ansvarar för")
    assert municipality < text.index("Boendestöd två gånger i veckan.") < region
    assert region < text.index("Läkemedelsgenomgång.") < others
    assert "I väntan på beslut: Stödsamtal med sjuksköterska en gång i veckan." in text
    assert "Återkoppling senast 12 december 2026." in text
    assert "Det här gör jag själv Jag går på mina samtal på mottagningen." in text
    assert "Uppföljning Datum 18 februari 2027 Ansvarig Socialtjänsten, Lillåns kommun" in text


@pytest.mark.req("R-F2")
@pytest.mark.req("R-A3")
def test_uppfoljning_reports_outcomes_and_the_last_one_the_closure(
    rendered: dict[str, list[Output]], tmp_path: Path
) -> None:
    first = render_case(CHILD, tmp_path, documents=["uppfoljning"], formats=["docx"], follow_up=1)
    text = text_of(docx_of(first, "uppfoljning-soc-sv.docx"))
    assert "Uppföljning nummer 1 Uppföljningen hölls 19 april 2027" in text
    assert (
        "1 Jag vill vara i skolan hela dagen. Delvis uppnått "
        "Selam är i skolan hela dagar tre dagar i veckan."
    ) in text
    assert "Förändrade förhållanden Selam har fått en diagnos" in text
    assert "Det finns fortsatt behov av samordnade insatser. Planen fortsätter att gälla." in text
    assert "Nästa uppföljning Datum 7 juni 2027" in text
    last = text_of(docx_of(rendered["child-reference"], "uppfoljning-individ-sv.docx"))
    assert "Planen avslutas eftersom målen är uppfyllda. Planen avslutas 7 juni 2027" in last
    assert "Nästa uppföljning" not in last


@pytest.mark.req("R-A1")
@pytest.mark.req("R-A2")
def test_avslutning_says_when_why_and_who_is_informed(rendered: dict[str, list[Output]]) -> None:
    text = text_of(docx_of(rendered["child-reference"], "avslutning-hab-sv.docx"))
    assert (
        "Den samordnade individuella planen för Selam Tesfay är avslutad från och med 7 juni 2027."
        in text
    )
    assert "Därför avslutas planen Planen avslutas eftersom målen är uppfyllda." in text
    assert (
        "De här får besked om att planen är avslutad Selam Tesfay "
        "Hiwet Tesfay (vårdnadshavare) Daniel Tesfay (vårdnadshavare) "
        "Lillåns skola, elevhälsan (Maria Holm)"
    ) in text


# --- Accessible Word files --------------------------------------------------------------


def test_headings_use_heading_styles_and_never_skip_a_level(
    rendered: dict[str, list[Output]],
) -> None:
    for outputs in rendered.values():
        for output in outputs:
            levels = [level for level, _ in headings(output.path)]
            assert levels[0] == 1, output.path.name
            assert levels.count(1) == 1, output.path.name
            assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels


def test_table_header_rows_repeat_on_every_page(rendered: dict[str, list[Output]]) -> None:
    tables = 0
    for outputs in rendered.values():
        for output in outputs:
            for table in open_docx(output.path).tables:
                tables += 1
                first, *rest = table.rows
                assert first._tr.xpath("./w:trPr/w:tblHeader")
                assert not any(row._tr.xpath("./w:trPr/w:tblHeader") for row in rest)
    assert tables > 20


def test_language_title_subject_author_and_logo_alt_text(
    rendered: dict[str, list[Output]],
) -> None:
    path = docx_of(rendered["adult-reference"], "plan-individ-sv.docx")
    styles = part_xml(path, "word/styles.xml")
    lang = styles.find(f".//{qn('w:rPrDefault')}//{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "sv-SE"
    properties = open_docx(path).core_properties
    assert properties.title == "Samordnad individuell plan – SIP-2026-0142"
    assert properties.subject == "Samordnad individuell plan"
    assert properties.author == "Lillåns kommun"
    assert properties.language == "sv-SE"
    descriptions = [
        element.get("descr") for element in part_xml(path, "word/document.xml").iter("{*}docPr")
    ]
    assert descriptions == ["Lillåns kommuns logotyp, en blå å under en grön kulle"]


@pytest.mark.req("R-G2")
def test_every_docx_records_template_layers_and_input(rendered: dict[str, list[Output]]) -> None:
    for outputs in rendered.values():
        for output in outputs:
            recorded = custom_properties(output.path)
            assert recorded == output.context.metadata, output.path.name


def run_text(run: Any) -> str:
    return "".join(t.text or "" for t in run.iter(qn("w:t")))


def run_language(run: Any) -> str | None:
    lang = run.find(f"{qn('w:rPr')}/{qn('w:lang')}")
    return None if lang is None else lang.get(qn("w:val"))


def arabic_copy(document: str, tmp_path: Path) -> Path:
    """The child reference's `document` for social services, in Arabic."""
    registry = Registry()
    context = next(
        c
        for c in document_contexts(load_case(CHILD), registry, [document])
        if c.recipient.id == "soc"
    )
    arabic = type(context)(**{**context.__dict__, "language": "ar"})
    path = tmp_path / f"{document}-ar.docx"
    path.write_bytes(DocxRenderer(registry).render(arabic))
    return path


def test_arabic_copy_reads_right_to_left(tmp_path: Path) -> None:
    path = arabic_copy("plan", tmp_path)
    body = open_docx(path)
    latin = re.compile("[A-Za-zÅÄÖåäöé]")
    for paragraph in paragraphs(body):
        properties = paragraph._p.find(qn("w:pPr"))
        assert properties is not None
        runs = [r for r in paragraph._p.iter(qn("w:r")) if run_text(r).strip(" \u2068\u2069")]
        swedish = [r for r in runs if run_language(r) == "sv-SE"]
        # Swedish the case has not translated reads left to right, and so does the address in
        # the envelope's window, in Swedish postal order (issue 19); all else right to left
        bidi = properties.find(qn("w:bidi"))
        rtl_paragraph = bidi is not None and bidi.get(qn("w:val")) != "0"
        in_window = properties.find(qn("w:framePr")) is not None
        assert rtl_paragraph == (not in_window and (not runs or swedish != runs))
        for run in runs:  # right to left is the runs without Latin letters
            rtl = run.find(f"{qn('w:rPr')}/{qn('w:rtl')}") is not None
            assert rtl == (not latin.search(run_text(run))), run_text(run)
    for table in body.tables:
        assert table._tbl.tblPr.find(qn("w:bidiVisual")) is not None
    lang = part_xml(path, "word/styles.xml").find(f".//{qn('w:rPrDefault')}//{qn('w:lang')}")
    assert (lang.get(qn("w:val")), lang.get(qn("w:bidi"))) == ("ar-SY", "ar-SY")
    levels = list(part_xml(path, "word/numbering.xml").iter(qn("w:lvl")))
    assert levels
    for level in levels:  # bullets and numbers on the right
        assert level.find(f"{qn('w:pPr')}/{qn('w:bidi')}") is not None
        assert level.find(f"{qn('w:rPr')}/{qn('w:rtl')}") is not None


def test_the_arabic_title_keeps_the_space_before_sip(tmp_path: Path) -> None:
    path = arabic_copy("kallelse", tmp_path)
    title = next(p for p in paragraphs(open_docx(path)) if p.style.name == "Heading 1")
    runs = [
        (run_text(r), r.find(f"{qn('w:rPr')}/{qn('w:rtl')}") is not None)
        for r in title._p.iter(qn("w:r"))
    ]
    assert runs == [("دعوة رسمية إلى اجتماع ", True), ("SIP", False)]


def test_swedish_made_of_several_values_reads_left_to_right_as_one(tmp_path: Path) -> None:
    """ "⁨Lillåns skola, elevhälsan⁩ (⁨Maria Holm⁩)" isolated as a whole: without that, an
    Arabic paragraph orders the two values from the right, "(Maria Holm) Lillåns skola"."""
    path = arabic_copy("kallelse", tmp_path)
    texts = [run_text(r) for p in paragraphs(open_docx(path)) for r in p._p.iter(qn("w:r"))]
    assert "\u2066\u2068Lillåns skola, elevhälsan\u2069 (\u2068Maria Holm\u2069)\u2069" in texts


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("الاسم", [("الاسم", False)]),
        ("Amal Haddad", [("Amal Haddad", True)]),
        ("\u2068Eva Lind, Vuxenenheten\u2069", [("\u2068Eva Lind, Vuxenenheten\u2069", True)]),
        ("\u2068Amal, 12.\u2069", [("\u2068Amal, 12.\u2069", True)]),
        (
            "\u2068Amal و Samir\u2069",
            [("\u2068", False), ("Amal", True), (" و ", False), ("Samir", True), ("\u2069", False)],
        ),
        ("\u2068A\u2069, \u2068B\u2069.", [("\u2068A\u2069, \u2068B\u2069", True), (".", False)]),
        (
            "\u2068A\u2069 (\u2068B\u2069), و",
            [("\u2068A\u2069 (\u2068B\u2069)", True), (", و", False)],
        ),
        ("و (Amal) و", [("و (", False), ("Amal", True), (") و", False)]),
        ("0123-456 78", [("0123-456 78", False)]),
        (
            "الرقم الشخصي (personnummer)",
            [("الرقم الشخصي (", False), ("personnummer", True), (")", False)],
        ),
        (
            "Amal و Samir Haddad 12",
            [("Amal", True), (" و ", False), ("Samir Haddad", True), (" 12", False)],
        ),
        ("", [("", False)]),
    ],
)
def test_direction_pieces(text: str, pieces: list[tuple[str, bool]]) -> None:
    assert direction_pieces(text) == pieces


def schema_problems(root: Any) -> list[str]:
    """Properties elements whose children repeat or are out of the schema's order."""
    found = []
    for name, order in SCHEMA_ORDER.items():
        rank = {tag: index for index, tag in enumerate(order.split())}
        for properties in root.iter(qn(f"w:{name}")):
            tags = [etree.QName(child).localname for child in properties]
            ranks = [rank.get(tag, -1) for tag in tags]
            if len(set(tags)) != len(tags) or ranks != sorted(ranks) or -1 in ranks:
                found.append(f"{name}: {' '.join(tags)}")
    return sorted(set(found))


def test_properties_are_written_once_each_in_schema_order(
    rendered: dict[str, list[Output]], tmp_path: Path
) -> None:
    files = [o.path for outputs in rendered.values() for o in outputs]
    files += [arabic_copy("plan", tmp_path), *TEMPLATES.glob("*/**/*.docx")]
    parts = ("word/document.xml", "word/styles.xml", "word/numbering.xml")
    for path in files:
        for part in parts:
            assert schema_problems(part_xml(path, part)) == [], (path.name, part)


def test_every_size_bold_and_italic_has_its_complex_script_twin(tmp_path: Path) -> None:
    """Without w:szCs, Arabic text and the digits among it print at Word's default size."""
    path = arabic_copy("plan", tmp_path)
    twins = {"sz": "szCs", "b": "bCs", "i": "iCs"}
    checked = 0
    for part in ("word/document.xml", "word/styles.xml", "word/numbering.xml"):
        for properties in part_xml(path, part).iter(qn("w:rPr")):
            for latin, twin in twins.items():
                own = properties.find(qn(f"w:{latin}"))
                if own is not None:
                    checked += 1
                    other = properties.find(qn(f"w:{twin}"))
                    assert other is not None, (part, latin)
                    assert other.get(qn("w:val")) == own.get(qn("w:val"))
    assert checked > 20


# --- Layers ------------------------------------------------------------------------------


def test_region_colour_comes_through_and_the_default_layer_keeps_its_own(
    adult: dict[str, Any], tmp_path: Path
) -> None:
    lillan = io.BytesIO(render_one(ADULT, "plan", "individ"))
    del adult["case"]["municipality"]
    default = io.BytesIO(render_one(write_case(tmp_path, adult), "plan", "individ"))
    heading = {
        name: docx.Document(stream).styles["Heading 1"].font.color.rgb
        for name, stream in (("lillan", lillan), ("default", default))
    }
    assert (str(heading["lillan"]), str(heading["default"])) == ("1F5F4A", "24527A")
    assert [p.get("descr") for p in part_xml_bytes(default.getvalue()).iter("{*}docPr")] == []


def test_an_override_template_gets_the_layers_colours(rendered: dict[str, list[Output]]) -> None:
    """Lillån's kallelse is a DOCX of its own, drawn in the default colours like the rest."""
    kallelse = docx_of(rendered["adult-reference"], "kallelse-vc-sv.docx")
    plan = docx_of(rendered["adult-reference"], "plan-vc-sv.docx")
    colours = [str(open_docx(path).styles["Heading 1"].font.color.rgb) for path in (kallelse, plan)]
    assert colours == ["1F5F4A", "1F5F4A"]  # Region Mellanland's accent


def part_xml_bytes(data: bytes) -> Any:
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read("word/document.xml"))


def test_a_layer_replaces_the_docx_template_as_a_whole_file(
    adult: dict[str, Any], tmp_path: Path
) -> None:
    layer = tmp_path / "layers" / "mittkommun"
    (layer / "overrides").mkdir(parents=True)
    (layer / "layer.yaml").write_text(
        "kind: municipality\nname: Mitt kommun\nregion: mellanland\n", encoding="utf-8"
    )
    word = docx.Document()
    word.add_paragraph("{{ _('Ärende') }} {{ case.case.id }} hos {{ profile.name }}")
    word.save(str(layer / "overrides" / "plan.docx"))
    adult["case"]["municipality"] = "mittkommun"
    registry = Registry([tmp_path / "layers"])
    path = tmp_path / "plan.docx"
    path.write_bytes(render_one(write_case(tmp_path, adult), "plan", "individ", registry))
    assert text_of(path) == "Ärende SIP-2026-0142 hos Mitt kommun"


def test_a_broken_docx_template_is_a_template_error(adult: dict[str, Any], tmp_path: Path) -> None:
    layer = tmp_path / "layers" / "mittkommun"
    (layer / "overrides").mkdir(parents=True)
    (layer / "layer.yaml").write_text("kind: municipality\nname: Mitt kommun\n", encoding="utf-8")
    (layer / "overrides" / "plan.docx").write_text("not a zip", encoding="utf-8")
    adult["case"]["municipality"] = "mittkommun"
    case = write_case(tmp_path, adult)
    registry = Registry([tmp_path / "layers"])
    with pytest.raises(
        TemplateError, match=r"^.*/overrides/plan\.docx: not a DOCX file \(not a zip archive\)$"
    ):
        render_one(case, "plan", "individ", registry)
    word = docx.Document()
    word.add_paragraph("{{ case.nosuch.thing }}")
    word.save(str(layer / "overrides" / "plan.docx"))
    with pytest.raises(
        TemplateError,
        match=r"^template plan\.docx \(default > mittkommun\): UndefinedError: "
        r"'sipdocs\.model\.Case object' has no attribute 'nosuch'$",
    ):
        render_one(case, "plan", "individ", registry)


# --- The same fixed text as the HTML, through gettext -------------------------------------


class Recording(NullTranslations):
    """Catalog that records every msgid a template asks for."""

    def __init__(self) -> None:
        super().__init__()
        self.msgids: set[str] = set()

    def gettext(self, message: str) -> str:
        self.msgids.add(message)
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        self.msgids.update((singular, plural))
        return singular if n == 1 else plural


def test_docx_and_html_templates_use_the_same_msgids(
    adult: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    del adult["case"]["municipality"]
    cases = [ADULT, CHILD, write_case(tmp_path, adult), SAMPLES / "samtycke-aterkallat.yaml"]
    for document in ("kallelse", "samtycke", "plan", "uppfoljning", "avslutning"):
        html_seen, docx_seen = Recording(), Recording()
        recording = [html_seen]  # what the next environment made will record into
        monkeypatch.setattr(templates, "translations", lambda *_, r=recording: r[0])
        for case in cases:
            loaded = load_case(case)
            registry = Registry()
            follow_ups = range(1, len(loaded.case.follow_ups) + 1) if loaded.case else ()
            for follow_up in follow_ups if document == "uppfoljning" else [None]:
                kinds = [d.name for d in [c.kind for c in document_contexts(loaded, registry)]]
                if document not in kinds:
                    continue
                contexts = document_contexts(
                    loaded, registry, [document], follow_up, variants=["standard"]
                )
                for context in contexts:  # easy-read copies have no DOCX
                    recording[0] = html_seen
                    HtmlRenderer(registry).html(context)
                    recording[0] = docx_seen
                    DocxRenderer(registry).render(context)
        assert html_seen.msgids, document
        assert docx_seen.msgids == html_seen.msgids, (
            document,
            sorted(html_seen.msgids - docx_seen.msgids),
            sorted(docx_seen.msgids - html_seen.msgids),
        )


# --- Nothing lost ------------------------------------------------------------------------


def html_headings(html: str) -> list[tuple[int, str]]:
    import re
    from html import unescape

    return [
        (int(level), " ".join(unescape(re.sub(r"<[^>]+>", "", text)).split()))
        for level, text in re.findall(r"<h([1-3])>(.*?)</h\1>", html, flags=re.DOTALL)
    ]


def test_hostile_text_gives_complete_documents(tmp_path: Path) -> None:
    from tests import test_hostile as hostile

    case = hostile.write_case(tmp_path / "hostile.yaml", hostile.hostile_case())
    outputs = render_case(case, tmp_path / "out", formats=["html", "docx"])
    html = {
        o.context.stem: o.path.read_text(encoding="utf-8") for o in outputs if o.format == "html"
    }
    copies = [o for o in outputs if o.format == "docx"]
    assert {o.context.kind.name for o in copies} == {
        "kallelse",
        "samtycke",
        "plan",
        "uppfoljning",
        "avslutning",
    }
    for output in copies:
        # The last section is there: docxtpl without autoescape cuts a document at the first "<".
        expected = html_headings(html[output.context.stem])
        assert headings(output.path) == expected, output.path.name
        text = text_of(output.path)
        assert "\x01" not in text
        assert "\u202e" not in text
    own = text_of(tmp_path / "out" / "SIP-2027-0007" / "plan-individ-sv.docx")
    assert f"Selam {hostile.SCRIPT}" in own
    assert hostile.EXPR in text_of(tmp_path / "out" / "SIP-2027-0007" / "kallelse-bup-sv.docx")
    consent = text_of(tmp_path / "out" / "SIP-2027-0007" / "samtycke-vardnadshavare-sv.docx")
    assert hostile.CONTROL_CLEAN.replace("\t", " ") in consent


def test_markup_characters_in_values_stay_text(adult: dict[str, Any], tmp_path: Path) -> None:
    adult["individual"]["name"] = 'Amal "Mimi" O\'Haddad & <b>Söner</b>'
    path = tmp_path / "kallelse.docx"
    path.write_bytes(render_one(write_case(tmp_path, adult), "kallelse", "individ"))
    text = text_of(path)
    assert 'Namn Amal "Mimi" O\'Haddad & <b>Söner</b>' in text
    assert text.endswith(
        "Med vänliga hälsningar Eva Lind, socialsekreterare, Socialtjänsten, Lillåns kommun"
    )


# --- A real word processor --------------------------------------------------------------


def test_libreoffice_converts_every_docx(rendered: dict[str, list[Output]], tmp_path: Path) -> None:
    for case, outputs in rendered.items():
        files = [o.path for o in outputs]
        result = libreoffice_pdfs(files, tmp_path / case, tmp_path)
        assert result.returncode == 0, result.stderr
        for output in outputs:
            path = output.path
            pdf = tmp_path / case / f"{path.stem}.pdf"
            assert pdf.is_file(), f"{path.name}: {result.stderr}"
            text = " ".join(
                subprocess.run(
                    ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
                ).stdout.split()
            )
            assert "SIP-20" in text, path.name
            if output.context.rtl:  # pdftotext gives right-to-left lines in visual order
                continue
            assert headings(path)[0][1] in text, path.name
            page = output.context.translations.gettext("Sida")
            assert f"{page} 1 " in text, path.name
            assert text_of(path).split()[-1] in text, path.name  # nothing cut off
