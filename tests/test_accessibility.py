"""The HTML file a reader opens: self-contained, and WCAG 2.1 AA as axe-core judges it.

axe-core (tests/axe, pinned by its package-lock.json; `make test` runs `npm ci` there) runs in
Debian's headless Chromium on the standalone HTML of the reference cases' copies: each of the
individual's documents in Swedish, in Arabic (right to left), in large print and easy-read,
a party's copy of each, and copies through the default and the region layer alone (the
references go through lillan > mellanland > default). Without Chromium or axe-core the axe
test is skipped, except under CI, where it fails. A layer's colours need the contrast of AA too.
"""

from __future__ import annotations

import base64
import copy
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from sipdocs import load_case
from sipdocs.context import EASY_READ, LARGE_PRINT, STANDARD, DocumentContext
from sipdocs.errors import TemplateError
from sipdocs.languages import SOURCE_LANGUAGE
from sipdocs.render import document_contexts
from sipdocs.renderers.html import HtmlRenderer
from sipdocs.source import parse
from sipdocs.templates import Registry, contrast
from tests.conftest import ADULT, CHILD, ROOT, write_case

AXE_DIR = ROOT / "tests" / "axe"
AXE = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0 and 2.1 at levels A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
RTL = "ar"
# The individual's copies judged: Swedish, Arabic, large print and easy-read.
INDIVIDUAL_COPIES = {
    (SOURCE_LANGUAGE, STANDARD),
    (RTL, STANDARD),
    (SOURCE_LANGUAGE, LARGE_PRINT),
    (SOURCE_LANGUAGE, EASY_READ),
}


def judged_copies(contexts: list[DocumentContext]) -> Iterator[DocumentContext]:
    """The individual's copies (an easy-read one where the document has its template), and
    the first party's Swedish copy of each document.
    """
    parties: set[str] = set()
    for context in contexts:
        which = (context.language, context.variant)
        template = context.selection.version.folder / f"{context.template}.html"
        if context.recipient.role == "individual":
            if which in INDIVIDUAL_COPIES and template.is_file():
                yield context
        elif (
            context.recipient.role == "party"
            and which == (SOURCE_LANGUAGE, STANDARD)
            and context.kind.name not in parties
        ):
            parties.add(context.kind.name)
            yield context


