"""PDFs per second with today's code and templates against those of an earlier commit, side
by side in one run (issue 19: at least 1.5x the speed of commit e52a8a3's templates).

Each side is a fresh process that imports sipdocs from its own tree (the earlier commit is
unpacked with `git archive` into a temporary folder; both use this virtual environment's
packages), renders its own tree's reference cases once to warm up (fonts, stylesheets,
compiled templates, kept in one registry as a batch worker keeps them), and
then renders the Swedish standard copies of each document ROUNDS times, timing only those.
The sides alternate (old, new, new, old, ...) so that other work on the machine weighs on
both alike. A side's rate is its PDFs over its rendering time; the speed-up is new over old.

Run: .venv/bin/python benchmarks/template_speed.py [--base e52a8a3] [--docs kallelse,plan]
     [--rounds 3] [--pairs 2]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = ("samples/adult-reference.yaml", "samples/child-reference.yaml")

# Runs inside each side's process: sipdocs is imported from the tree on PYTHONPATH.
SIDE = """
import json, sys, tempfile, time
from pathlib import Path
from sipdocs.render import render_case
from sipdocs.templates import Registry
registry = Registry()  # as a batch worker keeps it: templates compiled once
tree, document, rounds = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
cases = [tree / name for name in sys.argv[4:]]
def once(out):
    made = 0
    for case in cases:
        outputs = render_case(case, out, documents=[document], formats=["pdf"],
                              languages=["sv"], variants=["standard"], registry=registry)
        made += sum(1 for o in outputs if str(o.path).endswith(".pdf"))
    return made
with tempfile.TemporaryDirectory() as folder:
    once(Path(folder) / "warm")
    start, pdfs = time.perf_counter(), 0
    for n in range(rounds):
        pdfs += once(Path(folder) / str(n))
    print(json.dumps({"pdfs": pdfs, "seconds": time.perf_counter() - start}))
"""


def unpack(commit: str, into: Path) -> Path:
    """The commit's sipdocs, templates, locales and samples, unpacked into `into`."""
    archive = subprocess.run(
        [
            "git",
            "-C",
            str(ROOT),
            "archive",
            "--format=tar",
            commit,
            "sipdocs",
            "templates",
            "locales",
            "samples",
        ],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def side(tree: Path, document: str, rounds: int) -> tuple[int, float]:
    """PDFs made and seconds taken by one side's process."""
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    result = subprocess.run(
        [sys.executable, "-c", SIDE, str(tree), document, str(rounds), *CASES],
        check=True,
        capture_output=True,
        text=True,
        cwd=tree,
        env=environment,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return int(figures["pdfs"]), float(figures["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="e52a8a3", help="the earlier commit")
    parser.add_argument("--docs", default="kallelse,plan", help="documents, comma-separated")
    parser.add_argument("--rounds", type=int, default=3, help="timed renders of each case a side")
    parser.add_argument("--pairs", type=int, default=2, help="old/new pairs, alternated")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="sipdocs-bench-templates-") as folder:
        old = unpack(args.base, Path(folder) / "old")
        for document in args.docs.split(","):
            totals = {"old": [0, 0.0], "new": [0, 0.0]}
            pair = [("old", old), ("new", ROOT)]
            order = [entry for i in range(args.pairs) for entry in pair[:: 1 if i % 2 == 0 else -1]]
            for name, tree in order:
                pdfs, seconds = side(tree, document, args.rounds)
                totals[name][0] += pdfs
                totals[name][1] += seconds
                print(
                    f"  {document:<10} {name}: {pdfs} PDFs in {seconds:5.1f} s = "
                    f"{pdfs / seconds:5.2f} PDF/s"
                )
            rate = {name: pdfs / seconds for name, (pdfs, seconds) in totals.items()}
            print(
                f"{document}: {args.base} {rate['old']:.2f} PDF/s, now {rate['new']:.2f} PDF/s: "
                f"{rate['new'] / rate['old']:.2f}x (target 1.5x)"
            )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
