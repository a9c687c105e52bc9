"""Template versions, layer chains and the sandbox that layer templates render in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sipdocs import TemplateError, load_case
from sipdocs.render import document_contexts
from sipdocs.renderers.html import HtmlRenderer
from sipdocs.templates import Registry
from tests.conftest import ADULT


def make_layer(root: Path, name: str, override: str, region: str = "mellanland") -> Path:
    folder = root / name
    (folder / "overrides").mkdir(parents=True)
    (folder / "layer.yaml").write_text(
        f"kind: municipality\nname: Testby kommun\nregion: {region}\n", encoding="utf-8"
    )
    (folder / "overrides" / "plan.html").write_text(override, encoding="utf-8")
    return root


def plan_html(registry: Registry, municipality: str) -> str:
    text = ADULT.read_text(encoding="utf-8").replace(
        "municipality: lillan", f"municipality: {municipality}"
    )
    path = registry.roots[0] / "case.yaml"
    path.write_text(text, encoding="utf-8")
    context = document_contexts(load_case(path), registry, ["plan"])[0]
    return HtmlRenderer(registry).html(context)


@pytest.mark.req("R-G1")
def test_version_valid_on_the_date_is_chosen() -> None:
    selection = Registry().select("plan", dt.date(2025, 1, 1))
    assert selection.version.version == "1"
    assert selection.warning is None
    assert selection.version.manifest.basis.record_number == "HSN 2022/3163"


def test_layer_chain_walks_municipality_to_region() -> None:
    chain = Registry().chain("lillan")
    assert [layer.name for layer in chain] == ["default", "mellanland", "lillan"]
    assert [layer.name for layer in Registry().chain(None)] == ["default"]


def test_layer_overrides_a_named_block_only(tmp_path: Path) -> None:
    root = make_layer(
        tmp_path,
        "testby",
        "{% block own_words %}<p>Testby säger hej.</p>{{ super() }}{% endblock %}",
    )
    html = plan_html(Registry([root]), "testby")
    assert "<p>Testby säger hej.</p>" in html
    assert "Att jag kan bo kvar i min lägenhet" in html
    assert "<title>Samordnad individuell plan – SIP-2026-0142</title>" in html


def test_missing_layer_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="the layer folder does not exist"):
        Registry([tmp_path / "nope"]).chain("lillan")
