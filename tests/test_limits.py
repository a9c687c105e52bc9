"""Oversized and hostile case files are refused at once with a clear message (exit 1); the
largest case the limits allow is valid. Time and memory: `benchmarks/limits.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmarks import limits
from sipdocs.cli import app


def validate(tmp_path: Path, make: Callable[[], str]) -> tuple[int, list[str]]:
    path = tmp_path / "case.yaml"
    path.write_text(make(), encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    errors = [
        line.removeprefix(f"{path}:") for line in result.stdout.splitlines() if ": error: " in line
    ]
    return result.exit_code, errors


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (limits.alias_bomb, "6:12: error: the file holds more than 100000 values"),
        (limits.deep_nesting, "1:67: error: nesting deeper than 64 levels"),
        (limits.interventions_written_out, "1:1: error: the file is larger than 1024 KiB"),
        (
            limits.interventions_as_aliases,
            "162:36379: error: the file holds more than 100000 values",
        ),
        (limits.long_text, "127:3: error: plan.strengths: is longer than 4000 characters"),
    ],
    ids=["alias-bomb", "nesting", "interventions", "aliased-interventions", "long-text"],
)
def test_an_oversized_case_is_refused_with_one_clear_error(
    tmp_path: Path, make: Callable[[], str], error: str
) -> None:
    assert validate(tmp_path, make) == (1, [error])


def test_a_list_of_more_than_100_items_is_refused(tmp_path: Path) -> None:
    def too_many() -> str:
        return limits.largest_allowed().replace(
            "  interventions:\n",
            "  interventions:\n  - {goal: m1, what: En till., responsible: soc, status: decided}\n",
            1,
        )

    assert validate(tmp_path, too_many) == (
        1,
        ["156:3: error: plan.interventions: holds more than 100 items"],
    )


def test_the_largest_case_the_limits_allow_is_valid(tmp_path: Path) -> None:
    assert validate(tmp_path, limits.largest_allowed) == (0, [])
