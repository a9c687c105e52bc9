"""Print how fast sipdocs validates and renders the sample cases' plans, in one process.

Run: .venv/bin/python benchmarks/render_plans.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sipdocs import validate_file
from sipdocs.render import render_case
from sipdocs.templates import Registry

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "samples").glob("*.yaml"))


def main() -> None:
    start = time.perf_counter()
    loaded = [validate_file(path) for path in SAMPLES]
    validated = time.perf_counter() - start
    print(f"validate: {len(SAMPLES)} cases in {validated:.3f} s")

    registry = Registry()
    with tempfile.TemporaryDirectory() as out:
        render_case(loaded[0], out, documents=["plan"], registry=registry)  # warm up
        start = time.perf_counter()
        count = sum(len(render_case(case, out, registry=registry)) for case in loaded)
        elapsed = time.perf_counter() - start
    print(f"render: {count} plan PDFs in {elapsed:.2f} s = {count / elapsed:.2f} PDF/s (1 process)")

    start = time.perf_counter()
    subprocess.run(
        [Path(sys.executable).with_name("sipdocs"), "--help"], check=True, capture_output=True
    )
    print(f"cold 'sipdocs --help': {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
