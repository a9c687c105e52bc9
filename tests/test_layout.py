"""Page layout of the PDFs in template version 2 (issue 19): where the address stands, how
pages and lines break, in every language and variant of the reference cases and the samples.

The PDFs are rendered once for the module: every kallelse of both reference cases in every
catalog language, the individual's own copies in each variant, and a few copies of the plan
and of the other samples' documents.
"""

from __future__ import annotations

import itertools
import math
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from sipdocs import load_case
from sipdocs.context import DocumentContext
from sipdocs.i18n import catalog_languages
from sipdocs.render import Renderers, document_contexts
from sipdocs.renderers.html import HtmlRenderer, unbroken_numbers, unhyphenated_addresses
from sipdocs.templates import Registry, catalog_folders
from tests.conftest import REFERENCES, SAMPLES
from tests.docxs import libreoffice_pdfs
from tests.pdfs import MM_PER_PT, line_positions

VARIANTS = ("standard", "storstil", "lattlast", "lattlast-storstil")
SCRIPTS = ("sv", "ar", "fa", "ti")  # Latin, right to left (two), Ethiopic
OTHER_SAMPLES = sorted(set(SAMPLES.glob("*.yaml")) - set(REFERENCES))
WINDOW_TOLERANCE_MM = 4.0
DOCX_WINDOW_TOLERANCE_MM = 6.0  # the DOCX, laid out by LibreOffice
LETTERHEAD_MM = 30.0  # the letterhead's first lines stand above this
PAGE_HEIGHT_MM = 297.0
# The page's top and bottom margins, where the running header, footer and page number stand:
# standard copies, and large-print and easy-read copies (common/1/style.css).
MARGINS_MM = {"standard": (24.0, 26.0), "other": (18.0, 24.0)}


@dataclass(frozen=True)
class Rendered:
    """One PDF made for the module, the copy it was made of, and the words of the sender's
    footer in the HTML it was made from.
    """

    path: Path
    context: DocumentContext
    footer_words: frozenset[str]


def _chosen(contexts: list[DocumentContext], everyone: bool) -> list[DocumentContext]:
    """Every copy (`everyone`), or the first of each document, language and variant."""
    if everyone:
        return contexts
    first: dict[tuple[str, str, str], DocumentContext] = {}
    for context in contexts:
        first.setdefault((context.kind.name, context.language, context.variant), context)
    return list(first.values())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> list[Rendered]:
    registry = Registry()
    renderers = Renderers(registry)
    pdf, html = renderers["pdf"], renderers["html"]
    assert isinstance(html, HtmlRenderer)
    languages = sorted(catalog_languages(catalog_folders(registry.chain(None))))
    chosen: list[DocumentContext] = []
    for case in REFERENCES:
        loaded = load_case(case)
        every_kallelse = document_contexts(loaded, registry, ["kallelse"], languages=languages)
        chosen += every_kallelse
        variants = document_contexts(
            loaded, registry, ["kallelse", "plan"], languages=SCRIPTS, variants=VARIANTS
        )
        chosen += _chosen([c for c in variants if c.variant != "standard"], everyone=False)
        chosen += _chosen([c for c in variants if c.kind.name == "plan"], everyone=False)
    for case in OTHER_SAMPLES:
        chosen += _chosen(document_contexts(load_case(case), registry), everyone=False)
    out = tmp_path_factory.mktemp("layout")
    made = []
    for context in chosen:
        path = out / context.case.case.id / f"{context.stem}.pdf"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(pdf.render(context))
        footer = re.search(r"<footer class=\"orgfooter\">(.*?)</footer>", html.html(context), re.S)
        made.append(Rendered(path, context, frozenset(words(footer.group(1) if footer else ""))))
    return made


def words(text: str) -> list[str]:
    """The words of text or markup, without tags, digits or punctuation."""
    return re.findall(r"[^\W\d_]+", re.sub(r"<[^>]*>", " ", text))


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True)
    found = re.search(r"^Pages:\s+(\d+)$", info.stdout, re.M)
    assert found is not None
    return int(found.group(1))


