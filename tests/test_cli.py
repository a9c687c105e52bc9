"""The command line: exact messages and exit codes (0 ok, 1 invalid input, 2 usage)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sipdocs.cli import app
from tests.conftest import ADULT, CHILD

runner = CliRunner()


def test_validate_references_cleanly() -> None:
    result = runner.invoke(app, ["validate", str(ADULT), str(CHILD)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "2 file(s) checked: 0 error(s), 0 warning(s)\n"


def test_validate_reports_every_finding_with_place(tmp_path: Path) -> None:
    text = ADULT.read_text(encoding="utf-8")
    text = text.replace("overall_responsible: soc", "overal_responsible: soc")
    text = text.replace("        feedback_by: 2026-12-12\n", "")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{bad}:82:1: error: [R-P5] plan: the plan needs overall_responsible: the principal "
        "with overall responsibility",
        f"{bad}:84:3: error: plan.overal_responsible: unknown key (did you mean "
        "'overall_responsible'?)",
        f"{bad}:128:7: error: [R-P11] plan.interventions[1].awaiting: an intervention awaiting a "
        "decision says what is done meanwhile, when the decision comes and when it is fed back; "
        "missing: feedback_by",
    ]
    assert result.stderr == "1 file(s) checked: 3 error(s), 0 warning(s)\n"


def test_validate_missing_file_is_a_finding(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    result = runner.invoke(app, ["validate", str(missing)])
    assert result.exit_code == 1
    assert result.stdout == f"{missing}:1:1: error: cannot be read: No such file or directory\n"


def test_validate_unknown_format_names_the_readable_ones(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_text("format: sipdocs/9\ncase: {}\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(case)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{case}:1:1: error: format: unknown format 'sipdocs/9'; this version reads: sipdocs/1\n"
    )


@pytest.mark.parametrize(
    ("old", "new", "finding"),
    [
        (
            "format: sipdocs/1",
            'format: "sipdocs/1\\n\\e[2J"',
            "7:1: error: format: unknown format 'sipdocs/1\\n\\x1b[2J'; this version reads: "
            "sipdocs/1",
        ),
        (
            "  language: ar ",
            '  language: "a\\u202Er"',
            "20:3: error: individual.language: unknown language code 'a\\u202er' (known: sv, en, "
            "fi, fit, se, smj, sma, rom, yi, ar, fa, prs, so, ti, uk, pl)",
        ),
    ],
)
def test_validate_escapes_the_codes_it_quotes(
    tmp_path: Path, old: str, new: str, finding: str
) -> None:
    """Before the fix a line feed in the format broke the finding's line, and an escape
    sequence or a bidi override in a language code reached the terminal."""
    text = ADULT.read_text(encoding="utf-8")
    assert text.count(old) == 1
    case = tmp_path / "case.yaml"
    case.write_text(text.replace(old, new), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(case)])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == f"{case}:{finding}"


def test_usage_error_exits_2() -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 2
    assert result.stdout == ""


def test_unknown_document_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(ADULT), "--doc", "brev", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "sipdocs: error: unknown document 'brev' (documents: kallelse, samtycke, plan, uppfoljning, avslutning)\n"
    )


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(ADULT), "--format", "odt", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == (
        "sipdocs: error: unknown format 'odt' (formats: audio, docx, html, pdf, txt)\n"
    )


def test_render_prints_what_it_wrote(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["render", str(ADULT), "--doc", "plan", "--format", "html", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        f"wrote {tmp_path}/SIP-2026-0142/plan-individ-sv.html",
        f"wrote {tmp_path}/SIP-2026-0142/plan-individ-sv-lattlast.html",
    ]
    assert len(lines) == 8


def test_render_refuses_invalid_case(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: sipdocs/1\n", encoding="utf-8")
    result = runner.invoke(app, ["render", str(bad), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "sipdocs: 1 case(s) not rendered"
    assert not (tmp_path / "SIP-2026-0142").exists()


def test_unknown_municipality_lists_known_ones(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(
        ADULT.read_text(encoding="utf-8").replace("municipality: lillan", "municipality: storby"),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["render", str(case), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{case}: error: case.municipality: unknown municipality 'storby' (known: lillan); "
        "give the folder that holds its layer with --layers or SIPDOCS_LAYERS\n"
        "sipdocs: 1 case(s) not rendered\n"
    )


def test_new_writes_a_starter_that_validates_once_filled(tmp_path: Path) -> None:
    path = tmp_path / "ny.yaml"
    result = runner.invoke(app, ["new", str(path)])
    assert result.exit_code == 0
    unfilled = runner.invoke(app, ["validate", str(path)])
    assert unfilled.exit_code == 1
    assert "error: case.id: fill in this placeholder from 'sipdocs new'" in unfilled.stdout
    values = {
        "ÅÅÅÅ-MM-DDTHH:MM": "2026-12-01T10:00",
        "ÅÅÅÅ-MM-DD": "2026-11-20",
        "ÅÅÅÅMMDD-NNNN": "19880412-3928",
        "NNN NN": "123 45",
        "e-post": "kontakt@lillan.example",
        "telefon": "0123-456 00",
    }
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<<([^<>]*)>>", lambda m: values.get(m.group(1), "Text"), text)
    text = text.replace("created: 2026-11-20", "created: 2026-11-20")
    text = text.replace("start: 2026-12-01T10:00", "start: 2026-12-01T10:00")
    text = text.replace("valid_until: 2026-11-20", "valid_until: 2027-11-19")
    text = text.replace("date: 2026-11-20\n    responsible", "date: 2027-02-01\n    responsible")
    text = text.replace("id: Text", "id: SIP-2026-0001")
    path.write_text(text, encoding="utf-8")
    filled = runner.invoke(app, ["validate", str(path)])
    assert filled.stdout == ""
    assert filled.exit_code == 0


def test_new_does_not_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "ny.yaml"
    path.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["new", str(path)])
    assert result.exit_code == 2
    assert result.stderr == f"sipdocs: error: {path} exists; use --force to overwrite it\n"


def test_schema_is_json_with_swedish_descriptions() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "SIP-ärende (sipdocs format 1)"
    plan = schema["$defs"]["Plan"]["properties"]
    assert plan["what_matters"]["description"] == "Vad är viktigt för dig? Egna ord."
    assert schema["properties"]["format"]["const"] == "sipdocs/1"


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.stdout == "sipdocs 0.1.0\n"


@pytest.mark.req("R-G1")
def test_templates_list_shows_versions_validity_basis_and_layers() -> None:
    result = runner.invoke(app, ["templates", "list"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Documents:"
    assert lines[1] == (
        "  avslutning   version 1    valid 2023-09-22 to 2025-06-30  common 1  basis: "
        "2 kap. 7 § socialtjänstlagen (2001:453); 16 kap. 4 § hälso- och sjukvårdslagen (2017:30)"
    )
    assert lines[2] == (
        "  avslutning   version 2    valid 2025-07-01 to further notice  common 2  basis: "
        "socialtjänstlagen (2025:400); 16 kap. 4 § hälso- och sjukvårdslagen (2017:30)"
    )
    assert [line.split()[0] for line in lines[1:11]] == [
        "avslutning",
        "avslutning",
        "kallelse",
        "kallelse",
        "plan",
        "plan",
        "samtycke",
        "samtycke",
        "uppfoljning",
        "uppfoljning",
    ]
    assert lines[11] == "Layers:"
    assert lines[12].startswith("  default      default  (")
    assert lines[13].startswith(
        "  lillan       municipality, Lillåns kommun, region mellanland, logo logo.svg, "
        "overrides 2/kallelse.docx, kallelse.docx, kallelse.html  ("
    )
    assert lines[14].startswith(
        "  mellanland   region, Region Mellanland, guideline Riktlinje för samordnad individuell "
        "plan (SIP) i Mellanlands län, version 3 (RM 2025/0418) valid 2025-07-01 to 2028-06-30, "
        "logo logo.svg, "
        "overrides 2/kallelse.docx, kallelse.docx, kallelse.html  ("
    )


def test_templates_list_with_a_missing_layer_folder_fails(tmp_path: Path) -> None:
    result = runner.invoke(app, ["templates", "list", "--layers", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert (
        result.stderr == f"sipdocs: error: {tmp_path / 'nope'}: the layer folder does not exist\n"
    )


@pytest.mark.req("R-P13")
def test_render_by_default_gives_own_copies_in_every_form(tmp_path: Path) -> None:
    """The child and each guardian get PDF, HTML and text, easy-read too, with audio where
    there is a voice; the parties get PDF."""
    result = runner.invoke(
        app,
        ["render", str(CHILD), "--doc", "uppfoljning", "--follow-up", "1", "--out", str(tmp_path)],
    )
    assert result.exit_code == 0
    own = (".pdf", ".html", ".txt")
    expected = [
        *(f"uppfoljning-individ-sv{s}" for s in own),
        *(f"uppfoljning-individ-sv-lattlast{s}" for s in (*own, ".mp3")),
    ]
    for guardian in ("vardnadshavare1", "vardnadshavare2"):
        expected += [
            *(f"uppfoljning-{guardian}-sv{s}" for s in own),
            *(f"uppfoljning-{guardian}-sv-lattlast{s}" for s in (*own, ".mp3")),
            *(f"uppfoljning-{guardian}-ti{s}" for s in own),
            *(f"uppfoljning-{guardian}-ti-lattlast{s}" for s in own),
        ]
    # hab missed the meeting but carries on an intervention
    expected += [f"uppfoljning-{party}-sv.pdf" for party in ("skola", "soc", "bup", "hab")]
    folder = tmp_path / "SIP-2027-0007"
    assert result.stdout.splitlines() == [f"wrote {folder / name}" for name in expected]
    assert [line for line in result.stderr.splitlines() if ": note: " in line] == [
        f"{CHILD}: note: uppfoljning-{guardian}-ti-lattlast: no audio: "
        "espeak-ng has no voice for Tigrinya (ti)"
        for guardian in ("vardnadshavare1", "vardnadshavare2")
    ]


def test_render_a_follow_up_the_case_does_not_have(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["render", str(CHILD), "--doc", "uppfoljning", "--follow-up", "3", "--out", str(tmp_path)],
    )
    assert result.exit_code == 1
    assert (
        f"{CHILD}: error: follow_ups: there is no follow-up 3 (the case has 2)\n" in result.stderr
    )
    assert result.stderr.endswith("sipdocs: 1 case(s) not rendered\n")


def test_follow_up_number_zero_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(CHILD), "--follow-up", "0", "--out", str(tmp_path)])
    assert result.exit_code == 2
