"""Fuzz the YAML reader and the validator with atheris (libFuzzer, in-process).

Every input goes to `sipdocs.validate_bytes`, which must never raise and whose findings must
each format as `fuzz.yaml:LINE:COLUMN: ...`. Input that `decode` refuses (invalid UTF-8, NUL
bytes) is also decoded leniently and given to `parse`, so the parser sees it too; the reader may
only refuse with `SourceProblem`. Any other exception is a crash, and atheris reports it.

    .venv/bin/python fuzz/fuzz_case.py -max_total_time=300     # the 5-minute run
    .venv/bin/python fuzz/fuzz_case.py -max_total_time=30      # briefly, as in CI
    .venv/bin/python fuzz/fuzz_case.py -runs=2000 -seed=1      # tests/test_fuzz.py
    .venv/bin/python fuzz/fuzz_case.py CORPUS_DIR              # keep what it finds there
    .venv/bin/python fuzz/fuzz_case.py CRASH_FILE              # rerun one input

Arguments are libFuzzer's. Unless given, the script adds `-seed_inputs=` with every
samples/**/*.yaml (read in place, never copied or written to), `-dict=` fuzz/yaml.dict, and
`-artifact_prefix=` a `sipdocs-fuzz` folder in the system's temporary directory, where libFuzzer
writes `crash-*` files instead of the working directory.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["sipdocs", "yaml"]):
    import sipdocs
    import sipdocs.source

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent / "samples"
DICT = HERE / "yaml.dict"
ARTIFACTS = Path(tempfile.gettempdir()) / "sipdocs-fuzz"
NAME = "fuzz.yaml"


def TestOneInput(data: bytes) -> None:
    """Validate one input; raise on anything but findings and `SourceProblem`."""
    loaded = sipdocs.validate_bytes(data, NAME)
    for finding in loaded.findings:
        line = str(finding)
        if not line.startswith(f"{NAME}:") or finding.line < 1 or finding.column < 1:
            raise AssertionError(f"badly placed finding: {line!r}")
    if loaded.case is not None and not loaded.ok:
        raise AssertionError("a model for a case with errors")
    try:
        sipdocs.source.decode(data)
    except sipdocs.source.SourceProblem:
        with contextlib.suppress(sipdocs.source.SourceProblem):
            sipdocs.source.parse(data.decode("utf-8", errors="replace"))


def libfuzzer_args(argv: list[str]) -> list[str]:
    """`argv` with the seeds, the dictionary and the artifact folder, unless already given."""
    given = {arg.split("=", 1)[0] for arg in argv[1:] if arg.startswith("-")}
    extra = []
    if "-seed_inputs" not in given:
        seeds = sorted(str(path) for path in SAMPLES.rglob("*.yaml"))
        extra.append("-seed_inputs=" + ",".join(seeds))
    if "-dict" not in given:
        extra.append(f"-dict={DICT}")
    if not given & {"-artifact_prefix", "-exact_artifact_path"}:
        ARTIFACTS.mkdir(exist_ok=True)
        extra.append(f"-artifact_prefix={ARTIFACTS}/")
    return [argv[0], *extra, *argv[1:]]


def main() -> None:
    """Run libFuzzer until it stops (it exits the process)."""
    atheris.Setup(libfuzzer_args(sys.argv), TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
