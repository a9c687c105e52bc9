"""What each part of version 2's stylesheet costs a kallelse (issue 19, point 10): the same
copy rendered to PDF with one part switched off at a time, alternated copy by copy so that
other work on the machine slows every variant alike, as CPU time, median of ROUNDS.

Run: .venv/bin/python benchmarks/stylesheet_parts.py [--rounds 12]
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

from sipdocs import load_case
from sipdocs.render import document_contexts
from sipdocs.renderers.html import HtmlRenderer, revised_text
from sipdocs.renderers.pdf import TEMPLATES, render_pdf
from sipdocs.templates import Registry

CASE = Path(__file__).resolve().parents[1] / "samples" / "adult-reference.yaml"
# Each part off, by a rule added at the end of the copy's stylesheet.
PARTS = {
    "hyphenation": "main:lang(sv), main :lang(sv) { hyphens: manual !important; }",
    "floated labels": ".docmeta dt, dl.facts dt { float: none !important; }",
    "running footer": "@page { @bottom-left { content: none !important; } }",
    "page number": "@page { @bottom-right { content: none !important; } }",
    "running header": "@page { @top-left { content: none !important; }"
    " @top-right { content: none !important; } }",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=12, help="renders of each variant")
    args = parser.parse_args()
    registry = Registry()
    [context] = [
        c
        for c in document_contexts(load_case(CASE), registry, ["kallelse"])
        if c.recipient.id == "soc" and c.language == "sv"
    ]
    html = revised_text(HtmlRenderer(registry).html(context), context)
    base = (context.selection.version.folder / "").as_uri()
    roots = [TEMPLATES, *(layer.folder for layer in context.chain)]
    variants = {"whole stylesheet": html}
    variants |= {
        f"without {name}": html.replace("</style>", f"{css}</style>", 1)
        for name, css in PARTS.items()
    }
    variants["near-empty body"] = re.sub(
        r"<body.*</body>", "<body><p>x</p></body>", html, flags=re.S
    )
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(args.rounds + 1):  # the first round warms up
        for name, text in variants.items():
            start = time.process_time()
            render_pdf(text, base, roots, "sv", "kallelse", {})
            times[name].append(time.process_time() - start)
    whole = statistics.median(times["whole stylesheet"][1:])
    for name, spent in times.items():
        median = statistics.median(spent[1:])
        print(f"{name:<28} {1000 * median:6.1f} ms CPU  {100 * (median / whole - 1):+5.1f} %")


if __name__ == "__main__":
    main()