def body_words(file: Rendered, page_number: int) -> list[str]:
    """The words on a page between its top and bottom margins: what is not running furniture."""
    top, bottom = MARGINS_MM["standard" if file.context.variant == "standard" else "other"]
    page_range = ["-f", str(page_number), "-l", str(page_number)]
    raw = subprocess.run(
        ["pdftotext", "-bbox", *page_range, str(file.path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    found = []
    for y_min, y_max, word in re.findall(
        r'<word xMin="[^"]*" yMin="([^"]*)" xMax="[^"]*" yMax="([^"]*)">([^<]*)</word>', raw
    ):
        middle = (float(y_min) + float(y_max)) / 2 * MM_PER_PT
        if top <= middle <= PAGE_HEIGHT_MM - bottom:
            found += words(word)
    return found


def first_address_line(
    file: Rendered, near: tuple[float, float] = (25.0, 53.0)
) -> tuple[float, float] | None:
    """Where the first line of the address starts on page 1, in mm from the top left corner:
    of the lines below the letterhead's first that begin with the recipient's name, the one
    nearest `near` (the convener's own copy names the recipient in the letterhead too).
    """
    below_letterhead = [
        at
        for at in line_positions(file.path, file.context.recipient.name)
        if at[1] >= LETTERHEAD_MM
    ]
    return min(below_letterhead, key=lambda at: math.dist(at, near), default=None)


def standard_swedish_window(rendered: list[Rendered]) -> tuple[float, float]:
    """Where the standard Swedish kallelse to the individual has its address's first line."""
    standard_swedish = next(
        f
        for f in rendered
        if f.context.recipient.role == "individual"
        and f.context.language == "sv"
        and f.context.variant == "standard"
        and f.context.kind.name == "kallelse"
    )
    reference = first_address_line(standard_swedish)
    assert reference is not None
    assert math.dist(reference, (25.0, 53.0)) < 0.5  # 25 mm from the left, 53 from the top
    return reference


def misplaced(files: list[Rendered], window: tuple[float, float], tolerance: float) -> list[str]:
    """The files whose address does not start within `tolerance` mm of `window`."""
    found = []
    for file in files:
        at = first_address_line(file, window)
        if at is None or math.dist(at, window) > tolerance:
            found.append(f"{file.path.name}: {at}")
    return found


@pytest.mark.req("R-S8")
def test_the_address_stands_in_the_envelope_window_in_every_language_and_variant(
    rendered: list[Rendered],
) -> None:
    window = standard_swedish_window(rendered)
    assert {f.context.variant for f in rendered} == set(VARIANTS)
    assert misplaced(rendered, window, WINDOW_TOLERANCE_MM) == []


@pytest.mark.req("R-S8")
def test_the_docx_in_libreoffice_has_the_address_in_the_envelope_window(
    rendered: list[Rendered], tmp_path: Path
) -> None:
    registry = Registry()
    docx = Renderers(registry)["docx"]
    chosen = []
    for case in REFERENCES:
        contexts = document_contexts(
            load_case(case), registry, ["kallelse"], languages=SCRIPTS, variants=VARIANTS
        )
        chosen += _chosen([c for c in contexts if not docx.unavailable(c)], everyone=False)
    for case in OTHER_SAMPLES:
        chosen += _chosen(document_contexts(load_case(case), registry, ["kallelse"]), False)
    files = []
    for number, context in enumerate(chosen):
        path = tmp_path / f"{number:02}-{context.stem}.docx"
        path.write_bytes(docx.render(context))
        files.append(path)
    result = libreoffice_pdfs(files, tmp_path / "pdf", tmp_path)
    assert result.returncode == 0, result.stderr
    converted = [
        Rendered(tmp_path / "pdf" / f"{path.stem}.pdf", context, frozenset())
        for path, context in zip(files, chosen, strict=True)
    ]
    assert {f.context.variant for f in converted} >= {"standard", "storstil"}
    window = standard_swedish_window(rendered)
    assert misplaced(converted, window, DOCX_WINDOW_TOLERANCE_MM) == []


def test_no_pdf_ends_on_a_page_of_page_furniture_alone(rendered: list[Rendered]) -> None:
    furniture_only = [
        file.path.name
        for file in rendered
        if set(body_words(file, pages(file.path))) <= file.footer_words
    ]
    assert furniture_only == []


def test_the_running_header_names_the_case_from_the_second_page(rendered: list[Rendered]) -> None:
    """Page 2 on of a standard copy has "Ärende SIP-…" at its top, in every language."""
    later = [f for f in rendered if f.context.variant == "standard" and pages(f.path) > 1]
    assert {f.context.language for f in later} >= set(SCRIPTS)
    without = []
    for file in later:
        page_two = ["pdftotext", "-f", "2", "-l", "2", "-layout", str(file.path), "-"]
        text = subprocess.run(page_two, capture_output=True, check=True, text=True).stdout
        header = text.lstrip().splitlines()[0]
        if file.context.case.case.id not in header:
            without.append(file.path.name)
    assert without == []


def test_every_kallelse_of_the_reference_cases_has_at_most_two_pages_in_every_language(
    rendered: list[Rendered],
) -> None:
    kallelser = [
        f
        for f in rendered
        if f.context.kind.name == "kallelse"
        and f.context.variant == "standard"
        and f.context.case.case.id in {"SIP-2026-0142", "SIP-2027-0007"}
    ]
    languages = sorted(catalog_languages(catalog_folders(Registry().chain(None))))
    assert sorted({f.context.language for f in kallelser}) == languages
    longer = {f.path.name: n for f in kallelser if (n := pages(f.path)) > 2}
    assert longer == {}


def test_numbers_dates_phone_numbers_and_time_ranges_are_joined_in_the_text_only() -> None:
    html = (
        "<html><head><style>p { margin: 0 0 2mm; }</style></head><body>"
        "<p>fredag 20 november 2026 kl. 13.00\u201314.30, 0123-456 78, 123 45 Lillån, mål 2 och 3</p>"
        "<svg><text>1 2</text></svg></body></html>"
    )
    assert unbroken_numbers(html) == (
        "<html><head><style>p { margin: 0 0 2mm; }</style></head><body>"
        "<p>fredag 20\u00a0november 2026 kl.\u00a013.00\u2013\u206014.30, 0123-456\u00a078, "
        "123\u00a045 Lillån, mål 2 och 3</p><svg><text>1 2</text></svg></body></html>"
    )


def test_email_and_web_addresses_never_hyphenate() -> None:
    """Each address is a `.link`, which never hyphenates: "in-|grid.sundberg@…" in large print
    was an address that does not exist. A sentence's full stop stays outside."""
    html = (
        "<html><head><style>a@b.example</style></head><body><p>Mejla "
        "ingrid.sundberg@mellanland.example eller se https://mellanland.example/sip?a=1&amp;b=2."
        "</p></body></html>"
    )
    assert unhyphenated_addresses(html) == (
        "<html><head><style>a@b.example</style></head><body><p>Mejla "
        '<span class="link">ingrid.sundberg@mellanland.example</span> eller se '
        '<span class="link">https://mellanland.example/sip?a=1&amp;b=2</span>.</p></body></html>'
    )


def test_no_line_ends_in_a_hyphen_inside_an_address(rendered: list[Rendered]) -> None:
    cut = [
        (file.path.name, joined)
        for file in rendered
        for line, after in itertools.pairwise([*lines_of(file.path), ""])
        if line.endswith("\u2010")
        and re.search(r"@|://|www\.", joined := line.split()[-1] + (after.split() or [""])[0])
    ]
    assert cut == []


def lines_of(pdf: Path) -> list[str]:
    raw = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True)
    return [line.strip() for line in raw.stdout.splitlines() if line.strip()]


def test_no_line_breaks_inside_a_number_a_date_or_a_time_range(rendered: list[Rendered]) -> None:
    months = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
    broken = []
    for file in rendered:
        lines = lines_of(file.path)
        for line, following in itertools.pairwise(lines):
            split_date = re.search(r"(^|\s)\d{1,2}$", line) and re.match(months, following)
            if re.search(r"\d[\u2013-]$", line) or split_date:
                broken.append(f"{file.path.name}: {line} | {following}")
    assert broken == []


def test_swedish_words_hyphenate_in_standard_and_large_print_but_not_easy_read(
    rendered: list[Rendered],
) -> None:
    def hyphenated(file: Rendered) -> int:
        return sum(line.endswith("\u2010") for line in lines_of(file.path))

    swedish = [f for f in rendered if f.context.language == "sv"]
    by_variant = {
        v: sum(hyphenated(f) for f in swedish if f.context.variant == v) for v in VARIANTS
    }
    assert by_variant["standard"] > 0
    assert by_variant["storstil"] > 0
    assert by_variant["lattlast"] == by_variant["lattlast-storstil"] == 0


def test_a_day_and_a_swedish_month_stay_together_without_a_year() -> None:
    html = "<html><body><p>gjord den 8 oktober och 12 maj, 2026 mars, år 2026 maj</p></body></html>"
    assert unbroken_numbers(html) == (
        "<html><body><p>gjord den 8\u00a0oktober och 12\u00a0maj, 2026 mars, år 2026 maj</p>"
        "</body></html>"
    )


def test_the_interventions_table_heads_its_goal_column_with_a_whole_word(
    tmp_path: Path,
) -> None:
    """The goal column is wide enough for "Mål" in every language: "Tavoite", "الهدف" were
    broken in two ("Tavoit|e", "الهد|ف"), and an Arabic word broken in two changes its letters.
    """
    registry = Registry()
    pdf = Renderers(registry)["pdf"]
    languages = sorted(catalog_languages(catalog_folders(registry.chain(None))))
    contexts = document_contexts(load_case(REFERENCES[1]), registry, ["plan"], languages=languages)
    broken = []
    for context in (c for c in contexts if c.recipient.id == "soc"):
        path = tmp_path / f"{context.stem}.pdf"
        path.write_bytes(pdf.render(context))
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout
        gettext = context.translations.gettext
        heads = [
            re.sub("[\u202a-\u202e]", "", line).split()
            for line in text.splitlines()
            if gettext("Ansvarig") in line and gettext("Status") in line
        ]
        goal = gettext("Mål")
        if not heads or any(goal not in words and goal[::-1] not in words for words in heads):
            broken.append(context.language)
    assert broken == []
