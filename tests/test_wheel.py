"""The built wheel carries templates and locales: install it and run it from another folder."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

from tests.conftest import ADULT, ROOT


def test_wheel_validates_and_renders_from_anywhere(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("sipdocs-*.whl"))
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    pip = [
        str(env / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]
    subprocess.run(
        [*pip, "-c", str(ROOT / "constraints.txt"), str(wheel)], check=True, capture_output=True
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    sipdocs = str(env / "bin" / "sipdocs")
    check = subprocess.run(
        [sipdocs, "validate", str(ADULT)], cwd=elsewhere, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    render = subprocess.run(
        [sipdocs, "render", str(ADULT), "--doc", "plan", "--format", "pdf,docx", "--out", "out"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert render.returncode == 0, render.stderr
    assert (elsewhere / "out" / "SIP-2026-0142" / "plan-individ-sv.pdf").stat().st_size > 10_000
    assert (elsewhere / "out" / "SIP-2026-0142" / "plan-individ-sv.docx").stat().st_size > 10_000
