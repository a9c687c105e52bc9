"""The PDF's tag tree as a screen reader meets it: one element for what a page break cuts in two,
header cells found through the /IDTree, Swedish marked as Swedish."""

from __future__ import annotations

from pathlib import Path

import pytest

from sipdocs.check import check_pdf
from sipdocs.render import Output, render_case
from tests.conftest import ADULT
from tests.pdfs import Tag, tag_tree
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
