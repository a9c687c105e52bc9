"""The fictional cases the benchmarks render: valid, distinct and reproducible."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.fictional_cases import write_cases
from sipdocs import LoadedCase, validate_file
from sipdocs.ids import IdKind


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> list[LoadedCase]:
    """Twenty fictional cases, validated."""
    paths = write_cases(tmp_path_factory.mktemp("cases"), 20)
    assert len(paths) == 20
    return [validate_file(path) for path in paths]


def test_every_case_validates(cases: list[LoadedCase]) -> None:
    for loaded in cases:
        assert loaded.ok, [str(f) for f in loaded.errors]
        # Only the warning the adult reference has itself (its 18-word meeting question).
        assert {f.rule for f in loaded.warnings} <= {"R-P13"}


def test_ids_unique_and_from_both_references(cases: list[LoadedCase]) -> None:
    ids = [loaded.case.case.id for loaded in cases if loaded.case]
    assert len(set(ids)) == len(cases)
    contexts = {loaded.case.case.context for loaded in cases if loaded.case}
    assert contexts == {"adult", "child"}


def test_identity_numbers_valid_and_varied(cases: list[LoadedCase]) -> None:
    numbers = []
    for loaded in cases:
        assert loaded.case is not None
        individual = loaded.case.individual
        people = [individual.personal_id, *(g.personal_id for g in individual.guardians)]
        for personal_id in people:
            assert personal_id is not None
            assert personal_id.kind is IdKind.PERSONNUMMER  # parsed, check digit and all
            assert personal_id.birth_date is not None
            assert personal_id.birth_date < loaded.case.case.created
            numbers.append(personal_id.value)
    assert len(set(numbers)) == len(numbers)


def test_names_varied(cases: list[LoadedCase]) -> None:
    names = {loaded.case.individual.name for loaded in cases if loaded.case}
    assert len(names) >= 15
    assert not names & {"Amal Haddad", "Selam Tesfay"}


def test_same_seed_same_files(tmp_path: Path) -> None:
    first = write_cases(tmp_path / "a", 6, seed=7)
    again = write_cases(tmp_path / "b", 6, seed=7)
    other = write_cases(tmp_path / "c", 6, seed=8)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]
