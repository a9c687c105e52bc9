"""The sample case files: valid ones have no findings, the others exactly what they promise."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sipdocs.cases import validate_file
from sipdocs.cli import app
from tests.conftest import ROOT, SAMPLES

SHARED_CASES = ROOT.parent / "shared" / "domain" / "cases"
REQUIREMENTS = ROOT.parent / "shared" / "domain" / "requirements.md"
TESTS = ROOT / "tests"

EXPECT = re.compile(r"^# expect: (.+?)\s*$")
RULE_ID = re.compile(r"R-[A-Z]+\d+")
# For sample files whose first line cannot say what they expect (samples/README.md).
EXPECT_WITHOUT_HEADER = {"empty-file.yaml": "empty"}
MARKER = re.compile(r"""@pytest\.mark\.req\(\s*["'](R-[A-Z]+\d+)["']\s*\)""")


def expected_token(path: Path) -> str:
    """The `# expect:` token of a sample's first line, or the one samples/README.md gives."""
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8", errors="replace")
    match = EXPECT.match(first)
    if match:
        return match.group(1)
    return EXPECT_WITHOUT_HEADER[path.name]


def samples(folder: Path) -> list[Any]:
    """One parameter per sample in `folder`, marked with its rule when the token is a rule id."""
    params: list[Any] = []
    for path in sorted(folder.glob("*.yaml")):
        token = expected_token(path)
        marks = [pytest.mark.req(token)] if RULE_ID.fullmatch(token) else []
        params.append(pytest.param(path, token, marks=marks, id=path.stem))
    return params


def validate(path: Path) -> tuple[int, list[str], str]:
    """Run `sipdocs validate PATH`: exit code, stdout lines, stderr."""
    result = CliRunner().invoke(app, ["validate", str(path)])
    return result.exit_code, result.stdout.splitlines(), result.stderr


def no_traceback(lines: list[str], stderr: str) -> None:
    """The CLI reported, it did not crash."""
    assert not [line for line in lines if "Traceback" in line]
    assert "Traceback" not in stderr
    assert "internal error" not in stderr


# --- valid samples ------------------------------------------------------------------------------


VALID = sorted(SAMPLES.glob("*.yaml"))


def test_there_are_valid_samples() -> None:
    assert len(VALID) >= 2
    assert SAMPLES / "adult-reference.yaml" in VALID


# A case that asks for an easy-read copy is warned about free text too hard for it, and about
# abbreviations it does not explain (R-P13).
READABILITY_WARNINGS = {"god-man": 11}


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_sample_has_no_findings_but_readability_warnings(path: Path) -> None:
    loaded = validate_file(path)
    assert loaded.case is not None
    assert [f for f in loaded.findings if f.rule != "R-P13"] == []
    readability = [f for f in loaded.findings if not f.is_error]
    assert len(readability) == len(loaded.findings) == READABILITY_WARNINGS.get(path.stem, 0)


@pytest.mark.parametrize("name", ["adult-reference.yaml", "child-reference.yaml"])
def test_reference_sample_is_the_domain_case(name: str) -> None:
    """The reference samples are copies of the domain folder's cases, byte for byte."""
    if not SHARED_CASES.is_dir():
        pytest.skip(f"{SHARED_CASES} is not here (sipdocs outside its project folder)")
    assert (SAMPLES / name).read_bytes() == (SHARED_CASES / name).read_bytes()


# --- invalid samples ----------------------------------------------------------------------------


INVALID = samples(SAMPLES / "invalid")


def test_every_invalid_sample_says_what_it_expects() -> None:
    assert len(INVALID) >= 20
    for path in sorted((SAMPLES / "invalid").glob("*.yaml")):
        assert expected_token(path)


@pytest.mark.parametrize(("path", "token"), INVALID)
def test_invalid_sample_fails_with_its_error(path: Path, token: str) -> None:
    code, lines, stderr = validate(path)
    assert code == 1
    assert any(token in line for line in lines), lines
    assert any(": error: " in line for line in lines)
    assert all(line.startswith(f"{path}:") for line in lines)
    no_traceback(lines, stderr)


INVALID_BY_RULE = [param for param in INVALID if RULE_ID.fullmatch(param.values[1])]


@pytest.mark.parametrize(("path", "token"), INVALID_BY_RULE)
def test_invalid_sample_error_carries_its_rule(path: Path, token: str) -> None:
    """A sample that expects a rule gets an error (not only a warning) from that rule."""
    rules = {f.rule for f in validate_file(path).errors}
    assert token in rules


# --- samples with one warning -------------------------------------------------------------------


WARNINGS = samples(SAMPLES / "warnings")


@pytest.mark.parametrize(("path", "token"), WARNINGS)
def test_warning_sample_passes_with_one_warning(path: Path, token: str) -> None:
    code, lines, stderr = validate(path)
    assert code == 0
    assert len(lines) == 1, lines
    assert ": warning: [" in lines[0]
    assert f"[{token}]" in lines[0]
    no_traceback(lines, stderr)


# --- every error and warning rule of requirements.md has a test -------------------------------


def required_rules(text: str) -> list[str]:
    """Rule ids whose sipdocs column (the last) makes sipdocs report an error or a warning."""
    found = []
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 2 or not RULE_ID.fullmatch(cells[0]):
            continue
        sipdocs = cells[-1].lower()
        if "error" in sipdocs or "warning" in sipdocs:
            found.append(cells[0])
    return found


def marked_rules() -> set[str]:
    """Every rule id in a `@pytest.mark.req(...)` marker of a test source."""
    return {
        rule
        for source in sorted(TESTS.rglob("*.py"))
        for rule in MARKER.findall(source.read_text(encoding="utf-8"))
    }


def test_required_rules_are_read_from_the_tables() -> None:
    table = (
        "| id | rule | source | sipdocs |\n"
        "|---|---|---|---|\n"
        "| R-X1 | A rule. | 002 | error: refused |\n"
        "| R-X2 | A rule. | 002 | content; warning if missing |\n"
        "| R-X3 | A rule. | 002 | given_by needs a name (error) |\n"
        "| R-X4 | A rule. | 002 | content |\n"
        "**error** = refused\n"
    )
    assert required_rules(table) == ["R-X1", "R-X2", "R-X3"]


def test_every_error_and_warning_rule_has_a_marked_test() -> None:
    if not REQUIREMENTS.is_file():
        pytest.skip(f"{REQUIREMENTS} is not here (sipdocs outside its project folder)")
    required = required_rules(REQUIREMENTS.read_text(encoding="utf-8"))
    assert len(required) >= 10
    missing = [rule for rule in required if rule not in marked_rules()]
    assert missing == [], f"no @pytest.mark.req test for: {', '.join(missing)}"
