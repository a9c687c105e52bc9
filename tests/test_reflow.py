"""HTML copies reflow on a phone (issue 19, point 7): at 320 px, as at 200 % text on a 640 px
screen, tables stack into rows of label and value and nothing runs off the page. Driven by
Playwright in Debian's headless Chromium; skipped without it, except under CI.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sipdocs.render import render_case
from tests.conftest import ADULT
from tests.test_serve_page import CHROMIUM, CHROMIUM_ARGUMENTS

sync_api = pytest.importorskip("playwright.sync_api")

# 200 % text: the root's font size doubled, as a reader's text-size setting does.
DOUBLE_TEXT = (
    "document.documentElement.style.fontSize = "
    "2 * parseFloat(getComputedStyle(document.documentElement).fontSize) + 'px'"
)


def test_the_plan_fits_320_px_in_swedish_arabic_and_large_print_at_200_percent_text(
    tmp_path: Path,
) -> None:
    if not Path(CHROMIUM).is_file():
        reason = "cannot measure the page: no Debian chromium"
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(reason)
        pytest.skip(reason)
    outputs = render_case(
        ADULT, tmp_path, documents=["plan"], formats=["html"], languages=["sv", "ar"],
        variants=["standard", "storstil"],
    )  # fmt: skip
    pages = sorted(o.path for o in outputs if o.context.recipient.role == "individual")
    assert [p.name for p in pages] == [
        "plan-individ-ar-storstil.html",
        "plan-individ-ar.html",
        "plan-individ-sv-storstil.html",
        "plan-individ-sv.html",
    ]
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGUMENTS)
        try:
            page = browser.new_page(viewport={"width": 320, "height": 640})
            widths, doubled = {}, {}
            for path in pages:
                page.goto(path.as_uri())
                widths[path.name] = page.evaluate("document.documentElement.scrollWidth")
                page.evaluate(DOUBLE_TEXT)
                doubled[path.name] = page.evaluate("document.documentElement.scrollWidth")
                page.evaluate("document.documentElement.removeAttribute('style')")
                if "storstil" not in path.name:  # a table's cells stack, each after its label
                    cell = page.locator("table.interventions td").first
                    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
                    assert cell.evaluate("td => getComputedStyle(td).display") == "block"
                    assert label == ('"Insats: "' if "-sv" in path.name else '"الخدمة: "')
        finally:
            browser.close()
    assert widths == dict.fromkeys(widths, 320)
    assert doubled == dict.fromkeys(doubled, 320)
