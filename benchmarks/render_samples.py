"""Print how fast sipdocs validates the sample cases and renders all their documents, in
each format and as `render` does by default.

Run: .venv/bin/python benchmarks/render_samples.py
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
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
        for output_format in ("pdf", "docx", "html", "txt", "audio"):
            render_case(
                loaded[0], out, documents=["plan"], formats=[output_format], registry=registry
            )
            start = time.perf_counter()
            outputs = [
                o
                for case in loaded
                for o in render_case(case, out, formats=[output_format], registry=registry)
            ]
            elapsed = time.perf_counter() - start
            name = output_format.upper()
            print(
                f"render: {len(outputs)} {name}s in {elapsed:.2f} s = "
                f"{len(outputs) / elapsed:.2f} {name}/s"
            )
        start = time.perf_counter()
        outputs = [o for case in loaded for o in render_case(case, out, registry=registry)]
        elapsed = time.perf_counter() - start
        formats = Counter(o.format for o in outputs)
        print(
            f"render by default: {len(outputs)} files in {elapsed:.2f} s ("
            + ", ".join(f"{name} {count}" for name, count in formats.items())
            + ")"
        )
    kinds = Counter(o.context.kind.name for o in outputs)
    print("  " + ", ".join(f"{name} {count}" for name, count in kinds.items()))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS of this process): {peak:.0f} MiB")

    start = time.perf_counter()
    subprocess.run(
        [Path(sys.executable).with_name("sipdocs"), "--help"], check=True, capture_output=True
    )
    print(f"cold 'sipdocs --help': {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
