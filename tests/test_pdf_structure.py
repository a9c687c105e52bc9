"""The PDF's tag tree as a screen reader meets it: one element for what a page break cuts in two,
header cells found through the /IDTree, a table's heading read once, Swedish marked as Swedish."""

from __future__ import annotations

import datetime as dt
import subprocess
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from sipdocs import load_case
from sipdocs.check import check_pdf
from sipdocs.render import Output, Renderers, document_contexts, render_case
from sipdocs.renderers.html import latin_marked_swedish
from sipdocs.source import parse
from sipdocs.templates import Registry
from tests.conftest import ADULT, write_case
from tests.pdfs import Tag, marked_text, tag_tree, tagged_texts
from tests.test_check import snippet_pdf

ROWS = 100  # rows enough for three pages


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> list[Output]:
    out = tmp_path_factory.mktemp("out")
    return render_case(ADULT, out, documents=["plan"], formats=["pdf"])


def long_table() -> str:
    head = "<thead><tr><th>Insats</th><th>Ansvarig</th></tr></thead>"
    rows = "".join(f"<tr><td>Insats {n}</td><td>Enhet {n}</td></tr>" for n in range(ROWS))
    return f"<h1>Plan</h1><table>{head}<tbody>{rows}</tbody></table>"


def test_a_table_over_three_pages_is_one_table_with_one_header_row(tmp_path: Path) -> None:
    pdf = snippet_pdf(tmp_path, long_table())
    root, ids = tag_tree(pdf)
    [table] = root.all("Table")
    assert [kid.kind for kid in table.kids] == ["THead", "TBody"]
    [head, body] = table.kids
    assert len(head.all("TR")) == 1
    assert len(body.all("TR")) == ROWS
    assert set(ids) == {cell.id for cell in head.all("TH")}
    for row in body.all("TR"):  # each cell's header is its column's, on the first page
        assert [[ids[h] for h in cell.headers] for cell in row.kids] == [
            [th] for th in head.all("TH")
        ]
    assert check_pdf(pdf).ok


def test_the_repeated_header_row_is_a_pagination_artifact(tmp_path: Path) -> None:
    """Its text is on every page, but in the tag tree once: a reader does not hear it again."""
    from io import BytesIO

    from pypdf import PdfReader

    pdf = snippet_pdf(tmp_path, long_table())
    pages = PdfReader(BytesIO(pdf)).pages
    assert len(pages) >= 3
    for page in pages:
        assert "Ansvarig" in page.extract_text()
    contents = b"".join(page.get_contents().get_data() for page in pages[1:])
    assert contents.count(b"/Artifact\n<</Type /Pagination>>") >= 2 * (len(pages) - 1)


def test_a_list_over_two_pages_is_one_list(tmp_path: Path) -> None:
    items = "".join(f"<li>Punkt {n}</li>" for n in range(ROWS))
    pdf = snippet_pdf(tmp_path, f"<section><h1>Lista</h1><ul>{items}</ul><p>Slut</p></section>")
    root, _ = tag_tree(pdf)
    [section] = root.all("Sect")
    assert [kid.kind for kid in section.kids] == ["H1", "L", "P"]
    assert len(section.kids[1].kids) == ROWS
    assert check_pdf(pdf).ok


def continued(document: Tag) -> list[tuple[str, int]]:
    """Elements that follow one of the same type that could have gone on: no two Parts
    (main), no table straight after a table, no list after a list."""
    found = []
    for element in document.walk():
        for index, (before, after) in enumerate(zip(element.kids, element.kids[1:], strict=False)):
            if before.kind == after.kind and before.kind in ("Part", "Table", "L"):
                found.append((after.kind, index + 1))
    return found


