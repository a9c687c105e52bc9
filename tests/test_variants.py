"""The individual's own copies in other forms: large print (R-P13)."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx.oxml.ns import qn
from typer.testing import CliRunner

from sipdocs import load_case
from sipdocs.check import check_pdf
from sipdocs.cli import app
from sipdocs.render import document_contexts, render_case
from sipdocs.renderers.html import HtmlRenderer
from sipdocs.templates import Registry
from tests.conftest import ADULT, SAMPLES, plan_files
from tests.docxs import part_xml
from tests.pdfs import font_sizes_pt

runner = CliRunner()
LARGE_PRINT_CASE = SAMPLES / "aldre-utskrivning.yaml"  # large_print: true


def test_a_case_that_asks_for_large_print_gets_it_for_the_individual_only() -> None:
    copies = [c.stem for c in document_contexts(load_case(LARGE_PRINT_CASE), Registry(), ["plan"])]
    assert copies[:2] == ["plan-individ-sv", "plan-individ-sv-storstil"]
    assert [c for c in copies if c.endswith("storstil")] == ["plan-individ-sv-storstil"]
    adult = [c.stem for c in document_contexts(load_case(ADULT), Registry(), ["plan"])]
    assert not [c for c in adult if c.endswith("storstil")]


def test_variant_option_chooses_the_individuals_copies(tmp_path: Path) -> None:
    names = plan_files(tmp_path, "--lang", "sv", "--variant", "storstil")
    assert names[:2] == ["plan-individ-sv-storstil.html", "plan-soc-sv.html"]


def test_unknown_variant_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["render", str(ADULT), "--variant", "jumbo", "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "sipdocs: error: unknown variant 'jumbo' "
        "(variants: standard, storstil, lattlast, lattlast-storstil)"
    )


@pytest.mark.req("R-P13")
def test_large_print_pdf_sets_no_text_under_18_pt_and_conforms(tmp_path: Path) -> None:
    outputs = render_case(
        LARGE_PRINT_CASE,
        tmp_path,
        documents=["plan", "uppfoljning"],
        formats=["pdf"],
        languages=["sv"],
    )
    large = [o for o in outputs if o.context.large_print]
    assert [o.path.name for o in large] == [
        "plan-individ-sv-storstil.pdf",
        "uppfoljning-individ-sv-storstil.pdf",
    ]
    for output in large:
        pdf = output.path.read_bytes()
        assert min(font_sizes_pt(pdf)) == 18.0, output.path.name
        assert check_pdf(pdf).problems() == [], output.path.name
    standard = next(o for o in outputs if o.path.name == "plan-individ-sv.pdf")
    assert min(font_sizes_pt(standard.path.read_bytes())) < 18


@pytest.mark.req("R-P13")
def test_large_print_docx_sets_no_size_under_18_pt(tmp_path: Path) -> None:
    outputs = render_case(
        LARGE_PRINT_CASE, tmp_path, documents=["plan"], formats=["docx"], languages=["sv"]
    )
    large = next(o.path for o in outputs if o.context.large_print)
    sizes = {
        part: [
            int(size.get(qn("w:val")))
            for size in part_xml(large, part).iter(qn("w:sz"), qn("w:szCs"))
        ]
        for part in ("word/styles.xml", "word/document.xml", "word/footer1.xml")
    }
    assert sizes["word/styles.xml"]  # every style's size, and the defaults
    assert all(size >= 36 for found in sizes.values() for size in found), sizes  # half-points


def test_large_print_html_has_the_senders_details_once_at_the_end() -> None:
    context = next(
        c
        for c in document_contexts(load_case(LARGE_PRINT_CASE), Registry(), ["plan"])
        if c.large_print
    )
    html = HtmlRenderer(Registry()).html(context)
    assert 'class="large-print"' in html
    assert html.count('<footer class="orgfooter">') == 1
    assert html.index('<footer class="orgfooter">') > html.index("</main>")
