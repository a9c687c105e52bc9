"""Print how sipdocs meets hostile and oversized case files: what it says, how long it takes and
the peak memory of the process, each input in a fresh `sipdocs` process.

* a YAML alias bomb ("billion laughs", 9**9 values if expanded);
* lists nested 10,000 levels deep;
* 100,000 interventions, written out (about 9 MB) and as 100,000 aliases of one (about 400 kB);
* 1 MB of free text in one field;
* the largest case the limits let through: 100 interventions of 4,000 characters each, as
  one plan PDF (the limits: `source.MAX_FILE_BYTES`, `MAX_DEPTH`, `MAX_VALUES`,
  `model.MAX_ITEMS`, `MAX_TEXT`).

Run: .venv/bin/python benchmarks/limits.py
"""

from __future__ import annotations

import copy
import itertools
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from sipdocs.model import MAX_ITEMS, MAX_TEXT
from sipdocs.source import parse

ROOT = Path(__file__).resolve().parents[1]
ADULT = ROOT / "samples" / "adult-reference.yaml"
SIPDOCS = [sys.executable, "-m", "sipdocs"]


def adult() -> dict[str, Any]:
    return copy.deepcopy(parse(ADULT.read_text(encoding="utf-8")).data)


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)


def alias_bomb() -> str:
    lines = ["a: &a [" + ", ".join(["lol"] * 9) + "]"]
    for previous, name in itertools.pairwise("abcdefghi"):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return "\n".join(lines) + "\n"


def deep_nesting() -> str:
    return "a: " + "[" * 10_000 + "]" * 10_000 + "\n"


def interventions_written_out() -> str:
    data = adult()
    first = data["plan"]["interventions"][0]
    data["plan"]["interventions"] = [dict(first, what=f"Insats {n}") for n in range(100_000)]
    return dump(data)


def interventions_as_aliases() -> str:
    data = adult()
    data["plan"]["interventions"] = []
    text = dump(data).replace(
        "  interventions: []\n", "  interventions: [*i" + ", *i" * 99_999 + "]\n"
    )
    first = dump({"x": adult()["plan"]["interventions"][0]}).split("\n", 1)[1]
    anchor = "x-intervention: &i\n" + first
    return text.replace("format: sipdocs/1\n", "format: sipdocs/1\n" + anchor, 1)


def long_text() -> str:
    data = adult()
    data["plan"]["strengths"] = "Styrkor och resurser i vardagen. " * 30_000
    return dump(data)


def largest_allowed() -> str:
    data = adult()
    first = data["plan"]["interventions"][0]
    words = ("Boendestöd i hemmet med hjälp att planera veckan och handla mat. " * 70)[:MAX_TEXT]
    data["plan"]["interventions"] = [dict(first, what=words.strip()) for _ in range(MAX_ITEMS)]
    return dump(data)


def measure(arguments: list[str]) -> tuple[int, str, float, float]:
    """Exit code, the first error line, seconds and peak RSS (MiB) of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(arguments, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read().decode("utf-8", "replace") if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    errors = [line.split(": error: ", 1)[1] for line in output.splitlines() if ": error: " in line]
    return os.waitstatus_to_exitcode(status), (errors or ["-"])[0], seconds, usage.ru_maxrss / 1024


INPUTS: list[tuple[str, Callable[[], str], str]] = [
    ("alias bomb (9**9 values)", alias_bomb, "validate"),
    ("nesting 10,000 levels", deep_nesting, "validate"),
    ("100,000 interventions written out", interventions_written_out, "validate"),
    ("100,000 interventions as aliases", interventions_as_aliases, "validate"),
    ("1 MB of text in one field", long_text, "validate"),
    ("largest allowed, validate", largest_allowed, "validate"),
    ("largest allowed, one plan PDF", largest_allowed, "render"),
]


def write_inputs(folder: Path) -> None:
    """Each input as `<number>.yaml`; run in a process of its own, because Linux carries a
    parent's peak memory into its children, and the largest input takes 300 MB to make.
    """
    for number, (_, make, _) in enumerate(INPUTS):
        (folder / f"{number}.yaml").write_text(make(), encoding="utf-8")


def main() -> None:
    if sys.argv[1:2] == ["--write"]:
        write_inputs(Path(sys.argv[2]))
        return
    print(f"{'input':<36} {'size':>8} {'exit':>4} {'seconds':>8} {'peak MiB':>8}  message")
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, __file__, "--write", folder], check=True)
        for number, (name, _, command) in enumerate(INPUTS):
            path = Path(folder) / f"{number}.yaml"
            out = Path(folder) / f"out{number}"
            arguments = [*SIPDOCS, command, str(path)]
            if command == "render":
                arguments += ["--doc", "plan", "--lang", "sv", "--variant", "standard"]
                arguments += ["--format", "pdf", "--out", str(out)]
            code, message, seconds, peak = measure(arguments)
            if command == "render":
                copies = len(list(out.rglob("*.pdf")))
                message = f"{copies} plan PDF(s), {seconds / max(copies, 1):.1f} s each"
            size = f"{path.stat().st_size / 1024:.0f} kB"
            print(f"{name:<36} {size:>8} {code:>4} {seconds:>8.2f} {peak:>8.0f}  {message}")


if __name__ == "__main__":
    main()
