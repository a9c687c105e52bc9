"""No name, identity number or free text from a case reaches a log, a warning or an error.

A full batch over the reference cases, and a copy of the adult case with errors in its
personal data, runs as `sipdocs -vv batch` (sipdocs' debug records and every library's, in
the worker processes too) with every Python warning shown. Its stderr, stdout and manifest
are searched for every name, identity number, phone number, address and free text of the
cases. `validate` and `render` of the broken case are searched the same way.
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import _DATA, ADULT, REFERENCES

SIPDOCS = [sys.executable, "-m", "sipdocs"]
# Codes and references: ids, languages, kinds, dates and times are not personal data.
_CODE = re.compile(r"^[a-z0-9_./-]+$|^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$|^SIP-\d{4}-\d{4}$")


def leaves(value: Any) -> Iterator[tuple[str, str]]:
    """Every text value in `value` with the key it stands under."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                yield key, item
            else:
                yield from leaves(item)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                yield "", item
            else:
                yield from leaves(item)


def secrets(data: dict[str, Any]) -> tuple[set[str], set[str]]:
    """What must not be logged: whole values (matched ignoring case), and the words of
    person names and the digits of identity numbers (matched as written).
    """
    values: set[str] = set()
    words: set[str] = set()
    for key, text in leaves(data):
        if key == "personal_id":
            digits = re.sub(r"\D", "", text)
            values.add(text)
            words.update({digits, digits[2:], f"{digits[2:8]}-{digits[8:]}"})
        elif not _CODE.match(text) and len(text) >= 4:
            values.add(text)
            if key == "name":
                words.update(w for w in re.findall(r"\w+", text) if len(w) >= 4 and w[0].isupper())
    return values, words


def leaks(text: str, data: dict[str, Any]) -> list[str]:
    """The secrets of `data` that occur in `text`."""
    values, words = secrets(data)
    lowered = text.lower()
    found = [value for value in values if value.lower() in lowered]
    found += [word for word in words if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]
    return sorted(found)


def broken_adult() -> dict[str, Any]:
    """The adult case with personal data where it does not belong, and a wrong check digit."""
    data = copy.deepcopy(_DATA[ADULT])
    person = data["individual"]
    person["personal_id"] = person["personal_id"][:-1] + str(
        (int(person["personal_id"][-1]) + 1) % 10
    )
    person["name"] = [person["name"], 7]
    person["phone"] = {"number": "070-111 22 33"}
    data["plan"]["overall_responsible"] = data["individual"]["address"]["street"]
    data["meeting"]["start"] = "Mötet börjar när Stina Berg kommer"
    return data


def run(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONWARNINGS": "always", "SIPDOCS_DEBUG": ""}
    return subprocess.run(
        [*SIPDOCS, *arguments],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def batch(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    folder = tmp_path_factory.mktemp("privacy")
    cases = folder / "cases"
    cases.mkdir()
    for path in REFERENCES:
        (cases / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    broken = yaml.safe_dump(broken_adult(), allow_unicode=True, sort_keys=False)
    (cases / "broken.yaml").write_text(broken, encoding="utf-8")
    result = run(
        "-vv", "batch", str(cases), "--out", str(folder / "out"), "--jobs", "2", cwd=folder
    )
    return folder, result


def all_data() -> list[dict[str, Any]]:
    return [*_DATA.values(), broken_adult()]


def test_the_most_verbose_batch_log_holds_no_personal_data(
    batch: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    folder, result = batch
    assert result.returncode == 1  # the broken case failed; the references were rendered
    log = result.stderr
    records = [line for line in log.splitlines() if re.match(r"(DEBUG|INFO|WARNING) ", line)]
    assert any(line.startswith("DEBUG sipdocs.render ") for line in records)
    assert any(
        line.startswith("INFO sipdocs.workers ") and "render process ready" in line
        for line in records
    )
    assert any(line.startswith("INFO weasyprint") for line in records)  # libraries' records too
    assert len({re.search(r"\[(\d+)\]", line).group(1) for line in records}) >= 3  # type: ignore[union-attr]
    manifest = (folder / "out" / "manifest.json").read_text(encoding="utf-8")
    for data in all_data():
        assert leaks(log, data) == []
        assert leaks(result.stdout, data) == []
        assert leaks(manifest, data) == []


def test_the_broken_case_is_reported_by_key_path_only(
    batch: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    result = batch[1]
    lines = [line for line in result.stderr.splitlines() if "broken.yaml:" in line]
    assert any(": error: individual.personal_id: " in line for line in lines)
    assert any(": error: individual.name: " in line for line in lines)
    assert any(": error: meeting.start: " in line for line in lines)


@pytest.mark.parametrize("command", ["validate", "render"])
def test_validate_and_render_of_a_broken_case_log_no_personal_data(
    tmp_path: Path, command: str
) -> None:
    case = tmp_path / "broken.yaml"
    data = broken_adult()
    case.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    arguments = [command, str(case)] + (
        ["--out", str(tmp_path / "out")] if command == "render" else []
    )
    result = run("-vv", *arguments, cwd=tmp_path)
    assert result.returncode == 1
    assert "error: individual.personal_id:" in result.stdout + result.stderr
    assert leaks(result.stdout + result.stderr, data) == []


def test_the_search_finds_what_it_looks_for() -> None:
    data = _DATA[ADULT]
    name = data["individual"]["name"]
    number = data["individual"]["personal_id"]
    digits = re.sub(r"\D", "", number)
    assert leaks(f"x {name.upper()} y", data) == [name]
    assert leaks(f"id={digits[2:]}", data) == [digits[2:]]
    assert leaks("INFO sipdocs.batch [1]: /x/adult-reference.yaml: 10 written", data) == []
