"""Shared fixtures: the reference cases as data, and a compact way to validate variations."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from sipdocs import validate_bytes
from sipdocs.source import parse

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
ADULT = SAMPLES / "adult-reference.yaml"
CHILD = SAMPLES / "child-reference.yaml"
REFERENCES = (ADULT, CHILD)

# Read with sipdocs' own reader: it keeps "what: Stöd, tio träffar." in flow mappings whole.
_DATA = {path: parse(path.read_text(encoding="utf-8")).data for path in REFERENCES}


@pytest.fixture
def adult() -> dict[str, Any]:
    """The adult reference case as plain data, fresh for each test."""
    return copy.deepcopy(_DATA[ADULT])


@pytest.fixture
def child() -> dict[str, Any]:
    """The child reference case as plain data, fresh for each test."""
    return copy.deepcopy(_DATA[CHILD])


def report(data: dict[str, Any]) -> list[str]:
    """Every finding for `data`, as its CLI line without the file:line:column prefix."""
    loaded = validate_bytes(yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode())
    return [str(f).split(": ", 1)[1] for f in loaded.findings]


def write_case(tmp_path: Path, data: dict[str, Any], name: str = "case.yaml") -> Path:
    """A variation of a reference case, written as YAML for sipdocs to load."""
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def plan_files(out: Path, *options: str) -> list[str]:
    """The files `sipdocs render ADULT --doc plan --format html OPTIONS` writes, by name."""
    from typer.testing import CliRunner

    from sipdocs.cli import app

    arguments = ["render", str(ADULT), "--doc", "plan", "--format", "html", *options]
    result = CliRunner().invoke(app, [*arguments, "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    return [line.rsplit("/", 1)[1] for line in result.stdout.splitlines()]