def test_every_plan_has_one_main_part_and_every_table_header_is_found(
    plans: list[Output],
) -> None:
    for output in plans:
        pdf = output.path.read_bytes()
        root, ids = tag_tree(pdf)
        assert len(root.all("Part")) == 1, output.path.name
        assert continued(root) == [], output.path.name
        for table in root.all("Table"):
            assert len(table.all("THead")) <= 1, output.path.name
        headers = {header for cell in root.all("TD") for header in cell.headers}
        assert headers <= set(ids), output.path.name
        assert bool(headers) != output.context.easy_read  # easy-read plans have no tables
        for key, element in ids.items():
            assert element.id == key
        assert list(ids) == sorted(ids)


def test_a_label_is_read_with_its_value(plans: list[Output]) -> None:
    """Each term of a description list (the letterhead's "Datum", "Namn" in "Planen gäller")
    and its description are one list item: a label and a body (issue 19, point 6)."""
    for output in plans:
        root, _ = tag_tree(output.path.read_bytes())
        labelled = [item for item in root.all("LI") if item.all("Lbl")]
        assert len(labelled) >= 8, output.path.name  # the date, case, name, id, address, ...
        for item in labelled:
            assert [kid.kind for kid in item.kids] == ["Lbl", "LBody"], output.path.name


def test_the_senders_details_are_read_once_at_the_end(plans: list[Output]) -> None:
    """A standard copy gives the sender's address, phone, e-mail and organisation number only
    in the footer of every page: a screen reader reads them once, after the letter, on the
    last page, and skips the footer of the other pages (issue 19, point 6)."""
    footer = "Org.nr 212000-9994"  # the end of Lillån's footer
    standard = [output for output in plans if output.context.variant == "standard"]
    assert len(standard) >= 5
    for output in plans:  # easy-read: the footer ends the letter, in the flow
        read, _ = marked_text(output.path.read_bytes())
        assert "".join(read).count(footer) == 1, output.path.name
        kids = tag_tree(output.path.read_bytes())[0].kids[0].kids
        assert len({id(kid) for kid in kids}) == len(kids), output.path.name  # each once
    for output in standard:
        pdf = output.path.read_bytes()
        read, skipped = marked_text(pdf)
        assert len(read) >= 2, output.path.name
        assert [footer in text for text in read] == [False] * (len(read) - 1) + [True]
        assert all(footer in text for text in skipped[:-1]), output.path.name
        document = tag_tree(pdf)[0].kids[0]
        assert document.kids[-1].kind == "Div"
        assert check_pdf(pdf).ok


def test_two_sections_on_two_pages_stay_two(tmp_path: Path) -> None:
    """Only what a page break cut in two is joined, not the next element of the same kind."""
    section = "<section><h2>{0}</h2><p>{0}</p></section>"
    body = section.format("Mötet") + section.format("Planen").replace(
        ">", ' style="break-before: page">', 1
    )
    document = tag_tree(snippet_pdf(tmp_path, body))[0].kids[0]
    assert [kid.kind for kid in document.kids] == ["Sect", "Sect"]


def test_a_footer_a_layer_puts_in_the_flow_is_read_once(tmp_path: Path) -> None:
    """A layer may set the footer in the flow (`position: static`): it is tagged there, once."""
    body = '<p>Brev</p><footer class="orgfooter"><p>Org.nr 212000-9994</p></footer>'
    pdf = snippet_pdf(tmp_path, body, css=".orgfooter { position: static }")
    document = tag_tree(pdf)[0].kids[0]
    assert [kid.kind for kid in document.kids] == ["P", "NonStruct"]
    assert len({id(kid) for kid in document.kids}) == 2


# --- A table's heading on every page the table runs on to (issue 19, point 5) -------------

GOALS = 12  # goals enough for the goals' table to run on to a second page
INTERVENTIONS = 30  # municipal interventions enough for their table to run on to another page
GOALS_HEAD = "Nr Målet med mina ord Målet så att det kan utvärderas Så följer vi upp målet"
INTERVENTIONS_HEAD = "Insats Mål Ansvarig Status Start"