def principal_kallelse(case: Path, registry: Registry) -> DocumentContext:
    """The kallelse to the case's first principal, which each layer's override changes."""
    return next(
        c
        for c in document_contexts(load_case(case), registry, ["kallelse"], languages=["sv"])
        if c.recipient.is_principal
    )


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The standalone HTML of each judged copy, by a name of case (or layer) and copy."""
    found = {}
    registry = Registry()
    for case in (ADULT, CHILD):
        contexts = document_contexts(
            load_case(case), registry, languages=[RTL], variants=[STANDARD, LARGE_PRINT, EASY_READ]
        )
        for context in judged_copies(contexts):
            found[f"{case.stem}/{context.stem}"] = HtmlRenderer(registry).html(context, True)

    folder = tmp_path_factory.mktemp("layers")
    region_only = folder / "layers" / "storby"  # a municipality of the region, with no overrides
    region_only.mkdir(parents=True)
    (region_only / "layer.yaml").write_text(
        "kind: municipality\nname: Storby kommun\nregion: mellanland\n", encoding="utf-8"
    )
    adult = parse(ADULT.read_text(encoding="utf-8")).data
    for layer, municipality, layers, chain in (
        ("mellanland", "storby", [folder / "layers"], ("default", "mellanland", "storby")),
        ("default", None, [], ("default",)),
    ):
        data = copy.deepcopy(adult)
        del data["case"]["municipality"]
        if municipality:
            data["case"]["municipality"] = municipality
        case = write_case(folder, data, f"{layer}.yaml")
        layered = Registry(layers)
        context = principal_kallelse(case, layered)
        assert context.layer_names == chain
        found[f"{layer}/{context.stem}"] = HtmlRenderer(layered).html(context, True)
    return found


def test_the_judged_copies_cover_languages_variants_recipients_and_layers(
    pages: dict[str, str],
) -> None:
    assert {
        "adult-reference/plan-individ-sv",
        "adult-reference/plan-individ-ar",
        "adult-reference/plan-individ-sv-storstil",
        "adult-reference/plan-soc-sv",
        "child-reference/uppfoljning-individ-ar",
        "child-reference/avslutning-skola-sv",
        "mellanland/kallelse-soc-sv",
        "default/kallelse-soc-sv",
    } <= set(pages)


# --- Colours ----------------------------------------------------------------------------


def test_a_layer_colour_without_enough_contrast_is_refused(tmp_path: Path) -> None:
    assert round(contrast("#595959", "#fff"), 1) == 7.0  # the default muted grey
    assert contrast("#000000", "#ffffff") == 21
    layer = tmp_path / "blek"
    layer.mkdir()
    (layer / "layer.yaml").write_text(
        "kind: municipality\nname: Bleka kommun\ncolours: {muted: '#8a8a8a'}\n", encoding="utf-8"
    )
    with pytest.raises(
        TemplateError,
        match=r"blek/layer.yaml: colours.muted: Value error, #8a8a8a has a contrast of 3.2:1 on "
        r"the light background #f1f5f9; text needs at least 4.5:1 \(WCAG 2.1 AA\)",
    ):
        Registry([tmp_path]).chain("blek")


# --- No requests -------------------------------------------------------------------------

# An address outside the file: not data: and not an anchor in it.
CSS_ADDRESS = re.compile(r"""url\(\s*["']?(?!data:)[^)]*\)|@import[^;]*""")
SVG_ADDRESS = re.compile(r"""(?:href\s*=\s*["']|url\(\s*["']?)(?!#|data:)[^"')]*""")
FETCHING = frozenset({"link", "script", "iframe", "frame", "object", "embed", "base", "form"})
ADDRESSES = frozenset({"src", "href", "srcset", "poster", "data", "action", "xlink:href"})


class Requests(HTMLParser):
    """Every element and address in an HTML file that would make a request."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FETCHING:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name not in ADDRESSES or value is None:
                continue
            if not value.startswith(("data:", "#")):
                self.found.append(f"{name}={value}")
            elif value.startswith("data:image/svg+xml;base64,"):  # a logo may fetch too
                svg = base64.b64decode(value.split(",", 1)[1]).decode("utf-8")
                self.found += SVG_ADDRESS.findall(svg)


def requests(page: str) -> list[str]:
    parser = Requests()
    parser.feed(page)
    styles = re.findall(r"<style>(.*?)</style>", page, flags=re.DOTALL)
    return parser.found + [found for css in styles for found in CSS_ADDRESS.findall(css)]


def test_standalone_html_makes_no_requests(pages: dict[str, str]) -> None:
    for name, page in pages.items():
        assert requests(page) == [], name
    assert requests('<link rel="stylesheet" href="s.css"><img src="https://x.example/a.png">') == [
        "<link>",
        "href=s.css",
        "src=https://x.example/a.png",
    ]
    assert requests('<style>p { background: url("a.png"); }</style>') == ['url("a.png")']


def test_standalone_html_opens_with_a_skip_link_and_keeps_everything_in_landmarks(
    pages: dict[str, str],
) -> None:
    page = pages["adult-reference/kallelse-individ-ar"]
    body = page.split("<body>", 1)[1]
    assert body.lstrip().startswith('<a class="skip-link" href="#content">')
    main = body.split('<main id="content">', 1)[1].split("</main>", 1)
    assert main[0].lstrip().startswith('<address class="recipient">')
    assert '<aside class="translation">' in main[0]
    assert main[1].lstrip().startswith('<footer class="orgfooter">')


# --- axe-core in headless Chromium ---------------------------------------------------------


def axe_findings(pages: dict[str, str], folder: Path, chromium: str) -> dict[str, Any]:
    """axe-core's findings on each page, from one headless Chromium (see tests/axe/run.js)."""
    files = [folder / f"page-{n}.html" for n in range(len(pages))]
    for (name, page), path, after in zip(pages.items(), files, [*files[1:], None], strict=True):
        scripts = (
            f'<script src="{AXE.as_uri()}"></script>'
            f'<script src="{(AXE_DIR / "run.js").as_uri()}" data-page="{name}"'
            f" data-tags='{json.dumps(AXE_TAGS)}' data-next=\"{after.name if after else ''}\">"
            "</script>"
        )
        assert page.count("</body>") == 1
        path.write_text(page.replace("</body>", scripts + "</body>"), encoding="utf-8")
    dom = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={folder / 'profile'}",
            "--window-size=1280,1024",
            "--virtual-time-budget=600000",
            "--dump-dom",
            files[0].as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    result = re.search(r'<pre id="axe-result">(.*?)</pre>', dom, flags=re.DOTALL)
    assert result, f"axe-core did not finish; the last page Chromium showed:\n{dom[-2000:]}"
    return {found["page"]: found for found in json.loads(unescape(result.group(1)))}


def test_every_copy_has_no_axe_violations(pages: dict[str, str], tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    missing = [
        what
        for what, there in (
            ("Debian's chromium", chromium),
            ("axe-core in tests/axe/node_modules (npm ci --prefix tests/axe)", AXE.is_file()),
        )
        if not there
    ]
    if missing:
        reason = f"cannot run axe-core: no {' and no '.join(missing)}"
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(reason)
        pytest.skip(reason)
    assert chromium
    findings = axe_findings(pages, tmp_path, chromium)
    assert list(findings) == list(pages)
    report = []
    for name, found in findings.items():
        if "error" in found:
            report.append(f"{name}: axe-core failed: {found['error']}")
        report += [
            f"{name}: {rule['id']} ({rule['impact']}) {rule['help']}: {', '.join(rule['targets'])}"
            for rule in found.get("violations", [])
        ]
    assert not report, "\n".join(report)
