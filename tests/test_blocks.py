"""Large print and easy-read show goals and interventions as stacked blocks, not tables
(issue 19, point 4): a goal, then label and value lines, in PDF, HTML and DOCX.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from sipdocs import load_case
from sipdocs.render import Output, render_case
from tests.conftest import REFERENCES, SAMPLES
from tests.docxs import open_docx
from tests.docxs import text_of as docx_text
from tests.pdfs import tag_tree
from tests.pdfs import text_of as pdf_text

LONG = SAMPLES / "aldre-utskrivning.yaml"  # the longest large-print plan: 18 pages with tables
VARIANTS = ["storstil", "lattlast", "lattlast-storstil"]


def squeezed(text: str) -> str:
    """Text without whitespace and hyphens, so that a line break or a hyphen does not count."""
    return re.sub(r"[\s\-\u00ad]", "", text)


def intervention_texts(output: Output) -> list[str]:
    """What each of the plan's interventions says, as this copy shows it."""
    free_text = output.context.free_text(plain=True)
    plan = output.context.disclosure.case.plan
    assert plan is not None
    return [str(free_text.show(item.what)) for item in plan.interventions]


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> list[Output]:
    """The reference cases' plans in large print and easy-read, as PDF and HTML."""
    out = tmp_path_factory.mktemp("out")
    outputs = []
    for case in REFERENCES:
        outputs += render_case(
            case, out, documents=["plan"], formats=["pdf", "html"], languages=["sv"],
            variants=VARIANTS,
        )  # fmt: skip
    return [o for o in outputs if o.context.large_print or o.context.easy_read]


@pytest.mark.req("R-P13")
def test_large_print_and_easy_read_plans_have_no_tables_and_every_intervention(
    copies: list[Output],
) -> None:
    assert sorted({o.context.variant for o in copies}) == sorted(VARIANTS)
    assert len(copies) == 4 * 3 * 2  # the two individuals and two guardians, in two formats
    for output in copies:
        name = output.path.name
        if output.format == "html":
            page = output.path.read_text(encoding="utf-8")
            assert "<table" not in page, name
            text = squeezed(html.unescape(re.sub(r"<[^>]+>", " ", page)))
        else:
            root, _ = tag_tree(output.path.read_bytes())
            assert root.all("Table") == [], name
            text = squeezed(pdf_text(output.path))
        for what in intervention_texts(output):
            assert squeezed(what) in text, (name, what)


def test_a_large_print_intervention_is_a_block_of_label_and_value_lines(
    copies: list[Output],
) -> None:
    [page] = [
        o.path.read_text(encoding="utf-8")
        for o in copies
        if o.path.name == "plan-individ-sv-storstil.html" and "0142" in str(o.path)
    ]
    block = page[page.index("Kommunen ansvarar för") :]
    block = block[: block.index("</div>")]
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block)).strip() == (
        "Kommunen ansvarar för Mål 1: Jag vill klara att handla och laga mat själv. "
        "Ansvarig: Socialtjänsten, Lillåns kommun Eva Lind, 0123-456 78 "
        "Insats: Boendestöd två gånger i veckan. Start: 1 december 2026 Status: Beslutad"
    )


def test_the_long_large_print_plan_is_shorter_as_blocks(tmp_path: Path) -> None:
    """18 pages with tables (after the page rules of issue 19), 13 as blocks when written."""
    [output] = [
        o
        for o in render_case(LONG, tmp_path, documents=["plan"], formats=["pdf"], languages=["sv"])
        if o.context.large_print
    ]
    pages = len(re.findall(rb"/Type\s*/Page\b", output.path.read_bytes()))
    assert pages < 18


@pytest.mark.req("R-P13")
def test_large_print_docx_has_blocks_not_tables(tmp_path: Path) -> None:
    outputs = render_case(
        LONG, tmp_path, documents=["plan", "uppfoljning"], formats=["docx"], languages=["sv"]
    )
    large = [o for o in outputs if o.context.large_print]
    assert [o.path.name for o in large] == [
        "plan-individ-sv-storstil.docx",
        "uppfoljning-individ-sv-storstil.docx",
    ]
    case = load_case(LONG).case
    assert case.plan is not None
    for output in large:
        assert open_docx(output.path).tables == [], output.path.name
    text = docx_text(large[0].path)
    assert "Mål 1 Målet med mina ord: Jag vill klara att tvätta mig" in text
    for item in case.plan.interventions:
        assert f"Insats: {item.what.sv}" in text
    standard = [o for o in outputs if o.path.name == "plan-individ-sv.docx"]
    assert len(open_docx(standard[0].path).tables) >= 2  # standard print keeps its tables
