"""The atheris fuzz target runs briefly and finds no crash: how CI runs the fuzzer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

FUZZ_CASE = ROOT / "fuzz" / "fuzz_case.py"
RUNS = 2000


def test_fuzz_target_runs_without_crash(tmp_path: Path) -> None:
    pytest.importorskip("atheris")
    result = subprocess.run(
        [
            sys.executable,
            str(FUZZ_CASE),
            f"-runs={RUNS}",
            "-seed=1",
            f"-artifact_prefix={tmp_path}/",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stderr + result.stdout
    assert result.returncode == 0, output[-4000:]
    assert "seed corpus: files: " in output  # the samples, through -seed_inputs
    assert "Dictionary: " in output  # fuzz/yaml.dict
    assert f"Done {RUNS} runs in " in output
    assert not list(tmp_path.iterdir())  # no crash-*, leak-* or timeout-* artifact
