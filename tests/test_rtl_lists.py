"""Label and value lists mirror in a right-to-left copy (issue 19, point 2): on paper the
label stands on the right and its value beside it, to its left, in the letterhead's details
and in lists such as "Tid och plats", as a browser mirrors them in the HTML.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from sipdocs.check import check_pdf
from sipdocs.render import Output, render_case
from tests.conftest import ADULT, CHILD

WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def words(pdf: Path) -> list[tuple[int, float, float, float, float, str]]:
    """Every word with its page and box, in points (poppler's pdftotext -bbox)."""
    command = ["pdftotext", "-bbox", str(pdf), "-"]
    pages = subprocess.run(command, capture_output=True, check=True, text=True).stdout
    return [
        (number, *map(float, m.groups()[:4]), m[5])  # type: ignore[misc]
        for number, page in enumerate(pages.split("<page ")[1:])
        for m in WORD.finditer(page)
    ]


def label_after_value(pdf: Path, label: str, value: str) -> float:
    """How far right of the value's end its label begins, on the same line (points)."""
    found = words(pdf)
    page, _, y0, x1, y1, _ = next(w for w in found if w[5] == value)
    middle = (y0 + y1) / 2
    wanted = {*label.split(), *(word[::-1] for word in label.split())}  # poppler: visual order
    starts = [
        w[1]
        for w in found
        if w[0] == page and w[5] in wanted and abs((w[2] + w[4]) / 2 - middle) < 3
    ]
    assert starts, (label, value)
    return min(starts) - x1


def arabic_copy(
    folder: Path,
    case: Path,
    document: str,
    name: str,
    format: str = "pdf",
    variant: str = "standard",
) -> Output:
    """The Arabic copy called `name` of a case's document, rendered into `folder`."""
    outputs = render_case(
        case, folder, documents=[document], formats=[format], languages=["ar"],
        variants=[variant],
    )  # fmt: skip
    [output] = [o for o in outputs if o.path.name == name]
    return output


@pytest.mark.parametrize("variant", ["standard", "storstil", "lattlast"])
def test_labels_stand_right_of_their_values_in_arabic(tmp_path: Path, variant: str) -> None:
    suffix = "" if variant == "standard" else f"-{variant}"
    name = f"kallelse-individ-ar{suffix}.pdf"
    output = arabic_copy(tmp_path, ADULT, "kallelse", name, variant=variant)
    pdf, gettext = output.path, output.context.translations.gettext
    assert check_pdf(pdf.read_bytes()).problems() == []
    assert label_after_value(pdf, gettext("Ärende"), "SIP-2026-0142") > 0  # the letterhead
    if variant != "lattlast":  # "Mötet gäller", which the easy-read copy words otherwise
        assert label_after_value(pdf, gettext("Personnummer"), "19880412-3928") > 0


def test_a_swedish_name_in_an_arabic_sentence_is_one_unit_before_an_arabic_comma(
    tmp_path: Path,
) -> None:
    """The values of a translated sentence are isolated as the template's own values are:
    "Kontaktperson: Eva Lind, 0123-456 78" in Arabic keeps the name in its order, with the
    Arabic comma before the phone number, not a Latin one on the wrong side (issue 19,
    point 2). Version 1 is frozen as it was."""
    output = arabic_copy(tmp_path, ADULT, "plan", "plan-fk-ar.html", format="html")
    gettext = output.context.translations.gettext
    name = '\u2068<span lang="sv">Eva Lind</span>\u2069'
    contact = gettext("Kontaktperson: %(name)s") % {"name": name}
    assert f"{contact}\u060c \u20680123-456\u00a078\u2069</dd>" in output.path.read_text()


def test_addresses_in_a_right_to_left_copy_are_not_split_into_spans(tmp_path: Path) -> None:
    """WeasyPrint does not reorder right-to-left text across inline elements: an e-mail address
    in a span of its own printed at the wrong end of the Arabic footer's line."""
    output = arabic_copy(tmp_path, ADULT, "kallelse", "kallelse-soc-ar.pdf")
    last_page = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", "-layout", str(output.path), "-"],
        capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    assert "0123-400 00 · kommunen@lillan.example ·" in last_page


def test_a_label_of_two_lines_keeps_the_next_value_beside_its_own_label(tmp_path: Path) -> None:
    """ "الرقم الشخصي (personnummer)" takes two lines: the address after it still stands beside
    its own label, not beside "(personnummer)", and every value after it keeps to its row."""
    output = arabic_copy(tmp_path, CHILD, "kallelse", "kallelse-individ-ar.pdf")
    gettext = output.context.translations.gettext
    assert label_after_value(output.path, gettext("Adress"), "4,") > 0  # not the window's
    assert label_after_value(output.path, gettext("Vårdnadshavare"), "Hiwet") > 0
