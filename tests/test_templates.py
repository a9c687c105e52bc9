"""Template versions, layer chains and the sandbox that layer templates render in."""

from __future__ import annotations

import datetime as dt
from gettext import NullTranslations
from pathlib import Path

import pytest

from sipdocs import TemplateError, load_case
from sipdocs.render import document_contexts
from sipdocs.renderers.html import HtmlRenderer
from sipdocs.templates import TEMPLATES, LayeredLoader, Registry, region_guideline, sandbox
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
    assert selection.warnings == ()


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


# --- Versions: shared parts, laws, the region's guideline ----------------------------------


def write_manifest(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "manifest.yaml").write_text(text, encoding="utf-8")
    return folder


MANIFEST = """\
version: "9"
valid_from: 2025-07-01
common: "1"
laws:
  socialtjanstlagen:
    name: socialtjänstlagen (2025:400)
    sfs: "2025:400"
    in_force: {valid_from: 2025-07-01}
"""


def test_each_version_uses_the_shared_parts_its_manifest_names(tmp_path: Path) -> None:
    registry = Registry()
    for versions in registry.versions.values():
        for version in versions:
            assert version.shared[0] == TEMPLATES / "default" / "common" / version.manifest.common
    assert {v.manifest.common for v in registry.versions["plan"]} >= {"1"}
    folder = write_manifest(tmp_path / "plan" / "9", MANIFEST.replace('common: "1"', 'common: "8"'))
    with pytest.raises(TemplateError, match=r"manifest.yaml: common: no shared parts version '8'"):
        registry._version("plan", folder)


def version_loader(root: Path, parts: str, plan: str) -> LayeredLoader:
    """A loader for a version 9 of the plan whose shared parts (common/9) hold `parts.html`."""
    common = root / "common" / "9"
    common.mkdir(parents=True)
    (common / "parts.html").write_text(parts, encoding="utf-8")
    version_folder = root / "plan" / "9"
    version_folder.mkdir(parents=True)
    (version_folder / "plan.html").write_text(plan, encoding="utf-8")
    return LayeredLoader(Registry().chain(None), version_folder, [common])


def test_a_template_finds_its_parts_in_its_own_versions_shared_parts(tmp_path: Path) -> None:
    loader = version_loader(tmp_path, "shared parts, version 9", '{% include "parts.html" %}')
    environment = sandbox(NullTranslations(), loader=loader)
    assert environment.get_template("plan.html").render() == "shared parts, version 9"


@pytest.mark.req("R-W9")
def test_the_laws_a_version_cites_are_data_in_its_manifest(tmp_path: Path) -> None:
    kallelse = Registry().versions["kallelse"][0].manifest
    assert kallelse.laws["socialtjanstlagen"].citation == "2 kap. 7 § socialtjänstlagen (2001:453)"
    assert kallelse.laws["halso_och_sjukvardslagen"].citation == (
        "16 kap. 4 § hälso- och sjukvårdslagen (2017:30)"
    )
    folder = write_manifest(
        tmp_path / "plan" / "9",
        MANIFEST.replace("socialtjänstlagen (2025:400)", "socialtjänstlagen"),
    )
    with pytest.raises(
        TemplateError,
        match=r"laws.socialtjanstlagen: Value error, the name of the law must carry its "
        r"number: '\(2025:400\)'$",
    ):
        Registry()._version("plan", folder)


@pytest.mark.req("R-W9")
def test_a_version_that_rests_on_a_law_no_longer_in_force_warns() -> None:
    registry = Registry()
    before = registry.select("kallelse", dt.date(2025, 6, 30), pinned="1")
    assert before.warnings == ()
    after = registry.select("kallelse", dt.date(2025, 7, 1), pinned="1")
    assert after.warnings == (
        "[R-G1] template kallelse version 1 is used outside its validity "
        "(2023-09-22 to 2025-06-30)",
        "[R-W9] template kallelse version 1 rests on socialtjänstlagen (2001:453), which is "
        "not in force on 2025-07-01 (in force 2002-01-01 to 2025-06-30)",
    )
    assert registry.select("kallelse", dt.date(2025, 7, 1)).version.version == "2"


@pytest.mark.req("R-W10")
def test_the_region_layer_declares_its_guideline() -> None:
    registry = Registry()
    guideline = registry.layers["mellanland"].profile.guideline
    assert guideline is not None
    assert guideline.label == (
        "Riktlinje för samordnad individuell plan (SIP) i Mellanlands län, version 3 (RM 2025/0418)"
    )
    assert region_guideline(registry.chain("lillan")) == guideline
    assert region_guideline(registry.chain(None)) is None
    assert all(
        "RSS Dalarna"
        not in (version.folder / "manifest.yaml").read_text(encoding="utf-8").split("changes:")[0]
        for versions in registry.versions.values()
        for version in versions
    )


@pytest.mark.req("R-W10")
def test_only_a_region_layer_declares_a_guideline(tmp_path: Path) -> None:
    root = make_layer(tmp_path, "testby", "")
    with (root / "testby" / "layer.yaml").open("a", encoding="utf-8") as stream:
        stream.write(
            "guideline: {name: Egen riktlinje, version: '1', record_number: KS 2025/1, "
            "valid_from: 2025-01-01}\n"
        )
    with pytest.raises(
        TemplateError, match=r"testby/layer.yaml: guideline: only a region layer declares"
    ):
        Registry([root]).chain("testby")


@pytest.mark.req("R-G1")
def test_the_regions_guideline_outside_its_validity_warns() -> None:
    registry = Registry()
    chain = registry.chain("lillan")
    assert registry.select("plan", dt.date(2023, 10, 1), chain=chain).warnings == (
        "[R-G1] the guideline of layer mellanland, Riktlinje för samordnad individuell plan "
        "(SIP) i Mellanlands län, version 3 (RM 2025/0418), is outside its validity on "
        "2023-10-01 (2025-07-01 to 2028-06-30)",
    )
    assert registry.select("plan", dt.date(2023, 10, 1)).warnings == ()


def test_a_new_version_extends_a_released_one_and_overrides_its_blocks(tmp_path: Path) -> None:
    plan = '{% extends "plan/1/plan.html" %}{% block content %}Ny{% endblock %}'
    loader = version_loader(tmp_path, "parts 9", plan)
    source, filename, _ = loader.get_source(sandbox(NullTranslations()), "plan/1/plan.html")
    assert filename == str(TEMPLATES / "default" / "plan" / "1" / "plan.html")
    assert '{% extends "base.html" %}' in source