@pytest.fixture(scope="module")
def long_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The individual's plan of the adult reference with many more goals and municipal
    interventions, as PDF: the goals' and the municipality's tables run over page breaks."""
    data: dict[str, Any] = parse(ADULT.read_text(encoding="utf-8")).data
    plan = data["plan"]
    for n in range(GOALS):
        plan["goals"].append(
            {
                "id": f"extra{n}",
                "need": "vardag",
                "own_words": f"Jag vill klara sak nummer {n} i vardagen själv.",
                "professional": f"Amal klarar sak nummer {n} med stöd två dagar i veckan senast "
                "den 1 mars 2027.",
                "evaluation": "Boendestödjaren för anteckningar som gås igenom vid uppföljningen.",
            }
        )
    for n in range(INTERVENTIONS):
        plan["interventions"].append(
            {
                "goal": f"extra{n % GOALS}",
                "what": f"Stöd i vardagen, del {n}: boendestödjaren och Amal övar tillsammans.",
                "responsible": "soc",
                "status": "planned",
                "start": dt.date(2026, 12, 1),
            }
        )
    folder = tmp_path_factory.mktemp("long")
    registry = Registry()
    [context] = [
        c
        for c in document_contexts(load_case(write_case(folder, data)), registry, ["plan"])
        if c.recipient.role == "individual" and c.language == "sv" and c.variant == "standard"
    ]
    path = folder / f"{context.stem}.pdf"
    path.write_bytes(Renderers(registry)["pdf"].render(context))
    return path


def page_lines(pdf: Path) -> list[list[str]]:
    """The lines of each page, as laid out, with their spaces folded."""
    raw = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    return [
        [" ".join(line.split()) for line in page.splitlines() if line.strip()]
        for page in raw.split("\f")
        if page.strip()
    ]


@pytest.mark.req("R-P2")
def test_a_continued_table_shows_its_heading_again_on_the_next_page(long_plan: Path) -> None:
    """Each page a table runs on to shows the table's heading above the repeated header row:
    whose interventions they are (the principal), or that these are the goals."""
    before_head: dict[str, list[tuple[int, str]]] = {GOALS_HEAD: [], INTERVENTIONS_HEAD: []}
    for number, lines in enumerate(page_lines(long_plan), start=1):
        for above, line in pairwise(lines):
            if line in before_head:
                before_head[line].append((number, above))
        assert lines.count("Kommunen ansvarar för") <= 1, number  # not twice on one page
    goals = before_head[GOALS_HEAD]
    assert [page for page, _ in goals] == [goals[0][0], goals[0][0] + 1]  # on two pages
    assert {above for _, above in goals} == {"Mål"}
    municipal = [
        page for page, above in before_head[INTERVENTIONS_HEAD] if above.startswith("Kommunen")
    ]
    assert len(municipal) >= 2  # the municipality's table runs on to one page or more
    assert municipal == list(range(municipal[0], municipal[-1] + 1))
    assert {above for _, above in before_head[INTERVENTIONS_HEAD]} == {
        "Kommunen ansvarar för",
        "Regionen ansvarar för",
        "Andra aktörer ansvarar för",
    }


def test_a_continued_tables_heading_is_read_once_before_the_table(long_plan: Path) -> None:
    """In the tag tree the heading stands before its table, as in the HTML copy, once: its
    repeats on later pages are pagination artifacts, as the repeated header row is."""
    pdf = long_plan.read_bytes()
    texts = tagged_texts(pdf)
    for heading in ("Kommunen ansvarar för", "Regionen ansvarar för", "Andra aktörer ansvarar för"):
        assert [kind for kind, text in texts if text == heading] == ["H3"], heading
    assert [kind for kind, text in texts if text == "Mål"] == ["H2", "TH", "TH", "TH"]
    assert [text for kind, text in texts if kind == "TH"].count("Insats") == 3
    root, _ = tag_tree(pdf)
    tables = 0
    for element in root.walk():
        for before, table in pairwise(element.kids):
            if table.kind == "Table":
                tables += 1
                assert before.kind in ("H2", "H3")
                [head] = table.all("THead")
                assert len(head.all("TR")) == 1  # the column headings alone
    assert tables == 4
    assert check_pdf(pdf).ok


LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10"><rect width="40" height="10"/></svg>'


@pytest.mark.parametrize(("lang", "family"), [("ar", "Noto Sans Arabic"), ("uk", "Noto Sans")])
def test_latin_words_in_a_copy_in_another_script_are_tagged_swedish(
    tmp_path: Path, lang: str, family: str
) -> None:
    (tmp_path / "logo.svg").write_text(LOGO, encoding="utf-8")
    own = {"ar": "الاسم", "uk": "Ім'я"}[lang]
    body = (
        f'<img src="logo.svg" alt="Lillåns kommuns logotyp"><p>{own}</p><p>Eva Lind</p>'
        f'<p>{own} Eva</p><p lang="sv">Socialtjänsten</p><p>0123-456 78</p>'
    )
    root, _ = tag_tree(snippet_pdf(tmp_path, body, family, lang))
    [figure] = root.all("Figure")
    assert figure.lang == "sv"
    texts = [[kid.lang for kid in p.kids] for p in root.all("P")]
    # the copy's own words, Latin letters alone, mixed, a paragraph marked sv, digits alone
    assert [p.lang for p in root.all("P")] == [None, None, None, "sv", None]
    assert texts == [[None], ["sv"], [None], [None], [None]]


def test_a_copy_in_latin_letters_marks_only_what_the_html_marks(tmp_path: Path) -> None:
    (tmp_path / "logo.svg").write_text(LOGO, encoding="utf-8")
    body = '<img src="logo.svg" alt="Logotyp"><p>Name</p><p lang="sv">Namn</p>'
    root, _ = tag_tree(snippet_pdf(tmp_path, body, lang="en"))
    assert [(tag.kind, tag.lang) for tag in root.walk() if tag.lang] == [("P", "sv")]


def test_the_arabic_plan_tags_swedish_names_and_the_logo(plans: list[Output]) -> None:
    arabic = next(o for o in plans if o.path.name == "plan-individ-ar.pdf")
    root, _ = tag_tree(arabic.path.read_bytes())
    assert [figure.lang for figure in root.all("Figure")] == ["sv"]
    assert sum(span.lang == "sv" for span in root.all("Span")) >= 10


def test_the_html_file_marks_latin_words_swedish_in_a_copy_in_another_script() -> None:
    html = (
        '<html lang="ar"><head><title>Amal</title></head><body class="x">'
        "<p>الرقم الشخصي (personnummer) &amp; SIP-2026-0142</p>"
        '<img src="a.svg" alt="Lillåns kommuns logotyp"><img src="b.svg" alt="هدف">'
        '<p lang="sv">Inte <b>här</b></p><dd>\u2068Eva Lind, Vuxenenheten\u2069</dd>'
        "<p>&quot;Amal&quot; و Smith &amp; Co</p><style>p { color: red }</style></body></html>"
    )
    assert latin_marked_swedish(html) == (
        '<html lang="ar"><head><title>Amal</title></head><body class="x">'
        '<p>الرقم الشخصي (<span lang="sv">personnummer</span>) &amp; '
        '<span lang="sv">SIP-2026-0142</span></p>'
        '<img lang="sv" src="a.svg" alt="Lillåns kommuns logotyp"><img src="b.svg" alt="هدف">'
        '<p lang="sv">Inte <b>här</b></p>'
        '<dd>\u2068<span lang="sv">Eva Lind, Vuxenenheten</span>\u2069</dd>'
        '<p>&quot;<span lang="sv">Amal</span>&quot; و <span lang="sv">Smith &amp; Co</span></p>'
        "<style>p { color: red }</style></body></html>"
    )
