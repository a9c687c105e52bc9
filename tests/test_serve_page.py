"""The preview page of `sipdocs serve` in a real browser: Debian's headless Chromium, driven
by Playwright. A case with a mistake shows its finding below the line it is about; the
corrected case shows the copy as HTML and as a PDF in Chromium's own viewer; an edit of the
layer's file shows in the copy without a reload. Without Chromium the test is skipped,
except under CI, where it fails.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from sipdocs import validate_bytes
from tests.conftest import _DATA, ADULT
from tests.serving import Service, running_service

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As root Chromium needs --no-sandbox; the rest keep it from calling anyone.
CHROMIUM_ARGUMENTS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BLOB = re.compile(r"^blob:http://127\.0\.0\.1:\d+/")
LAYER = "kind: municipality\nname: {name}\nregion: mellanland\n"


def case_text(misspelt: bool = False) -> str:
    """The adult reference case in the test's own municipality; perhaps with a typo."""
    data = copy.deepcopy(_DATA[ADULT])
    data["case"]["municipality"] = "provby"
    if misspelt:
        data["plan"]["overal_responsible"] = data["plan"].pop("overall_responsible")
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def layers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("layers")
    (folder / "provby").mkdir()
    (folder / "provby" / "layer.yaml").write_text(LAYER.format(name="Provby kommun"), "utf-8")
    return folder


@pytest.fixture(scope="module")
def service(layers: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    if not Path(CHROMIUM).is_file():
        reason = "cannot drive the preview page: no Debian chromium"
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(reason)
        pytest.skip(reason)
    log = tmp_path_factory.mktemp("page") / "serve.log"
    with running_service("--workers", "1", "--layers", str(layers), log=log) as running:
        yield running


def test_the_page_shows_findings_at_their_lines_the_copy_and_layer_edits(
    service: Service, layers: Path
) -> None:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGUMENTS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            console: list[str] = []
            page.on("console", lambda message: console.append(message.text))
            page.goto(f"{service.url}/")
            expect = sync_api.expect

            # A mistake: its finding right below the line it is about.
            broken = case_text(misspelt=True)
            finding = validate_bytes(broken.encode()).findings[-1]
            assert finding.message == "unknown key (did you mean 'overall_responsible'?)"
            page.fill("#case", broken)
            shown = page.locator(f"li.finding[data-finding-line='{finding.line}']")
            expect(shown).to_have_text(
                f"{finding.line}:{finding.column}: error: plan.overal_responsible: "
                "unknown key (did you mean 'overall_responsible'?)",
                timeout=60_000,
            )
            line = shown.locator("xpath=preceding-sibling::li[1]")
            expect(line).to_have_attribute("data-line", str(finding.line))
            expect(line).to_have_text(broken.splitlines()[finding.line - 1])
            expect(page.locator("#summary")).to_contain_text("2 error(s), 0 warning(s)")

            # Corrected: the copy as HTML and as a PDF in Chromium's PDF viewer.
            page.fill("#case", case_text())
            expect(page.locator("body")).to_have_attribute("data-rendered", "1", timeout=60_000)
            expect(page.locator("#summary")).to_contain_text("0 error(s), 0 warning(s)")
            html = page.frame_locator("#html-copy")
            expect(html.locator("h1")).to_have_text("Kallelse till SIP-möte")
            expect(html.locator(".org").first).to_have_text("Provby kommun")
            pdf = page.locator("#pdf-copy")
            expect(pdf).to_have_attribute("src", BLOB)
            assert _pdf_viewer(page), [frame.url for frame in page.frames]
            expect(page.locator("#doc")).to_have_value("kallelse")

            # A layer edit shows without a reload.
            started = time.monotonic()
            (layers / "provby" / "layer.yaml").write_text(LAYER.format(name="Provby stad"), "utf-8")
            expect(html.locator(".org").first).to_have_text("Provby stad", timeout=30_000)
            print(f"layer edit shown after {time.monotonic() - started:.1f} s")
            expect(page.locator("#layers")).to_contain_text("changed at")
            # Nothing the Content-Security-Policy refused; no failure but the broken case's.
            assert [m for m in console if "Refused" in m or "Security Policy" in m] == []
            assert [m for m in console if "Failed" in m and "status of 422" not in m] == []
        finally:
            browser.close()


def _pdf_viewer(page: Any) -> bool:
    """Whether Chromium opened its PDF viewer inside the PDF frame."""
    frames = page.frames
    return any(
        frame.url.startswith("chrome-extension://")
        and frame.parent_frame is not None
        and frame.parent_frame.url.startswith("blob:")
        for frame in frames
    )
